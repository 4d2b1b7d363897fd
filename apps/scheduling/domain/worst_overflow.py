"""Place every event so that the worst overfull room is as little overfull as possible.

This is PyCon UK conference-scheduler's "equity" model, with our own formulation: every event gets
exactly one slot it is allowed in (long enough, not marked unavailable), a slot holds one event,
events that share a tag — or are marked as not to clash — never run at the same time, and the
objective is the largest (expected audience − seats) over all placed events (never below −seats
of the smallest slot, as in the original). Two slots run "at the same time" when one's time span
contains the other's.

Formulation. A clash is written once per group of slots that all run at the same time (a maximal
clique of the "at the same time" relation): "at most one event of tag T in this group", instead of
one constraint per pair of events and pair of slots — the same feasible set, 10–20× smaller.
Decomposition, with a proof of optimality:
1. Rooms only (slots of equal capacity in one venue form a class): the smallest worst overflow when
   times are ignored. This relaxation gives a lower bound B.
2. Times within the classes chosen in step 1, with the worst overflow held at B: if CP-SAT finds
   such a timetable it is optimal, since it meets the lower bound.
3. Otherwise the full model (every allowed slot) with the worst overflow as the objective,
   starting from B as its bound. Small instances go straight to the full model.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from apps.scheduling.domain.budget import Budget, cp_sat_solve

SMALL = 2_500  # events × slots up to which the full model is solved directly


@dataclass(frozen=True)
class EquitySlot:
    id: int
    venue: str
    start: dt.datetime
    minutes: int
    capacity: int


@dataclass(frozen=True)
class EquityEvent:
    id: int
    minutes: int
    demand: int
    tags: tuple[str, ...] = ()
    unavailable_slots: tuple[int, ...] = ()
    unavailable_events: tuple[int, ...] = ()


@dataclass(frozen=True)
class EquityResult:
    assignment: tuple[tuple[int, int], ...]  # (event id, slot id)
    worst_overflow: int | None
    bound: int | None
    optimal: bool
    stopped_by: str
    seconds: float
    phases: tuple[tuple[str, float, str], ...]  # (phase, seconds, how it ended)


def concurrent_groups(slots: list[EquitySlot]) -> list[tuple[int, ...]]:
    """Maximal groups of slots that pairwise run at the same time (one span contains the other)."""
    spans: dict[tuple[dt.datetime, int], list[int]] = defaultdict(list)
    for s in slots:
        spans[(s.start, s.minutes)].append(s.id)
    keys = sorted(spans)

    def contains(a, b) -> bool:
        a_end, b_end = a[0] + dt.timedelta(minutes=a[1]), b[0] + dt.timedelta(minutes=b[1])
        return (a[0] <= b[0] and b_end <= a_end) or (b[0] <= a[0] and a_end <= b_end)

    near = {k: {o for o in keys if o != k and contains(k, o)} for k in keys}
    cliques: list[list] = []

    def extend(r: list, p: set, x: set) -> None:  # Bron–Kerbosch with a pivot
        if not p and not x:
            cliques.append(sorted(r))
            return
        pivot = max(p | x, key=lambda k: len(near[k] & p))
        for k in sorted(p - near[pivot]):
            extend([*r, k], p & near[k], x & near[k])
            p = p - {k}
            x = x | {k}

    extend([], set(keys), set())
    return sorted(tuple(sorted(s for k in c for s in spans[k])) for c in cliques)


def _allowed(e: EquityEvent, s: EquitySlot) -> bool:
    return s.minutes >= e.minutes and s.id not in e.unavailable_slots


def _clashes(model, x, events, groups) -> None:
    by_tag: dict[str, list[int]] = defaultdict(list)
    for e in events:
        for tag in e.tags:
            by_tag[tag].append(e.id)
    pairs = sorted({tuple(sorted((e.id, o))) for e in events for o in e.unavailable_events})
    for group in groups:
        for _tag, members in sorted(by_tag.items()):
            vs = [x[(e, s)] for e in members for s in group if (e, s) in x]
            if len(vs) > 1:
                model.add_at_most_one(vs)
        for a, b in pairs:
            vs = [x[(e, s)] for e in (a, b) for s in group if (e, s) in x]
            if len(vs) > 1:
                model.add_at_most_one(vs)


def worst_overflow_minimise(
    events: list[EquityEvent], slots: list[EquitySlot], *, time_limit: float = 60.0, seed: int = 0, workers: int = 2
) -> EquityResult:
    started = time.monotonic()
    budget = Budget(time_limit)
    floor = -min(s.capacity for s in slots)
    phases: list[tuple[str, float, str]] = []
    groups = concurrent_groups(slots)
    if len(events) * len(slots) <= SMALL:
        # small enough that one solve of the full model beats the two-step decomposition's overhead
        assignment, stopped_by, seconds, value, bound = _times_solve(
            events, slots, groups, budget, seed, workers, None, None, share=1.0, small=True
        )
        phases.append(("full model", seconds, stopped_by))
        return EquityResult(
            assignment or (),
            value,
            bound,
            stopped_by == "optimal",
            stopped_by,
            time.monotonic() - started,
            tuple(phases),
        )

    # 1. rooms only: classes of interchangeable slots
    classes: dict[tuple[str, int], list[EquitySlot]] = defaultdict(list)
    for s in slots:
        classes[(s.venue, s.capacity)].append(s)
    relax = cp_model.CpModel()
    top = max(e.demand for e in events) - floor
    beta = relax.new_int_var(floor, max(floor, top), "beta")
    z = {}
    for e in events:
        options = []
        for key, members in classes.items():
            if any(_allowed(e, s) for s in members):
                z[(e.id, key)] = v = relax.new_bool_var("")
                options.append((v, key[1]))
        relax.add_exactly_one([v for v, _ in options])
        # exactly one class is chosen, so its capacity is this sum: beta >= demand - capacity
        relax.add(beta + sum(cap * v for v, cap in options) >= e.demand)
    for key, members in classes.items():
        relax.add(sum(v for (_, k), v in z.items() if k == key) <= len(members))
    relax.minimize(beta)
    solver, rep = cp_sat_solve(relax, budget, seed=seed, workers=workers, deterministic_seconds=1e9, share=0.3)
    phases.append(("rooms only", rep.seconds, rep.stopped_by))
    if rep.status == cp_model.INFEASIBLE:
        return EquityResult((), None, None, False, "infeasible", time.monotonic() - started, tuple(phases))
    bound = int(rep.bound) if rep.bound is not None else floor
    chosen = {e: k for (e, k), v in z.items() if rep.objective is not None and solver.boolean_value(v)}

    # 2. times inside the chosen classes, at the lower bound
    if rep.status == cp_model.OPTIMAL:
        fixed = _times_solve(events, slots, groups, budget, seed, workers, bound, chosen, share=0.5)
        phases.append(("times at the bound", fixed[2], fixed[1]))
        if fixed[0] is not None:
            return EquityResult(fixed[0], bound, bound, True, "optimal", time.monotonic() - started, tuple(phases))
    # 3. the full model
    full = _times_solve(events, slots, groups, budget, seed, workers, None, None, share=1.0, lower=bound)
    phases.append(("full model", full[2], full[1]))
    assignment, stopped_by, _, value, full_bound = full
    return EquityResult(
        assignment or (),
        value,
        max(bound, full_bound) if full_bound is not None else bound,
        stopped_by == "optimal",
        stopped_by,
        time.monotonic() - started,
        tuple(phases),
    )


def _times_solve(events, slots, groups, budget, seed, workers, at, chosen, *, share, lower=None, small=False):
    """With `at`: feasibility at worst overflow `at`, each event in its chosen class. Otherwise: the
    full model minimising the worst overflow (not below `lower`)."""
    model = cp_model.CpModel()
    x = {}
    per_event = defaultdict(list)
    per_slot_of = defaultdict(list)
    for e in events:
        for s in slots:
            if not _allowed(e, s):
                continue
            if chosen is not None and (s.venue, s.capacity) != chosen.get(e.id):
                continue
            if at is not None and e.demand - s.capacity > at:
                continue
            x[(e.id, s.id)] = v = model.new_bool_var("")
            per_event[e.id].append(v)
            per_slot_of[e.id].append(((e.id, s.id), v))
    for e in events:
        model.add_exactly_one(per_event[e.id])
    by_slot = defaultdict(list)
    for (_, s), v in x.items():
        by_slot[s].append(v)
    for vs in by_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    _clashes(model, x, events, groups)
    beta = None
    if at is None:
        floor = -min(s.capacity for s in slots)
        cap = {s.id: s.capacity for s in slots}
        demand = {e.id: e.demand for e in events}
        beta = model.new_int_var(max(floor, lower if lower is not None else floor), max(demand.values()) - floor, "b")
        for e in events:  # one slot per event, so the sum is the capacity it gets
            model.add(beta + sum(cap[s] * v for (ev, s), v in per_slot_of[e.id]) >= demand[e.id])
        model.minimize(beta)
    solver, rep = cp_sat_solve(
        model, budget, seed=seed, workers=workers, deterministic_seconds=1e9, share=share, small=small
    )
    if rep.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, rep.stopped_by, rep.seconds, None, None
    assignment = tuple(sorted(k for k, v in x.items() if solver.boolean_value(v)))
    if at is not None:
        return assignment, "optimal", rep.seconds, at, at
    return assignment, rep.stopped_by, rep.seconds, int(rep.objective), int(rep.bound)
