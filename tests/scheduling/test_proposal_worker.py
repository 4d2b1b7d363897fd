"""Proposals on a real Celery worker over Redis, and a worker killed with SIGKILL in the middle of a run:
after a new worker takes over, the proposal completes exactly once and nothing half-written is ever seen."""

import datetime as dt
import random
import time

from django.test import override_settings
from django.utils import timezone

from apps.attendance.models import Ticket, TicketClaim, User
from apps.ballots.models import Vote
from apps.scheduling import proposals
from apps.scheduling.models import Room, ScheduleProposal, Slot
from apps.talks.models import Talk
from tests.conftest import wait_for
from tests.factories import ConferenceFactory, TicketTypeFactory
from tests.scheduling.test_proposals import small_conference

START = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)


def test_a_proposal_runs_on_a_real_worker_and_reports_progress(celery_worker_process):
    conference, talks = small_conference()
    proposal, created = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 30})
    assert created

    def done():
        return ScheduleProposal.objects.get(pk=proposal.pk).status in ("succeeded", "failed")

    wait_for(done, timeout=120, worker=celery_worker_process)
    proposal.refresh_from_db()
    assert proposal.status == "succeeded", proposal.error
    assert proposal.progress_percent == 100 and proposal.attempt == 1
    assert proposal.result["accepted_talk_ids"] == sorted(t.pk for t in talks[:4])


def busy_conference(*, talks: int = 150, rooms: int = 8, periods: int = 12, voters: int = 1200, per: int = 15):
    """Big enough that a run takes several seconds: bulk-built, deterministic."""
    rng = random.Random(7)
    conference = ConferenceFactory(start_date=START.date(), end_date=START.date(), status="closed")
    room_rows = Room.objects.bulk_create(
        Room(conference=conference, name=f"R{i}", capacity=60 + 40 * i, position=i) for i in range(rooms)
    )
    Slot.objects.bulk_create(
        Slot(
            conference=conference,
            room=r,
            start=START + dt.timedelta(hours=p),
            end=START + dt.timedelta(hours=p, minutes=45),
        )
        for p in range(periods)
        for r in room_rows
    )
    talk_rows = Talk.objects.bulk_create(
        Talk(conference=conference, title=f"Talk {i}", duration_minutes=30) for i in range(talks)
    )
    ticket_type = TicketTypeFactory(conference=conference, may_vote=True)
    users = User.objects.bulk_create(User(email=f"busy{i}@voters.example", password="!") for i in range(voters))
    tickets = Ticket.objects.bulk_create(
        Ticket(conference=conference, ticket_type=ticket_type, order_code=f"B{i}", secret=f"busy-{i}")
        for i in range(voters)
    )
    TicketClaim.objects.bulk_create(
        TicketClaim(conference=conference, ticket=t, user=u, method="email")
        for t, u in zip(tickets, users, strict=True)
    )
    weights = [1 / (i + 1) ** 0.7 for i in range(talks)]
    now = timezone.now()
    votes = []
    for user in users:
        chosen: set[int] = set()
        while len(chosen) < per:
            chosen.add(rng.choices(range(talks), weights=weights)[0])
        votes += [
            Vote(user=user, talk=talk_rows[i], score=rng.choice((2, 3, 3)), created_at=now, updated_at=now)
            for i in sorted(chosen)
        ]
    Vote.objects.bulk_create(votes, batch_size=5000)
    return conference


@override_settings(SCHEDULING_STALE_AFTER_SECONDS=3)
def test_a_worker_killed_mid_run_is_taken_over_and_the_run_completes_once(postgres, celery_workers):
    env = {"SCHEDULING_STALE_AFTER_SECONDS": "3"}
    first = celery_workers(env)
    conference = busy_conference()
    proposal, _ = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 60})

    def running():
        return ScheduleProposal.objects.filter(pk=proposal.pk, status="running", attempt=1).exists()

    wait_for(running, timeout=120, interval=0.05, worker=first)
    time.sleep(0.5)
    first.kill()
    proposal.refresh_from_db()
    assert proposal.status == "running", "the run ended before the kill: make busy_conference bigger"
    assert proposal.result == {} and proposal.finished_at is None  # nothing half-written

    second = celery_workers(env)
    time.sleep(3.5)  # the dead worker's heartbeat goes stale
    assert proposals.proposals_recover() == 1

    def finished():
        return ScheduleProposal.objects.get(pk=proposal.pk).status in ("succeeded", "failed", "cancelled")

    wait_for(finished, timeout=180, worker=second)
    proposal.refresh_from_db()
    assert proposal.status == "succeeded", proposal.error
    assert proposal.attempt == 2
    assert len(proposal.result["placements"]) == len(proposal.result["accepted_talk_ids"]) > 0
    assert ScheduleProposal.objects.filter(conference=conference).count() == 1
    assert second.log().count("scheduling.proposal_run") >= 1 and "'succeeded'" in second.log()


def test_two_organizers_starting_the_same_run_at_once_get_one_proposal(postgres, transactional_db):
    """Threads on PostgreSQL: the conditional unique constraint decides, and both callers get the same row."""
    import threading

    from django.db import connection

    conference, _ = small_conference(talks=4, voters=3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def start():
        try:
            barrier.wait(timeout=10)
            results.append(proposals.proposal_start(conference=conference, parameters={"seed": 3}))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    from confvote.celery import app
    from tests.conftest import _drop_celery_connections

    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    # No worker is needed (a dead broker: the runs stay queued); what matters is that nothing is started twice.
    app.conf.update(broker_url="redis://127.0.0.1:6399/0", task_always_eager=False)
    _drop_celery_connections(app)
    try:
        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        app.conf.update(previous)
        _drop_celery_connections(app)
    assert not errors, errors
    assert len({proposal.pk for proposal, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert ScheduleProposal.objects.filter(conference=conference).count() == 1
