"""The engine on hand-sized conferences whose best schedule is known (found here by brute force)."""

import datetime as dt
import itertools

from apps.scheduling.domain.attendance import ballot_matrix, satisfaction_measure
from apps.scheduling.domain.engine import schedule_propose
from apps.scheduling.domain.grid import grid_build
from apps.scheduling.domain.model import (
    Availability,
    Ballot,
    Outcome,
    Parameters,
    Room,
    ScheduleInput,
    ScheduleResult,
    Slot,
    Status,
    Talk,
)
from apps.scheduling.domain.validate import schedule_violations

DAY = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)
FAST = Parameters(time_limit_seconds=20, search_rounds=5)


def period_start(p: int) -> dt.datetime:
    return DAY + dt.timedelta(hours=p)


def conference(capacities, periods, talks, ballots=(), **extra) -> ScheduleInput:
    """Rooms 1.. with the given capacities; one 45-minute slot per room and period, ids 1.. by period."""
    rooms = tuple(Room(id=i + 1, capacity=c, name=f"R{i + 1}") for i, c in enumerate(capacities))
    slots = tuple(
        Slot(
            id=p * len(rooms) + r.id,
            room_id=r.id,
            start=period_start(p),
            end=period_start(p) + dt.timedelta(minutes=45),
        )
        for p in range(periods)
        for r in rooms
    )
    return ScheduleInput(rooms=rooms, slots=slots, talks=tuple(talks), ballots=tuple(ballots), **extra)


def talk(i: int, rank: int | None = None, audience: float = 10, speakers=None, track="t", minutes=30) -> Talk:
    rank = rank or i
    return Talk(
        id=i,
        duration_minutes=minutes,
        rank=rank,
        score=100 - rank,
        expected_audience=audience,
        track=track,
        speaker_ids=tuple(speakers) if speakers is not None else (100 + i,),
        title=f"Talk {i}",
    )


def ballots(*wanted_lists, weight=1.0) -> list[Ballot]:
    return [Ballot(voter_id=v + 1, wanted=tuple(w), weight=weight) for v, w in enumerate(wanted_lists)]


def checked(inp: ScheduleInput, params: Parameters = FAST) -> ScheduleResult:
    """Runs the engine and checks the result with the independent validator."""
    result = schedule_propose(inp, params)
    if result.outcome == Outcome.INFEASIBLE:
        assert result.placements == () and result.problems  # nothing half-done, and a reason in words
    else:
        assert schedule_violations(inp, result.placements) == []
    assert len(result.decisions) == len(inp.talks)
    return result


def brute_force_best(inp: ScheduleInput) -> float:
    """Best attendable pairs over every way to put the talks into periods (tiny inputs only)."""
    grid = grid_build(inp)
    matrix = ballot_matrix(inp.ballots, [t.id for t in inp.talks])
    per_period = len(grid.periods[0])
    best = 0.0
    for assignment in itertools.product(range(len(grid.periods)), repeat=len(inp.talks)):
        if max(assignment.count(p) for p in range(len(grid.periods))) > per_period:
            continue
        periods = {t.id: p for t, p in zip(inp.talks, assignment, strict=True)}
        best = max(best, satisfaction_measure(matrix, periods, len(grid.periods)).attendable_pairs)
    return best


def test_known_optimum_keeps_co_wanted_talks_apart():
    # voters 1-3 want talks 1 and 2; voters 4-5 want 3 and 4: the best schedule never clashes
    inp = conference(
        [100, 50],
        2,
        [talk(1), talk(2), talk(3), talk(4)],
        ballots([1, 2], [1, 2], [1, 2], [3, 4], [3, 4]),
    )
    result = checked(inp)
    assert result.satisfaction.attendable_pairs == brute_force_best(inp) == 10
    assert result.satisfaction.clash_pairs == 0
    assert result.gap == 0
    assert result.outcome == Outcome.OPTIMAL
    greedy = dict(result.baselines)["greedy"]
    assert greedy.attendable_pairs < result.satisfaction.attendable_pairs  # greedy puts ranks 1 and 2 together


def test_known_optimum_with_weights_and_an_unavoidable_clash():
    # three talks all wanted together, two periods: one clash is unavoidable, the heavy voter wins
    inp = conference(
        [100, 100],
        2,
        [talk(1), talk(2), talk(3), talk(4)],
        [
            Ballot(1, (1, 2, 3), weight=1.0),
            Ballot(2, (1, 2), weight=0.5),
            Ballot(3, (3, 4), weight=1.0),
            Ballot(4, (2, 4), weight=1.0),
        ],
    )
    result = checked(inp)
    assert result.satisfaction.attendable_pairs == brute_force_best(inp)


def test_selection_follows_the_vote_and_ranks_the_waitlist():
    inp = conference([100, 50], 2, [talk(i) for i in range(1, 8)], ballots([1, 2, 3, 4, 5, 6, 7]))
    result = checked(inp)
    assert result.accepted_talk_ids == [1, 2, 3, 4]
    by_id = {d.talk_id: d for d in result.decisions}
    assert [by_id[t].waitlist_position for t in (5, 6, 7)] == [1, 2, 3]
    assert all(by_id[t].status == Status.WAITLISTED for t in (5, 6, 7))
    assert "rank 5 of 7" in by_id[5].why[0]
    assert not any(d.departs_from_vote for d in result.decisions)


def test_the_most_wanted_talk_gets_the_largest_room():
    inp = conference([30, 300], 1, [talk(1, audience=250), talk(2, rank=2, audience=20)])
    result = checked(inp)
    rooms = {p.talk_id: p.slot_id for p in result.placements}
    assert rooms == {1: 2, 2: 1}  # slot 2 is room 2, the 300-seat room
    assert result.satisfaction.overflow_people == 0
    assert "300 seats" in {d.talk_id: d for d in result.decisions}[1].where[0]


def test_speaker_availability_and_one_place_at_a_time():
    # speaker 7 can only speak in the second period; speaker 8 gives talks 2 and 3
    window = Availability(7, period_start(1), period_start(1) + dt.timedelta(hours=1))
    inp = conference(
        [100, 100],
        2,
        [talk(1, speakers=[7]), talk(2, speakers=[8]), talk(3, speakers=[8, 9]), talk(4)],
        ballots([1, 3], [2, 4], [1, 2, 3, 4]),
        availabilities=(window,),
    )
    result = checked(inp)
    slots = {p.talk_id: p.slot_id for p in result.placements}
    assert sorted(slots) == [1, 2, 3, 4]
    assert slots[1] in (3, 4)  # the second period's slots
    assert (slots[2] <= 2) != (slots[3] <= 2)  # never in the same period
    assert "fits only 1 of 2 periods" in " ".join({d.talk_id: d for d in result.decisions}[1].where)


def test_a_speaker_conflict_forces_a_departure_from_the_vote_and_says_so():
    # talks 1 and 2 share speaker 7, who can only speak in the second period: only one can be in
    window = Availability(7, period_start(1), period_start(1) + dt.timedelta(hours=1))
    inp = conference(
        [100, 100],
        2,
        [talk(1, speakers=[7]), talk(2, speakers=[7]), talk(3), talk(4), talk(5)],
        ballots([1, 2, 3, 4, 5]),
        availabilities=(window,),
    )
    result = checked(inp)
    assert result.accepted_talk_ids == [1, 3, 4, 5]
    left_out = {d.talk_id: d for d in result.decisions}[2]
    assert left_out.status == Status.WAITLISTED and left_out.departs_from_vote
    assert "speaker 7 already gives “Talk 1”" in " ".join(left_out.why)


def test_talks_that_fit_no_slot_are_rejected_with_the_reason():
    inp = conference([100], 2, [talk(1, minutes=90), talk(2)], ballots([1, 2]))
    result = checked(inp)
    rejected = {d.talk_id: d for d in result.decisions}[1]
    assert rejected.status == Status.REJECTED
    assert "lasts 90 minutes and the longest slot 45" in " ".join(rejected.why)
    assert result.accepted_talk_ids == [2]


def test_satisfaction_against_bounds_and_json():
    inp = conference([100, 50], 2, [talk(i) for i in range(1, 5)], ballots([1, 2, 3], [1, 4], [2, 3, 4]))
    data = checked(inp).to_json()
    assert data["accepted_talk_ids"] == [1, 2, 3, 4]
    sat = data["satisfaction"]
    assert sat["wanted_pairs"] == 8
    assert sat["upper_bound_pairs"] == 2 + 2 + 2  # nobody can see more than 2 talks in 2 periods
    assert sat["attendable_pairs"] <= sat["upper_bound_pairs"]
    assert set(data["baselines"]) == {"greedy", "vote_only"}
    import json

    assert json.loads(json.dumps(data)) == data
