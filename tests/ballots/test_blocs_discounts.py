"""The bounding rule: a bloc of k counts as max(√k, its fair share); confirm, dismiss; receipts name no one."""

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


def _bloc(k: int, *, fair: float = 0.4, weight: float | None = None, talk: int = 5, signals=("colleagues",)):
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
    )


RULE = BlocRule()


def test_a_bloc_of_25_counts_as_5_voters():
    bloc = _bloc(25)
    assert bloc_counts_as(bloc, RULE) == pytest.approx(5.0)  # √25 > 0.4
    assert bloc_multiplier(bloc, RULE) == pytest.approx(0.2)


def test_a_big_groups_fair_share_is_kept():
    bloc = _bloc(16, fair=9.0)  # independent voting would have given 9 of the 16 anyway
    assert bloc_counts_as(bloc, RULE) == pytest.approx(9.0)
    assert bloc_multiplier(bloc, RULE) == pytest.approx(9 / 16)


def test_the_bound_never_adds_weight():
    assert bloc_multiplier(_bloc(3, fair=7.0), RULE) == 1.0  # fair share above the bloc's size
    assert bloc_multiplier(_bloc(2, fair=0.0), RULE) == pytest.approx(math.sqrt(2) / 2)


def test_pledgers_count_at_their_weight():
    bloc = _bloc(16, weight=8.0)  # sixteen pledgers at 0.5
    assert bloc_counts_as(bloc, RULE) == pytest.approx(4 * 0.5)
    assert bloc_multiplier(bloc, RULE) == pytest.approx(0.25)
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
    up, down = _bloc(25, talk=5), _bloc(9, talk=6)
    down = Bloc(**{**down.__dict__, "direction": "oppose", "member_ids": tuple(range(800_001, 800_010))})
    discounts = bloc_discounts([up, down], RULE)
    mapping = discounts.mapping()
    assert len(mapping) == 34
    assert mapping[(900_001, 5)] == pytest.approx(0.2)
    assert mapping[(800_001, 6)] == pytest.approx(1 / 3)  # opposition bounded the same way: √9 of 9
    reasons = discounts.reason_mapping()
    assert reasons[(900_001, 5)].startswith("Your vote on this talk counted at 0.20 of its weight")

    dismissed = bloc_discounts([up, down], RULE, {up.key: "dismissed"})
    assert (900_001, 5) not in dismissed.mapping() and (800_001, 6) in dismissed.mapping()
    confirmed = bloc_discounts([up, down], RULE, {up.key: BlocStatus.CONFIRMED})
    assert confirmed.mapping()[(900_001, 5)] == pytest.approx(1 / 25)

    voters = np.array([900_001, 900_002, 123, 800_001], dtype=np.int64)
    talks = np.array([5, 5, 5, 6], dtype=np.int64)
    per_vote = discounts_align(voter_ids=voters, vote_talk_ids=talks, discounts=mapping)
    assert per_vote.tolist() == pytest.approx([0.2, 0.2, 1.0, 1 / 3])


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
