"""The proposal, start to finish: checks, selection, time, rooms, report.

The order of the objectives is fixed and stated once here: (1) selection — accept by the weighted
vote within the committee's decisions and quotas; (2) time — the most (voter, wanted talk) pairs
attendable without a clash, speakers never in two places, availability respected; (3) rooms —
nobody left outside a room when avoidable, the most wanted talks in the largest rooms; (4)
stability — a re-run moves as few previously placed talks as it can. Later objectives never undo
an earlier one, except that the time phase weighs room overflow and stability as stated in
`timing`. The run honours a hard wall-clock budget, can be cancelled, and always returns the best
schedule found with the bound it is measured against.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from apps.scheduling.domain.attendance import attendance_bound, ballot_matrix, satisfaction_measure
from apps.scheduling.domain.budget import Budget, CancelCallback, ProgressCallback
from apps.scheduling.domain.explain import decisions_explain
from apps.scheduling.domain.feasibility import feasibility_problems
from apps.scheduling.domain.grid import Grid, fixed_rooms, grid_build
from apps.scheduling.domain.model import (
    Outcome,
    Parameters,
    PhaseReport,
    Placement,
    Satisfaction,
    ScheduleInput,
    ScheduleResult,
    Status,
)
from apps.scheduling.domain.rooms import period_overflow, rooms_assign
from apps.scheduling.domain.selection import places_count, selection_solve, vote_order
from apps.scheduling.domain.timing import timing_improve


def schedule_propose(
    inp: ScheduleInput,
    params: Parameters | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> ScheduleResult:
    """Proposes a schedule. `progress(phase, percent)` is called as phases advance; `cancel()` is
    polled (at most four times a second, possibly from a helper thread) and stops the run early."""
    params = params or Parameters()
    budget = Budget(params.time_limit_seconds)
    if progress is not None:
        budget.progress = progress
    if cancel is not None:
        budget.cancel = cancel
    budget.report("checks", 0)
    grid = grid_build(inp)
    matrix = ballot_matrix(inp.ballots, [t.id for t in inp.talks])
    problems = feasibility_problems(inp, grid)
    phases: list[PhaseReport] = [PhaseReport("checks", budget.elapsed(), "infeasible" if problems else "done")]
    if problems:
        return _empty(inp, grid, matrix, params, problems, phases, Outcome.INFEASIBLE)

    selection = selection_solve(inp, grid, params, budget, share=0.4)
    r = selection.report
    phases.append(PhaseReport("selection", r.seconds, r.stopped_by, r.objective, r.bound))
    if r.status == cp_model.INFEASIBLE:
        problems = [
            "The pinned and fixed talks, the track minimums and the hard rules (one talk per slot, a speaker "
            "in one place at a time, availability) cannot all be met together."
        ]
        return _empty(inp, grid, matrix, params, problems, phases, Outcome.INFEASIBLE)
    if r.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        outcome = Outcome.CANCELLED if r.stopped_by == "cancelled" else Outcome.INFEASIBLE
        problems = ["The run stopped before any schedule was found: " + r.stopped_by + "."]
        return _empty(inp, grid, matrix, params, problems, phases, outcome)

    budget.report("time", 30)
    talks = {t.id: t for t in inp.talks}
    accepted = [t for t in vote_order(inp.talks) if t.id in selection.periods]
    previous_slot = {pl.talk_id: pl.slot_id for pl in inp.previous if pl.slot_id in grid.slots}
    fixed_room = fixed_rooms(inp, grid)
    audience = {t.id: float(t.expected_audience) for t in inp.talks}
    timing = timing_improve(
        grid,
        accepted,
        selection.periods,
        matrix,
        audience=audience,
        fixed_room=fixed_room,
        previous={t: grid.period_of_slot[s] for t, s in previous_slot.items()},
        overflow_weight=params.overflow_weight,
        stability_weight=params.stability_weight,
        rounds=params.search_rounds,
        seed=params.seed,
        # rooms, explanations and baselines need a moment after the search: keep 8% of the budget
        budget=budget.keeping(max(0.5, 0.08 * params.time_limit_seconds)),
    )
    phases.append(PhaseReport("time", timing.seconds, timing.stopped_by, timing.objective, None))

    budget.report("rooms", 92)
    started = budget.elapsed()
    placed, unplaced = rooms_assign(grid, timing.periods, audience, previous_slot)
    phases.append(PhaseReport("rooms", budget.elapsed() - started, "optimal"))
    problems = [
        f"Talk {t} was accepted but no slot in its period suits it (length, availability or fix); "
        "it is left out of this proposal."
        for t in unplaced
    ]
    if selection.committee_open:
        problems.append(f"{selection.committee_open} of the slots reserved for the committee are still unassigned.")
    budget.report("report", 95)
    periods = {t: grid.period_of_slot[s] for t, s in placed.items()}
    result = _finish(inp, grid, matrix, params, placed, periods, selection.vote_places, problems, phases, audience)
    outcome = result.outcome
    if budget.cancelled():
        outcome = Outcome.CANCELLED
    elif r.stopped_by == "optimal" and result.gap <= 1e-12 and not unplaced:
        outcome = Outcome.OPTIMAL
    budget.report("done", 100)
    moved = sum(1 for t, s in previous_slot.items() if placed.get(t) != s and t in talks)
    return _replace(result, outcome=outcome, moved_from_previous=moved)


def _replace(result: ScheduleResult, **changes) -> ScheduleResult:
    from dataclasses import replace

    return replace(result, **changes)


def _overflow(grid: Grid, placed: dict[int, int], audience: dict[int, float]) -> tuple[float, int]:
    over = [max(0.0, audience[t] - grid.capacity_of_slot[s]) for t, s in placed.items()]
    return float(sum(over)), sum(1 for o in over if o > 0)


def baselines_measure(
    inp: ScheduleInput, grid: Grid, matrix, params: Parameters
) -> tuple[tuple[str, Satisfaction], ...]:
    """greedy: the top talks by vote, periods filled in order, largest rooms to the most wanted.
    vote_only: the same talks at the best any timetable could do for them (an upper bound), which
    shows what the committee's decisions cost."""
    total, _, _ = places_count(inp, params)
    top = vote_order(inp.talks)[:total]
    periods: dict[int, int] = {}
    over_people, over_talks = 0.0, 0
    queue = list(top)
    for p, slots in enumerate(grid.periods):
        here, queue = queue[: len(slots)], queue[len(slots) :]
        for t in here:
            periods[t.id] = p
        caps = sorted((grid.capacity_of_slot[s] for s in slots), reverse=True)
        auds = sorted((t.expected_audience for t in here), reverse=True)
        over_people += period_overflow(auds, caps)
        over_talks += sum(1 for a, c in zip(auds, caps, strict=False) if a > c)
    greedy = satisfaction_measure(matrix, periods, len(grid.periods), over_people, over_talks)
    bound = attendance_bound(matrix, [t.id for t in top], len(grid.periods))
    vote_only = Satisfaction(greedy.wanted_pairs, greedy.scheduled_pairs, bound, greedy.upper_bound_pairs, 0.0, 0)
    return (("greedy", greedy), ("vote_only", vote_only))


def _finish(inp, grid, matrix, params, placed, periods, vote_places, problems, phases, audience) -> ScheduleResult:
    over_people, over_talks = _overflow(grid, placed, audience)
    satisfaction = satisfaction_measure(matrix, periods, len(grid.periods), over_people, over_talks)
    decisions = decisions_explain(inp, grid, matrix, placed, vote_places)
    return ScheduleResult(
        outcome=Outcome.FEASIBLE,
        problems=tuple(problems),
        placements=tuple(Placement(t, s) for t, s in sorted(placed.items(), key=lambda x: x[1])),
        decisions=decisions,
        satisfaction=satisfaction,
        baselines=baselines_measure(inp, grid, matrix, params),
        attendance_bound=attendance_bound(matrix, list(placed), len(grid.periods)),
        moved_from_previous=0,
        phases=tuple(phases),
        seed=params.seed,
    )


def _empty(inp, grid, matrix, params, problems, phases, outcome) -> ScheduleResult:
    result = _finish(inp, grid, matrix, params, {}, {}, 0, problems, phases, {})
    decisions = tuple(
        _replace(d, status=Status.WAITLISTED, why=(*d.why[:1], "no schedule could be proposed: see the problems"))
        if d.status != Status.REJECTED
        else d
        for d in result.decisions
    )
    return _replace(result, outcome=outcome, decisions=decisions, moved_from_previous=len(inp.previous))
