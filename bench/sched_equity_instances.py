"""Instances for the side-by-side with PyCon UK's conference-scheduler, in both libraries' types.

One neutral description (events with demand, length, tags and unavailable slots or events; slots
with venue, start, length and capacity) is turned into conference-scheduler's `Event`/`Slot` and
into our `EquityEvent`/`EquitySlot`, so both solve the very same instance. `equity_check` checks
any answer independently and computes the objective both libraries minimise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from apps.scheduling.domain.worst_overflow import EquityEvent, EquitySlot


@dataclass(frozen=True)
class Instance:
    name: str
    slots: list[EquitySlot]
    events: list[EquityEvent]


def tutorial_instance() -> Instance:
    """The data of conference-scheduler's tutorial: 16 events (12 talks, 2 workshops, 2 social
    events) in 16 slots over two days in three venues."""
    day1, day2 = dt.datetime(2016, 9, 15), dt.datetime(2016, 9, 16)

    def at(day, hh, mm):
        return day.replace(hour=hh, minute=mm)

    talk_slots = [
        ("Big", at(day1, 9, 30), 30, 200),
        ("Big", at(day1, 10, 0), 30, 200),
        ("Small", at(day1, 9, 30), 30, 50),
        ("Small", at(day1, 10, 0), 30, 50),
        ("Big", at(day1, 12, 30), 30, 200),
        ("Big", at(day1, 13, 0), 30, 200),
        ("Small", at(day1, 12, 30), 30, 50),
        ("Small", at(day1, 13, 0), 30, 50),
        ("Big", at(day2, 9, 30), 30, 50),
        ("Big", at(day2, 10, 0), 30, 50),
        ("Big", at(day2, 12, 30), 30, 50),
        ("Big", at(day2, 13, 0), 30, 50),
    ]
    workshop_slots = [("Small", at(day2, 9, 30), 60, 50), ("Small", at(day2, 13, 0), 60, 50)]
    outside_slots = [("Outside", at(day2, 12, 30), 90, 1000), ("Outside", at(day2, 13, 0), 90, 1000)]
    raw = talk_slots + workshop_slots + outside_slots
    slots = [EquitySlot(i + 1, v, s, m, c) for i, (v, s, m, c) in enumerate(raw)]
    ids_talk = tuple(range(1, 13))
    ids_workshop = (13, 14)
    ids_outside = (15, 16)
    spec = [
        (30, 50, ("beginner",)),
        (30, 130, ("beginner",)),
        (30, 500, ("beginner",)),
        (30, 30, ("beginner",)),
        (30, 60, ("intermediate",)),
        (30, 30, ("intermediate",)),
        (30, 60, ("intermediate", "advanced")),
        (30, 60, ("intermediate", "advanced")),
        (30, 60, ("advanced",)),
        (30, 30, ("advanced",)),
        (30, 30, ("advanced",)),
        (30, 30, ("advanced",)),
    ]
    events = [EquityEvent(i + 1, m, d, tags, unavailable_slots=ids_outside) for i, (m, d, tags) in enumerate(spec)]
    events[0] = EquityEvent(1, 30, 50, ("beginner",), ids_outside, unavailable_events=(7,))
    events += [
        EquityEvent(13, 60, 300, ("testing",), ids_talk + ids_outside),
        EquityEvent(14, 60, 40, ("testing",), ids_talk + ids_outside, unavailable_events=(16,)),
        EquityEvent(15, 90, 100, (), ids_talk + ids_workshop),
        EquityEvent(16, 90, 20, (), ids_talk + ids_workshop),
    ]
    return Instance("conference-scheduler tutorial (16 events, 3 venues)", slots, events)


def generated_instance(talks: int, rooms: int, periods: int, seed: int = 1) -> Instance:
    """`talks` 30-minute talks in `rooms` × `periods` slots (7 periods a day). Each talk has a topic
    tag (about half as many talks per topic as periods, a tenth have a second topic), one to three
    slots its speaker cannot make, and 3% share a speaker with another talk. Demand is log-normal;
    rooms step down geometrically from the largest demand."""
    rng = np.random.default_rng(seed)
    base = dt.datetime(2027, 6, 1, 9, 0)
    slots = []
    for p in range(periods):
        day, k = divmod(p, 7)
        start = base + dt.timedelta(days=day, minutes=60 * k)
        for r in range(rooms):
            slots.append((f"Room {r + 1}", start))
    demand = np.round(rng.lognormal(4.5, 0.8, size=talks)).astype(int) + 5
    caps = np.round(np.geomspace(float(demand.max()) * 0.8, float(np.median(demand)) * 0.6, rooms)).astype(int)
    slot_list = [EquitySlot(i + 1, v, s, 30, int(caps[int(v.split()[1]) - 1])) for i, (v, s) in enumerate(slots)]
    topics = max(rooms, -(-talks // max(1, periods // 2)))  # about half as many talks per topic as periods
    order = rng.permutation(talks)
    events = []
    for t in range(talks):
        tags = {f"topic {int(order[t]) % topics}"}
        if rng.random() < 0.1:
            tags.add(f"topic {int(rng.integers(topics))}")
        away = tuple(sorted({int(x) + 1 for x in rng.integers(len(slot_list), size=int(rng.integers(1, 4)))}))
        events.append(EquityEvent(t + 1, 30, int(demand[t]), tuple(sorted(tags)), away))
    for a in rng.choice(talks, size=max(1, talks * 3 // 100), replace=False):
        b = int(rng.integers(talks))
        if b != a:
            e = events[a]
            events[a] = EquityEvent(e.id, e.minutes, e.demand, e.tags, e.unavailable_slots, (b + 1,))
    return Instance(f"{talks} talks × {rooms} rooms × {periods} periods", slot_list, events)


def to_conference_scheduler(instance: Instance):
    """The same instance as conference-scheduler objects (imported here: a dev-only dependency)."""
    from conference_scheduler.resources import Event, Slot

    slots = {
        s.id: Slot(venue=s.venue, starts_at=s.start, duration=s.minutes, capacity=s.capacity, session=s.venue)
        for s in instance.slots
    }
    events = {
        e.id: Event(
            str(e.id), e.minutes, e.demand, tags=list(e.tags), unavailability=[slots[i] for i in e.unavailable_slots]
        )
        for e in instance.events
    }
    for e in instance.events:
        for other in e.unavailable_events:
            events[e.id].add_unavailability(events[other])
    return [events[e.id] for e in instance.events], [slots[s.id] for s in instance.slots]


def equity_check(instance: Instance, assignment: list[tuple[int, int]]) -> tuple[list[str], int]:
    """(violations in words, worst overflow) for (event id, slot id) pairs."""
    slots = {s.id: s for s in instance.slots}
    events = {e.id: e for e in instance.events}
    where = dict(assignment)
    problems = []
    if sorted(where) != sorted(events):
        problems.append("not every event is scheduled exactly once")
    if len(set(where.values())) != len(where):
        problems.append("a slot holds two events")

    def span(s):
        return s.start, s.start + dt.timedelta(minutes=s.minutes)

    def together(a, b):
        (a0, a1), (b0, b1) = span(a), span(b)
        return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)

    for e_id, s_id in where.items():
        e, s = events[e_id], slots[s_id]
        if s.minutes < e.minutes or s_id in e.unavailable_slots:
            problems.append(f"event {e_id} is in slot {s_id}, which it cannot use")
    ids = sorted(where)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            ea, eb = events[a], events[b]
            clash = set(ea.tags) & set(eb.tags) or b in ea.unavailable_events or a in eb.unavailable_events
            if clash and together(slots[where[a]], slots[where[b]]):
                problems.append(f"events {a} and {b} must not run at the same time")
    worst = max(
        [-min(s.capacity for s in instance.slots)] + [events[e].demand - slots[s].capacity for e, s in where.items()]
    )
    return problems, worst
