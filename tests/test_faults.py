"""Redis down: voting keeps working and no vote is lost; work that needs the queue says so clearly."""

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.ballots.models import Vote
from tests.factories import ConferenceFactory, TalkFactory, TicketClaimFactory

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens there
HTMX = {"hx-request": "true"}
DOWN = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}},
}


@pytest.fixture
def broker_down():
    from confvote.celery import app
    from tests.conftest import _drop_celery_connections

    previous = {
        k: app.conf[k]
        for k in (
            "broker_url",
            "task_always_eager",
            "broker_connection_retry",
            "broker_connection_max_retries",
            "broker_transport_options",
        )
    }
    app.conf.update(
        broker_url=DEAD_REDIS,
        task_always_eager=False,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        broker_transport_options={"max_retries": 0},
    )
    _drop_celery_connections(app)
    yield
    app.conf.update(previous)
    _drop_celery_connections(app)


@pytest.mark.django_db(transaction=True)
def test_votes_are_saved_while_redis_is_down(client, broker_down):
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    user = TicketClaimFactory(ticket__conference=conference).user
    client.force_login(user)
    with override_settings(**DOWN):
        page = client.get(reverse("ballots:vote", args=[conference.slug]))
        assert page.status_code == 200
        for talk in talks:
            response = client.post(
                reverse("ballots:vote_submit", args=[conference.slug, talk.pk]),
                {"score": "2"},
                headers={"hx-request": "true"},
            )
            assert response.status_code == 200
    assert Vote.objects.filter(user=user).count() == 3


@pytest.mark.django_db(transaction=True)
def test_signing_in_and_voting_work_while_the_session_cache_is_down(client, broker_down):
    """Sessions live in the database too (confvote/sessions.py): a dead Redis is a cache miss."""
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    user = TicketClaimFactory(ticket__conference=conference).user
    with override_settings(**DOWN):
        client.force_login(user)  # the session is written to the database; the cache write is skipped
        response = client.post(
            reverse("ballots:vote_submit", args=[conference.slug, talk.pk]), {"score": "1"}, headers=HTMX
        )
        assert response.status_code == 200
        assert client.get(reverse("ballots:receipts", args=[conference.slug])).status_code == 200
    assert Vote.objects.get(user=user, talk=talk).score == 1
    # Once Redis is back the same session is read from it (filled from the database on the first read).
    assert client.get(reverse("ballots:receipts", args=[conference.slug])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_receipt_email_with_the_queue_down_gives_a_clear_message(client, broker_down):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    user = TicketClaimFactory(ticket__conference=conference).user
    client.force_login(user)
    client.post(reverse("ballots:vote_submit", args=[conference.slug, talk.pk]), {"score": "2"})
    response = client.post(reverse("ballots:receipt_email", args=[conference.slug]), follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("try again" in m.lower() for m in messages), messages
    assert Vote.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_proposal_started_with_the_queue_down_starts_once_it_is_back(broker_down):
    import datetime as dt

    from django.utils import timezone

    from apps.scheduling import proposals
    from apps.scheduling.models import ScheduleProposal
    from confvote.celery import app
    from tests.scheduling.test_proposals import small_conference

    conference, _ = small_conference()
    proposal, created = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 20})
    assert created and ScheduleProposal.objects.get(pk=proposal.pk).status == "queued"  # not lost, not crashed
    app.conf.update(task_always_eager=True)  # the queue is back (in-process for the test)
    ScheduleProposal.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert proposals.proposals_recover() == 1
    assert ScheduleProposal.objects.get(pk=proposal.pk).status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_settlement_missed_while_the_queue_was_down_happens_on_recovery(broker_down):
    from apps.attendance.models import Pledge
    from apps.scheduling import proposals
    from confvote.celery import app
    from tests.factories import PledgeFactory, VoteFactory
    from tests.scheduling.test_proposals import small_conference

    conference, talks = small_conference()
    pledge = PledgeFactory(conference=conference)
    VoteFactory(user=pledge.user, talk=talks[0], score=3)
    app.conf.update(task_always_eager=True)
    proposal, _ = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 20})
    proposal.refresh_from_db()
    app.conf.update(task_always_eager=False)  # the queue goes down before publication
    proposals.proposal_publish(proposal=proposal, changelog="v1")
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.ACTIVE  # settlement could not be queued
    app.conf.update(task_always_eager=True)  # back
    proposals.proposals_recover()
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.TRIGGERED
