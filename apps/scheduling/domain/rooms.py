"""Which room each talk gets, period by period.

Within a period, talks are matched to that period's slots so that, in this order: (1) the fewest
people are left outside — expected audience beyond a room's capacity, summed; (2) a talk placed
before keeps its slot when that costs no seat; (3) the most wanted talks get the largest rooms.
A talk only gets a slot that is long enough, when its speakers are available, and that the
committee's fix allows. The match is an exact assignment problem (SciPy's Hungarian method).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from apps.scheduling.domain.grid import Grid

FORBIDDEN = 1e18


def period_overflow(audiences: Sequence[float], capacities: Sequence[float]) -> float:
    """Fewest people left outside when talks take rooms largest-first (optimal for this convex cost)."""
    a = sorted(audiences, reverse=True)
    c = sorted(capacities, reverse=True)
    return float(sum(max(0.0, x - y) for x, y in zip(a, c, strict=False)) + sum(a[len(c) :]))


def rooms_assign(
    grid: Grid,
    period_of_talk: Mapping[int, int],
    audience: Mapping[int, float],
    previous_slot: Mapping[int, int],
) -> tuple[dict[int, int], list[int]]:
    """talk id -> slot id for every talk, and the talks that found no allowed slot in their period."""
    members: dict[int, list[int]] = {}
    for talk_id, p in sorted(period_of_talk.items()):
        members.setdefault(p, []).append(talk_id)
    top_aud = max(audience.values(), default=1.0) + 1.0
    top_cap = max(grid.capacity_of_slot.values(), default=1) + 1.0
    seat = 4.0 * top_aud * top_cap  # one person outside outweighs any room preference
    keep = 2.0 * top_aud * top_cap  # keeping the previous slot outweighs the largest-first preference
    placed: dict[int, int] = {}
    unplaced: list[int] = []
    for p, talks in sorted(members.items()):
        slots = sorted(grid.periods[p])
        cost = np.full((len(talks), len(slots)), FORBIDDEN)
        for i, t in enumerate(talks):
            allowed = set(grid.allowed_slots.get(t, ()))
            for j, s in enumerate(slots):
                if s not in allowed:
                    continue
                cap = grid.capacity_of_slot[s]
                aud = audience.get(t, 0.0)
                cost[i, j] = seat * max(0.0, aud - cap) - aud * cap - (keep if previous_slot.get(t) == s else 0.0)
        rows, cols = linear_sum_assignment(cost)
        got = set()
        for i, j in zip(rows, cols, strict=True):
            if cost[i, j] < FORBIDDEN:
                placed[talks[i]] = slots[j]
                got.add(i)
        unplaced.extend(talks[i] for i in range(len(talks)) if i not in got)
    return placed, sorted(unplaced)
