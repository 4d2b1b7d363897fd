"""The anonymised ballots export and verify_tally: anyone can recompute the published tally from it."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.ballots.domain.verify import tally_verify
from apps.ballots.services import vote_cast
from apps.ballots.services.blocs import tally_publish_with_blocs
from apps.talks.models import Conference
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, TicketClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client):
    conference = ConferenceFactory(slug="verifyconf")
    talks = [TalkFactory(conference=conference) for _ in range(5)]
    voters = [TicketClaimFactory(ticket__conference=conference).user for _ in range(6)]
    voters += [PledgeFactory(conference=conference).user for _ in range(3)] + [UserFactory()]
    for i, voter in enumerate(voters):
        for j, talk in enumerate(talks):
            vote_cast(user=voter, conference=conference, talk_id=talk.pk, score=(i + 2 * j) % 4)
    assert client.get(reverse("ballots:anonymised_ballots", args=[conference.slug])).status_code == 404  # voting
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.CLOSED)
    conference.refresh_from_db()
    assert client.get(reverse("ballots:anonymised_ballots", args=[conference.slug])).status_code == 404  # no tally
    tally_publish_with_blocs(conference=conference)
    response = client.get(reverse("ballots:anonymised_ballots", args=[conference.slug]))
    assert response.status_code == 200
    return conference, voters, json.loads(response.content)


def test_the_export_recomputes_to_the_published_tally(published, tmp_path):
    _, voters, export = published
    assert len(export["ballots"]) == len(voters)
    text = json.dumps(export)
    for voter in voters:
        assert voter.email not in text and f'"user": {voter.pk}' not in text
    weights = {w for b in export["ballots"] for _, _, w in b["votes"]}
    assert {1.0, 0.0} <= weights and all(0 <= w <= 1 for w in weights)  # bloc-discounted weights included
    assert all(b["receipt"] for b in export["ballots"])
    checked, differences = tally_verify(export)
    assert (checked, differences) == (5, [])
    path = tmp_path / "ballots.json"
    path.write_text(json.dumps(export))
    out = io.StringIO()
    call_command("verify_tally", str(path), stdout=out)
    assert "matches the ballots: 5 talks checked" in out.getvalue()


def test_a_tampered_export_is_caught(published, tmp_path):
    _, _, export = published
    counted = next(v for b in export["ballots"] for v in b["votes"] if v[2] == 1.0)
    counted[1] = 3 if counted[1] != 3 else 0  # a counted score changed
    ignored = next(v for b in export["ballots"] for v in b["votes"] if v[2] == 0.0)
    ignored[2] = 1.0  # a vote that did not count made to count
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(export))
    err = io.StringIO()
    with pytest.raises(CommandError, match="does not match"):
        call_command("verify_tally", str(path), stderr=err)
    assert "published" in err.getvalue() and "recomputed" in err.getvalue()


def test_verify_tally_refuses_other_files(tmp_path):
    wrong = tmp_path / "x.json"
    wrong.write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="not a valid export"):
        call_command("verify_tally", str(wrong))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_tally", str(tmp_path / "missing.json"))


@pytest.mark.parametrize("deep", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
@pytest.mark.parametrize(
    ("command", "words"), [("verify_tally", "is not a valid export"), ("verify_bulletin", "is not a bulletin board")]
)
def test_a_file_nested_too_deeply_is_a_command_error_not_a_traceback(tmp_path, command, words, deep):
    """The JSON parser raises RecursionError for arrays nested thousands deep, which the commands let through."""
    path = tmp_path / "deep.json"
    path.write_text(deep)
    with pytest.raises(CommandError, match=f"{words}: JSON nested too deeply"):
        call_command(command, str(path))
