"""Round 31 (docs/blocs.md): `lone_votes: tested`. People rate talks in sittings; someone asked to vote
for one talk opens it, rates it and leaves. A campaign spread over most of a day by voters who
otherwise vote normally hides in the talk's honest traffic for the burst test, but among the votes
cast alone (no other vote by the voter within half an hour) it stands out. "ignored" is the default
(the rule before); "tested" is an option."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_lone import LONE_MINUTES, lone_votes
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

CALLED, LIKED = 5, 6
# The lone-vote family's guards as they were before round 38 made them the default (familywise bar, 8 votes,
# local share, conditional test): the tests of rounds 31-37 name them, so they test what they were written for.
BEFORE_ROUND_38 = {
    "lone_control": "error_control",
    "lone_min_votes": None,
    "lone_share": "whole",
    "lone_test": "poisson",
}
LONE = {"lone_votes": "tested", **BEFORE_ROUND_38}


def _sittings():
    """1,200 background voters rating 8 of 40 talks: 1,140 of them in one sitting each (a vote every 30
    to 90 seconds from a random start over ten days), 60 one vote at a time at random hours (so lone
    votes exist all week, on every talk). Then two crowds of 24 more voters, each with 12 ratings of other
    talks in sittings of their own days later: the first is asked to rate talk 5 and does so alone,
    one every two hours over two days (a village's call); the second rates talk 6 at the same hours, but
    each within a sitting of their own, a minute after rating another talk (people who like it)."""
    case, rng = Case(n_voters=1200), random.Random(31)
    by_voter: dict[int, list[int]] = {}
    for v, t in case.votes:
        by_voter.setdefault(v, []).append(t)
    for v, talks in by_voter.items():
        at = START + rng.randrange(10 * DAY)
        for t in talks:
            score = case.votes[(v, t)][0]
            if v % 20 == 0:  # one vote at a time
                case.votes[(v, t)] = (score, START + rng.randrange(10 * DAY))
            else:
                case.votes[(v, t)] = (score, at)
                at += rng.randrange(30, 90)
    crowds = {}
    others = [t for t in range(1, case.n_talks + 1) if t not in (CALLED, LIKED)]
    for talk, first in ((CALLED, 7001), (LIKED, 8001)):
        crowd = list(range(first, first + 24))
        for i, v in enumerate(crowd):
            case.add_voter(v)
            sitting = START + (7 + i % 3) * DAY + rng.randrange(DAY)
            picks = rng.sample(others, 12)
            for j, t in enumerate(picks):
                case.vote(v, t, rng.choice([1, 2, 2, 3]), sitting + 60 * j)
            when = START + 4 * DAY + 2 * i * HOUR + rng.randrange(2 * HOUR)
            case.vote(v, talk, 2, when)  # 'want to see', not the top score
            if talk == LIKED:  # inside a short sitting of its own
                case.vote(v, rng.choice([t for t in others if t not in picks]), rng.choice([1, 2, 3]), when - 60)
        crowds[talk] = crowd
    return case, crowds


def test_a_call_answered_alone_over_a_day_is_found_with_readable_evidence():
    case, crowds = _sittings()
    data = case.build()
    before = blocs_detect(data, BlocRule.from_json({"lone_votes": "ignored"}))
    assert [b for b in _blocs_on(before, CALLED) if b.direction == "support"] == []
    after = blocs_detect(data, BlocRule.from_json(LONE))
    (bloc,) = [b for b in _blocs_on(after, CALLED) if b.direction == "support"]
    assert set(crowds[CALLED]) <= set(bloc.member_ids)
    assert bloc.signals == ("burst",)
    sentence = bloc.evidence[0].sentence
    assert f"each cast with no other vote by its voter within {LONE_MINUTES} minutes" in sentence
    assert "expected from the talk's share of such votes and site-wide such votes at that time" in sentence


def test_an_equally_large_crowd_rating_it_within_their_sittings_is_not_found():
    case, crowds = _sittings()
    data = case.build()
    rule = BlocRule.from_json(LONE)
    assert [b for b in _blocs_on(blocs_detect(data, rule), LIKED) if b.direction == "support"] == []
    _, findings = findings_collect(data, rule)
    assert not [f for f in findings if int(data.talk_ids[f.talk]) == LIKED and f.lone_minutes]
    assert set(crowds[LIKED]) <= set(data.voter_ids.tolist())


def test_a_vote_is_lone_when_its_voter_cast_no_other_within_half_an_hour_either_side():
    case = Case(n_voters=0)
    case.add_voter(1)
    case.add_voter(2)
    for t, at in ((1, 0), (2, 30 * 60), (3, 61 * 60 + 1), (4, 10 * HOUR)):
        case.vote(1, t, 2, START + at)
    case.vote(2, 5, 2, START + 31 * 60)
    data = case.build()
    lone = {(int(data.voter_ids[v]), int(data.talk_ids[t])): bool(x)
            for v, t, x in zip(data.vote_voter, data.vote_talk, lone_votes(data), strict=True)}  # fmt: skip
    # 0 and 30 min are together (exactly half an hour apart), 61 min is alone, 10 h alone; voter 2's one
    # vote is alone though voter 1 voted a minute before it.
    assert lone == {(1, 1): False, (1, 2): False, (1, 3): True, (1, 4): True, (2, 5): True}


def test_the_lone_test_is_deterministic_whatever_the_order_of_the_input():
    case, _ = _sittings()
    rule = BlocRule.from_json(LONE)
    first = blocs_detect(case.build(), rule)
    for seed in (1, 2):
        assert blocs_detect(case.shuffled(seed).build(), rule).blocs == first.blocs


def test_the_key_is_validated_and_isolated_by_default():
    assert BlocRule().lone_votes == "isolated"  # round 38; "ignored" before
    assert BlocRule.from_json(LONE).to_json()["lone_votes"] == "tested"
    with pytest.raises(ValueError, match="lone_votes must be one of"):
        BlocRule.from_json({"lone_votes": "sometimes"})
