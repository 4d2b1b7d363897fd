"""Importing talks: real pretalx exports, CSV with every kind of mistake, idempotence, all-or-nothing."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.talks.domain.talk_import import talks_parse
from apps.talks.importing import talks_import
from apps.talks.models import Speaker, Talk, Track
from tests.factories import ConferenceFactory


@pytest.fixture
def submissions(shared_data) -> Path:
    return shared_data / "pretalx-samples" / "api_submissions_expanded_page.json"


@pytest.fixture
def schedule(shared_data) -> Path:
    return shared_data / "pretalx-samples" / "real_schedule.json"


GOOD_CSV = """external_id,title,abstract,track,format,duration,status,speaker_names,speaker_emails,speaker_companies
T1,Async views,"Why, and how",Web,talk,30,submitted,Ana Silva;Bo Chen,ana@initech.example;bo@gx.example,Initech;Globex
T2,Typing deep dive,,2026 Specials,workshop,90,,Ana Silva,ana@initech.example,Initech
"""


def test_parse_pretalx_submissions_api_export(submissions):
    result = talks_parse(submissions.read_bytes(), filename=submissions.name)
    assert result.kind == "pretalx-submissions" and result.ok
    assert len(result.records) == 3 and result.records[0].external_id == "37QWVH"
    first = result.records[0]
    assert (first.title, first.track, first.track_color, first.duration_minutes) == (
        "Compatible national data-warehouse",
        "Reverse-engineered",
        "#07a0cb",
        30,
    )
    assert first.status == "accepted"  # pretalx "confirmed"
    assert first.speakers[0].email == "bellangela@example.org" and first.speakers[0].external_id == "PPMADM"


def test_parse_pretalx_schedule_json(schedule):
    result = talks_parse(schedule.read_bytes(), filename=schedule.name)
    assert result.kind == "pretalx-schedule" and result.ok
    assert len(result.records) == len({r.external_id for r in result.records}) > 10
    assert {r.status for r in result.records} == {"accepted"}
    assert all(r.speakers and not r.speakers[0].email for r in result.records if r.speakers)


def test_parse_csv_reports_every_problem_with_its_line():
    bad = (
        "external_id,title,duration,format,status,speaker_names,speaker_emails\n"
        "A,Fine talk,30,talk,,Ana,ana@x.example\n"  # line 2: fine
        "B,,30,talk,,,\n"  # line 3: no title
        "C,Long,forty,talk,,,\n"  # line 4: duration not a number
        "D,Huge,9000,song,maybe,,\n"  # line 5: duration out of range, unknown format and status
        ",No id,30,talk,,,\n"  # line 6: no external id
        "E,Two speakers,30,talk,,Ana;Bo,ana@x.example\n"  # line 7: names and emails disagree
        "A,Duplicate,30,talk,,,\n"  # line 8: duplicate id (line 2 too)
        "F,Bad email,30,talk,,Ana,not-an-email\n"  # line 9
    )
    result = talks_parse(bad, kind="csv")
    by_line: dict[str, list[str]] = {}
    for problem in result.errors:
        by_line.setdefault(problem.where, []).append(problem.message)
    assert set(by_line) == {"line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9"}
    assert by_line["line 3"] == ["missing title"]
    assert "not a number of minutes" in by_line["line 4"][0]
    assert len(by_line["line 5"]) == 3
    assert "external id" in by_line["line 6"][0]
    assert "2 speaker name(s) but 1 email(s)" in by_line["line 7"][0]
    assert "appears more than once" in by_line["line 8"][0] and "appears more than once" in by_line["line 2"][0]
    assert "not an email address" in by_line["line 9"][0]


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        (b"", "auto", "empty"),
        (b"\xff\xfe\x00bad", "auto", "UTF-8"),
        (b'[{"title": "x",', "json", "not valid JSON"),
        (b"title,abstract\nx,y\n", "csv", "missing column(s) external_id"),
        (
            b'{"count": 1, "results": [{"code": "AB", "title": "t", "speakers": ["XY"], "state": "submitted"}]}',
            "pretalx-submissions",
            "export with ?expand=speakers",
        ),
        (b'{"schedule": {}}', "pretalx-schedule", "not a schedule.json"),
        (b"[]", "pdf", "unknown format"),
    ],
)
def test_parse_refuses_unreadable_files_with_a_reason(content, kind, message):
    result = talks_parse(content, kind=kind)
    assert not result.ok
    assert message in str(result.errors[0])


@pytest.mark.django_db
def test_import_creates_then_updates_idempotently():
    conference = ConferenceFactory()
    parsed = talks_parse(GOOD_CSV, kind="csv")
    report = talks_import(conference=conference, parsed=parsed, dry_run=False)
    assert (report.created, report.updated, report.speakers_created) == (2, 0, 2)
    assert sorted(report.tracks_created) == ["2026 Specials", "Web"]
    assert Track.objects.get(conference=conference, name="2026 Specials").slug == "track-2026-specials"
    ana = Speaker.objects.get(conference=conference, email="ana@initech.example")
    assert (ana.company, ana.email_domain) == ("Initech", "initech.example")
    assert Talk.objects.get(external_id="T1").speakers.count() == 2

    again = talks_import(conference=conference, parsed=talks_parse(GOOD_CSV, kind="csv"), dry_run=False)
    assert (again.created, again.updated, again.unchanged, again.speakers_created) == (0, 0, 2, 0)
    changed = talks_import(
        conference=conference,
        parsed=talks_parse(GOOD_CSV.replace("Async views", "Async views!"), kind="csv"),
        dry_run=False,
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Talk.objects.filter(conference=conference).count() == 2
    assert Talk.objects.get(external_id="T1").title == "Async views!"


@pytest.mark.django_db
def test_dry_run_and_bad_files_write_nothing():
    conference = ConferenceFactory()
    dry = talks_import(conference=conference, parsed=talks_parse(GOOD_CSV, kind="csv"), dry_run=True)
    assert dry.created == 2 and "Would import" in dry.summary()
    assert not Talk.objects.filter(conference=conference).exists()
    assert not Track.objects.filter(conference=conference).exists()
    half_bad = GOOD_CSV + "T3,,30\n"
    report = talks_import(conference=conference, parsed=talks_parse(half_bad, kind="csv"), dry_run=False)
    assert not report.ok and "Nothing was imported" in report.summary()
    assert not Talk.objects.filter(conference=conference).exists()


@pytest.mark.django_db
def test_import_is_scoped_to_its_conference():
    first, second = ConferenceFactory(), ConferenceFactory()
    talks_import(conference=first, parsed=talks_parse(GOOD_CSV, kind="csv"), dry_run=False)
    report = talks_import(conference=second, parsed=talks_parse(GOOD_CSV, kind="csv"), dry_run=False)
    assert report.created == 2  # the same external ids in another conference are other talks
    assert Talk.objects.filter(external_id="T1").count() == 2


@pytest.mark.django_db
def test_pretalx_files_import_and_reimport(submissions, schedule):
    conference = ConferenceFactory()
    for sample in (submissions, schedule):
        out = io.StringIO()
        call_command("import_talks", conference.slug, str(sample), stdout=out)
        assert "Imported talks" in out.getvalue()
    total = Talk.objects.filter(conference=conference).count()
    assert total >= 36
    out = io.StringIO()
    call_command("import_talks", conference.slug, str(schedule), stdout=out)
    assert "0 new" in out.getvalue()
    assert Talk.objects.filter(conference=conference).count() == total


@pytest.mark.django_db
def test_command_errors_are_clear(tmp_path, submissions, schedule):
    conference = ConferenceFactory()
    with pytest.raises(CommandError, match="No conference with the slug"):
        call_command("import_talks", "nope", str(schedule))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_talks", conference.slug, str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id,title\nX,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_talks", conference.slug, str(bad), stderr=err)
    assert "line 2: missing title" in err.getvalue()
    out = io.StringIO()
    call_command("import_talks", conference.slug, str(submissions), "--dry-run", stdout=out)
    assert "Would import" in out.getvalue() and not Talk.objects.exists()


@pytest.mark.django_db
def test_admin_preview_then_commit(staff_client):
    conference = ConferenceFactory()
    url = reverse("admin:talks_conference_import_talks", args=[conference.pk])
    assert staff_client.get(url).status_code == 200
    upload = io.BytesIO(GOOD_CSV.encode())
    upload.name = "talks.csv"
    preview = staff_client.post(url, {"file": upload, "kind": "auto", "preview": "1"})
    assert preview.status_code == 200
    assert "Would import talks: 2 new" in preview.content.decode()
    assert not Talk.objects.exists()
    token = preview.context["token"]
    done = staff_client.post(url, {"token": token, "commit": "1"})
    assert done.status_code == 302
    assert Talk.objects.filter(conference=conference).count() == 2
    expired = staff_client.post(url, {"token": token, "commit": "1"}, follow=True)
    assert "expired" in expired.content.decode()


@pytest.mark.django_db
def test_admin_preview_shows_errors_and_offers_no_commit(staff_client):
    conference = ConferenceFactory()
    upload = io.BytesIO(b"external_id,title\nX,\n")
    upload.name = "bad.csv"
    url = reverse("admin:talks_conference_import_talks", args=[conference.pk])
    response = staff_client.post(url, {"file": upload, "kind": "auto", "preview": "1"})
    body = response.content.decode()
    assert "line 2" in body and "missing title" in body
    assert "Import these talks" not in body


@pytest.mark.django_db
def test_admin_action_needs_exactly_one_conference(staff_client):
    a, b = ConferenceFactory(), ConferenceFactory()
    changelist = reverse("admin:talks_conference_changelist")
    both = staff_client.post(changelist, {"action": "import_talks", "_selected_action": [a.pk, b.pk]}, follow=True)
    assert "exactly one conference" in both.content.decode()
    one = staff_client.post(changelist, {"action": "import_talks", "_selected_action": [a.pk]})
    assert one["Location"] == reverse("admin:talks_conference_import_talks", args=[a.pk])


@pytest.mark.django_db
def test_import_screen_is_for_staff_only(client, user):
    conference = ConferenceFactory()
    url = reverse("admin:talks_conference_import_talks", args=[conference.pk])
    assert client.get(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 302  # to the admin login, which refuses non-staff


PLAIN_JSON = """{"talks": [
  {"external_id": "J1", "title": "Async views", "track": "Web", "format": "Lightning", "duration_minutes": 10,
   "status": "Accepted", "language": "de",
   "speakers": [{"name": " Ana Silva ", "email": "Ana@Initech.example", "company": "Initech"}, {"name": "Bo Chen"}]},
  {"id": 7, "title": "Typing deep dive", "duration": "90", "format": "workshop"}
]}"""


@pytest.mark.django_db
def test_plain_json_is_read_with_its_speakers_and_imported():
    result = talks_parse(PLAIN_JSON.encode(), filename="talks.json")
    assert (result.kind, result.ok, result.errors) == ("json", True, [])
    first, second = result.records
    assert (first.external_id, first.track, first.format, first.duration_minutes, first.status, first.language) == (
        "J1",
        "Web",
        "lightning",
        10,
        "accepted",
        "de",
    )
    assert [(s.name, s.email, s.company) for s in first.speakers] == [
        ("Ana Silva", "ana@initech.example", "Initech"),
        ("Bo Chen", "", ""),
    ]
    # `id` stands in for a missing `external_id`; the duration may be given as text under `duration`.
    assert (second.external_id, second.duration_minutes, second.format, second.status, second.speakers) == (
        "7",
        90,
        "workshop",
        "submitted",
        (),
    )
    # A bare list of talks reads the same.
    bare = talks_parse(PLAIN_JSON[PLAIN_JSON.index("[") : PLAIN_JSON.rindex("]") + 1], kind="json")
    assert bare.records == result.records

    conference = ConferenceFactory()
    report = talks_import(conference=conference, parsed=result, dry_run=False)
    assert (report.created, report.speakers_created) == (2, 2)
    talk = Talk.objects.get(conference=conference, external_id="J1")
    assert (talk.duration_minutes, talk.track.name) == (10, "Web")
    assert sorted(talk.speakers.values_list("name", flat=True)) == ["Ana Silva", "Bo Chen"]


def test_plain_json_problems_are_reported_per_record():
    bad = """[
      {"external_id": "A", "title": "Fine"},
      "just a title",
      {"external_id": "B", "title": "No-name speaker", "speakers": [{"email": "x@y.example"}]},
      {"external_id": "C", "title": "Zero minutes", "duration_minutes": 0},
      {"external_id": "D", "title": "Too long", "duration_minutes": 601},
      {"external_id": "A", "title": "Again"}
    ]"""
    result = talks_parse(bad, kind="json")
    by_record: dict[str, list[str]] = {}
    for problem in result.errors:
        by_record.setdefault(problem.where, []).append(problem.message)
    assert by_record == {
        "record 1": ["external id 'A' appears more than once"],
        "record 2": ["expected an object with the talk's fields"],
        "record 3": ["every speaker needs a name"],
        "record 4": ["duration 0 is outside 1 to 600 minutes"],
        "record 5": ["duration 601 is outside 1 to 600 minutes"],
        "record 6": ["external id 'A' appears more than once"],
    }
    shape = talks_parse('{"talks": {"J1": "Async views"}}', kind="json")
    assert [str(p) for p in shape.errors] == ['file: expected a list of talks, or {"talks": [...]}']


def test_a_duration_must_be_a_whole_number_of_minutes():
    """30.0 is 30; 30.5 is not cut to 30 behind the organizer's back, and infinity is reported like any
    other bad number (it used to raise OverflowError: a 500 from the import page)."""
    text = "external_id,title,duration\nA,Fine,30.0\nB,Half,30.5\nC,Endless,inf\nD,Huge,1e999\n"
    result = talks_parse(text, kind="csv")
    assert result.records[0].duration_minutes == 30
    assert [str(p) for p in result.errors] == [
        "line 3: duration '30.5' is not a whole number of minutes",
        "line 4: duration 'inf' is not a number of minutes",
        "line 5: duration '1e999' is not a number of minutes",
    ]


def test_pretalx_durations_of_zero_are_reported_and_a_missing_one_takes_the_type_default(submissions, schedule):
    """A pretalx duration of 0 (submission or schedule slot) is checked like any other, not read as
    missing and silently made 30 minutes; a submission with no duration takes its type's default."""
    data = json.loads(submissions.read_text())
    data["results"][0]["duration"] = 0
    data["results"][1]["duration"] = None
    data["results"][1]["submission_type"]["default_duration"] = 45
    result = talks_parse(json.dumps(data).encode(), filename=submissions.name)
    assert [p.message for p in result.errors] == ["duration 0 is outside 1 to 600 minutes"]
    assert result.errors[0].where.startswith("record 1")
    assert [r.duration_minutes for r in result.records] == [45, 30]  # records 2 and 3; record 1 refused

    slots = json.loads(schedule.read_text())
    first = next(iter(slots["schedule"]["conference"]["days"][0]["rooms"].values()))[0]
    first["duration"] = "00:00"
    result = talks_parse(json.dumps(slots).encode(), filename=schedule.name)
    assert [p.message for p in result.errors] == ["duration 0 is outside 1 to 600 minutes"]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (json.dumps([{"id": "X1", "title": "A\x00B"}]).encode(), "json"),  # "\u0000" in the JSON text
        (json.dumps([{"id": "X1", "title": "AB", "speakers": [{"name": "N\x00"}]}]).encode(), "json"),
        (b"external_id,title\nX1,A\x00B\n", "csv"),
    ],
)
def test_a_nul_byte_in_a_talk_is_reported_not_a_500(content, kind):
    """PostgreSQL text cannot hold a NUL byte: the import (even a dry run) raised a DataError."""
    result = talks_parse(content, kind=kind)
    assert not result.ok and "NUL byte" in str(result.errors[0])


def test_a_cell_over_the_csv_field_limit_is_reported_not_a_500():
    result = talks_parse("external_id,title,abstract\nX1,T," + "a" * 200_000 + "\n", kind="csv")
    assert not result.records
    assert [str(e) for e in result.errors] == ["file: not valid CSV: field larger than field limit (131072)"]


def test_json_nested_too_deeply_is_reported_not_a_500():
    result = talks_parse(b"[" * 100_000 + b"]" * 100_000, kind="json")
    assert [str(e) for e in result.errors] == ["file: not valid JSON: nested too deeply"]


@pytest.mark.parametrize(
    ("speaker", "problem"),
    [
        ({"name": "N" * 201}, "a speaker's name is longer than 200 characters"),
        ({"name": "N", "company": "C" * 201}, "a speaker's company is longer than 200 characters"),
        ({"name": "N", "email": "a" * 250 + "@x.org"}, "a speaker's email is longer than 254 characters"),
        ({"name": "N", "external_id": "E" * 101}, "a speaker's external id is longer than 100 characters"),
    ],
)
def test_a_speaker_field_longer_than_the_database_holds_is_reported(speaker, problem):
    """On PostgreSQL it was a DataError (value too long), a 500 even for a dry run."""
    result = talks_parse(json.dumps([{"id": "X1", "title": "T", "speakers": [speaker]}]).encode(), kind="json")
    assert [str(e) for e in result.errors] == [f"record 1: {problem}"]


def test_a_track_or_language_too_long_is_reported_not_cut():
    """They were cut to 100 and 16 characters without a word: a talk landed in a track named otherwise."""
    long_track = json.dumps([{"id": "X1", "title": "T", "track": "T" * 101, "language": "english (" + "x" * 20 + ")"}])
    result = talks_parse(long_track.encode(), kind="json")
    assert [str(e) for e in result.errors] == [
        "record 1: track is longer than 100 characters",
        "record 1: language is longer than 16 characters (give a code such as en or pt-BR)",
    ]


def test_half_a_surrogate_pair_in_json_is_reported_not_a_500():
    """A lone "\\ud800" escape decodes to a string that cannot be written as UTF-8: a UnicodeEncodeError."""
    result = talks_parse(b'[{"id": "X1", "title": "A\\ud800B"}]', kind="json")
    assert [str(e) for e in result.errors] == [
        "record 1: title holds half of a surrogate pair (a \\ud800 escape alone)"
    ]
