"""The bounding rule: a bloc of k counts as max(k ** 0.25, its fair share) by default (a committee may choose
√k); confirm, dismiss; receipts name no one."""

import math
import random
import re

import numpy as np
import pytest

from apps.ballots.domain.blocs import (
    Bloc,
    BlocStatus,
    bloc_counts_as,
    bloc_discounts,
    bloc_explanation,
    bloc_multiplier,
    blocs_detect,
)
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.tally import discounts_align
from tests.ballots.test_blocs_cases import DAY, START, Case


def _bloc(
    k: int,
    *,
    fair: float = 0.4,
    weight: float | None = None,
    talk: int = 5,
    signals=("colleagues",),
    strength: float = 1.0,
):
    members = tuple(range(900_001, 900_001 + k))
    return Bloc(
        key=f"bloc-{k}-{talk}",
        talk_id=talk,
        direction="support",
        member_ids=members,
        weight=float(k) if weight is None else weight,
        fair_share=fair,
        signals=signals,
        evidence=(),
        p_value=1e-9,
        strength=strength,
    )


RULE = BlocRule()


def test_a_bloc_of_16_counts_as_2_voters_and_one_of_81_as_3():
    bloc = _bloc(16)
    assert bloc_counts_as(bloc, RULE) == pytest.approx(2.0)  # 16 ** 0.25 = 2 > 0.4
    assert bloc_multiplier(bloc, RULE) == pytest.approx(2 / 16)
    assert bloc_counts_as(_bloc(81), RULE) == pytest.approx(3.0)  # 81 ** 0.25 = 3
    assert bloc_multiplier(_bloc(81), RULE) == pytest.approx(1 / 27)


def test_a_committee_can_choose_the_square_root_bound():
    sqrt_rule = BlocRule.from_json({"bound_exponent": 0.5})
    assert bloc_counts_as(_bloc(25), sqrt_rule) == pytest.approx(5.0)  # √25 > 0.4
    assert bloc_multiplier(_bloc(25), sqrt_rule) == pytest.approx(0.2)
    assert bloc_counts_as(_bloc(25, fair=7.5), sqrt_rule) == pytest.approx(7.5)  # the fair share, above √25


def test_a_puppet_ring_counts_as_one_voter_or_its_fair_share():
    """Round 6: nearly identical ballots are one judgement, so a ring's bloc counts as max(k ** 0, fair
    share) = one voter; policies stored before (ring_exponent null) keep max(k ** bound_exponent, ...)."""
    ring = _bloc(16, signals=("burst", "similar"))
    assert bloc_counts_as(ring, RULE) == pytest.approx(1.0)
    assert bloc_multiplier(ring, RULE) == pytest.approx(1 / 16)
    assert bloc_counts_as(_bloc(16, fair=3.0, signals=("similar",)), RULE) == pytest.approx(3.0)
    assert bloc_counts_as(_bloc(16), RULE) == pytest.approx(2.0)  # not a ring: k ** 0.25
    stored = BlocRule.from_json({"ring_exponent": None})
    assert bloc_counts_as(ring, stored) == pytest.approx(2.0)
    # Confirming never loosens the bound: the stronger of the two exponents applies.
    assert bloc_counts_as(ring, BlocRule(confirmed_exponent=0.5), BlocStatus.CONFIRMED) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="ring_exponent must be null or in"):
        BlocRule.from_json({"ring_exponent": 2})


def test_the_allowance_above_the_fair_share_shrinks_as_the_evidence_grows():
    """Round 7: a detected bloc counts as max(k ** (0.25 / strength), fair share), strength being
    log p / log bar of its evidence; a confirmation (one voter or the fair share) is the floor."""
    assert bloc_counts_as(_bloc(16, strength=1.0), RULE) == pytest.approx(2.0)  # just passed: 16 ** 0.25
    assert bloc_counts_as(_bloc(16, strength=2.0), RULE) == pytest.approx(math.sqrt(2))  # 16 ** (1 / 8)
    assert bloc_counts_as(_bloc(16, strength=4.0), RULE) == pytest.approx(2**0.25)  # 16 ** (1 / 16)
    assert bloc_counts_as(_bloc(16, strength=1e6), RULE) == pytest.approx(1.0, rel=1e-5)
    assert bloc_counts_as(_bloc(16, strength=0.5), RULE) == pytest.approx(2.0)  # below 1 reads as 1
    assert bloc_counts_as(_bloc(16, fair=1.6, strength=4.0), RULE) == pytest.approx(1.6)  # fair share kept
    assert bloc_counts_as(_bloc(16, weight=8.0, strength=2.0), RULE) == pytest.approx(math.sqrt(2) * 0.5)
    counts = [bloc_counts_as(_bloc(40, strength=s), RULE) for s in (1.0, 1.5, 2.0, 3.0, 8.0, 50.0)]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 1.0
    # Confirming does not depend on the evidence, and the detected bound never goes below it.
    for strength in (1.0, 8.0):
        assert bloc_counts_as(_bloc(16, strength=strength), RULE, BlocStatus.CONFIRMED) == pytest.approx(1.0)
    loose = BlocRule(confirmed_exponent=0.2)
    assert bloc_counts_as(_bloc(16, strength=100.0), loose) == pytest.approx(16**0.2)
    # Policies stored before round 7 keep k ** 0.25 whatever the evidence.
    stored = BlocRule.from_json({"bound_by_evidence": False})
    assert bloc_counts_as(_bloc(16, strength=4.0), stored) == pytest.approx(2.0)
    assert RULE.to_json()["bound_by_evidence"] is True
    with pytest.raises(ValueError, match="bound_by_evidence must be true or false"):
        BlocRule.from_json({"bound_by_evidence": "yes"})


def test_a_blocs_strength_is_how_far_its_p_value_clears_the_bar_of_its_test():
    case, rng = Case(), random.Random(11)
    for v in range(1001, 1011):  # 10 people on one order give talk 5 the top score
        case.add_voter(v, order="RING7")
        for t in rng.sample(range(6, case.n_talks + 1), 8):
            case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
        case.vote(v, 5, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    rule = BlocRule(signals=("order",), error_control="familywise", test_count="voted")
    (bloc,) = [b for b in blocs_detect(data, rule).blocs if b.talk_id == 5]
    # The order family's tests under `test_count: voted` (the count before round 16): every (order,
    # talk) pair voted on, in each way tested (up from "want to see", the top score, down), so
    # Bonferroni's bar is alpha / that many.
    order = data.voter_order[data.vote_voter]
    pairs = 0
    for way in (data.vote_score >= 2, data.vote_score == 3, data.vote_score <= 0):
        chosen = (order >= 0) & way
        pairs += len(set(zip(order[chosen], data.vote_talk[chosen], strict=True)))
    strength = math.log(bloc.p_value) / math.log(rule.alpha / pairs)
    assert strength > 1.5
    assert bloc.strength == pytest.approx(strength, rel=1e-4)
    assert bloc_counts_as(bloc, rule) == pytest.approx(max(10 ** (0.25 / strength), bloc.fair_share), rel=1e-4)
    assert bloc_counts_as(bloc, rule) < bloc_counts_as(bloc, BlocRule(bound_by_evidence=False)) == 10**0.25


def test_a_big_groups_fair_share_is_kept():
    bloc = _bloc(16, fair=9.0)  # independent voting would have given 9 of the 16 anyway
    assert bloc_counts_as(bloc, RULE) == pytest.approx(9.0)
    assert bloc_multiplier(bloc, RULE) == pytest.approx(9 / 16)


def test_the_bound_never_adds_weight():
    assert bloc_multiplier(_bloc(3, fair=7.0), RULE) == 1.0  # fair share above the bloc's size
    assert bloc_multiplier(_bloc(2, fair=0.0), RULE) == pytest.approx(math.sqrt(math.sqrt(2)) / 2)  # 2 ** 0.25 of 2
    assert bloc_multiplier(_bloc(1, fair=0.0), RULE) == 1.0  # 1 ** 0.25 = 1: one voter is one voter


def test_pledgers_count_at_their_weight():
    bloc = _bloc(16, weight=8.0)  # sixteen pledgers at 0.5
    assert bloc_counts_as(bloc, RULE) == pytest.approx(2 * 0.5)  # 16 ** 0.25 voters of weight 0.5
    assert bloc_multiplier(bloc, RULE) == pytest.approx(1.0 / 8.0)  # 1 of their 8
    assert bloc_multiplier(_bloc(6, weight=0.0), RULE) == 1.0  # nothing to take from weightless votes


def test_confirmed_blocs_count_as_their_fair_share_and_dismissed_ones_in_full():
    bloc = _bloc(16, fair=0.4)
    assert bloc_counts_as(bloc, RULE, BlocStatus.CONFIRMED) == pytest.approx(1.0)  # max(16 ** 0, 0.4)
    assert bloc_multiplier(bloc, RULE, BlocStatus.CONFIRMED) == pytest.approx(1 / 16)
    assert bloc_multiplier(_bloc(16, fair=3.0), RULE, BlocStatus.CONFIRMED) == pytest.approx(3 / 16)
    assert bloc_multiplier(bloc, RULE, BlocStatus.DISMISSED) == 1.0
    stronger = BlocRule.from_json({"bound_exponent": 0.25, "confirmed_exponent": 0.5})
    assert bloc_multiplier(bloc, stronger) == pytest.approx(2 / 16)
    assert bloc_multiplier(bloc, stronger, BlocStatus.CONFIRMED) == pytest.approx(4 / 16)


def test_discounts_are_the_mapping_the_tally_takes_and_dismissing_restores_full_weight():
    up, down = _bloc(16, talk=5), _bloc(81, talk=6)
    down = Bloc(**{**down.__dict__, "direction": "oppose", "member_ids": tuple(range(800_001, 800_082))})
    discounts = bloc_discounts([up, down], RULE)
    mapping = discounts.mapping()
    assert len(mapping) == 97
    assert mapping[(900_001, 5)] == pytest.approx(0.125)  # 2 of 16
    assert mapping[(800_001, 6)] == pytest.approx(1 / 27)  # opposition bounded the same way: 3 of 81
    reasons = discounts.reason_mapping()
    assert reasons[(900_001, 5)].startswith("Your vote on this talk counted at 0.12 of its weight")
    assert reasons[(900_001, 5)].endswith("such a group counts as 2.0 voters.")

    dismissed = bloc_discounts([up, down], RULE, {up.key: "dismissed"})
    assert (900_001, 5) not in dismissed.mapping() and (800_001, 6) in dismissed.mapping()
    confirmed = bloc_discounts([up, down], RULE, {up.key: BlocStatus.CONFIRMED})
    assert confirmed.mapping()[(900_001, 5)] == pytest.approx(1 / 16)

    voters = np.array([900_001, 900_002, 123, 800_001], dtype=np.int64)
    talks = np.array([5, 5, 5, 6], dtype=np.int64)
    per_vote = discounts_align(voter_ids=voters, vote_talk_ids=talks, discounts=mapping)
    assert per_vote.tolist() == pytest.approx([0.125, 0.125, 1.0, 1 / 27])


def test_explanations_never_name_other_voters():
    case, rng = Case(), random.Random(12)
    emails = {}
    for v in range(700_001, 700_013):
        case.add_voter(v, order="ORDER-SECRET", domain="initech.example", company="Initech")
        emails[v] = f"person{v}@initech.example"
        for t in rng.sample(range(1, 41), 6):
            case.vote(v, t, rng.choice([0, 1, 2, 3]), START + rng.randrange(10 * DAY))
        case.vote(v, 40, 3, START + rng.randrange(10 * DAY))
    report = blocs_detect(case.build())
    (bloc,) = [b for b in report.blocs if b.talk_id == 40]
    discounts = bloc_discounts(report.blocs, report.rule)
    reasons = discounts.reason_mapping()
    for me in bloc.member_ids:
        reason = reasons[(me, 40)]
        others = [str(v) for v in bloc.member_ids if v != me]
        assert not set(re.findall(r"\d+", reason)) & set(others)
        assert "ORDER-SECRET" not in reason and "initech" not in reason.lower()
        assert not any(email in reason for email in emails.values())
    assert "group of 12" in reasons[(bloc.member_ids[0], 40)]


def test_explanation_words_follow_the_strongest_signal():
    text = bloc_explanation(_bloc(25, signals=("burst", "colleagues")), 0.2)
    assert text == (
        "Your vote on this talk counted at 0.20 of its weight because it is part of a group of 25 colleagues "
        "of the speaker who rated it up together; such a group counts as 5.0 voters."
    )
    assert "nearly identical ballots" in bloc_explanation(_bloc(4, signals=("similar",)), 0.5)
    confirmed = bloc_explanation(_bloc(25, signals=("order",)), 0.04, confirmed=True)
    assert "25 people who share a ticket order who rated it up together" in confirmed
    assert confirmed.endswith("such a group counts as 1.0 voters. The organizers reviewed the group and confirmed it.")


def test_the_rule_round_trips_through_the_policy_json_and_refuses_nonsense():
    rule = BlocRule.from_json({"min_members": 4, "signals": ["order", "burst"], "note": "committee, June"})
    data = rule.to_json()
    assert data["min_members"] == 4 and data["signals"] == ["order", "burst"] and data["note"] == "committee, June"
    assert BlocRule.from_json(data) == rule
    assert BlocRule.from_json({}) == BlocRule()
    with pytest.raises(ValueError, match="unknown signals"):
        BlocRule.from_json({"signals": ["astrology"]})
    with pytest.raises(ValueError, match="alpha"):
        BlocRule.from_json({"alpha": 2})


def test_a_vote_in_two_overlapping_blocs_takes_the_smaller_multiplier_and_that_blocs_reason():
    """Overlapping input (two blocs on one talk sharing voters): each vote is listed once, ordered by talk
    and voter, with the smallest multiplier of its blocs and that bloc's key and reason; between equal
    multipliers the first bloc listed keeps it."""
    small = Bloc(**{**_bloc(16, talk=5).__dict__, "key": "small", "member_ids": tuple(range(20, 4, -1))})
    large = Bloc(**{**_bloc(81, talk=5).__dict__, "key": "large", "member_ids": tuple(range(10, 91))})
    twin = Bloc(**{**_bloc(16, talk=5).__dict__, "key": "twin", "member_ids": tuple(range(1, 17))})
    other = Bloc(**{**_bloc(16, talk=4).__dict__, "key": "other", "member_ids": tuple(range(1, 17))})
    discounts = bloc_discounts([small, large, twin, other], RULE)
    pairs = list(zip(discounts.talk_ids.tolist(), discounts.voter_ids.tolist(), strict=True))
    assert pairs == sorted(set(pairs)) and len(pairs) == 16 + 90
    by_vote = dict(zip(pairs, zip(discounts.multipliers.tolist(), discounts.bloc_keys, strict=True), strict=True))
    m_small, m_large = bloc_multiplier(small, RULE), bloc_multiplier(large, RULE)
    assert m_large < m_small
    assert by_vote[(5, 12)] == (round(m_large, 6), "large")  # in all three: the large bloc's smaller multiplier
    assert by_vote[(5, 3)] == (round(m_small, 6), "twin")  # only in the twin
    assert by_vote[(5, 5)] == (round(m_small, 6), "small")  # small and twin tie: the first listed keeps it
    assert by_vote[(4, 5)] == (round(m_small, 6), "other")  # another talk is another vote
    reasons = dict(zip(pairs, discounts.reasons, strict=True))
    assert reasons[(5, 12)] == bloc_explanation(large, round(m_large, 6))
