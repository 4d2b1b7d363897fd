"""The voting-window task: its rule, in-process, and end to end on a real Celery worker over Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.talks import services, tasks
from apps.talks.models import Conference
from tests.conftest import wait_for
from tests.factories import ConferenceFactory


@pytest.mark.django_db
def test_voting_window_opens_and_closes_conferences_and_is_idempotent():
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    due_to_open = ConferenceFactory(status="draft", voting_opens_at=now - hour, voting_closes_at=now + hour)
    not_yet = ConferenceFactory(status="draft", voting_opens_at=now + hour, voting_closes_at=now + 2 * hour)
    undated_draft = ConferenceFactory(status="draft", voting_opens_at=None, voting_closes_at=None)
    due_to_close = ConferenceFactory(status="voting", voting_opens_at=now - 2 * hour, voting_closes_at=now - hour)
    still_open = ConferenceFactory(status="voting", voting_opens_at=now - hour, voting_closes_at=now + hour)
    published = ConferenceFactory(status="published", voting_opens_at=now - 3 * hour, voting_closes_at=now - hour)
    missed = ConferenceFactory(status="draft", voting_opens_at=now - 3 * hour, voting_closes_at=now - hour)

    assert services.conference_voting_window_apply(now=now) == {"opened": 1, "closed": 1}
    assert services.conference_voting_window_apply(now=now) == {"opened": 0, "closed": 0}

    def status(c):
        return Conference.objects.get(pk=c.pk).status

    assert status(due_to_open) == "voting"
    assert status(due_to_close) == "closed"
    assert [status(c) for c in (not_yet, undated_draft, still_open, published)] == [
        "draft",
        "draft",
        "voting",
        "published",
    ]
    assert status(missed) == "draft"  # a window that passed entirely while in draft is not opened after the fact


@pytest.mark.django_db
def test_task_runs_in_process_without_a_broker():
    conference = ConferenceFactory(
        status="voting",
        voting_closes_at=timezone.now() - dt.timedelta(minutes=1),
        voting_opens_at=timezone.now() - dt.timedelta(days=1),
    )
    result = tasks.conference_voting_window_apply.delay()
    assert result.get() == {"opened": 0, "closed": 1}
    conference.refresh_from_db()
    assert conference.status == "closed"


def test_task_runs_end_to_end_on_a_real_worker(celery_worker_process):
    conference = ConferenceFactory(
        status="voting",
        voting_closes_at=timezone.now() - dt.timedelta(minutes=1),
        voting_opens_at=timezone.now() - dt.timedelta(days=1),
    )
    tasks.conference_voting_window_apply.delay()

    def closed() -> bool:
        return Conference.objects.get(pk=conference.pk).status == "closed"

    wait_for(closed, timeout=90, worker=celery_worker_process)
    # The worker reports success after committing; its log line can trail the database by a moment.
    wait_for(lambda: "succeeded" in celery_worker_process.log(), timeout=30, worker=celery_worker_process)
    assert "talks.conference_voting_window_apply" in celery_worker_process.log()
