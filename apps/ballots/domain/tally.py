"""How the votes become a ranking.

Every vote weighs what its voter's class weighs under the conference's weight policy (ticket holder,
pledger, not eligible = 0), times a bloc discount when bloc detection found the vote to be part of a
correlated bloc (1.0 = no discount). For each talk we report:

- how many ticket holders, pledgers and not-eligible people voted on it;
- the raw mean (every vote alike) and the weighted mean (votes times their weights);
- the Bayesian average: the weighted mean after adding `prior_weight` of vote weight at the mean
  score of all votes, so a talk with three enthusiastic votes does not outrank a talk with three
  hundred good ones; the more weight a talk has, the less the prior matters. Talks are ranked by it;
- the spread (weighted standard deviation): how much the voters disagree;
- a rank band: the ranks the talk could plausibly hold, from a 90% interval around its Bayesian
  average (standard error with the effective number of votes); two talks whose intervals overlap
  could swap places;
- where the score came from: weight from ticket holders, from pledgers, and weight removed by
  bloc discounts.

Ties are broken by talk id, so the same inputs always give the same ranks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import norm

from apps.attendance.domain.eligibility import VoterClass

from .weights import ClassWeights

# Voter classes as small integers in the vote arrays.
CLASS_CODES: dict[VoterClass, int] = {VoterClass.TICKET_HOLDER: 0, VoterClass.PLEDGER: 1, VoterClass.NOT_ELIGIBLE: 2}
RANK_BAND_CONFIDENCE = 0.90


@dataclass(frozen=True)
class TallyInput:
    """Votes as parallel arrays (one entry per vote) plus the candidate talks and the policy.

    `voter_class` holds CLASS_CODES values. `discount` is the per-vote bloc multiplier in [0, 1]
    (1.0 = none), aligned with the votes; build it with `discounts_align` from a
    {(voter_id, talk_id): multiplier} mapping, or `discounts_align_arrays` from parallel arrays."""

    talk_ids: np.ndarray  # int64, the candidate talks, any order
    voter_ids: np.ndarray  # int64
    vote_talk_ids: np.ndarray  # int64
    scores: np.ndarray  # int16
    voter_class: np.ndarray  # int8
    scale_min: int
    scale_max: int
    weights: ClassWeights
    prior_weight: float
    discount: np.ndarray | None = None  # float64 or None for no discounts


@dataclass(frozen=True)
class TallyResult:
    """Per-talk figures, in rank order (index 0 is rank 1). NaN where a talk has no counted votes."""

    talk_ids: np.ndarray
    rank: np.ndarray
    rank_best: np.ndarray
    rank_worst: np.ndarray
    voters_by_class: np.ndarray  # shape (talks, 3): ticket holders, pledgers, not eligible
    raw_mean: np.ndarray
    weighted_mean: np.ndarray
    bayes_average: np.ndarray
    spread: np.ndarray
    weight_by_class: np.ndarray  # shape (talks, 2): ticket holders, pledgers (after discounts)
    weight_discounted: np.ndarray  # weight removed by bloc discounts
    score_counts: np.ndarray  # shape (talks, scale points)
    prior_mean: float
    vote_count: int
    voter_count: int
    summary: dict = field(default_factory=dict)


def discounts_align(
    *, voter_ids: np.ndarray, vote_talk_ids: np.ndarray, discounts: Mapping[tuple[int, int], float]
) -> np.ndarray:
    """Per-vote multipliers (1.0 where the mapping has no entry), vectorised for a million votes."""
    if not discounts:
        return np.ones(len(voter_ids), dtype=np.float64)
    pairs = np.array(list(discounts.keys()), dtype=np.int64).reshape(-1, 2)
    values = np.fromiter(discounts.values(), dtype=np.float64, count=len(discounts))
    return discounts_align_arrays(
        voter_ids=voter_ids,
        vote_talk_ids=vote_talk_ids,
        pair_voter_ids=pairs[:, 0],
        pair_talk_ids=pairs[:, 1],
        multipliers=values,
    )


def discounts_align_arrays(
    *,
    voter_ids: np.ndarray,
    vote_talk_ids: np.ndarray,
    pair_voter_ids: np.ndarray,
    pair_talk_ids: np.ndarray,
    multipliers: np.ndarray,
) -> np.ndarray:
    """The same from parallel arrays (e.g. blocs.BlocDiscounts' voter_ids, talk_ids, multipliers)."""
    multiplier = np.ones(len(voter_ids), dtype=np.float64)
    if len(multipliers) == 0:
        return multiplier
    if ((multipliers < 0) | (multipliers > 1)).any():
        raise ValueError("A bloc discount multiplier must be between 0 and 1.")
    key_span = int(max(vote_talk_ids.max(initial=0), pair_talk_ids.max())) + 1
    keys = pair_voter_ids.astype(np.int64) * key_span + pair_talk_ids.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], np.asarray(multipliers, dtype=np.float64)[order]
    vote_keys = voter_ids.astype(np.int64) * key_span + vote_talk_ids.astype(np.int64)
    position = np.clip(np.searchsorted(keys, vote_keys), 0, len(keys) - 1)
    hit = keys[position] == vote_keys
    multiplier[hit] = values[position[hit]]
    return multiplier


def tally_input_digest(data: TallyInput, *, policy_version: int) -> str:
    """SHA-256 of everything the result depends on, independent of the order the votes came in."""
    digest = hashlib.sha256()
    digest.update(f"confvote-tally-v1|{policy_version}|{data.scale_min}|{data.scale_max}|".encode())
    digest.update(f"{data.weights.ticket_holder!r}|{data.weights.pledger!r}|{data.prior_weight!r}|".encode())
    digest.update(np.sort(data.talk_ids.astype("<i8")).tobytes())
    voters = data.voter_ids.astype(np.int64, copy=False)
    talks = data.vote_talk_ids.astype(np.int64, copy=False)
    talk_span = int(talks.max(initial=0)) + 1
    discounted = data.discount is not None and bool((data.discount != 1.0).any())
    if not discounted and (int(voters.max(initial=0)) + 1) * talk_span < 2**56:
        # Each vote as one int64 (voter, talk, score, class): one plain sort gives a canonical order.
        # (voter, talk) pairs are unique, so the sort needs no tie-breaking.
        packed = voters * talk_span
        packed += talks
        packed <<= 6
        packed |= data.scores.astype(np.int64) << 2
        packed |= data.voter_class
        digest.update(b"packed|" + _sorted_int64(packed).astype("<i8", copy=False).tobytes())
        return digest.hexdigest()
    order = _argsort_distinct(voters * talk_span + talks)
    for column, dtype in ((voters, "<i8"), (talks, "<i8"), (data.scores, "<i2"), (data.voter_class, "<i1")):
        digest.update(np.ascontiguousarray(column[order], dtype=dtype).tobytes())
    if discounted:
        digest.update(np.ascontiguousarray(data.discount[order], dtype="<f8").tobytes())
    return digest.hexdigest()


def _sorted_int64(values: np.ndarray) -> np.ndarray:
    """np.sort(values), about twice as fast on a million values: a radix pass on the top 12 bits
    puts the values into 4,096 buckets in value order, then each bucket is small enough to sort
    inside the CPU cache (one sort of the whole array is bound by memory)."""
    if len(values) < 1 << 17:
        return np.sort(values)
    low = int(values.min())
    shift = max((int(values.max()) - low).bit_length() - 12, 0)
    bucket = ((values - low) >> shift).astype(np.uint16)
    ordered = values[np.argsort(bucket, kind="stable")]  # stable on 16 bits = radix sort, O(n)
    start = 0
    for end in np.cumsum(np.bincount(bucket)).tolist():
        if end - start > 1:
            ordered[start:end].sort()
        start = end
    return ordered


def _argsort_distinct(keys: np.ndarray) -> np.ndarray:
    """np.argsort of distinct non-negative keys: each key with its position in the low bits, sorted
    by _sorted_int64 (several times faster than an argsort of a million keys)."""
    bits = max(len(keys) - 1, 1).bit_length()
    if len(keys) == 0 or int(keys.min()) < 0 or int(keys.max()) >= 2 ** (62 - bits):
        return np.argsort(keys)
    return _sorted_int64((keys << bits) | np.arange(len(keys))) & ((1 << bits) - 1)


def tally_compute(data: TallyInput) -> TallyResult:
    talk_ids = np.sort(np.asarray(data.talk_ids, dtype=np.int64))
    n_talks, n_points = len(talk_ids), data.scale_max - data.scale_min + 1
    # Votes on talks that are not candidates (withdrawn) are ignored.
    talk_index = positions_of(talk_ids, np.asarray(data.vote_talk_ids, dtype=np.int64))
    known = talk_index >= 0
    every = bool(known.all())  # the database sends candidates' votes only: no copies then
    idx = talk_index if every else talk_index[known]
    classes = data.voter_class if every else data.voter_class[known]
    scores = data.scores if every else data.scores[known]
    class_weight = np.array([data.weights.ticket_holder, data.weights.pledger, 0.0])

    # Everything but the discounts comes from one integer histogram: votes per (talk, class, score).
    # Sums over it are exact, so the figures do not depend on the order the votes came in.
    lowest = min(data.scale_min, int(scores.min(initial=data.scale_min)))  # a scale narrowed after voting
    n_values = max(data.scale_max, int(scores.max(initial=data.scale_max))) - lowest + 1
    cell = idx * 3
    cell += classes
    cell *= n_values
    cell += scores
    cell -= lowest
    histogram = np.bincount(cell, minlength=n_talks * 3 * n_values).reshape(n_talks, 3, n_values)
    values = np.arange(lowest, lowest + n_values, dtype=np.float64)
    voters_by_class = histogram.sum(axis=2)  # (talks, 3)
    counts = voters_by_class.sum(axis=1)
    score_sum = histogram @ values  # (talks, 3)
    square_sum = histogram @ values**2
    if data.discount is None:
        multiplier_sum, multiplier_square_sum = voters_by_class.astype(np.float64), voters_by_class
        discounted_score_sum, discounted_square_sum = score_sum, square_sum
    else:
        discount = np.asarray(data.discount if every else data.discount[known], dtype=np.float64)
        pair = idx * 3 + classes

        def per_talk_class(weights: np.ndarray) -> np.ndarray:
            return np.bincount(pair, weights=weights, minlength=n_talks * 3).reshape(n_talks, 3)

        multiplier_sum, multiplier_square_sum = per_talk_class(discount), per_talk_class(discount**2)
        discounted_score_sum = per_talk_class(discount * scores)
        discounted_square_sum = per_talk_class(discount * scores.astype(np.float64) ** 2)
    # A vote weighs its class weight times its discount: the per-talk sums follow per class.
    w_sum, ws_sum = multiplier_sum @ class_weight, discounted_score_sum @ class_weight
    w2_sum = multiplier_square_sum @ class_weight**2
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_mean = score_sum.sum(axis=1) / counts
        weighted_mean = ws_sum / w_sum
        variance = np.maximum((discounted_square_sum @ class_weight) / w_sum - weighted_mean**2, 0.0)
    weighted_mean[w_sum == 0] = np.nan
    spread = np.sqrt(variance)
    spread[w_sum == 0] = np.nan

    total_weight = float(w_sum.sum())
    midpoint = (data.scale_min + data.scale_max) / 2
    prior_mean = float(ws_sum.sum() / total_weight) if total_weight > 0 else midpoint
    prior = float(data.prior_weight)
    bayes = (prior * prior_mean + ws_sum) / np.where(prior + w_sum > 0, prior + w_sum, 1.0)
    bayes[(prior + w_sum) == 0] = prior_mean

    # Standard error of the Bayesian average with Kish's effective number of votes.
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.where(w2_sum > 0, w_sum**2 / w2_sum, 0.0)
        shrink = np.where(prior + w_sum > 0, w_sum / (prior + w_sum), 0.0)
        stderr = np.where(n_eff > 0, np.nan_to_num(spread) / np.sqrt(np.maximum(n_eff, 1e-12)), 0.0) * shrink
    # A talk with no counted votes is as uncertain as the whole scale.
    stderr = np.where(w_sum > 0, stderr, (data.scale_max - data.scale_min) / 2)
    z = float(norm.ppf(0.5 + RANK_BAND_CONFIDENCE / 2))
    low, high = bayes - z * stderr, bayes + z * stderr

    order = np.lexsort((talk_ids, -bayes))  # best first; ties by talk id
    rank = np.empty(n_talks, dtype=np.int64)
    rank[order] = np.arange(1, n_talks + 1)
    sorted_low, sorted_high = np.sort(low), np.sort(high)
    surely_better = n_talks - np.searchsorted(sorted_low, high, side="right")
    surely_worse = np.searchsorted(sorted_high, low, side="left")
    rank_best = np.minimum(surely_better + 1, rank)
    rank_worst = np.maximum(n_talks - surely_worse, rank)

    weight_by_class = multiplier_sum[:, :2] * class_weight[:2]
    weight_discounted = (voters_by_class - multiplier_sum) @ class_weight
    in_scale = data.scale_min - lowest
    score_counts = histogram.sum(axis=1)[:, in_scale : in_scale + n_points]

    voters_per_class = _voters_per_class(data.voter_ids if every else data.voter_ids[known], classes)

    summary = {
        "voters": {cls.value: int(voters_per_class[code]) for cls, code in CLASS_CODES.items()},
        "weight": {
            VoterClass.TICKET_HOLDER.value: float(weight_by_class[:, 0].sum()),
            VoterClass.PLEDGER.value: float(weight_by_class[:, 1].sum()),
            "discounted": float(weight_discounted.sum()),
        },
        "score_counts": score_counts.sum(axis=0).tolist(),
    }
    return TallyResult(
        talk_ids=talk_ids[order],
        rank=rank[order],
        rank_best=rank_best[order],
        rank_worst=rank_worst[order],
        voters_by_class=voters_by_class[order],
        raw_mean=raw_mean[order],
        weighted_mean=weighted_mean[order],
        bayes_average=bayes[order],
        spread=spread[order],
        weight_by_class=weight_by_class[order],
        weight_discounted=weight_discounted[order],
        score_counts=score_counts[order],
        prior_mean=prior_mean,
        vote_count=len(idx),
        voter_count=int(voters_per_class.sum()),
        summary=summary,
    )


def _voters_per_class(voter_ids: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """How many distinct voters of each class (a voter has one class, whatever they voted on)."""
    if len(voter_ids) == 0:
        return np.zeros(3, dtype=np.int64)
    largest = int(voter_ids.max())
    if largest < 64 * len(voter_ids) + 1_000_000:  # ids are dense enough for a lookup table
        class_of = np.full(largest + 1, -1, dtype=np.int64)
        class_of[voter_ids] = classes
        return np.bincount(class_of[class_of >= 0], minlength=3)
    _, first = np.unique(voter_ids, return_index=True)
    return np.bincount(classes[first], minlength=3)


def positions_of(sorted_ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each value in sorted_ids (ascending, unique), or -1 when it is not there."""
    if len(sorted_ids) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    largest = int(max(sorted_ids[-1], values.max(initial=0)))
    if sorted_ids[0] >= 0 and values.min(initial=0) >= 0 and largest < 64 * len(sorted_ids) + 1_000_000:
        table = np.full(largest + 1, -1, dtype=np.int64)  # ids are dense enough for a lookup table
        table[sorted_ids] = np.arange(len(sorted_ids))
        return table[values]
    position = np.clip(np.searchsorted(sorted_ids, values), 0, len(sorted_ids) - 1)
    return np.where(sorted_ids[position] == values, position, -1)
