"""The lifecycle every run an organizer watches goes through, whatever its work (bloc detection,
publishing the tally): created queued — at most one live per conference, by each kind's constraint, so
two organizers who press together get the same run — sent to the worker once the request's
transaction commits (failed with the reason when the queue cannot be reached), claimed by one worker,
progress and heartbeat while it works, then succeeded with what it made or failed with why. A run with
no progress for `stale_after` (its worker died) is marked failed when the next one is asked for, and
only the newest finished runs are kept."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from apps.talks.models import Conference

from ..models import ConferenceRun

Status = ConferenceRun.Status
LIVE = (Status.QUEUED, Status.RUNNING)
QUEUE_DOWN = "The task queue is not reachable; try again in a moment."


@dataclass(frozen=True)
class RunKind:
    """One kind of run: its table, the task of tasks.py that executes it, and how long it may go
    without progress before it counts as abandoned."""

    model: type[ConferenceRun]
    task: str  # the name of its task in apps/ballots/tasks.py
    failure: str  # the error's first words: "Detection failed"
    stale_after: dt.timedelta = dt.timedelta(minutes=10)
    keep_finished: int = 200  # finished runs kept per conference

    def runs(self, conference: Conference):
        return self.model.objects.filter(conference=conference)

    def abandon_stale(self, conference: Conference) -> None:
        cutoff = timezone.now() - self.stale_after
        self.runs(conference).filter(status__in=LIVE).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
        ).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=f"Abandoned: no progress for {self.stale_after.seconds // 60} minutes (its worker stopped).",
        )

    def create(self, *, conference: Conference, by=None, **fields) -> tuple[ConferenceRun, bool]:
        """A new queued run, or the run already queued or running for the conference (created False)."""
        self.abandon_stale(conference)
        try:
            with transaction.atomic():
                run = self.model.objects.create(conference=conference, created_by=by, **fields)
        except IntegrityError:  # a live run exists (the constraint), perhaps created a moment ago
            live = self.runs(conference).filter(status__in=LIVE).first()
            if live is None:  # it finished in between: ask again
                return self.create(conference=conference, by=by, **fields)
            return live, False
        return run, True

    def start(self, *, conference: Conference, by=None, **fields) -> tuple[ConferenceRun, bool]:
        """`create`, then the run sent to the worker once the transaction commits. When the queue cannot
        be reached the run is marked failed with that reason, so the organizer sees it on its page."""
        from confvote.celery import enqueue

        from .. import tasks

        run, created = self.create(conference=conference, by=by, **fields)
        if created:

            def send() -> None:
                if not enqueue(getattr(tasks, self.task), run.pk):
                    self.model.objects.filter(pk=run.pk, status=Status.QUEUED).update(
                        status=Status.FAILED, finished_at=timezone.now(), error=QUEUE_DOWN
                    )

            transaction.on_commit(send)
        return run, created

    def execute(
        self,
        run_id: int,
        work: Callable[[ConferenceRun, RunProgress], Any],
        outcome: Callable[[Any, dict[str, float]], dict],
    ) -> Any | None:
        """Claims a queued run and does its `work(run, progress)`; the run succeeds with the fields
        `outcome(result, seconds by step)` gives, or fails with the exception's text (raised again, for the worker's
        log). None when the run was not queued (finished, abandoned or taken by another worker)."""
        now = timezone.now()
        claimed = self.model.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now, phase="starting", progress_percent=0
        )
        if not claimed:
            return None
        run = self.model.objects.select_related("conference").get(pk=run_id)
        progress = RunProgress(self.model, run_id)
        try:
            result = work(run, progress)
        except Exception as exc:
            progress.close()
            progress.mine().update(
                status=Status.FAILED, finished_at=timezone.now(), phase="failed", error=f"{self.failure}: {exc}"
            )
            raise
        progress.close()
        progress.mine().update(
            status=Status.SUCCEEDED,
            finished_at=timezone.now(),
            phase="done",
            progress_percent=100,
            **outcome(result, progress.steps),
        )
        self.prune(run.conference)
        return result

    def prune(self, conference: Conference) -> None:
        finished = self.runs(conference).exclude(status__in=LIVE)
        old = finished.order_by("-created_at", "-pk").values_list("pk", flat=True)[self.keep_finished :]
        self.model.objects.filter(pk__in=list(old)).delete()


class RunProgress:
    """`progress(phase, percent)` for a running run: the phase, the percent (0-99 until it ends) and the
    heartbeat on its row, and the seconds spent in each step (the phase's words before a colon).

    Work that reports from inside a transaction (publishing writes the board and the document in one)
    would hide its progress until the end: on PostgreSQL those reports go through a connection of their
    own. SQLite, the single-process development database, has one writer at a time: there they wait."""

    def __init__(self, model: type[ConferenceRun], run_id: int) -> None:
        self.model, self.run_id = model, run_id
        self.steps: dict[str, float] = {}
        self._step, self._since = "", time.perf_counter()
        self._side = None

    def mine(self):
        return self.model.objects.filter(pk=self.run_id, status=Status.RUNNING)

    def __call__(self, phase: str, percent: int) -> None:
        self._time(phase.split(":", 1)[0].strip())
        fields = {"phase": phase[:64], "progress_percent": max(0, min(99, percent)), "heartbeat_at": timezone.now()}
        if connection.in_atomic_block and connection.vendor == "postgresql":
            self._side_update(fields)
        else:
            self.mine().update(**fields)

    def record(self, **fields) -> None:
        """Other fields of the running run (detection's inputs as soon as it has read them)."""
        self.mine().update(**fields)

    def close(self) -> None:
        self._time("")
        if self._side is not None:
            self._side.close()
            self._side = None

    def _time(self, step: str) -> None:
        if step == self._step:
            return
        now = time.perf_counter()
        if self._step:
            self.steps[self._step] = round(self.steps.get(self._step, 0.0) + now - self._since, 3)
        self._step, self._since = step, now

    def _side_update(self, fields: dict) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.model._meta.db_table  # the model's own name, not input
        with self._side.cursor() as cursor:  # autocommit: seen at once
            sql = (
                f"UPDATE {table} SET phase = %s, progress_percent = %s, heartbeat_at = %s WHERE id = %s AND status = %s"  # noqa: S608
            )
            values = [fields["phase"], fields["progress_percent"], fields["heartbeat_at"], self.run_id, Status.RUNNING]
            cursor.execute(sql, values)
