"""Cheap checks, run before any solver, that say in words why no schedule can exist.

A committee decision that cannot be honoured stops the run: a pinned or fixed talk that fits no
slot, a talk fixed to a slot its speaker cannot attend, two talks fixed to one slot, a speaker with
more pinned talks than periods they can attend, more pinned talks than slots, a talk both pinned
and excluded, more committee slots than slots, or a track minimum the submitted talks cannot reach.
Anything else (an ordinary talk no slot suits) only keeps that talk out, with the reason given.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from apps.scheduling.domain.grid import Grid, slot_rejection
from apps.scheduling.domain.model import OverrideKind, ScheduleInput


def _fmt_slot(grid: Grid, slot_id: int) -> str:
    slot = grid.slots[slot_id]
    return f"slot {slot_id} ({slot.start:%a %H:%M}–{slot.end:%H:%M}, room {slot.room_id})"


def forced_talk_ids(inp: ScheduleInput) -> set[int]:
    """Talks the committee has put in the program: pinned or fixed."""
    return {o.talk_id for o in inp.overrides if o.kind in (OverrideKind.PIN, OverrideKind.FIX)}


def feasibility_problems(inp: ScheduleInput, grid: Grid) -> list[str]:
    """Every reason, in words, why the committee's decisions cannot all be honoured (empty: none found)."""
    problems: list[str] = []
    talks = {t.id: t for t in inp.talks}
    rooms = {r.id for r in inp.rooms}
    kinds: dict[int, set[OverrideKind]] = defaultdict(set)
    for o in inp.overrides:
        if o.talk_id not in talks:
            problems.append(f"An override ({o.kind}) names talk {o.talk_id}, which is not among the talks.")
            continue
        if not o.reason.strip():
            problems.append(f"The override ({o.kind}) of talk {o.talk_id} has no reason; every override needs one.")
        kinds[o.talk_id].add(o.kind)
        if o.kind == OverrideKind.FIX:
            if o.slot_id is None and o.room_id is None:
                problems.append(f"Talk {o.talk_id} is fixed, but to no slot or room.")
            if o.slot_id is not None and o.slot_id not in grid.slots:
                problems.append(f"Talk {o.talk_id} is fixed to slot {o.slot_id}, which does not exist.")
            if o.room_id is not None and o.room_id not in rooms:
                problems.append(f"Talk {o.talk_id} is fixed to room {o.room_id}, which does not exist.")
            slot = grid.slots.get(o.slot_id) if o.slot_id is not None else None
            if slot is not None and o.room_id is not None and slot.room_id != o.room_id:
                problems.append(
                    f"Talk {o.talk_id} is fixed to slot {o.slot_id} and to room {o.room_id}, "
                    "but that slot is in another room."
                )
    for talk_id, ks in sorted(kinds.items()):
        if OverrideKind.EXCLUDE in ks and ks & {OverrideKind.PIN, OverrideKind.FIX}:
            problems.append(f"Talk {talk_id} is both excluded and pinned or fixed; the committee must choose.")
    if problems:
        return problems

    forced = sorted(forced_talk_ids(inp))
    windows = defaultdict(list)
    for a in inp.availabilities:
        windows[a.speaker_id].append(a)
    for talk_id in forced:
        if not grid.allowed_slots[talk_id]:
            fix = next((o for o in inp.overrides if o.talk_id == talk_id and o.kind == OverrideKind.FIX), None)
            if fix is not None and fix.slot_id is not None:
                why = slot_rejection(talks[talk_id], grid.slots[fix.slot_id], windows) or "it is not allowed there"
                problems.append(f"Talk {talk_id} is fixed to {_fmt_slot(grid, fix.slot_id)}, but {why}.")
            else:
                problems.append(
                    f"Talk {talk_id} is in the program by committee decision, but {grid.blocked_because[talk_id]}."
                )
    slot_fixes = Counter(o.slot_id for o in inp.overrides if o.kind == OverrideKind.FIX and o.slot_id is not None)
    for slot_id, n in sorted(slot_fixes.items()):
        if n > 1 and slot_id in grid.slots:
            problems.append(f"{n} talks are fixed to the same {_fmt_slot(grid, slot_id)}; a slot holds one talk.")
    if len(forced) > len(grid.slots):
        problems.append(
            f"The committee put {len(forced)} talks in the program but there are only {len(grid.slots)} slots."
        )
    if inp.quotas.committee_slots > len(grid.slots):
        problems.append(
            f"The quota reserves {inp.quotas.committee_slots} slots for the committee but there are "
            f"only {len(grid.slots)} slots."
        )
    by_speaker: dict[int, list[int]] = defaultdict(list)
    for talk_id in forced:
        for sp in talks[talk_id].speaker_ids:
            by_speaker[sp].append(talk_id)
    for sp, ids in sorted(by_speaker.items()):
        periods = set()
        for t in ids:
            periods.update(grid.allowed_periods(t))
        if len(ids) > len(periods):
            problems.append(
                f"Speaker {sp} gives {len(ids)} talks the committee put in the program "
                f"(talks {', '.join(map(str, ids))}) but can speak in only {len(periods)} "
                "of the periods those talks fit."
            )
    fixed_period: dict[tuple[int, int], list[int]] = defaultdict(list)
    for o in inp.overrides:
        if o.kind == OverrideKind.FIX and o.slot_id in grid.slots:
            for sp in talks[o.talk_id].speaker_ids:
                fixed_period[(sp, grid.period_of_slot[o.slot_id])].append(o.talk_id)
    for (sp, _period), ids in sorted(fixed_period.items()):
        if len(ids) > 1:
            problems.append(
                f"Talks {', '.join(map(str, sorted(ids)))} are fixed to the same time, and speaker {sp} gives both."
            )
    by_track = Counter(
        t.track for t in inp.talks if grid.allowed_slots[t.id] and OverrideKind.EXCLUDE not in kinds.get(t.id, set())
    )
    total_min = 0
    for track, minimum in inp.quotas.track_minimums:
        total_min += minimum
        if by_track.get(track, 0) < minimum:
            problems.append(
                f"The quota asks for at least {minimum} talks of track “{track}” but only "
                f"{by_track.get(track, 0)} of its talks can be scheduled at all."
            )
    if total_min > len(grid.slots):
        problems.append(f"The track minimums add up to {total_min} talks but there are only {len(grid.slots)} slots.")
    return problems
