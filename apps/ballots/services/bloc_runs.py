"""Bloc detection runs: queued by an organizer or made by the tally task, with progress while they run.

A run is a row an organizer can watch: queued → running (phase and percent as `tally_with_blocs`
reports them) → succeeded (blocs found, new, gone, the tally snapshot) or failed (the reason). At
most one run per conference is queued or running (a database constraint, so two organizers who
press "Detect now" together get one run, and both are shown it). A run with no progress for
`STALE_AFTER` — its worker died — is marked failed when the next one is asked for."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.talks.models import Conference

from ..models import Bloc, BlocDetectionRun
from .blocs import BlocRefresh, bloc_decide, tally_with_blocs

Status = BlocDetectionRun.Status
LIVE = (Status.QUEUED, Status.RUNNING)
STALE_AFTER = dt.timedelta(minutes=10)  # detection of a million votes takes seconds
KEEP_FINISHED = 200  # finished runs kept per conference (the tally task makes one every few minutes)


def _abandon_stale(conference: Conference) -> None:
    cutoff = timezone.now() - STALE_AFTER
    BlocDetectionRun.objects.filter(conference=conference, status__in=LIVE).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    ).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=f"Abandoned: no progress for {STALE_AFTER.seconds // 60} minutes (its worker stopped).",
    )


def bloc_detection_create(*, conference: Conference, trigger: str, by=None) -> tuple[BlocDetectionRun, bool]:
    """A new queued run, or the run already queued or running for the conference (created False)."""
    _abandon_stale(conference)
    try:
        with transaction.atomic():
            run = BlocDetectionRun.objects.create(conference=conference, trigger=trigger, created_by=by)
    except IntegrityError:  # a live run exists (the constraint), perhaps created a moment ago
        live = BlocDetectionRun.objects.filter(conference=conference, status__in=LIVE).first()
        if live is None:  # it finished in between: ask again
            return bloc_detection_create(conference=conference, trigger=trigger, by=by)
        return live, False
    return run, True


def bloc_detection_start(
    *, conference: Conference, by=None, trigger: str = BlocDetectionRun.Trigger.ORGANIZER
) -> tuple[BlocDetectionRun, bool]:
    """Queues detection for the worker (after the transaction commits). When the queue cannot be
    reached the run is marked failed with that reason, so the organizer sees it on the run's page."""
    from confvote.celery import enqueue

    from .. import tasks

    run, created = bloc_detection_create(conference=conference, trigger=trigger, by=by)
    if created:

        def send() -> None:
            if not enqueue(tasks.bloc_detection_run, run.pk):
                BlocDetectionRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
                    status=Status.FAILED,
                    finished_at=timezone.now(),
                    error="The task queue is not reachable; try again in a moment.",
                )

        transaction.on_commit(send)
    return run, created


def bloc_detection_execute(*, run_id: int) -> str:
    """Runs a queued run to its end (the worker's task). Returns what happened, in a word."""
    return "skipped" if _execute(run_id) is None else "succeeded"


def bloc_detection_now(*, conference: Conference, trigger: str, by=None) -> BlocRefresh:
    """Detection in this process (the tally task, a decision): recorded as a run when none is live;
    when one is, detection still runs here — after it, since runs of a conference take turns."""
    run, created = bloc_detection_create(conference=conference, trigger=trigger, by=by)
    refresh = _execute(run.pk) if created else None
    return refresh if refresh is not None else tally_with_blocs(conference=conference)


def bloc_decision_apply(*, bloc: Bloc, status: str, reason: str, by) -> tuple[Bloc, BlocDetectionRun]:
    """An organizer's decision on a bloc (admin or API), recorded at once, and the recomputation that
    applies it, queued for the worker (detection and the tally take seconds on a large conference; the
    organizer follows the returned run). Its effect — the bloc's multiplier, the talk's score and rank,
    the members' receipts — arrives when that run ends. A run already queued reads the decision when it
    starts; a run already running may have read the decisions before this one, so detection is queued
    again to follow it (runs of a conference take turns, `tally_with_blocs`)."""
    from confvote.celery import enqueue

    from .. import tasks

    bloc = bloc_decide(bloc=bloc, status=status, reason=reason, by=by)
    run, created = bloc_detection_start(conference=bloc.conference, by=by, trigger=BlocDetectionRun.Trigger.DECISION)
    if not created and run.status == Status.RUNNING:
        conference_id, by_id = bloc.conference_id, getattr(by, "pk", None)
        transaction.on_commit(lambda: enqueue(tasks.bloc_detection_after_decision, conference_id, by_id))
    # Outside a transaction, or with tasks run in-process (`make run`), the run may be done already.
    bloc.refresh_from_db()
    run.refresh_from_db()
    return bloc, run


def bloc_detection_after_decision(*, conference_id: int, by_id: int | None) -> int:
    """Detection and the tally once the run under way when a decision was made has ended (the worker's
    task): recorded as a run of its own when none is live by then. Returns the tally snapshot's id."""
    from django.contrib.auth import get_user_model

    conference = Conference.objects.get(pk=conference_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return bloc_detection_now(conference=conference, trigger=BlocDetectionRun.Trigger.DECISION, by=by).snapshot.pk


def _execute(run_id: int) -> BlocRefresh | None:
    now = timezone.now()
    claimed = BlocDetectionRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, phase="starting", progress_percent=0
    )
    if not claimed:
        return None  # finished, abandoned or taken by another worker
    run = BlocDetectionRun.objects.select_related("conference").get(pk=run_id)
    mine = BlocDetectionRun.objects.filter(pk=run_id, status=Status.RUNNING)

    def progress(phase: str, percent: int) -> None:
        mine.update(phase=phase[:64], progress_percent=max(0, min(99, percent)), heartbeat_at=timezone.now())

    def record(inputs: dict) -> None:
        mine.update(inputs=inputs)

    try:
        refresh = tally_with_blocs(conference=run.conference, progress=progress, record=record)
    except Exception as exc:  # recorded for the organizer, then raised for the worker's log
        mine.update(status=Status.FAILED, finished_at=timezone.now(), phase="failed", error=f"Detection failed: {exc}")
        raise
    _finish(mine, refresh)
    _prune(run.conference)
    return refresh


def _finish(mine, refresh: BlocRefresh) -> None:
    mine.update(
        status=Status.SUCCEEDED,
        finished_at=timezone.now(),
        phase="done",
        progress_percent=100,
        votes=refresh.votes,
        found=refresh.found,
        new=refresh.new,
        gone=refresh.gone,
        snapshot=refresh.snapshot,
    )


def _prune(conference: Conference) -> None:
    finished = BlocDetectionRun.objects.filter(conference=conference).exclude(status__in=LIVE)
    old = finished.order_by("-created_at", "-pk").values_list("pk", flat=True)[KEEP_FINISHED:]
    BlocDetectionRun.objects.filter(pk__in=list(old)).delete()
