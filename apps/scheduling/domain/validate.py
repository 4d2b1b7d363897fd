"""An independent check of a proposed schedule against the hard rules, in words.

It shares no code with the solver on purpose: every slot exists and holds at most one talk; every
talk is in at most one slot, which is long enough for it; all its speakers are available for the
whole slot; no speaker gives two talks at overlapping times; every pinned or fixed talk is in the
program, in the slot or room it is fixed to; no excluded talk is. An empty list means valid.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from apps.scheduling.domain.model import OverrideKind, Placement, ScheduleInput


def schedule_violations(inp: ScheduleInput, placements: tuple[Placement, ...] | list[Placement]) -> list[str]:
    slots = {s.id: s for s in inp.slots}
    talks = {t.id: t for t in inp.talks}
    rooms = {r.id for r in inp.rooms}
    found: list[str] = []
    for slot_id, n in sorted(Counter(p.slot_id for p in placements).items()):
        if n > 1:
            found.append(f"slot {slot_id} holds {n} talks")
    for talk_id, n in sorted(Counter(p.talk_id for p in placements).items()):
        if n > 1:
            found.append(f"talk {talk_id} is placed {n} times")
    windows = defaultdict(list)
    for a in inp.availabilities:
        windows[a.speaker_id].append((a.start, a.end))
    busy = defaultdict(list)
    where = {}
    for p in placements:
        slot, talk = slots.get(p.slot_id), talks.get(p.talk_id)
        if slot is None or talk is None:
            found.append(f"placement {p} names an unknown talk or slot")
            continue
        if slot.room_id not in rooms:
            found.append(f"slot {slot.id} is in unknown room {slot.room_id}")
        where[talk.id] = slot
        if (slot.end - slot.start).total_seconds() < 60 * talk.duration_minutes:
            found.append(f"talk {talk.id} lasts {talk.duration_minutes} minutes, longer than slot {slot.id}")
        for sp in talk.speaker_ids:
            spans = windows.get(sp)
            if spans and not any(a <= slot.start and slot.end <= b for a, b in spans):
                found.append(f"speaker {sp} of talk {talk.id} is not available during slot {slot.id}")
            for other_talk, other in busy[sp]:
                if slot.start < other.end and other.start < slot.end:
                    found.append(f"speaker {sp} gives talks {other_talk} and {talk.id} at overlapping times")
            busy[sp].append((talk.id, slot))
    for o in inp.overrides:
        slot = where.get(o.talk_id)
        if o.kind == OverrideKind.EXCLUDE and slot is not None:
            found.append(f"talk {o.talk_id} is excluded by the committee but placed")
        if o.kind in (OverrideKind.PIN, OverrideKind.FIX) and slot is None:
            done = "pinned" if o.kind == OverrideKind.PIN else "fixed"
            found.append(f"talk {o.talk_id} is {done} by the committee but not placed")
        if o.kind == OverrideKind.FIX and slot is not None:
            if o.slot_id is not None and slot.id != o.slot_id:
                found.append(f"talk {o.talk_id} is fixed to slot {o.slot_id} but placed in slot {slot.id}")
            if o.room_id is not None and slot.room_id != o.room_id:
                found.append(f"talk {o.talk_id} is fixed to room {o.room_id} but placed in room {slot.room_id}")
    return found
