"""Puppet rings and shared taste (docs/blocs.md, "Puppet rings and shared taste"; bench/blocs_rings_taste.py).
Honest people who share a taste — a regional-language community rating the dozen talks held in its
language, an employer strong in one topic — hold one another's light ballots far more often than the
ring test's chance model (each account's activity × each rating's popularity, independently) allows.
What they do not share is the score each gives a talk: each scores by their own judgement, while copies
of one ballot repeat its scores. Under `ring_score_null: shifted` a ring must also repeat scores beyond
what its talks' other raters' scores, moved by one shift the ring is allowed, explain."""

import random

import numpy as np
import pytest
from scipy.stats import norm

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import context_build, same_scores, similar_findings
from tests.ballots.test_blocs_ring_scores import _copies as copies
from tests.ballots.test_blocs_ring_scores import _light_voters
from tests.ballots.test_blocs_similar_heavy import N_TALKS, _build

NICHE = range(89, N_TALKS + 1)  # twelve talks held in a regional language: seldom rated by others
COMMUNITY = range(601, 631)
NONE = BlocRule(ring_score_null="none")
SHIFTED = BlocRule(ring_score_null="shifted")


def _world(seed: int) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """500 light voters (2–11 ratings by popularity) and a community of 30 light voters who each rate
    each niche talk with chance 0.75, with their own scores (the talk's quality, noise, their own
    leniency and +0.7 for a talk in their language), and 2–5 other talks by popularity
    (bench/blocs_fresh5.py's language_community, on a 0–3 scale). Returns the votes ((voter, talk) ->
    score) and each talk's quality."""
    rng, quality, weight, votes, rate = _light_voters(seed, NICHE)
    niche = np.array(NICHE) - 1
    for v in COMMUNITY:
        bias = rng.normal(0, 0.3)
        rate(v, niche[rng.random(len(niche)) < 0.75], 0.7, bias)
        others = [t for t in np.argsort(-np.log(rng.random(N_TALKS)) / weight) if t not in set(niche)]
        rate(v, np.array(others[: int(rng.integers(2, 6))]), 0.0, bias)
    return votes, quality


def _ring_members(data, rule: BlocRule) -> set[int]:
    """The voters in the puppet-ring test's findings (not the blocs they merge into)."""
    ids = data.voter_ids
    return {int(ids[m]) for f in similar_findings(context_build(data, rule)) for m in f.members}


def _copies(votes, template: dict[int, int], first: int, n: int, seed: int) -> None:
    """n accounts copying one ballot as bench/blocs_fresh3.py's sockpuppets do: each rating dropped with
    probability 0.15 and each score moved by one with 0.15 (the pushed talk kept as it is)."""
    copies(votes, template, first, n, seed, p=0.15)


def test_an_honest_community_on_niche_talks_is_mostly_no_ring():
    """Ten such worlds: counting the way of each rating only, the community is a "ring" in eight; asking
    for repeated scores, in three (small rings of three to five whose agreement is beyond the null's, or
    whose ratings cannot tell copies from taste and are judged as before)."""
    before = after = 0
    for seed in range(10):
        data = _build(_world(seed)[0])
        before += bool(_ring_members(data, NONE) & set(COMMUNITY))
        after += bool(_ring_members(data, SHIFTED) & set(COMMUNITY))
    assert (before, after) == (8, 3)


def test_perturbed_copies_among_the_community_are_still_a_ring():
    """Five accounts copying a ten-talk ballot (a weak talk pushed with the top score), each dropping a
    rating or moving a score by one now and then, in a world whose community the score question
    clears: they are the ring under either value of the key, and no community member is."""
    votes, quality = _world(2)
    weak = int(np.argmin(quality[:80])) + 1
    cover = [3, 7, 12, 18, 25, 33, 41, 50, 58]
    template = {weak: 3, **dict(zip(cover, [3, 2, 1, 3, 1, 2, 0, 2, 3], strict=True))}
    _copies(votes, template, 900, 5, seed=1)
    data = _build(votes)
    assert _ring_members(data, SHIFTED) == set(range(900, 905))
    assert _ring_members(data, NONE) >= set(range(900, 905))


def test_copies_whose_scores_cannot_tell_are_judged_as_before():
    """Copies that give every talk of their ballot the top score (or the lowest) repeat nothing a shift
    could not explain; the question is not asked and the ring is found as before."""
    votes, _ = _world(2)
    template = {t: 3 if t % 2 else 0 for t in (5, 11, 17, 23, 29, 35, 44, 52)}
    _copies(votes, template, 900, 5, seed=2)
    data = _build(votes)
    assert _ring_members(data, SHIFTED) >= set(range(900, 905))


def test_same_scores_by_hand():
    """Others rate two talks evenly over four scores (4,000 each), so the fitted shift is 0 and a score
    is repeated by a pair with chance 1/4. Three members give talk 0 the lowest score and talk 1 the top:
    6 repeating pairs against 2 × 3 × 1/4 = 1.5 expected, variance 2 × 3 × 1/4 × 3/4 = 1.125 (the
    pairs sharing a member add nothing when every score is equally likely), so z = 4.5 / √1.125.
    Copies changing a score in twenty would repeat 3 × (0.95² + 0.05² / 3) per talk. Members who each
    give a different score repeat nothing: no evidence."""
    others = np.full((2, 4), 4000)
    copies = np.array([[3, 0, 0, 0], [0, 0, 0, 3]])
    observed, copied = same_scores(copies, others)
    assert observed == pytest.approx(norm.logsf(4.5 / np.sqrt(1.125)))
    reach = 2 * 3 * (0.95**2 + 0.05**2 / 3)
    assert copied == pytest.approx(norm.logsf((reach - 1.5) / np.sqrt(1.125)))
    apart = np.array([[1, 1, 1, 0], [0, 1, 1, 1]])
    assert same_scores(apart, others)[0] > -0.5
    assert same_scores(np.array([[1, 0, 0, 0]]), others[:1]) == (0.0, 0.0)


def test_the_ring_score_null_key_is_validated_and_kept_in_the_rule():
    assert SHIFTED.to_json()["ring_score_null"] == "shifted"
    assert BlocRule.from_json(SHIFTED.to_json()) == SHIFTED
    assert BlocRule.from_json(NONE.to_json()) == NONE
    with pytest.raises(ValueError, match="ring_score_null must be one of"):
        BlocRule.from_json({"ring_score_null": "exact"})


def test_the_score_question_is_deterministic_in_any_input_order():
    votes, quality = _world(0)
    _copies(votes, {int(np.argmin(quality[:80])) + 1: 3, 3: 3, 7: 2, 12: 1, 18: 3, 25: 1, 33: 2}, 900, 6, seed=3)
    first = blocs_detect(_build(votes), SHIFTED)
    keys = list(votes)
    random.Random(7).shuffle(keys)
    again = blocs_detect(_build({k: votes[k] for k in keys}), SHIFTED)
    assert [(b.key, b.member_ids) for b in first.blocs] == [(b.key, b.member_ids) for b in again.blocs]
