"""Round 8 (docs/blocs.md): puppet rings judged over every account. Under `rings: everyone` a ring's
count at each level is over every account holding that many of its common ballot's ratings (the
population the prediction is about), copies that varied more join while there are more of them than
chance puts there, and the common ballot is what half of the members, as found, rated alike.
`rings: candidates` (policies stored before round 8) counts the accounts hashing put together."""

import random

import numpy as np
import pytest
from scipy.stats import poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import ring_level
from tests.ballots.test_blocs_cases import DAY, START, Case

BALLOT = {12: 2, 13: 1, 14: 2, 15: 1, 16: 2, 17: 1}  # ordinary middle scores on six talks


def _ring(n_copies: int, n_varied: int, ratings: int):
    """Honest background (300 voters rating `ratings` of 40 talks each) and a ring of weightless
    accounts casting BALLOT: `n_copies` exactly, `n_varied` with one score changed (each a different
    talk, in turn)."""
    case, rng = Case(ratings=ratings), random.Random(9)
    talks = sorted(BALLOT)
    for i in range(n_copies + n_varied):
        v = 1001 + i
        case.add_voter(v, weight=0.0)
        mine = dict(BALLOT)
        if i >= n_copies:
            t = talks[i % len(talks)]
            mine[t] = (mine[t] + 2) % 4
        when = START + rng.randrange(10 * DAY)
        for t, s in mine.items():
            case.vote(v, t, s, when + 30 * t)
    return case.build()


def _ring_members(data, rule: BlocRule) -> set[int]:
    return {v for b in blocs_detect(data, rule).blocs if "similar" in b.signals for v in b.member_ids}


def test_the_level_steps_down_while_the_accounts_there_are_more_than_chance():
    # Levels 2..6; accounts expected to hold at least that many of the ratings by chance.
    levels = np.arange(2, 7)
    expected_at = np.array([50.0, 5.0, 0.3, 0.01, 0.0001])
    # Exactly 5: 0.0099 expected. Exactly 4: 0.29 expected. Exactly 3: 4.7 expected.
    held = np.array([6] * 8 + [5] * 7 + [4] * 2 + [3] * 10 + [2] * 40)
    rule = BlocRule()
    bar = 0.01 / 5
    # Seven at 5 against 0.0099: admitted. Two at 4 against 0.29: p = 0.035 > 0.002, the list stops.
    assert poisson.sf(1, 0.29) == pytest.approx(0.035, abs=1e-3) and poisson.sf(1, 0.29) > bar
    assert ring_level(held, expected_at, levels, 6, rule, n_rings=1) == 5
    # Six at 4 (p = 6e-7): admitted; then ten at 3 are fewer than 3 × 4.7: the list stops at 4.
    held = np.array([6] * 8 + [5] * 7 + [4] * 6 + [3] * 10 + [2] * 40)
    assert ring_level(held, expected_at, levels, 6, rule, n_rings=1) == 4
    # A miss stops the list even when a lower level would pass: nobody holds exactly 5.
    held = np.array([6] * 8 + [4] * 6)
    assert ring_level(held, expected_at, levels, 6, rule, n_rings=1) == 6


OWN = BlocRule(ring_null="own")  # counted by shared ratings, as in round 8 (round 11 counts by rarity)


def test_copies_that_changed_one_score_join_when_there_are_many_of_them():
    data = _ring(6, 6, ratings=16)
    assert _ring_members(data, OWN) == set(range(1001, 1013))
    # Counted among the candidates, holding five of the six ratings is not rare enough to join.
    assert _ring_members(data, BlocRule(rings="candidates", ring_null="own")) == set(range(1001, 1007))
    # Round 11: for an account of six ratings, holding five of the six is rare (honest accounts rate
    # sixteen), so the varied copies join also counted among the candidates.
    assert _ring_members(data, BlocRule()) == set(range(1001, 1013))
    assert _ring_members(data, BlocRule(rings="candidates")) == set(range(1001, 1013))


def test_a_few_copies_that_changed_a_score_join_only_when_rare_for_their_kind():
    data = _ring(4, 4, ratings=20)
    assert _ring_members(data, OWN) == set(range(1001, 1005))
    # Round 11 counts each account by how rare its holding is for its kind: five of six is common for
    # the honest accounts rating twenty talks, rare for a six-rating account — the four varied copies
    # are puppets, and join.
    assert _ring_members(data, BlocRule()) == set(range(1001, 1009))


def test_a_ring_is_counted_over_every_account_holding_its_ratings():
    """Four exact copies and eight varied ones among heavy honest voters: counted among the accounts
    hashing put together the ring is not established; counted over every account holding its
    ratings, as the prediction is, it is, and all twelve are in it."""
    data = _ring(4, 8, ratings=20)
    assert _ring_members(data, BlocRule(rings="candidates", ring_null="own")) == set()
    assert _ring_members(data, OWN) == set(range(1001, 1013))
    assert _ring_members(data, BlocRule()) == set(range(1001, 1013))


def test_each_talk_of_the_common_ballot_has_one_bloc():
    """Ten copies of one ballot; half rate talk 12 'must see', half 'maybe'. Hashing puts them in
    candidate rings whose common ballots differ on talk 12; counted among the candidates each ring
    bounds talk 12 its own way (two blocs of the same ten votes). As found, the ring's common ballot
    is what half of all ten rated alike, and talk 12 has one bloc."""
    ballot = {12: 3, 13: 0, 14: 3, 15: 0, 16: 3, 17: 0, 18: 3, 19: 0}
    case, rng = Case(), random.Random(0)
    for i in range(10):
        case.add_voter(1001 + i, weight=0.0)
        when = START + rng.randrange(10 * DAY)
        for t, s in {**ballot, 12: 3 if i % 2 else 1}.items():
            case.vote(1001 + i, t, s, when + 30 * t)
    data = case.build()
    for rule, on_talk_12 in ((BlocRule(), 1), (BlocRule(rings="candidates"), 2)):
        blocs = [b for b in blocs_detect(data, rule).blocs if "similar" in b.signals]
        assert sorted({b.talk_id for b in blocs}) == sorted(ballot)
        assert sum(b.talk_id == 12 for b in blocs) == on_talk_12
        assert all(set(b.member_ids) == set(range(1001, 1011)) for b in blocs)


@pytest.mark.parametrize("ratings", [16, 20])
def test_heavy_honest_voters_alone_form_no_ring(ratings):
    for seed in range(5):
        assert blocs_detect(Case(ratings=ratings, seed=seed).build()).blocs == ()


def test_the_rings_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().rings == "everyone"
    assert BlocRule.from_json({"rings": "candidates"}).to_json()["rings"] == "candidates"
    with pytest.raises(ValueError, match="rings must be one of"):
        BlocRule.from_json({"rings": "all"})
