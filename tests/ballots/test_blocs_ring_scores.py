"""Round 19 (docs/blocs.md): puppet rings and fans of one track. Honest fans of a niche track rate most of
its talks up, each with scores of their own, and hold one another's "ballot" far more often than the
ring test's chance model (each account's activity × each rating's popularity) allows: it knows nothing of
topics. Under `ring_scores: exact` a ring whose upward ratings can tell the top score from
the others must also agree on *which* talks get the top score beyond what the ring's own habits and the
talks' other raters explain; copies of one ballot do, fans do not. `ring_scores: way` (the default) is
the rule before; `exact` is an option, measured and not adopted as the default."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import score_agreement
from tests.ballots.test_blocs_similar_heavy import N_TALKS, _build, _ring_members

TRACK = range(81, N_TALKS + 1)  # a niche track of 20 talks
FANS = range(601, 631)
# Round 19 is measured on the ring test alone (`ring_score_null: none`, the rule before it asked for repeated scores).
WAY = BlocRule(ring_scores="way", ring_score_null="none")
EXACT = BlocRule(ring_scores="exact", ring_score_null="none")
LIFT, OTHERS = 1.0, (2, 7)  # the fans' liking for their track, and how many other talks they rate


def _light_voters(seed: int, niche: range):
    """The background both ring worlds share: talks' quality and a popularity skew (the talks of `niche`
    seldom rated by others), and 500 light voters (2–11 ratings by popularity). Returns the generator,
    the quality, the draw weights, the votes so far ((voter, talk) -> score) and `rate(voter, talks,
    lift, bias)`, which scores talks by quality, noise, leniency and lift."""
    rng = np.random.default_rng(seed)
    quality = rng.beta(2.2, 2.8, size=N_TALKS)
    popularity = (1 / (rng.permutation(N_TALKS) + 1) ** 0.8) * (0.4 + quality)
    popularity[niche.start - 1 :] *= 0.3
    weight = popularity / popularity.sum()
    votes: dict[tuple[int, int], int] = {}

    def rate(v: int, talks: np.ndarray, lift: float, bias: float) -> None:
        scores = np.clip(np.round(quality[talks] * 3.4 + rng.normal(0, 0.8, size=len(talks)) + bias + lift), 0, 3)
        for t, s in zip(talks.tolist(), scores.astype(int).tolist(), strict=True):
            votes[(v, t + 1)] = s

    for v in range(1, 501):
        talks = np.argsort(-np.log(rng.random(N_TALKS)) / weight)[: int(rng.integers(2, 12))]
        rate(v, talks, 0.0, rng.normal(0, 0.3))
    return rng, quality, weight, votes, rate


def _world(seed: int) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """500 light voters (2–11 ratings by popularity), and 30 fans of the track who rate 60–100% of its
    talks with their own scores (the talk's quality, noise, their own leniency and +0.8 for their
    favourite track) and 5–15 other talks by popularity (bench/blocs_fresh2.py's track_fans, in
    small). Returns the votes ((voter, talk) -> score) and each talk's quality."""
    rng, quality, weight, votes, rate = _light_voters(seed, TRACK)  # a niche track: seldom rated by others
    track = np.array(TRACK) - 1
    for v in FANS:
        bias = rng.normal(0, 0.3)
        mine = rng.choice(track, size=round(rng.uniform(0.6, 1.0) * len(track)), replace=False)
        rate(v, mine, LIFT, bias)
        others = [t for t in np.argsort(-np.log(rng.random(N_TALKS)) / weight) if t not in set(track)]
        rate(v, np.array(others[: int(rng.integers(*OTHERS))]), 0.0, bias)
    return votes, quality


def _copies(votes, template: dict[int, int], first: int, n: int, seed: int, p: float = 0.1) -> None:
    """n accounts copying one ballot as bench/blocs_fresh2.py's sockpuppets do (p 0.1; fresh3's: 0.15):
    each rating dropped with probability p and each score moved by one with p (the pushed talk kept as
    it is)."""
    rng = np.random.default_rng(seed)
    pushed = min(template)
    for v in range(first, first + n):
        for t, s in template.items():
            if t != pushed and rng.random() < p:
                continue
            if t != pushed and rng.random() < p:
                s = int(np.clip(s + rng.choice([-1, 1]), 0, 3))
            votes[(v, t)] = s


def test_honest_fans_of_one_track_are_no_ring():
    """Ten such worlds: counting the way of each rating only, the fans are a "ring" in every one; with
    exact scores, in none (and no one else is)."""
    for seed in range(10):
        data = _build(_world(seed)[0])
        assert _ring_members(data, WAY) & set(FANS)
        assert _ring_members(data, EXACT) == set()


def test_copies_of_one_ballot_with_small_variations_are_still_a_ring():
    """Six accounts copying a twelve-talk ballot (a weak talk pushed with the top score, cover talks
    scored 1–3 by a donor's taste), each dropping or moving a score now and then, among the fans: they
    are the ring under either value of the key, and no fan is in it."""
    votes, quality = _world(4)
    weak = int(np.argmin(quality[:80])) + 1
    cover = [3, 7, 12, 18, 25, 33, 41, 50, 58, 66, 72]
    template = {weak: 3, **dict(zip(cover, [3, 2, 2, 3, 1, 2, 3, 2, 3, 2, 2], strict=True))}
    _copies(votes, template, 900, 6, seed=1)
    data = _build(votes)
    assert _ring_members(data, EXACT) == set(range(900, 906))
    assert _ring_members(data, WAY) >= set(range(900, 906))


def test_copies_whose_scores_cannot_tell_are_judged_as_before():
    """Copies that give every talk of their ballot the top score (or rate it down) agree on nothing the
    test could tell from a fan's habits; the ring is judged as before round 19 and still found."""
    votes, _ = _world(2)
    template = {t: 3 if t % 2 else 0 for t in (5, 11, 17, 23, 29, 35, 44, 52)}
    _copies(votes, template, 900, 5, seed=2)
    data = _build(votes)
    assert _ring_members(data, EXACT) == set(range(900, 905))
    assert _ring_members(data, WAY) >= set(range(900, 905))


def test_score_agreement_by_hand():
    """Three members rate talks 0 and 1 up (items 2 and 5); everyone else gives each the top score half
    the time, so the ring's own log-odds fits to 0 and each member gives the top score with chance 1/2.
    Copies (all three top on talk 0, none on talk 1) disagree on no pair: the chance of that is
    (1/8 + 1/8) per talk, 1/16 in all, also what copies changing one in twenty would reach (none of
    three pairs' worth). Members who split 2–1 on both talks
    disagree on 2 + 2 pairs, the most there can be: p = 1. Where only four others rated the talks, their
    standing is uncertain and the same agreement is weaker evidence."""
    pooled = np.array([2, 5, 2, 5, 2, 5])
    sizes = np.array([2, 2, 2])
    copies = np.array([1, 0, 1, 0, 1, 0], dtype=bool)
    up, top = np.full(2, 4000 + 3), np.array([2000 + 3, 2000])  # the ring's own 3 up on each, 3 top on talk 0
    agreement, copied = score_agreement(pooled, copies, sizes, up, top)  # 4,000 others: nearly exactly 1/16
    assert agreement == pytest.approx(np.log(1 / 16), abs=2e-3) and copied == pytest.approx(agreement)
    split = np.array([1, 1, 1, 0, 0, 0], dtype=bool)  # talk 0: two of three top; talk 1: one of three
    assert score_agreement(pooled, split, sizes, up, np.array([2000 + 2, 2000 + 1]))[0] == pytest.approx(0.0)
    few = score_agreement(pooled, copies, sizes, np.full(2, 4 + 3), np.array([2 + 3, 2]))
    assert few[0] > agreement + 0.1
    assert score_agreement(np.array([0, 3, 0, 3]), np.zeros(4, dtype=bool), np.array([2, 2]), up, top) == (0.0, 0.0)


def test_the_ring_scores_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().ring_scores == "way" and BlocRule(ring_score_null="none") == WAY
    assert EXACT.to_json()["ring_scores"] == "exact"
    assert BlocRule.from_json(EXACT.to_json()) == EXACT
    assert BlocRule.from_json({"ring_scores": "way", "ring_score_null": "none"}) == WAY
    assert BlocRule.from_json(WAY.to_json()) == WAY
    with pytest.raises(ValueError, match="ring_scores must be one of"):
        BlocRule.from_json({"ring_scores": "scores"})


def test_way_keeps_the_rule_before_round_19():
    """`way`, the default, gives what the code gave before round 19 on this world: the fans' ring."""
    data = _build(_world(0)[0])
    report = blocs_detect(data, WAY)
    assert report.blocs and {v for b in report.blocs for v in b.member_ids} & set(FANS)


def test_the_ring_test_is_deterministic_in_any_input_order():
    votes, quality = _world(4)
    _copies(votes, {int(np.argmin(quality[:80])) + 1: 3, 3: 3, 7: 2, 12: 2, 18: 3, 25: 1, 33: 2}, 900, 6, seed=3)
    first = blocs_detect(_build(votes), EXACT)
    keys = list(votes)
    random.Random(7).shuffle(keys)
    again = blocs_detect(_build({k: votes[k] for k in keys}), EXACT)
    assert [(b.key, b.member_ids) for b in first.blocs] == [(b.key, b.member_ids) for b in again.blocs]
