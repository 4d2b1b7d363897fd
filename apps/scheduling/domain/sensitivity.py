"""Which accept/reject decisions would flip if the weights changed.

The organizer chooses a range — say the pledge weight from 0.3 to 0.7, or a stricter bloc rule —
and the integration re-weights the tally for each setting and hands the re-weighted scores here.
For each setting the selection is run again with the same committee decisions, quotas and hard
rules; a talk is listed when it is accepted under some settings and not under others. A decision
that never flips does not depend on the choice of weights within that range.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from apps.scheduling.domain.budget import Budget
from apps.scheduling.domain.grid import grid_build
from apps.scheduling.domain.model import Parameters, ScheduleInput
from apps.scheduling.domain.selection import selection_solve


@dataclass(frozen=True)
class Scenario:
    name: str  # e.g. "pledge weight 0.3"
    scores: tuple[tuple[int, float], ...]  # talk id -> re-weighted score (missing talks keep theirs)


@dataclass(frozen=True)
class Flip:
    talk_id: int
    accepted_now: bool
    accepted_in: tuple[str, ...]  # scenarios that accept it
    rejected_in: tuple[str, ...]  # scenarios that do not

    def to_json(self) -> dict:
        return {
            "talk_id": self.talk_id,
            "accepted_now": self.accepted_now,
            "accepted_in": list(self.accepted_in),
            "rejected_in": list(self.rejected_in),
        }


def _rescored(inp: ScheduleInput, scores: dict[int, float]) -> ScheduleInput:
    talks = [replace(t, score=scores.get(t.id, t.score)) for t in inp.talks]
    order = sorted(talks, key=lambda t: (-t.score, t.id))
    rank = {t.id: i + 1 for i, t in enumerate(order)}
    return replace(inp, talks=tuple(replace(t, rank=rank[t.id]) for t in talks))


def accepted_ids(inp: ScheduleInput, params: Parameters, seconds: float) -> frozenset[int]:
    grid = grid_build(inp)
    selection = selection_solve(inp, grid, params, Budget(seconds), share=1.0)
    return frozenset(selection.periods)


def decisions_sensitivity(
    inp: ScheduleInput, scenarios: tuple[Scenario, ...], params: Parameters | None = None
) -> tuple[Flip, ...]:
    """Talks whose acceptance differs between the current scores and any scenario, by talk id.
    The time budget in `params` is shared between the current scores and the scenarios."""
    params = params or Parameters()
    share = params.time_limit_seconds / (len(scenarios) + 1)
    now = accepted_ids(inp, params, share)
    outcomes = {s.name: accepted_ids(_rescored(inp, dict(s.scores)), params, share) for s in scenarios}
    flips = []
    for talk in sorted(inp.talks, key=lambda t: t.id):
        yes = tuple(name for name, acc in outcomes.items() if talk.id in acc)
        no = tuple(name for name, acc in outcomes.items() if talk.id not in acc)
        if (talk.id in now and no) or (talk.id not in now and yes):
            flips.append(Flip(talk.id, talk.id in now, yes, no))
    return tuple(flips)
