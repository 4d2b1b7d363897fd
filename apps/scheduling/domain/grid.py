"""Where each talk could possibly go.

Slots whose times overlap form one *period*: a person can be in only one of them, so a voter sees
at most one talk per period and a speaker gives at most one. A talk may use a slot when the slot is
at least as long as the talk, every one of its speakers is available for the whole slot (a speaker
who gave no window is always available), and the committee has not fixed it elsewhere (a fix to a
slot allows only that slot; a fix to a room allows only that room's slots).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from apps.scheduling.domain.model import OverrideKind, ScheduleInput, Slot, Talk


@dataclass(frozen=True)
class Grid:
    periods: tuple[tuple[int, ...], ...]  # slot ids of each period, periods in time order
    period_of_slot: dict[int, int]
    slots: dict[int, Slot]
    capacity_of_slot: dict[int, int]
    allowed_slots: dict[int, tuple[int, ...]]  # talk id -> slots it may use (empty: none)
    blocked_because: dict[int, str]  # talk id -> why it has no slot at all, in words
    periods_of_talk: dict[int, tuple[int, ...]]  # talk id -> periods with an allowed slot

    def allowed_periods(self, talk_id: int) -> tuple[int, ...]:
        return self.periods_of_talk.get(talk_id, ())


def fixed_rooms(inp: ScheduleInput, grid: Grid) -> dict[int, int]:
    """talk id -> the room the committee fixed it to, directly or through a fixed slot."""
    out = {o.talk_id: o.room_id for o in inp.overrides if o.kind == OverrideKind.FIX and o.room_id is not None}
    for o in inp.overrides:
        if o.kind == OverrideKind.FIX and o.slot_id in grid.slots:
            out[o.talk_id] = grid.slots[o.slot_id].room_id
    return out


def periods_group(slots: tuple[Slot, ...]) -> tuple[tuple[int, ...], ...]:
    """Chains of overlapping slots, in time order (slots that merely touch do not overlap)."""
    ordered = sorted(slots, key=lambda s: (s.start, s.end, s.room_id, s.id))
    periods: list[list[int]] = []
    current_end = None
    for slot in ordered:
        if current_end is not None and slot.start < current_end:
            periods[-1].append(slot.id)
            current_end = max(current_end, slot.end)
        else:
            periods.append([slot.id])
            current_end = slot.end
    return tuple(tuple(p) for p in periods)


def _speaker_free(windows: list, slot: Slot) -> bool:
    return not windows or any(w.start <= slot.start and slot.end <= w.end for w in windows)


def _fix_allows(fix, slot: Slot) -> bool:
    if fix is None:
        return True
    if fix.slot_id is not None and slot.id != fix.slot_id:
        return False
    return fix.room_id is None or slot.room_id == fix.room_id


def slot_rejection(talk: Talk, slot: Slot, windows: dict[int, list]) -> str | None:
    """Why `talk` cannot use `slot` (in words), or None when it can, fixes aside."""
    if slot.minutes < talk.duration_minutes:
        return f"the slot lasts {slot.minutes} minutes and the talk {talk.duration_minutes}"
    for speaker_id in talk.speaker_ids:
        if not _speaker_free(windows.get(speaker_id, []), slot):
            return f"speaker {speaker_id} is not available then"
    return None


def grid_build(inp: ScheduleInput) -> Grid:
    periods = periods_group(inp.slots)
    period_of_slot = {s: i for i, period in enumerate(periods) for s in period}
    slots = {s.id: s for s in inp.slots}
    capacity = {r.id: r.capacity for r in inp.rooms}
    windows: dict[int, list] = defaultdict(list)
    for a in inp.availabilities:
        windows[a.speaker_id].append(a)
    fixes = {o.talk_id: o for o in inp.overrides if o.kind == OverrideKind.FIX}
    allowed: dict[int, tuple[int, ...]] = {}
    blocked: dict[int, str] = {}
    longest = max((s.minutes for s in inp.slots), default=0)
    by_id = sorted(inp.slots, key=lambda s: s.id)
    long_enough: dict[int, tuple[int, ...]] = {}
    for talk in inp.talks:
        fix = fixes.get(talk.id)
        if fix is None and not any(windows.get(sp) for sp in talk.speaker_ids):
            # the common case, computed once per duration
            if talk.duration_minutes not in long_enough:
                long_enough[talk.duration_minutes] = tuple(s.id for s in by_id if s.minutes >= talk.duration_minutes)
            ok = list(long_enough[talk.duration_minutes])
        else:
            ok = [s.id for s in by_id if _fix_allows(fix, s) and slot_rejection(talk, s, windows) is None]
        allowed[talk.id] = tuple(ok)
        if ok:
            continue
        if talk.duration_minutes > longest:
            blocked[talk.id] = f"it lasts {talk.duration_minutes} minutes and the longest slot {longest}"
        elif fix is not None:
            blocked[talk.id] = "no slot allowed by the committee's fix suits its length and its speakers' availability"
        else:
            blocked[talk.id] = "its speakers are not all available during any slot long enough for it"
    return Grid(
        periods=periods,
        period_of_slot=period_of_slot,
        slots=slots,
        capacity_of_slot={s.id: capacity.get(s.room_id, 0) for s in inp.slots},
        allowed_slots=allowed,
        blocked_because=blocked,
        periods_of_talk={t: tuple(sorted({period_of_slot[s] for s in ok})) for t, ok in allowed.items()},
    )
