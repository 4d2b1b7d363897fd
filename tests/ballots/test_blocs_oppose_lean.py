"""Round 28 (docs/blocs.md): `oppose_lean: tested`. The group tests compare a group's down votes on a
talk with its share of all votes; a company's staff who rate a rival's strong talk down are few
beside the many votes their company casts, so they stay under the bar. The lean test compares them
with the talk's other raters instead: of the organisation's voters who rated the talk, how many gave
it a low score, against the share of everyone else who did. "tested" is the default since round 28;
"ignored" is the rule before (migration 0029 pins it in stored policies)."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_lean import low_max_score
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, START, Case

STRONG, WEAK = 5, 6
LEAN = {"oppose_lean": "tested"}


def _staff(case: Case, first: int, n: int, domain: str, company: str, rng: random.Random) -> list[int]:
    """n voters of one company, each with twelve ordinary ratings of talks other than the two the test
    is about: a company that votes a lot."""
    ids = list(range(first, first + n))
    for v in ids:
        case.add_voter(v, domain=domain, company=company)
        for t in rng.sample([t for t in range(1, case.n_talks + 1) if t not in (STRONG, WEAK)], 12):
            case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
    return ids


def _rival_and_critics():
    """Talk 5 is strong: its background raters rate it up, but for one 0. Four of the sixty voters of
    RivalCo rate it 0, each on another day of the week. Talk 6 is weak: its background rates it 0 or
    1 in turn. Four of the sixty voters of HonestCo, who dislike it like everyone else, rate it 0 over
    the week too."""
    case, rng = Case(), random.Random(28)
    for (v, t), (_, at) in list(case.votes.items()):
        if t == STRONG:
            case.votes[(v, t)] = (2 + v % 2, at)
        elif t == WEAK:
            case.votes[(v, t)] = (v % 2, at)
    down = next(k for k in case.votes if k[1] == STRONG)
    case.votes[down] = (0, case.votes[down][1])
    rivals = _staff(case, 5001, 60, "rivalco.example", "RivalCo", rng)
    critics = _staff(case, 6001, 60, "honestco.example", "HonestCo", rng)
    for day, v in enumerate(rivals[:4]):
        case.vote(v, STRONG, 0, START + 2 * day * DAY + rng.randrange(8 * 3600))
    for day, v in enumerate(critics[:4]):
        case.vote(v, WEAK, 0, START + 2 * day * DAY + rng.randrange(8 * 3600))
    return case, rivals[:4], critics[:4]


def test_a_company_rating_a_rivals_strong_talk_down_over_the_week_is_found_with_readable_evidence():
    case, rivals, _ = _rival_and_critics()
    data = case.build()
    before = blocs_detect(data, BlocRule.from_json({"oppose_lean": "ignored"}))
    assert [b for b in _blocs_on(before, STRONG) if b.direction == "oppose"] == []
    after = blocs_detect(data, BlocRule.from_json(LEAN))
    (bloc,) = [b for b in _blocs_on(after, STRONG) if b.direction == "oppose"]
    assert bloc.member_ids == tuple(rivals)
    assert bloc.signals == ("affiliation",)
    (evidence,) = bloc.evidence
    # Four of RivalCo's four raters of the talk gave it 0; of its other raters, one did: the tail is
    # (1.5 / (others + 1)) ** 4. The bloc's prediction is the group test's: RivalCo's 724 votes times the
    # talk's share of 0s among everyone else's votes (half a vote added, half a vote per talk).
    others = sum(1 for (v, t) in case.votes if t == STRONG) - 4
    q = 1.5 / (others + 1)
    predicted = 724 * 1.5 / (len(case.votes) - 724 + 0.5 * case.n_talks)
    assert evidence.observed == 4 and evidence.expected == pytest.approx(round(predicted, 6))
    assert bloc.fair_share == pytest.approx(round(predicted, 6))
    assert evidence.p_value == pytest.approx(q**4)
    assert evidence.sentence.startswith(
        f"4 of the 4 voters from rivalco (rivalco.example) who rated this talk gave it 'not interested' or lower, "
        f"against 1 of its {others} other raters (p = "
    )
    assert evidence.sentence.endswith(" expected from the votes of rivalco (rivalco.example) on every talk.")


def test_an_equally_large_company_that_dislikes_a_weak_talk_like_everyone_else_is_not_found():
    case, _, critics = _rival_and_critics()
    data = case.build()
    rule = BlocRule.from_json(LEAN)
    assert [b for b in _blocs_on(blocs_detect(data, rule), WEAK) if b.direction == "oppose"] == []
    # The lean test does not even come close: half the talk's other raters gave it 0 too.
    _, findings = findings_collect(data, rule)
    assert not [f for f in findings if int(data.talk_ids[f.talk]) == WEAK and f.raters]
    assert set(critics) <= set(data.voter_ids.tolist())


def test_the_lean_test_is_deterministic_whatever_the_order_of_the_input():
    case, _, _ = _rival_and_critics()
    rule = BlocRule.from_json(LEAN)
    first = blocs_detect(case.build(), rule)
    for seed in (1, 2):
        assert blocs_detect(case.shuffled(seed).build(), rule).blocs == first.blocs


def test_low_scores_are_the_lowest_quarter_of_the_scale_and_the_key_is_validated():
    from apps.ballots.domain.blocs_input import VoteScale
    from apps.ballots.domain.blocs_signals import context_build

    case, _, _ = _rival_and_critics()
    data = case.build()
    rule = BlocRule.from_json(LEAN)
    assert low_max_score(context_build(data, rule)) == 0  # 0-3: the lowest score only
    from dataclasses import replace

    five = replace(data, scale=VoteScale(1, 5, 4, ("1", "2", "3", "4", "5")), vote_score=data.vote_score + 1)
    assert low_max_score(context_build(five, rule)) == 2  # 1-5 stars: one and two
    assert np.all(five.vote_score >= 1)
    assert BlocRule().oppose_lean == "tested"
    assert BlocRule.from_json(LEAN).to_json()["oppose_lean"] == "tested"
    with pytest.raises(ValueError, match="oppose_lean must be one of"):
        BlocRule.from_json({"oppose_lean": "sometimes"})
