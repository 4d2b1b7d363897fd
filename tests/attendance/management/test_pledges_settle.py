"""The pledges_settle command: dry run writes nothing, a real run settles once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.attendance.models import Pledge
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, VoteFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("pledges_settle", *args, stdout=out)
    return out.getvalue()


def test_dry_run_then_settle_with_accepted_talks():
    conference = ConferenceFactory()
    accepted = TalkFactory(conference=conference, status="accepted")
    TalkFactory(conference=conference, status="rejected")
    pledge = PledgeFactory(conference=conference)
    VoteFactory(user=pledge.user, talk=accepted, score=3)
    assert "1 would be triggered" in run(conference.slug, "--dry-run")
    assert Pledge.objects.get().status == "active"
    assert "1 triggered" in run(conference.slug)
    assert "0 triggered" in run(conference.slug)
    assert Pledge.objects.get().status == "triggered"


def test_refuses_to_release_everyone_by_accident():
    conference = ConferenceFactory()
    with pytest.raises(CommandError, match="No accepted talks"):
        run(conference.slug)
    with pytest.raises(CommandError, match="separated by commas"):
        run(conference.slug, "--talks", "3;4")
    with pytest.raises(CommandError, match="No conference"):
        run("nope")
