"""The attendance Celery tasks: settlement on a real worker process, and the beat entry points."""

from decimal import Decimal

import pytest

from apps.attendance import tasks
from apps.attendance.models import Pledge, PretixConnection
from apps.talks.models import Conference
from tests.conftest import wait_for
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, VoteFactory


def test_settlement_runs_on_a_real_worker_and_a_rerun_changes_nothing(celery_worker_process):
    conference = ConferenceFactory(status=Conference.Status.PUBLISHED)
    talk = TalkFactory(conference=conference)
    pledge = PledgeFactory(conference=conference, threshold=Decimal("0.5"))
    VoteFactory(user=pledge.user, talk=talk, score=3)
    tasks.pledges_settle.delay(conference.pk, [talk.pk])
    wait_for(lambda: Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.TRIGGERED, worker=celery_worker_process)
    settled_at = Pledge.objects.get(pk=pledge.pk).settled_at
    # A second run (here in-process, the task body itself) settles nothing again.
    assert tasks.pledges_settle(conference.pk, []) == {"triggered": 0, "released": 0, "fulfilled": 0}
    assert Pledge.objects.get(pk=pledge.pk).settled_at == settled_at


@pytest.mark.django_db
def test_beat_sync_queues_active_connections_only():
    active = PretixConnection.objects.create(
        conference=ConferenceFactory(),
        api_url="http://127.0.0.1:9/api/v1/",
        organizer_slug="a",
        event_slug="b",
        api_token="t",
    )
    PretixConnection.objects.create(
        conference=ConferenceFactory(), organizer_slug="c", event_slug="d", api_token="t", active=False
    )
    assert tasks.pretix_sync_all() == 1  # eager: the one sync ran, found nothing listening, and said so
    active.refresh_from_db()
    assert "could not be reached" in active.last_error
