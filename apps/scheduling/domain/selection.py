"""Which talks are accepted: the weighted vote, within the committee's decisions and quotas.

The program has as many places as slots (or fewer, if the committee says so). Pinned and fixed
talks are always in; they fill the slots reserved for the committee first, and the rest of the
reserved slots stay open for the committee to fill. Every other place goes by the weighted vote:
the talk ranked 1 first, then 2, and so on, except where a hard rule forbids it — a speaker cannot
be in two places at once, a talk needs a slot long enough while its speakers are available, each
period has only so many rooms — or a track minimum needs a lower-ranked talk of that track.

The solver (OR-Tools CP-SAT) sees each candidate talk and the periods it may use, and maximises
Σ over accepted vote talks of (K + K − position), where K is the number of candidates and position
is the place in the vote order (0 = best). Each accepted talk is worth at least K, so the program
takes as many talks as fit; among programs of one size it takes the best-ranked ones. Clashes
between voters' wishes are not considered here: the time phase does that with the ballots.

First a greedy pass takes the talks in vote order (moving one placed talk aside when that makes
room). When it skips nobody and meets the track minimums, its program is provably optimal — no
program can have better ranks — and the solver is not needed; otherwise the greedy program is
the solver's starting point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from apps.scheduling.domain.budget import Budget, SolveReport, cp_sat_solve
from apps.scheduling.domain.feasibility import forced_talk_ids
from apps.scheduling.domain.grid import Grid, fixed_rooms
from apps.scheduling.domain.model import OverrideKind, Parameters, ScheduleInput, Talk


@dataclass(frozen=True)
class Selection:
    periods: dict[int, int]  # accepted talk id -> period
    forced: frozenset[int]  # pinned or fixed by the committee
    vote_places: int  # places filled by the vote
    committee_open: int  # committee slots still unfilled
    candidates: tuple[int, ...]  # talks the model considered, in vote order
    report: SolveReport


def vote_order(talks: tuple[Talk, ...] | list[Talk]) -> list[Talk]:
    return sorted(talks, key=lambda t: (t.rank, -t.score, t.id))


def places_count(inp: ScheduleInput, params: Parameters) -> tuple[int, int, int]:
    """(places in the program, places filled by the vote, committee slots left open)."""
    total = len(inp.slots) if params.talks_to_accept is None else min(len(inp.slots), params.talks_to_accept)
    forced = len(forced_talk_ids(inp))
    committee = min(inp.quotas.committee_slots, total)
    vote = max(0, total - max(committee, forced))
    return total, vote, max(0, committee - forced)


def _candidates(inp: ScheduleInput, grid: Grid, params: Parameters, vote_places: int) -> list[Talk]:
    excluded = {o.talk_id for o in inp.overrides if o.kind == OverrideKind.EXCLUDE}
    forced = forced_talk_ids(inp)
    usable = [t for t in vote_order(inp.talks) if t.id not in excluded and grid.allowed_slots[t.id]]
    margin = max(10, int(params.candidates_margin * vote_places))
    chosen = [t for t in usable if t.id not in forced][: vote_places + margin]
    ids = {t.id for t in chosen} | forced
    minimums = dict(inp.quotas.track_minimums)
    for track, minimum in minimums.items():  # enough of each track to meet its minimum
        ids.update([t.id for t in usable if t.track == track][: minimum + margin // 2])
    return [t for t in usable if t.id in ids]


def _greedy(
    cands: list[Talk],
    grid: Grid,
    forced: frozenset[int],
    vote_places: int,
    previous: dict[int, int],
    fixed_room: dict[int, int],
) -> tuple[dict[int, int], bool]:
    """Committee talks first, then the vote order: each talk in its previous period if it had one,
    else the first period with a free slot long enough, its speakers free and, for a talk fixed to a
    room, that room free; when none is left, one talk already placed may move to another period to
    make room. Returns talk id -> period and whether no talk had to be skipped."""
    free = {p: sorted(grid.slots[s].minutes for s in slots) for p, slots in enumerate(grid.periods)}
    busy: set[tuple[str, int, int]] = set()
    members: dict[int, set[int]] = {p: set() for p in free}
    placed: dict[int, int] = {}
    size: dict[int, int] = {}
    talks = {t.id: t for t in cands}

    def marks(t: Talk, p: int) -> list[tuple[str, int, int]]:
        out = [("speaker", sp, p) for sp in t.speaker_ids]
        return out + ([("room", fixed_room[t.id], p)] if t.id in fixed_room else [])

    def fits(t: Talk, p: int) -> bool:
        return any(m >= t.duration_minutes for m in free[p]) and not any(k in busy for k in marks(t, p))

    def put(t: Talk, p: int) -> None:
        m = next(m for m in free[p] if m >= t.duration_minutes)
        free[p].remove(m)
        busy.update(marks(t, p))
        members[p].add(t.id)
        placed[t.id], size[t.id] = p, m

    def take_out(t: Talk) -> int:
        p = placed.pop(t.id)
        free[p] = sorted([*free[p], size.pop(t.id)])
        busy.difference_update(marks(t, p))
        members[p].discard(t.id)
        return p

    def eject_for(t: Talk, options: list[int]) -> bool:
        for p in options:
            for u_id in sorted(members[p]):
                u = talks[u_id]
                take_out(u)
                if fits(t, p):
                    put(t, p)
                    q = next((q for q in grid.allowed_periods(u_id) if q != p and fits(u, q)), None)
                    if q is not None:
                        put(u, q)
                        return True
                    take_out(t)
                put(u, p)
        return False

    complete = True
    taken = 0
    for t in sorted(cands, key=lambda t: t.id not in forced):
        if t.id not in forced and taken >= vote_places:
            break
        options = list(grid.allowed_periods(t.id))
        prev = grid.period_of_slot.get(previous.get(t.id, -1))
        if prev in options:
            options.insert(0, prev)
        p = next((p for p in options if fits(t, p)), None)
        if p is not None:
            put(t, p)
        elif not eject_for(t, options):
            complete = False
            continue
        taken += t.id not in forced
    return placed, complete


def selection_solve(inp: ScheduleInput, grid: Grid, params: Parameters, budget: Budget, share: float) -> Selection:
    started = budget.elapsed()
    _, vote_places, committee_open = places_count(inp, params)
    forced = frozenset(forced_talk_ids(inp))
    cands = _candidates(inp, grid, params, vote_places)
    k = len(cands)
    position = {t.id: i for i, t in enumerate(c for c in cands if c.id not in forced)}
    fixed_room = fixed_rooms(inp, grid)
    previous = {pl.talk_id: pl.slot_id for pl in inp.previous}
    hint, complete = _greedy(cands, grid, forced, vote_places, previous, fixed_room)
    per_track: dict[str, int] = defaultdict(int)
    for t in cands:
        per_track[t.track] += t.id in hint
    if complete and all(per_track[track] >= m for track, m in inp.quotas.track_minimums):
        # every talk was taken in vote order: no program ranks better, so this is optimal
        value = float(sum(2 * k - position[t] for t in hint if t in position))
        report = SolveReport(cp_model.OPTIMAL, "optimal", budget.elapsed() - started, value, value)
        return Selection(hint, forced, vote_places, committee_open, tuple(t.id for t in cands), report)

    model = cp_model.CpModel()
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    by_period: dict[int, list[tuple[Talk, cp_model.IntVar]]] = defaultdict(list)
    for t in cands:
        for p in grid.allowed_periods(t.id):
            var = model.new_bool_var(f"y_{t.id}_{p}")
            y[(t.id, p)] = var
            by_period[p].append((t, var))
            model.add_hint(var, hint.get(t.id) == p)
    chosen = {t.id: [y[(t.id, p)] for p in grid.allowed_periods(t.id)] for t in cands}
    for t in cands:
        if t.id in forced:
            model.add_exactly_one(chosen[t.id])
        else:
            model.add_at_most_one(chosen[t.id])
    model.add(sum(v for t in cands if t.id not in forced for v in chosen[t.id]) <= vote_places)

    # A period holds as many talks as it has slots, counted per length: talks of at least L
    # minutes need slots of at least L minutes (exact, because longer slots also take shorter talks).
    for p, members in sorted(by_period.items()):
        for need in sorted({t.duration_minutes for t, _ in members}):
            room = sum(1 for s in grid.periods[p] if grid.slots[s].minutes >= need)
            group = [v for t, v in members if t.duration_minutes >= need]
            if len(group) > room:
                model.add(sum(group) <= room)
        per_speaker: dict[int, list] = defaultdict(list)
        per_room: dict[int, list] = defaultdict(list)
        for t, v in members:
            for sp in t.speaker_ids:
                per_speaker[sp].append(v)
            if t.id in fixed_room:
                per_room[fixed_room[t.id]].append(v)
        for group in list(per_speaker.values()) + list(per_room.values()):
            if len(group) > 1:
                model.add_at_most_one(group)

    for track, minimum in inp.quotas.track_minimums:
        group = [v for t in cands if t.track == track for v in chosen[t.id]]
        model.add(sum(group) >= min(minimum, len({t.id for t in cands if t.track == track})))

    model.maximize(sum((2 * k - position[t.id]) * v for t in cands if t.id not in forced for v in chosen[t.id]))
    budget.report("selection", 5)
    solver, report = cp_sat_solve(
        model,
        budget,
        seed=params.seed,
        workers=params.workers,
        deterministic_seconds=params.selection_deterministic_seconds,
        share=share,
    )
    periods: dict[int, int] = {}
    if report.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (talk_id, p), var in y.items():
            if solver.boolean_value(var):
                periods[talk_id] = p
    return Selection(
        periods=periods,
        forced=forced,
        vote_places=vote_places,
        committee_open=committee_open,
        candidates=tuple(t.id for t in cands),
        report=report,
    )
