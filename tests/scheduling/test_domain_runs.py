"""Runs as a whole: deterministic, stable under a small change, within budget, cancellable."""

import dataclasses
import random
import time

from apps.scheduling.domain.engine import schedule_propose
from apps.scheduling.domain.model import Ballot, Outcome, Parameters, Placement
from tests.scheduling.test_domain_engine import checked, conference, talk


def random_conference(seed: int, talks: int = 24, rooms: int = 3, periods: int = 8, voters: int = 300):
    """A small conference with topical ballots (voters favour one track), made from `seed`."""
    rng = random.Random(seed)
    tracks = ["web", "data", "core", "ops"]
    talk_list = [
        talk(i, audience=rng.randint(5, 120), track=tracks[i % 4], speakers=[1000 + rng.randint(1, talks - 3)])
        for i in range(1, talks + 1)
    ]
    ballots = []
    for v in range(voters):
        favourite = tracks[v % 4]
        pool = [t.id for t in talk_list if t.track == favourite] * 3 + [t.id for t in talk_list]
        ballots.append(Ballot(v + 1, tuple(sorted(set(rng.sample(pool, rng.randint(2, 8)))))))
    return conference([150, 80, 40][:rooms], periods, talk_list, ballots)


PARAMS = Parameters(time_limit_seconds=30, search_rounds=8, seed=3)


def test_same_input_and_seed_give_the_same_schedule():
    inp = random_conference(1)
    first = checked(inp, PARAMS).to_json()
    second = checked(inp, PARAMS).to_json()
    for data in (first, second):
        for phase in data["phases"]:
            phase["seconds"] = 0  # the only thing allowed to differ
    assert first == second


def test_every_schedule_on_random_conferences_is_valid_and_beats_greedy():
    for seed in range(4):
        result = checked(random_conference(seed), PARAMS)
        assert result.outcome in (Outcome.FEASIBLE, Outcome.OPTIMAL)
        greedy = dict(result.baselines)["greedy"]
        assert result.satisfaction.attendable_pairs >= greedy.attendable_pairs
        assert result.satisfaction.attendable_pairs <= result.attendance_bound <= result.satisfaction.upper_bound_pairs


def test_a_small_change_moves_few_already_placed_talks():
    inp = random_conference(7)
    before = checked(inp, PARAMS)
    previous = tuple(Placement(p.talk_id, p.slot_id) for p in before.placements)
    # one talk's audience estimate changes a little, and two more people vote
    talks = tuple(
        dataclasses.replace(t, expected_audience=t.expected_audience + 3) if t.id == 5 else t for t in inp.talks
    )
    changed = dataclasses.replace(inp, talks=talks, ballots=(*inp.ballots, Ballot(9001, (1, 2)), Ballot(9002, (3, 4))))
    warm = checked(dataclasses.replace(changed, previous=previous), PARAMS)
    cold = checked(changed, dataclasses.replace(PARAMS, seed=11))
    assert warm.moved_from_previous <= 3
    assert warm.moved_from_previous < sum(
        1 for p in cold.placements if p not in set(previous)
    )  # a fresh run moves far more
    assert warm.satisfaction.attendable_pairs >= 0.97 * cold.satisfaction.attendable_pairs


def test_the_wall_clock_budget_is_respected():
    inp = random_conference(2, talks=90, rooms=3, periods=30, voters=3000)
    started = time.monotonic()
    result = checked(inp, Parameters(time_limit_seconds=2.0, search_rounds=10_000))
    assert time.monotonic() - started < 2.0 + 8.0  # generous slack for the checks, report and a loaded machine
    assert len(result.accepted_talk_ids) == 90
    assert result.phases[-2].stopped_by in ("wall clock", "converged")


def test_cancel_stops_the_run_and_progress_is_reported():
    inp = random_conference(3, talks=60, rooms=3, periods=20, voters=2000)
    seen: list[tuple[str, int]] = []
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    result = schedule_propose(
        inp, Parameters(time_limit_seconds=60, search_rounds=10_000), progress=lambda *a: seen.append(a), cancel=cancel
    )
    assert result.outcome == Outcome.CANCELLED
    assert result.phases[-2].stopped_by == "cancelled"
    assert len(result.accepted_talk_ids) == 60  # the best schedule so far is still returned
    assert seen[0] == ("checks", 0) and seen[-1] == ("done", 100)
    assert all(0 <= percent <= 100 for _, percent in seen)
