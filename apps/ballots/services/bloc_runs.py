"""Bloc detection runs: queued by an organizer or made by the tally task, with progress while they run.

A run is a row an organizer can watch: queued → running (phase and percent as `tally_with_blocs`
reports them) → succeeded (blocs found, new, gone, the tally snapshot) or failed (the reason). At
most one run per conference is queued or running (a database constraint, so two organizers who
press "Detect now" together get one run, and both are shown it). A run with no progress for
`STALE_AFTER` — its worker died — is marked failed when the next one is asked for."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from apps.talks.models import Conference

from ..models import Bloc, BlocDetectionRun
from .blocs import BlocRefresh, bloc_decide, tally_with_blocs
from .runs import LIVE, RunKind, RunProgress
from .tallies import no_progress

__all__ = ["LIVE", "STALE_AFTER", "bloc_detection_create", "bloc_detection_execute", "bloc_detection_start"]

Status = BlocDetectionRun.Status
STALE_AFTER = dt.timedelta(minutes=10)  # detection of a million votes takes seconds
# The tally task makes a run every few minutes: the newest 200 finished ones are kept per conference.
DETECTION = RunKind(
    model=BlocDetectionRun, task="bloc_detection_run", failure="Detection failed", stale_after=STALE_AFTER
)


def bloc_detection_create(*, conference: Conference, trigger: str, by=None) -> tuple[BlocDetectionRun, bool]:
    """A new queued run, or the run already queued or running for the conference (created False)."""
    return DETECTION.create(conference=conference, by=by, trigger=trigger)


def bloc_detection_start(
    *, conference: Conference, by=None, trigger: str = BlocDetectionRun.Trigger.ORGANIZER
) -> tuple[BlocDetectionRun, bool]:
    """Queues detection for the worker (after the transaction commits). When the queue cannot be
    reached the run is marked failed with that reason, so the organizer sees it on the run's page."""
    return DETECTION.start(conference=conference, by=by, trigger=trigger)


def bloc_detection_execute(*, run_id: int) -> str:
    """Runs a queued run to its end (the worker's task). Returns what happened, in a word."""
    return "skipped" if bloc_detection_perform(run_id) is None else "succeeded"


def bloc_detection_now(*, conference: Conference, trigger: str, by=None, progress=None, recorded=None) -> BlocRefresh:
    """Detection in this process (the tally task, a decision, a publication): recorded as a run when none
    is live (`recorded(run)` is told of it); when one is, detection still runs here — after it, since runs
    of a conference take turns. `progress(phase, percent)` is told the progress too."""
    run, created = bloc_detection_create(conference=conference, trigger=trigger, by=by)
    if created and recorded is not None:
        recorded(run)
    refresh = bloc_detection_perform(run.pk, also=progress) if created else None
    if refresh is not None:
        return refresh
    return tally_with_blocs(conference=conference, progress=progress or no_progress)


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


def bloc_detection_perform(run_id: int, also=None) -> BlocRefresh | None:
    """The run's detection and tally; `also(phase, percent)` is told the progress too (a publication
    that runs detection first shows it on its own page)."""

    def work(run: BlocDetectionRun, progress: RunProgress) -> BlocRefresh:
        def both(phase: str, percent: int) -> None:
            progress(phase, percent)
            if also is not None:
                also(phase, percent)

        return tally_with_blocs(conference=run.conference, progress=both, record=lambda i: progress.record(inputs=i))

    return DETECTION.execute(run_id, work, _outcome)


def _outcome(refresh: BlocRefresh, steps: dict) -> dict:
    return {
        "votes": refresh.votes,
        "found": refresh.found,
        "new": refresh.new,
        "gone": refresh.gone,
        "snapshot": refresh.snapshot,
    }
