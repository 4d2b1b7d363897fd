"""Round 22 (docs/blocs.md): what a recorded promotion explains is not evidence of coordination in any
test. The votes on a promoted talk cast in the `promotion_hours` after its promotion are left out of
the puppet-ring (`similar`) and account-creation (`joined`) tests, as round 20 left the windows over
them out of the burst tests. A newsletter's readers who sign up as it arrives and rate the talks it
features are then no ring and no batch of accounts; the same crowd without the recorded newsletter
is; a ring on talks nobody promoted is found as before."""

import random
from dataclasses import replace

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import promotion_explained
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

FEATURED = (1, 2, 3, 4, 5)
NEWS = START + 3 * DAY + 7 * HOUR  # the newsletter goes out on day 3 at 10:00 UTC
READERS = tuple(range(3001, 3041))
RING = tuple(range(4001, 4009))
RING_BALLOT = {12: 2, 13: 1, 14: 2, 15: 1, 16: 2, 17: 1}


def _conference(*, recorded: bool, ring: bool = False, also_promoted: tuple[int, ...] = (), seed: int = 11):
    """The honest background (300 voters rating 8 of 40 talks, accounts made in the two years before)
    and 40 newsletter readers: each signs up between 20 minutes before the recorded sending time and
    two hours after it (a mail arrives when it arrives) and within the next three hours rates four or
    five of the featured talks up and one other talk by taste. `recorded`: the organizers recorded
    the newsletter as a promotion of the featured talks. `ring`: also eight weightless copies of one
    ballot of six talks nobody promoted, cast during the newsletter's hours; `also_promoted`: talks the
    newsletter featured besides, e.g. one of the ring's."""
    case, rng = Case(seed=seed), random.Random(seed + 100)
    for v, facts in list(case.voters.items()):
        case.voters[v] = replace(facts, joined_at=START - rng.randrange(1, 730 * DAY))
    for v in READERS:
        case.add_voter(v, weight=0.5)
        made = NEWS - 20 * 60 + rng.randrange(140 * 60)
        case.voters[v] = replace(case.voters[v], joined_at=made)
        at = max(made, NEWS) + rng.randrange(60, 3 * HOUR)
        for t in rng.sample(FEATURED, rng.choice((4, 5))):
            at += rng.randrange(20, 90)
            case.vote(v, t, rng.choice((2, 3, 3)), at)
        case.vote(v, rng.randrange(6, case.n_talks + 1), rng.choice((0, 1, 2, 3)), at + 60)
    if ring:
        for v in RING:
            case.add_voter(v, weight=0.0)
            when = NEWS + rng.randrange(3 * HOUR)
            for t, s in RING_BALLOT.items():
                case.vote(v, t, s, when + 30 * t)
    if recorded:
        for t in FEATURED + also_promoted:
            case.talks[t] = replace(case.talks[t], promoted_at=(NEWS,))
    return case.build()


def _flagged(report, signal: str) -> set[int]:
    """The readers in a bloc that `signal` found."""
    return {m for b in report.blocs if signal in b.signals for m in b.member_ids if m in READERS}


def test_the_crowd_without_a_recorded_promotion_is_a_ring_and_a_batch_of_accounts():
    """Under the ring test alone (`ring_score_null: none`, the rule of round 22) the readers are a ring;
    they score the featured talks each by their own taste, so under the default, which asks a ring to
    repeat scores too, they are not — but still a batch of accounts."""
    report = blocs_detect(_conference(recorded=False), BlocRule(ring_score_null="none"))
    assert len(_flagged(report, "similar")) >= 20
    assert len(_flagged(report, "joined")) >= 20
    assert {b.talk_id for b in report.blocs if "similar" in b.signals} <= set(FEATURED)
    default = blocs_detect(_conference(recorded=False))
    assert _flagged(default, "similar") == set()
    assert len(_flagged(default, "joined")) >= 20


def test_the_same_crowd_reacting_to_a_recorded_promotion_is_not_flagged():
    report = blocs_detect(_conference(recorded=True))
    assert _flagged(report, "similar") == set()
    assert _flagged(report, "joined") == set()
    assert _flagged(report, "burst") == set()  # round 20


def _found(report):
    """What a report found, without its sentences (a burst's names the promotion even at 0 hours)."""
    return [(b.talk_id, b.direction, b.member_ids, b.signals, b.p_value) for b in report.blocs]


def test_zero_promotion_hours_keeps_the_rule_before():
    off = BlocRule(promotion_hours=0)
    before = _found(blocs_detect(_conference(recorded=False), off))
    assert _found(blocs_detect(_conference(recorded=True), off)) == before
    assert _found(blocs_detect(_conference(recorded=False))) == before


def test_a_ring_on_talks_nobody_promoted_is_still_found_in_the_promotion_hours():
    report = blocs_detect(_conference(recorded=True, ring=True))
    ring_blocs = [b for b in report.blocs if "similar" in b.signals and set(b.member_ids) & set(RING)]
    assert {b.talk_id for b in ring_blocs} == set(RING_BALLOT)
    assert all(set(b.member_ids) == set(RING) for b in ring_blocs)
    assert _flagged(report, "similar") == set()


def test_a_ring_that_also_rides_on_the_promotion_keeps_its_other_talks():
    # The known cost: a ring's votes on a promoted talk in the promotion hours are explained like
    # everyone's, so that talk leaves the ring's blocs; its talks nobody promoted stay.
    report = blocs_detect(_conference(recorded=True, ring=True, also_promoted=(12,)))
    ring_blocs = [b for b in report.blocs if "similar" in b.signals and set(b.member_ids) & set(RING)]
    assert {b.talk_id for b in ring_blocs} == set(RING_BALLOT) - {12}
    assert all(set(b.member_ids) == set(RING) for b in ring_blocs)


def test_a_vote_is_explained_from_the_promotion_for_promotion_hours():
    data = _conference(recorded=True)
    talk = data.vote_talk[0]
    p = START + 5 * DAY
    at = np.array([p - 1, p, p + 24 * HOUR - 1, p + 24 * HOUR, p + 3 * DAY])
    probe = replace(
        data,
        vote_voter=np.zeros(len(at), dtype=data.vote_voter.dtype),
        vote_talk=np.array([talk] * 4 + [talk + 1], dtype=data.vote_talk.dtype),
        vote_score=np.full(len(at), 3, dtype=data.vote_score.dtype),
        vote_at=at,
        talk_promoted=np.array([[talk, p - 10 * DAY], [talk, p], [talk + 1, p - HOUR]], dtype=np.int64),
    )
    assert promotion_explained(probe, 24).tolist() == [False, True, True, False, False]
    assert promotion_explained(probe, 72).tolist() == [False, True, True, True, False]
    assert not promotion_explained(probe, 0).any()


def test_promotions_explaining_bursts_only_is_the_round_20_rule():
    """`promotions_explain: bursts` (stored policies, migration 0022): the readers are a ring as when
    nothing was recorded, and the burst windows stay explained (so do the accounts made in the
    promotion hours, on the creation-time axis of round 20)."""
    bursts_only = BlocRule(promotions_explain="bursts", ring_score_null="none")  # the ring test of round 22
    report = blocs_detect(_conference(recorded=True), bursts_only)
    assert _flagged(report, "similar") == _flagged(blocs_detect(_conference(recorded=False), bursts_only), "similar")
    assert len(_flagged(report, "similar")) >= 20
    assert _flagged(report, "burst") == set()


def test_the_promotions_explain_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().promotions_explain == "votes"
    assert BlocRule.from_json({"promotions_explain": "bursts"}).to_json()["promotions_explain"] == "bursts"
    with pytest.raises(ValueError, match="promotions_explain must be one of"):
        BlocRule.from_json({"promotions_explain": "everything"})
