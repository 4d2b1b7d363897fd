"""The tally maths on small hand-computed cases; determinism; discounts; the Bayesian average."""

import hashlib
import math

import numpy as np
import pytest

from apps.ballots.domain.tally import TallyInput, discounts_align, tally_compute, tally_input_digest
from apps.ballots.domain.weights import ClassWeights

TICKET, PLEDGER, NOBODY = 0, 1, 2


DEFAULT_WEIGHTS = ClassWeights(1.0, 0.5)


def make(votes, *, talks, prior=0.0, weights=DEFAULT_WEIGHTS, discount=None, scale=(0, 3)):
    """votes: (voter, talk, score, class)."""
    voters, talk_ids, scores, classes = (np.array(c) for c in zip(*votes, strict=True)) if votes else ([],) * 4
    return TallyInput(
        talk_ids=np.array(talks, dtype=np.int64),
        voter_ids=np.asarray(voters, dtype=np.int64),
        vote_talk_ids=np.asarray(talk_ids, dtype=np.int64),
        scores=np.asarray(scores, dtype=np.int16),
        voter_class=np.asarray(classes, dtype=np.int8),
        scale_min=scale[0],
        scale_max=scale[1],
        weights=weights,
        prior_weight=prior,
        discount=discount,
    )


def row(result, talk_id):
    return int(np.flatnonzero(result.talk_ids == talk_id)[0])


def test_hand_computed_means_counts_and_breakdown():
    # Talk 10: ticket holder 3, pledger 1, not eligible 0.  Talk 20: ticket holders 2 and 2.
    data = make(
        [(1, 10, 3, TICKET), (2, 10, 1, PLEDGER), (3, 10, 0, NOBODY), (1, 20, 2, TICKET), (4, 20, 2, TICKET)],
        talks=[10, 20],
    )
    result = tally_compute(data)
    i = row(result, 10)
    assert result.voters_by_class[i].tolist() == [1, 1, 1]
    assert result.raw_mean[i] == pytest.approx(4 / 3)
    assert result.weighted_mean[i] == pytest.approx((1 * 3 + 0.5 * 1) / 1.5)  # 2.333…
    assert result.spread[i] == pytest.approx(math.sqrt((1 * 9 + 0.5 * 1) / 1.5 - (3.5 / 1.5) ** 2))
    assert result.weight_by_class[i].tolist() == [1.0, 0.5]
    assert result.score_counts[i].tolist() == [1, 1, 0, 1]
    j = row(result, 20)
    assert (result.weighted_mean[j], result.spread[j]) == (2.0, 0.0)
    # With no prior the Bayesian average is the weighted mean: talk 10 (2.33) ranks above talk 20 (2.0).
    assert result.talk_ids.tolist() == [10, 20] and result.rank.tolist() == [1, 2]
    assert result.prior_mean == pytest.approx((3 + 0.5 + 2 + 2) / 3.5)
    assert result.summary["voters"] == {"ticket_holder": 2, "pledger": 1, "not_eligible": 1}
    assert (result.vote_count, result.voter_count) == (5, 4)


def test_bayesian_average_keeps_three_votes_from_outranking_three_hundred():
    few = [(v, 1, 3, TICKET) for v in range(3)]  # three "must see"
    many = [(100 + v, 2, 3 if v % 10 else 2, TICKET) for v in range(300)]  # 2.9 on average
    filler = [(1000 + v, 3, 1, TICKET) for v in range(300)]  # pulls the overall mean down
    plain = tally_compute(make(few + many + filler, talks=[1, 2, 3], prior=0.0))
    assert plain.talk_ids[0] == 1  # a raw mean would put the three-vote talk first
    bayes = tally_compute(make(few + many + filler, talks=[1, 2, 3], prior=10.0))
    assert bayes.talk_ids.tolist()[:2] == [2, 1]
    i = row(bayes, 1)
    expected = (10 * bayes.prior_mean + 9) / 13
    assert bayes.bayes_average[i] == pytest.approx(expected)
    assert bayes.prior_mean < bayes.bayes_average[i] < 3  # pulled toward the mean, not past it


def test_a_talk_without_votes_sits_at_the_prior_mean_with_the_widest_band():
    data = make([(1, 1, 3, TICKET), (2, 1, 2, TICKET), (1, 2, 0, TICKET)], talks=[1, 2, 3], prior=2.0)
    result = tally_compute(data)
    i = row(result, 3)
    assert result.bayes_average[i] == pytest.approx(result.prior_mean)
    assert math.isnan(result.weighted_mean[i]) and math.isnan(result.raw_mean[i])
    assert (result.rank_best[i], result.rank_worst[i]) == (1, 3)


def test_rank_bands_contain_the_rank_and_separate_clear_winners():
    clear = [(v, 1, 3, TICKET) for v in range(200)] + [(v, 2, 0, TICKET) for v in range(200)]
    result = tally_compute(make(clear, talks=[1, 2], prior=1.0))
    assert result.rank_best.tolist() == [1, 2] and result.rank_worst.tolist() == [1, 2]
    close = [(v, 1, v % 4, TICKET) for v in range(8)] + [(v, 2, (v + 1) % 4, TICKET) for v in range(8)]
    result = tally_compute(make(close, talks=[1, 2], prior=1.0))
    assert result.rank_best.tolist() == [1, 1] and result.rank_worst.tolist() == [2, 2]


def test_not_eligible_votes_weigh_nothing_and_pledger_weight_follows_the_policy():
    votes = [(1, 1, 3, PLEDGER), (2, 1, 0, TICKET), (3, 1, 3, NOBODY)]
    low = tally_compute(make(votes, talks=[1], weights=ClassWeights(1.0, 0.25)))
    high = tally_compute(make(votes, talks=[1], weights=ClassWeights(1.0, 1.0)))
    assert low.weighted_mean[0] == pytest.approx(0.75 / 1.25)
    assert high.weighted_mean[0] == pytest.approx(1.5)
    digest_low = tally_input_digest(make(votes, talks=[1], weights=ClassWeights(1.0, 0.25)), policy_version=1)
    digest_high = tally_input_digest(make(votes, talks=[1], weights=ClassWeights(1.0, 1.0)), policy_version=2)
    assert digest_low != digest_high


def test_discounts_reduce_weight_and_show_in_the_breakdown():
    votes = [(1, 1, 3, TICKET), (2, 1, 3, TICKET), (3, 1, 0, TICKET)]
    data = make(votes, talks=[1])
    discount = discounts_align(
        voter_ids=data.voter_ids, vote_talk_ids=data.vote_talk_ids, discounts={(1, 1): 0.5, (2, 1): 0.5, (9, 9): 0.1}
    )
    assert discount.tolist() == [0.5, 0.5, 1.0]
    result = tally_compute(make(votes, talks=[1], discount=discount))
    assert result.weighted_mean[0] == pytest.approx(3 / 2)  # (0.5·3 + 0.5·3 + 1·0) / 2
    assert result.weight_discounted[0] == pytest.approx(1.0)
    assert result.summary["weight"]["discounted"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        discounts_align(voter_ids=data.voter_ids, vote_talk_ids=data.vote_talk_ids, discounts={(1, 1): 1.5})


def test_same_inputs_in_any_order_give_the_same_digest_and_result():
    rng = np.random.default_rng(7)
    votes = [(int(v), int(t), int(s), int(c)) for v, t, s, c in rng.integers(0, [50, 20, 4, 3], size=(300, 4))]
    unique = list({(v, t): (v, t, s, c) for v, t, s, c in votes}.values())
    shuffled = [unique[i] for i in rng.permutation(len(unique))]
    a, b = make(unique, talks=list(range(20)), prior=5), make(shuffled, talks=list(range(20)), prior=5)
    assert tally_input_digest(a, policy_version=1) == tally_input_digest(b, policy_version=1)
    ra, rb = tally_compute(a), tally_compute(b)
    assert ra.talk_ids.tolist() == rb.talk_ids.tolist()
    assert np.array_equal(ra.bayes_average, rb.bayes_average) and np.array_equal(ra.rank_worst, rb.rank_worst)
    changed = make([*unique[:-1], (*unique[-1][:2], (unique[-1][2] + 1) % 4, unique[-1][3])], talks=list(range(20)))
    assert tally_input_digest(changed, policy_version=1) != tally_input_digest(a, policy_version=1)


def test_ties_are_broken_by_talk_id_and_votes_on_non_candidates_are_ignored():
    votes = [(1, 5, 2, TICKET), (1, 3, 2, TICKET), (1, 99, 3, TICKET)]
    result = tally_compute(make(votes, talks=[5, 3]))
    assert result.talk_ids.tolist() == [3, 5] and result.vote_count == 2
    assert tally_compute(make([], talks=[])).talk_ids.tolist() == []


def test_scores_outside_a_since_narrowed_scale_count_in_the_means_but_not_in_the_score_counts():
    # The organizer narrowed the scale to 1–3 after votes of 0 and 4 were cast.
    result = tally_compute(make([(1, 1, 4, TICKET), (2, 1, 0, TICKET), (3, 1, 2, TICKET)], talks=[1], scale=(1, 3)))
    assert (result.raw_mean[0], result.weighted_mean[0]) == (2.0, 2.0)
    assert result.score_counts[0].tolist() == [0, 1, 0]


def large_input(*, seed: int, discounted: bool = False) -> TallyInput:
    """300,000 distinct (voter, talk) votes in random order: enough for the bucketed sorts."""
    rng = np.random.default_rng(seed)
    keys = rng.choice(3_000 * 700, size=300_000, replace=False)
    return TallyInput(
        talk_ids=np.arange(700, dtype=np.int64),
        voter_ids=keys // 700 + 1,
        vote_talk_ids=keys % 700,
        scores=rng.integers(0, 4, len(keys)).astype(np.int16),
        voter_class=rng.integers(0, 3, len(keys)).astype(np.int8),
        scale_min=0,
        scale_max=3,
        weights=DEFAULT_WEIGHTS,
        prior_weight=5.0,
        discount=np.where(rng.random(len(keys)) < 0.05, 0.25, 1.0) if discounted else None,
    )


DIGEST_HEADER = b"confvote-tally-v1|4|0|3|1.0|0.5|5.0|" + np.arange(700, dtype="<i8").tobytes()


def test_the_digest_of_a_large_input_is_sha256_of_its_votes_in_canonical_order():
    """Stored snapshots are found again by their digest, so its definition must not drift: a fixed
    header, the candidate talks, then every vote packed as ((voter·span + talk)·64 + score·4 + class)
    in ascending order, whatever order the votes came in (a million votes are sorted in buckets)."""
    data = large_input(seed=11)
    packed = ((data.voter_ids * 700 + data.vote_talk_ids) << 6) | (data.scores.astype(np.int64) << 2)
    packed |= data.voter_class
    expected = hashlib.sha256(DIGEST_HEADER + b"packed|" + np.sort(packed).astype("<i8").tobytes()).hexdigest()
    assert tally_input_digest(data, policy_version=4) == expected


def test_the_digest_with_discounts_is_sha256_of_each_column_in_voter_then_talk_order():
    data = large_input(seed=12, discounted=True)
    order = np.argsort(data.voter_ids * 700 + data.vote_talk_ids)
    columns = (
        (data.voter_ids, "<i8"),
        (data.vote_talk_ids, "<i8"),
        (data.scores, "<i2"),
        (data.voter_class, "<i1"),
        (data.discount, "<f8"),
    )
    votes = b"".join(np.ascontiguousarray(column[order], dtype=dtype).tobytes() for column, dtype in columns)
    assert tally_input_digest(data, policy_version=4) == hashlib.sha256(DIGEST_HEADER + votes).hexdigest()
