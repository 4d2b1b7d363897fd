"""Importing votes cast elsewhere: pretalx-public-voting style CSV, emails linked to tickets, opaque
voters kept at weight 0, every problem with its line, all or nothing, idempotent."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.selectors import voter_class_map
from apps.ballots.domain.vote_import import score_map_parse, votes_parse
from apps.ballots.models import Vote, VoteEvent
from apps.ballots.services.vote_import import votes_import
from tests.factories import (
    ConferenceFactory,
    SpeakerFactory,
    TalkFactory,
    TicketFactory,
    TicketTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PRETALX_STYLE = """Code,Voter hash,Timestamp,Score
ABC123,5f2b9c0e,2026-10-01T10:00:00Z,1
ABC123,ann@example.org,2026-10-01T11:00:00+02:00,-1
XYZ789,ann@example.org,,0
"""


@pytest.fixture
def conference():
    conference = ConferenceFactory()
    TalkFactory(conference=conference, external_id="ABC123")
    TalkFactory(conference=conference, external_id="XYZ789")
    TicketFactory(
        conference=conference,
        ticket_type=TicketTypeFactory(conference=conference, may_vote=True),
        holder_email="Ann@Example.org",
    )
    return conference


def parse(conference, text=PRETALX_STYLE, mapping="-1=0,0=1,1=3"):
    return votes_parse(text, scale=(conference.scale_min, conference.scale_max), score_map=score_map_parse(mapping))


def test_import_maps_scores_links_tickets_and_is_idempotent(conference):
    report = votes_import(conference=conference, parsed=parse(conference), dry_run=False)
    assert (report.created, report.accounts_created, report.tickets_linked) == (3, 2, 1), report.errors
    ann = Vote.objects.filter(user__email="ann@example.org")
    assert sorted(ann.values_list("talk__external_id", "score")) == [("ABC123", 0), ("XYZ789", 1)]
    classes = voter_class_map(conference=conference)
    assert classes.get(ann.first().user_id) == VoterClass.TICKET_HOLDER  # counts like any ticket holder
    opaque = Vote.objects.exclude(user__email="ann@example.org").get()
    assert opaque.score == 3 and not opaque.user.is_active and opaque.user.email.endswith("@imported.invalid")
    assert classes.get(opaque.user_id, VoterClass.NOT_ELIGIBLE) == VoterClass.NOT_ELIGIBLE
    assert VoteEvent.objects.filter(kind="cast").count() == 3

    again = votes_import(conference=conference, parsed=parse(conference), dry_run=False)
    assert (again.created, again.changed, again.unchanged, again.accounts_created) == (0, 0, 3, 0)
    changed = votes_import(conference=conference, parsed=parse(conference, mapping="-1=1,0=1,1=3"), dry_run=False)
    assert (changed.changed, changed.unchanged) == (1, 2)
    assert VoteEvent.objects.filter(kind="change").count() == 1


def test_every_problem_is_reported_with_its_line_and_nothing_is_written(conference):
    bad = """talk,voter,score,timestamp
ABC123,a@example.org,5,
NOPE,b@example.org,1,
ABC123,,1,
XYZ789,c@example.org,high,
XYZ789,d@example.org,1,yesterday
ABC123,a@example.org,2,
ABC123,a@example.org,2,
"""
    parsed = votes_parse(bad, scale=(0, 3))
    assert [e.split(":")[0] for e in parsed.errors] == ["line 2", "line 4", "line 5", "line 6", "line 8"]
    assert "outside the conference's scale" in parsed.errors[0]
    assert "first on line 7" in parsed.errors[-1]
    report = votes_import(conference=conference, parsed=parsed, dry_run=False)
    assert report.errors and not Vote.objects.exists()
    unknown = votes_import(
        conference=conference,
        parsed=votes_parse("talk,voter,score\nNOPE,x@example.org,1\n", scale=(0, 3)),
        dry_run=False,
    )
    assert unknown.errors == [f"line 2: no talk “NOPE” in {conference.name}"]


def test_dry_run_and_speakers_own_talks(conference):
    speaker_talk = TalkFactory(
        conference=conference,
        external_id="OWN1",
        speakers=[SpeakerFactory(conference=conference, email="spk@example.org")],
    )
    text = f"talk,voter,score\n{speaker_talk.external_id},spk@example.org,3\nABC123,spk@example.org,2\n"
    dry = votes_import(conference=conference, parsed=votes_parse(text, scale=(0, 3)), dry_run=True)
    assert dry.created == 1 and "own talk" in dry.notes[0] and not Vote.objects.exists()
    done = votes_import(conference=conference, parsed=votes_parse(text, scale=(0, 3)), dry_run=False)
    assert done.created == 1 and Vote.objects.count() == 1


def test_command(conference, tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text(PRETALX_STYLE)
    out = io.StringIO()
    call_command("import_votes", conference.slug, str(path), "--score-map=-1=0,0=1,1=3", stdout=out)
    assert "Imported votes: 3 new" in out.getvalue()
    with pytest.raises(CommandError, match="score-map"):
        call_command("import_votes", conference.slug, str(path), "--score-map", "yes=no")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_votes", conference.slug, str(path), stderr=io.StringIO())  # -1 is off the scale


def test_admin_preview_then_commit(conference, staff_client):
    from django.urls import reverse

    url = reverse("admin:talks_conference_import_votes", args=[conference.pk])
    assert staff_client.get(url).status_code == 200
    upload = io.BytesIO(PRETALX_STYLE.encode())
    upload.name = "votes.csv"
    preview = staff_client.post(url, {"file": upload, "score_map": "-1=0, 0=1, 1=3", "preview": "1"})
    assert "Would import votes: 3 new" in preview.content.decode() and not Vote.objects.exists()
    done = staff_client.post(url, {"token": preview.context["token"], "commit": "1"})
    assert done.status_code == 302 and Vote.objects.count() == 3
    bad = io.BytesIO(b"talk,voter,score\nNOPE,x@example.org,1\n")
    bad.name = "bad.csv"
    refused = staff_client.post(url, {"file": bad, "preview": "1"})
    assert "no talk “NOPE”" in refused.content.decode() and "Import these votes" not in refused.content.decode()


def test_a_score_must_be_a_whole_number():
    """3.0 is 3; 2.5 is not cut to 2, and infinity is reported like any other bad number (it used to
    raise OverflowError: a 500 from the import page)."""
    parsed = votes_parse(
        "talk,voter,score\nT1,a@example.org,3.0\nT2,a@example.org,2.5\nT3,a@example.org,inf\n", scale=(0, 3)
    )
    assert [(r.talk, r.score) for r in parsed.rows] == [("T1", 3)]
    assert parsed.errors == ["line 3: score '2.5' is not a whole number", "line 4: score 'inf' is not a number"]


def test_a_nul_byte_in_the_file_is_reported_not_a_500(conference, staff_client):
    """PostgreSQL text cannot hold a NUL byte: the import (even a dry run) raised a DataError."""
    parsed = votes_parse(b"talk,voter,score\nT1,a\x00@example.org,2\n", scale=(0, 3))
    assert not parsed.rows and parsed.errors == [
        "file: the file holds a NUL byte, so it is not CSV text (save it as CSV UTF-8 and retry)"
    ]
    upload = io.BytesIO(b"talk,voter,score\nT1,a\x00@example.org,2\n")
    upload.name = "votes.csv"
    refused = staff_client.post(
        reverse("admin:talks_conference_import_votes", args=[conference.pk]), {"file": upload, "preview": "1"}
    )
    assert refused.status_code == 200 and "NUL byte" in refused.content.decode()
    assert not Vote.objects.exists()


def test_a_cell_over_the_csv_field_limit_is_reported_not_a_500():
    parsed = votes_parse("talk,voter,score\nT1," + "a" * 200_000 + "@example.org,2\n", scale=(0, 3))
    assert not parsed.rows
    assert parsed.errors == ["file: not valid CSV: field larger than field limit (131072)"]


def test_a_time_out_of_range_or_before_2000_is_reported():
    """9999-12-31T23:59:59-12:00 is in the year 10000 in UTC: it was written, and every later read of the
    conference's votes failed (a 500 for good); 0001-01-01T00:00+14:00 made the import itself a 500."""
    parsed = votes_parse(
        "talk,voter,score,timestamp\n"
        "T1,a@example.org,2,9999-12-31T23:59:59-12:00\n"
        "T1,b@example.org,2,0001-01-01T00:00:00+14:00\n"
        "T1,c@example.org,2,0202-05-01T10:00:00Z\n"
        "T1,d@example.org,2,2026-05-01T12:00:00+02:00\n",
        scale=(0, 3),
    )
    assert parsed.errors == [
        "line 2: time '9999-12-31T23:59:59-12:00' is out of range",
        "line 3: time '0001-01-01T00:00:00+14:00' is out of range",
        "line 4: time '0202-05-01T10:00:00Z' is before 2000 (a mistyped year?)",
    ]
    assert [r.at for r in parsed.rows] == [dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)]


def test_a_vote_cast_in_the_future_is_refused(conference):
    """A later vote on the site is stamped after the ballot's newest change: it would be in the future too."""
    text = "talk,voter,score,timestamp\nABC123,a@example.org,2,2999-01-01T00:00:00Z\n"
    report = votes_import(conference=conference, parsed=parse(conference, text, "0=0,1=1,2=2,3=3"), dry_run=False)
    assert report.errors == ["line 2: time 2999-01-01T00:00:00+00:00 is in the future"]
    assert not Vote.objects.exists()


def test_a_voter_too_long_or_with_an_at_sign_but_no_email_is_reported():
    """A voter with an @ becomes an account with that email: 255 characters and more were a DataError on
    PostgreSQL (a 500, even for a dry run), and 'x@y' made an account whose email is not one."""
    long = "a" * 249 + "@x.org"
    parsed = votes_parse(f"talk,voter,score\nT1,{long},2\nT1,x@y,2\nT1,@,2\nT1,{'f' * 64},2\n", scale=(0, 3))
    assert parsed.errors == [
        "line 2: voter is longer than 254 characters",
        "line 3: voter 'x@y' is not an email address",
        "line 4: voter '@' is not an email address",
    ]
    assert [r.voter for r in parsed.rows] == ["f" * 64]  # an opaque voter id, as pretalx's voter hash


def test_a_voter_whose_account_email_differs_in_case_gets_the_vote(conference):
    """Emails are unique ignoring case: looking the account up as written made a second one, an
    IntegrityError (a 500) on PostgreSQL."""
    account = UserFactory(email="Mixed@Example.org")
    text = "talk,voter,score\nABC123,MIXED@example.org,2\n"
    report = votes_import(conference=conference, parsed=parse(conference, text, "0=0,1=1,2=2,3=3"), dry_run=False)
    assert (report.errors, report.created, report.accounts_created) == ([], 1, 0)
    assert Vote.objects.get().user == account
