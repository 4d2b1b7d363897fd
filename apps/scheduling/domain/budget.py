"""The run's clock, the organizer's cancel button and the progress bar.

A run has one hard wall-clock budget. Solvers are given their share of it, and a watcher stops them
when the budget is spent or the organizer cancels, because solvers overrun their own limits. Every
phase reports (phase name, percent done) so the task can show progress.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

ProgressCallback = Callable[[str, int], None]
CancelCallback = Callable[[], bool]


def _never() -> bool:
    return False


def _ignore(phase: str, percent: int) -> None:
    return None


@dataclass
class Budget:
    """Wall-clock deadline plus the caller's cancel and progress callbacks."""

    seconds: float
    cancel: CancelCallback = _never
    progress: ProgressCallback = _ignore
    started: float = field(default_factory=time.monotonic)
    _checked_at: float = -1.0
    _cancelled: bool = False

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    def keeping(self, reserve: float) -> Budget:
        """The same clock and callbacks, ending `reserve` seconds earlier (time kept for the report)."""
        return Budget(max(0.0, self.seconds - reserve), self.cancel, self.progress, self.started)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def cancelled(self) -> bool:
        # the task's cancel callback may read the database: ask at most four times a second
        now = time.monotonic()
        if not self._cancelled and now - self._checked_at >= 0.25:
            self._checked_at = now
            self._cancelled = bool(self.cancel())
        return self._cancelled

    def should_stop(self) -> bool:
        return self.expired() or self.cancelled()

    def report(self, phase: str, percent: float) -> None:
        self.progress(phase, max(0, min(100, int(percent))))


@dataclass(frozen=True)
class SolveReport:
    status: int
    stopped_by: str
    seconds: float
    objective: float | None
    bound: float | None


def cp_sat_solve(
    model: cp_model.CpModel,
    budget: Budget,
    *,
    seed: int,
    workers: int,
    deterministic_seconds: float,
    share: float = 1.0,
    small: bool = False,
    deterministic: bool = True,
) -> tuple[cp_model.CpSolver, SolveReport]:
    """Solves `model` — deterministically (same model, seed and workers → same answer) unless
    `deterministic` is off or the wall clock or a cancel stops it first; a watcher thread enforces
    both, since CP-SAT can overrun its own limit."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, workers)
    # interleaving makes a multi-worker search deterministic (but weaker than a free portfolio)
    params.interleave_search = deterministic and params.num_workers > 1
    params.max_deterministic_time = deterministic_seconds
    if small:  # a tiny model: presolve and symmetry detection cost more than they save
        params.num_workers = 1
        params.interleave_search = False
        params.cp_model_presolve = False
        params.symmetry_level = 0
    params.max_time_in_seconds = max(0.05, budget.remaining() * share)
    hard_stop = time.monotonic() + params.max_time_in_seconds + 0.5
    done = threading.Event()
    why: list[str] = []

    def watch() -> None:
        while not done.wait(0.05):
            if budget.cancelled():
                why.append("cancelled")
                solver.stop_search()
                return
            if time.monotonic() >= min(hard_stop, budget.deadline):
                why.append("wall clock")
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    started = time.monotonic()
    watcher.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        watcher.join()
    seconds = time.monotonic() - started
    if status == cp_model.OPTIMAL:
        stopped_by = "optimal"
    elif status == cp_model.INFEASIBLE:
        stopped_by = "infeasible"
    elif why:
        stopped_by = why[0]
    elif solver.deterministic_time >= deterministic_seconds * 0.98:
        stopped_by = "deterministic limit"
    else:
        stopped_by = "wall clock"
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver, SolveReport(
        status=status,
        stopped_by=stopped_by,
        seconds=seconds,
        objective=solver.objective_value if has_solution else None,
        bound=solver.best_objective_bound if has_solution else None,
    )
