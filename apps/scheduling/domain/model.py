"""What the scheduler is given and what it gives back, as plain frozen data.

The committee's program is built from rooms (with a number of seats), slots (a time in a room),
talks (with their rank in the weighted vote and the audience the vote predicts), the windows in
which each speaker can speak, the committee's overrides (each with a published reason), the
editorial quotas, and the ballots themselves: who wants to see which talks, with the weight their
vote carries. Nothing here knows about a database; the integration turns rows into these objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Room:
    id: int
    capacity: int
    name: str = ""


@dataclass(frozen=True)
class Slot:
    """A time in a room when one talk can take place."""

    id: int
    room_id: int
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Availability:
    """A window in which a speaker can speak. A speaker with no window at all is always available."""

    speaker_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Talk:
    id: int
    duration_minutes: int
    rank: int  # 1 = most wanted in the weighted vote
    score: float  # the weighted score behind the rank
    expected_audience: float  # people the weighted vote predicts in the room
    track: str = ""
    speaker_ids: tuple[int, ...] = ()
    title: str = ""


class OverrideKind(StrEnum):
    PIN = "pin"
    EXCLUDE = "exclude"
    FIX = "fix"


@dataclass(frozen=True)
class Override:
    """A committee decision that departs from the vote; `reason` is published with the schedule.

    A fix names a slot (the talk goes exactly there) or a room (the talk goes in that room at any
    time); a fixed talk is also accepted. `similar_to` names the talk an exclusion is "too similar" to.
    """

    talk_id: int
    kind: OverrideKind
    reason: str
    slot_id: int | None = None
    room_id: int | None = None
    similar_to: int | None = None


@dataclass(frozen=True)
class Quotas:
    """Editorial quotas: slots the committee fills itself, and a minimum of accepted talks per track."""

    committee_slots: int = 0
    track_minimums: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Ballot:
    """One counted voter: the talks they want to see and the weight of their vote (bloc discounts applied)."""

    voter_id: int
    wanted: tuple[int, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Placement:
    talk_id: int
    slot_id: int


@dataclass(frozen=True)
class ScheduleInput:
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    talks: tuple[Talk, ...]
    ballots: tuple[Ballot, ...] = ()
    availabilities: tuple[Availability, ...] = ()
    overrides: tuple[Override, ...] = ()
    quotas: Quotas = field(default_factory=Quotas)
    previous: tuple[Placement, ...] = ()  # the previous proposal, for a warm start and stability


@dataclass(frozen=True)
class Parameters:
    """How hard to search. Same input and parameters give the same schedule, unless the wall clock
    ends a phase before its deterministic limit does (the result says which limit ended each phase)."""

    seed: int = 0
    time_limit_seconds: float = 60.0  # hard wall-clock budget for the whole run
    talks_to_accept: int | None = None  # default: as many as there are slots
    workers: int = 1  # CP-SAT workers; more than one interleaves them to stay deterministic (slower here)
    selection_deterministic_seconds: float = 20.0  # CP-SAT's own, machine-independent work limit
    search_rounds: int = 60  # local-search perturbation rounds without improvement before stopping
    overflow_weight: float = 1.0  # one person over a room's capacity costs as much as one lost (voter, talk) pair
    stability_weight: float = 0.05  # moving a previously placed talk costs this share of its average voters
    candidates_margin: float = 0.5  # the selection model considers this many extra waitlist talks (share of slots)


@dataclass(frozen=True)
class Satisfaction:
    """How much of what the counted voters want the program lets them see (weighted pairs)."""

    wanted_pairs: float  # every (voter, wanted talk) pair, whatever was accepted
    scheduled_pairs: float  # pairs whose talk is in the program
    attendable_pairs: float  # pairs a voter can actually attend (one talk per period)
    upper_bound_pairs: float  # each voter sees at most min(wanted talks, periods)
    overflow_people: float  # expected audience beyond room capacity, summed over talks
    overflowing_talks: int

    @property
    def share(self) -> float:
        return self.attendable_pairs / self.wanted_pairs if self.wanted_pairs else 1.0

    @property
    def clash_pairs(self) -> float:
        return self.scheduled_pairs - self.attendable_pairs

    def to_json(self) -> dict:
        return {
            "wanted_pairs": round(self.wanted_pairs, 6),
            "scheduled_pairs": round(self.scheduled_pairs, 6),
            "attendable_pairs": round(self.attendable_pairs, 6),
            "clash_pairs": round(self.clash_pairs, 6),
            "upper_bound_pairs": round(self.upper_bound_pairs, 6),
            "share": round(self.share, 6),
            "share_of_upper_bound": round(self.attendable_pairs / self.upper_bound_pairs, 6)
            if self.upper_bound_pairs
            else 1.0,
            "overflow_people": round(self.overflow_people, 6),
            "overflowing_talks": self.overflowing_talks,
        }


class Status(StrEnum):
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class TalkDecision:
    """Why a talk is in or out, and where and why it is placed."""

    talk_id: int
    status: Status
    rank: int
    why: tuple[str, ...]  # accept / waitlist / reject reasons, in words
    waitlist_position: int | None = None
    slot_id: int | None = None
    room_id: int | None = None
    where: tuple[str, ...] = ()  # room and time reasons, in words
    override_reason: str | None = None
    departs_from_vote: bool = False

    def to_json(self) -> dict:
        return {
            "talk_id": self.talk_id,
            "status": str(self.status),
            "rank": self.rank,
            "why": list(self.why),
            "waitlist_position": self.waitlist_position,
            "slot_id": self.slot_id,
            "room_id": self.room_id,
            "where": list(self.where),
            "override_reason": self.override_reason,
            "departs_from_vote": self.departs_from_vote,
        }


@dataclass(frozen=True)
class PhaseReport:
    name: str
    seconds: float
    stopped_by: str  # "optimal", "converged", "deterministic limit", "wall clock", "cancelled", "infeasible"
    objective: float | None = None
    bound: float | None = None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "seconds": round(self.seconds, 3),
            "stopped_by": self.stopped_by,
            "objective": self.objective,
            "bound": self.bound,
        }


class Outcome(StrEnum):
    OPTIMAL = "optimal"  # selection proven optimal, placement converged
    FEASIBLE = "feasible"  # a valid schedule, not proven best (see gap)
    INFEASIBLE = "infeasible"  # the inputs admit no schedule; `problems` says why in words
    CANCELLED = "cancelled"  # stopped on request; the best schedule found so far is returned


@dataclass(frozen=True)
class ScheduleResult:
    outcome: Outcome
    problems: tuple[str, ...]  # infeasibilities and warnings, in words
    placements: tuple[Placement, ...]  # sorted by slot id
    decisions: tuple[TalkDecision, ...]  # one per talk, in vote-rank order
    satisfaction: Satisfaction
    baselines: tuple[tuple[str, Satisfaction], ...]  # ("greedy", ...), ("vote_only", ...)
    attendance_bound: float  # proven upper bound on attendable pairs for the accepted talks
    moved_from_previous: int  # previously placed talks that changed slot (or left the program)
    phases: tuple[PhaseReport, ...]
    seed: int

    @property
    def accepted_talk_ids(self) -> list[int]:
        return sorted(d.talk_id for d in self.decisions if d.status == Status.ACCEPTED)

    @property
    def gap(self) -> float:
        """Relative distance between the attendable pairs found and the proven bound."""
        if self.attendance_bound <= 0:
            return 0.0
        return max(0.0, 1.0 - self.satisfaction.attendable_pairs / self.attendance_bound)

    def to_json(self) -> dict:
        """A plain, JSON-ready dict (what ScheduleProposal.result stores)."""
        return {
            "outcome": str(self.outcome),
            "problems": list(self.problems),
            "accepted_talk_ids": self.accepted_talk_ids,
            "placements": [{"talk_id": p.talk_id, "slot_id": p.slot_id} for p in self.placements],
            "decisions": [d.to_json() for d in self.decisions],
            "satisfaction": self.satisfaction.to_json(),
            "baselines": {name: s.to_json() for name, s in self.baselines},
            "attendance_bound": round(self.attendance_bound, 6),
            "gap": round(self.gap, 6),
            "moved_from_previous": self.moved_from_previous,
            "phases": [p.to_json() for p in self.phases],
            "seed": self.seed,
        }
