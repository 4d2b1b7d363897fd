"""`discount_votes: pushing`: a bloc member's vote that does not move the talk the bloc's way keeps its
weight (bench/blocs_ranking_diag.py, held-out medium seed 1: honest colleagues rating a strong talk
"want to see" were discounted, which lifted the talk into the accepted top 10%). The default since
round 27; `all` discounts every member's vote, as before (tests/ballots/test_bloc_spared.py follows it
through the app)."""

import dataclasses
import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import PUSHING_MIN_OTHERS, Bloc, bloc_discounts, blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from tests.ballots.test_blocs_cases import DAY, START, Case

TALK = 5


def _strong_talk_with_an_order_bloc() -> tuple[Case, list[int], list[int]]:
    """Talk 5 is strong (60 outside voters rate it 2 or 3, mean about 2.6); twelve people on one order
    rate it up together, eight with the top score and four with "want to see" (2), below its level."""
    case, rng = Case(), random.Random(21)
    for v in range(2001, 2061):
        case.add_voter(v)
        for t in rng.sample(range(6, case.n_talks + 1), 6):
            case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
        case.vote(v, TALK, rng.choice([2, 3, 3]), START + rng.randrange(10 * DAY))
    top, want = list(range(3001, 3009)), list(range(3009, 3013))
    for v in top + want:
        case.add_voter(v, order="ORDER-9")
        for t in rng.sample(range(6, case.n_talks + 1), 6):
            case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
        case.vote(v, TALK, 3 if v in top else 2, START + rng.randrange(10 * DAY))
    return case, top, want


def _talk_mean(data, discounts) -> float:
    """The talk's class-weighted mean score with the discounts (what the tally's average moves with)."""
    mapping = discounts.mapping()
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    on = talks == TALK
    weight = data.voter_weight[data.vote_voter][on] * np.array([mapping.get((int(v), TALK), 1.0) for v in voters[on]])
    return float((weight * data.vote_score[on]).sum() / weight.sum())


def test_votes_below_the_talks_level_keep_their_weight_only_under_pushing():
    case, top, want = _strong_talk_with_an_order_bloc()
    data = case.build()
    rule_all = BlocRule.from_json({"signals": ["order"], "discount_votes": "all"})
    rule_pushing = BlocRule(signals=("order",))  # the default since round 27
    assert rule_pushing.discount_votes == "pushing" and rule_pushing.to_json()["discount_votes"] == "pushing"
    assert rule_all.discount_votes == "all" and rule_all.to_json()["discount_votes"] == "all"

    (before,) = [b for b in blocs_detect(data, rule_all).blocs if b.talk_id == TALK]
    (after,) = [b for b in blocs_detect(data, rule_pushing).blocs if b.talk_id == TALK]
    assert set(before.member_ids) == set(after.member_ids) == set(top + want)  # the same bloc, the same key
    assert before.key == after.key and before.not_pushing == ()
    assert after.not_pushing == tuple(want)  # 2 is below the other voters' mean of about 2.6

    old, new = bloc_discounts([before], rule_all), bloc_discounts([after], rule_pushing)
    m = old.mapping()[(top[0], TALK)]
    assert m < 1.0
    assert all(old.mapping()[(v, TALK)] == m for v in top + want)  # every member's vote discounted alike
    assert all(new.mapping()[(v, TALK)] == m for v in top)  # the pushing votes as before
    assert all((v, TALK) not in new.mapping() for v in want)  # the others count in full
    assert new.reason_mapping() == {k: r for k, r in old.reason_mapping().items() if k[0] in top}
    assert (want[0], TALK) in list(zip(new.voter_ids.tolist(), new.talk_ids.tolist(), strict=True))
    assert new.reasons[list(new.voter_ids).index(want[0])].startswith("Counted in full: your score is below")
    # Why: discounting the "want to see" votes raised the strong talk; counting them in full does not.
    assert _talk_mean(data, new) < _talk_mean(data, old)


def test_nobody_is_spared_on_a_talk_with_fewer_than_five_weighted_voters_outside_the_bloc():
    """With a handful of outside voters the talk's level is a few people's scores: whether a member's
    receipt lists their vote would tell them on which side of those scores their own lies."""
    rule = BlocRule(signals=("order",))
    for weighted, spared in ((PUSHING_MIN_OTHERS - 1, ()), (PUSHING_MIN_OTHERS, "want")):
        case, top, want = _strong_talk_with_an_order_bloc()
        # Every voter outside the order weighs nothing (no ticket, no pledge) except `weighted` of those
        # rating talk 5, who give it the top score: its level is 3, above the four members' "want to see".
        outside = sorted(v for (v, t) in case.votes if t == TALK and v not in top + want)
        for i, v in enumerate(outside):
            case.voters[v] = dataclasses.replace(case.voters[v], weight=1.0 if i < weighted else 0.0)
            if i < weighted:
                case.votes[(v, TALK)] = (3, case.votes[(v, TALK)][1])
        for v in set(case.voters) - set(outside) - set(top + want):
            case.voters[v] = dataclasses.replace(case.voters[v], weight=0.0)
        (bloc,) = [b for b in blocs_detect(case.build(), rule).blocs if b.talk_id == TALK]
        assert set(bloc.member_ids) == set(top + want)
        assert bloc.not_pushing == (tuple(want) if spared else ())


def test_an_opposition_blocs_votes_above_the_talks_level_keep_their_weight():
    members = tuple(range(900_001, 900_011))
    bloc = Bloc(
        key="down",
        talk_id=7,
        direction="oppose",
        member_ids=members,
        weight=10.0,
        fair_share=0.5,
        signals=("order",),
        evidence=(),
        p_value=1e-9,
        not_pushing=members[:3],
    )
    pushing = bloc_discounts([bloc], BlocRule(discount_votes="pushing")).mapping()
    every = bloc_discounts([bloc], BlocRule(discount_votes="all")).mapping()
    assert len(every) == 10 and len(pushing) == 7
    assert all(pushing[(v, 7)] == pytest.approx(every[(v, 7)]) for v in members[3:])
    reasons = bloc_discounts([bloc], BlocRule(discount_votes="pushing")).reasons
    assert reasons[0].startswith("Counted in full: your score is above")
    # A dismissed bloc counts in full for everyone, with the dismissal's words.
    dismissed = bloc_discounts([bloc], BlocRule(discount_votes="pushing"), {"down": "dismissed"})
    assert not dismissed.mapping() and set(dismissed.reasons) == {
        "Counted in full: the group was reviewed and dismissed."
    }


def test_discount_votes_takes_one_of_two_words():
    with pytest.raises(ValueError, match="discount_votes must be one of"):
        BlocRule.from_json({"discount_votes": "some"})
