"""Round 11 (docs/blocs.md): puppet rings among heavy raters. Honest accounts that rate most talks,
with independent tastes but one shared popularity skew, were flagged as puppet rings: the ring's
common ballot is what half of its candidates rated alike, so the candidates hold it by construction,
and a long ballot's overlap with it was judged against the chance of an account that had no part in
choosing it. Under `ring_null: held_out` (the default) a member is judged on the ratings the other
members share, and every account by how rare its holding is for an account of its activity and lean
toward each way of rating; `ring_null: own` is the behaviour before."""

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from apps.ballots.domain.blocs_signals import held_out_chances, rarity_bands

N_TALKS, N_LIGHT, N_HEAVY = 100, 500, 15
HEAVY = range(N_LIGHT + 1, N_LIGHT + N_HEAVY + 1)
OWN = BlocRule(ring_null="own", ring_scores="way", ring_score_null="none")  # the rule before round 11 (and 19)


def _world(seed: int) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """500 light voters (2–11 ratings) and 15 heavy raters (60–80 of 100 talks), every ballot drawn
    independently from one popularity skew (Zipf-like, nudged by quality), without repeating a talk;
    scores from the talk's quality, noise and the voter's own bias (bench/blocs_synthetic.py's honest
    model). Returns the votes ((voter, talk) -> score) and each talk's quality."""
    rng = np.random.default_rng(seed)
    quality = rng.beta(2.2, 2.8, size=N_TALKS)
    popularity = (1 / (rng.permutation(N_TALKS) + 1) ** 0.8) * (0.4 + quality)
    weight = popularity / popularity.sum()
    votes: dict[tuple[int, int], int] = {}

    def ballot(v: int, n: int) -> None:
        talks = np.argsort(-np.log(rng.random(N_TALKS)) / weight)[:n]  # weighted, without replacement
        bias = rng.normal(0, 0.3)
        scores = np.clip(np.round(quality[talks] * 3.4 + rng.normal(0, 0.8, size=n) + bias), 0, 3)
        for t, s in zip(talks.tolist(), scores.astype(int).tolist(), strict=True):
            votes[(v, t + 1)] = s

    for v in range(1, N_LIGHT + 1):
        ballot(v, int(rng.integers(2, 12)))
    for v in HEAVY:
        ballot(v, round(rng.uniform(0.6, 0.8) * N_TALKS))
    return votes, quality


def _build(votes: dict[tuple[int, int], int], n_talks: int = N_TALKS):
    keys = sorted(votes)
    voters = sorted({v for v, _ in keys})
    return bloc_input_build(
        voter_ids=[v for v, _ in keys],
        talk_ids=[t for _, t in keys],
        scores=[votes[k] for k in keys],
        at_seconds=[1_772_000_000 + 3600 * (v % 300) + 60 * t for v, t in keys],
        voters=[VoterFacts(voter_id=v, weight=1.0, email_domain="freemail.example") for v in voters],
        talks=[TalkFacts(talk_id=t, speaker_email_domains=(f"speaker{t}.example",)) for t in range(1, n_talks + 1)],
        scale=VoteScale(),
        free_mail_domains=("freemail.example",),
    )


def _ring_members(data, rule: BlocRule) -> set[int]:
    return {v for b in blocs_detect(data, rule).blocs if "similar" in b.signals for v in b.member_ids}


def test_honest_heavy_raters_are_no_ring():
    """Twenty such worlds: before round 11, seven of them had a "ring" of three to five heavy raters
    (and only heavy raters); under `held_out` none has any."""
    old_rings = 0
    for seed in range(20):
        data = _build(_world(seed)[0])
        assert _ring_members(data, BlocRule()) == set()
        old = _ring_members(data, OWN)
        assert old <= set(HEAVY)
        old_rings += bool(old)
    assert old_rings == 7


def test_a_ring_of_short_near_identical_ballots_among_them_is_found():
    """Six new accounts casting one eight-talk ballot (a strong talk rated down), two of them with a
    score changed and one with a talk dropped, among the heavy raters of a world that had a false
    ring before: the six are the ring, and no heavy rater is in it."""
    votes, quality = _world(3)
    strong = int(np.argmax(quality)) + 1
    ballot = {strong: 0, **{t: 2 for t in (2, 5, 9, 14, 22, 31, 40) if t != strong}}
    for i in range(6):
        mine = dict(ballot)
        if i in (1, 2):
            t = sorted(mine)[-1 - i]
            mine[t] = 3
        if i == 3:
            mine.pop(sorted(mine)[-1])
        votes.update({(900 + i, t): s for t, s in mine.items()})
    data = _build(votes)
    assert _ring_members(data, BlocRule()) == set(range(900, 906))


def test_a_ring_of_long_near_identical_ballots_is_found():
    """Four accounts that copy one heavy rater's ballot (70-odd ratings), each changing three scores
    and dropping two ratings, are a ring with that heavy rater under `held_out`: copies share far more
    of each other's ballots than honest heavy raters do."""
    votes, _ = _world(5)
    source = N_LIGHT + 1
    template = {t: s for (v, t), s in votes.items() if v == source}
    rng = np.random.default_rng(0)
    for i in range(4):
        mine = dict(template)
        talks = sorted(mine)
        for t in rng.choice(talks, size=3, replace=False).tolist():
            mine[t] = (mine[t] + 2) % 4
        for t in rng.choice(talks, size=2, replace=False).tolist():
            mine.pop(t, None)
        votes.update({(950 + i, t): s for t, s in mine.items()})
    data = _build(votes)
    assert _ring_members(data, BlocRule()) == {source, *range(950, 954)}


def test_a_member_is_judged_on_the_others_ballot():
    """Three members: the one judged is compared with what at least half of the other two rated alike
    (here both hold ratings 10, 11, 12; one also 13), so holding 10, 11 and 12 of it is its chance of
    holding at least three of the four, not of a ballot made of its own ratings."""
    pooled = np.array([10, 11, 12, 99, 10, 11, 12, 13, 10, 11, 12])
    sizes = np.array([4, 4, 3])
    rate = np.full(100, 0.01)
    lean = np.ones((3, 3))
    share = np.full((34, 3), 1 / 3)
    chance = held_out_chances(pooled, sizes, np.array([4, 4, 3]), rate, lean, share, 0.5)
    # Member 0: others' ballot {10, 11, 12, 13} (held by one or both of two), holds 3, each p = 0.04.
    p = 0.04
    at_least_3_of_4 = 4 * p**3 * (1 - p) + p**4
    assert chance[0] == pytest.approx(at_least_3_of_4)


def test_accounts_are_counted_by_how_rare_their_holding_is_for_their_kind():
    """Two kinds: 100 light accounts that hold 0, 1 or 2 ratings with chances 1, 0.1, 0.001 and 10
    heavy ones with 1, 0.9, 0.5. A light account holding 2 (chance 0.001, 6.9 nats) is at level 6; a
    heavy one holding 2 (0.5) at level 0. Expected at level 1 (chance at most e^-1): light accounts
    reach it holding 1 (0.1 each) → 10, heavy accounts holding 2 is 0.5 > e^-1 and there is nothing
    beyond, so 0."""
    tail = np.array([[1.0, 0.1, 0.001], [1.0, 0.9, 0.5]])
    levels, expected_at, band = rarity_bands(tail, np.array([100, 10]), np.array([0.001, 0.5, 0.1]))
    assert band.tolist() == [6, 0, 2]
    assert levels.tolist() == [1, 2, 3, 4, 5, 6]
    assert expected_at[0] == pytest.approx(10.0) and expected_at[2] == pytest.approx(0.1)


def test_the_ring_null_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().ring_null == "held_out"
    assert BlocRule().to_json()["ring_null"] == "held_out"
    assert BlocRule.from_json({"ring_null": "own"}).to_json()["ring_null"] == "own"
    assert BlocRule.from_json(BlocRule(ring_null="own").to_json()) == BlocRule(ring_null="own")
    with pytest.raises(ValueError, match="ring_null must be one of"):
        BlocRule.from_json({"ring_null": "shuffle"})
