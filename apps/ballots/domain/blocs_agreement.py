"""A group's usual agreement: how much more often its members pick the same talks than independent
voters would (rule key `group_null: shared_taste`, round 9 in docs/blocs.md).

People on one ticket order, or from one organisation, do not choose talks independently: friends
share a taste, colleagues share a field. The group tests ask whether a group rated one talk far more
often than independent voting predicts; for a group with shared taste the answer is "yes" on whatever
talks its taste falls, and a Poisson null then flags it. So each group's test is judged against the
agreement that this same group shows on its other talks.

Agreement is counted in pairs: on each talk, the pairs of members who both rated it in the tested way,
X (X - 1) / 2 for X such members, against what independent voting predicts. A member who cast n votes
rates talk t that way with probability n × r_t (r_t: the talk's share of all votes in that way), so the
pairs expected on t are r_t² × (N² - Σ n²) / 2 (N: the members' votes in all). The group's agreement
ratio is the pairs it shares over the pairs expected, summed over its talks except the tested one and
except its one most agreed other talk (a campaign that pushes two talks must not make the second look
like the group's habit); talks of the group's own speakers are left out for organisations (loyalty
is the colleague test's concern). Small groups say little about themselves, so each group's ratio is
shrunk toward the ratio of all groups of its kind, by the Poisson-gamma empirical Bayes estimate whose
prior (mean and spread) is fitted by moments over all groups of that kind in the conference — no
constant is chosen by hand.

The test itself then treats the group's count on a talk as Poisson with a gamma-distributed intensity
(a negative binomial): mean the independent prediction E, and pairs inflated by the agreement ratio φ,
which is shape k = 1 / (φ - 1). A ratio at or below 1 leaves the Poisson test as it was, so no group is
judged more harshly than under independent voting.
"""

from __future__ import annotations

import numpy as np


def _expected_agreeing(pair_weight: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Per group, the talks on which at least two members are expected to agree under independent
    voting: the sum over talks of min(1, r_t² × pair_weight / 2) (the pairs expected on the talk,
    which is the chance of two or more while it is small; at most one talk each)."""
    r2 = np.sort(rate**2)
    below = np.concatenate(([0.0], np.cumsum(r2)))
    # Talks with r² × pair_weight / 2 ≥ 1 count once each; the others by their expected pairs.
    cut = np.searchsorted(r2, 2.0 / np.maximum(pair_weight, 1e-300), side="left")
    return below[cut] * pair_weight / 2.0 + (len(r2) - cut)


def group_agreement(
    keys: np.ndarray,
    observed: np.ndarray,
    n_talks: int,
    rate: np.ndarray,
    pair_weight: np.ndarray,
    loyal_keys: np.ndarray,
    asked: np.ndarray,
) -> np.ndarray:
    """The agreement ratio (≥ 1) for each (group, talk) key in `asked`.

    `keys` / `observed`: every (group * n_talks + talk) with at least one member rating the talk the
    tested way, and how many; `rate`: per talk, its share of all votes in that way; `pair_weight`: per
    group, N² - Σ n²; `loyal_keys`: (group, talk) keys left out of the agreement (a group's own
    speakers' talks); `asked`: the keys whose ratio is wanted."""
    n_groups = len(pair_weight)
    grp, talk = keys // n_talks, keys % n_talks
    loyal = np.isin(keys, loyal_keys)
    agree = (observed >= 2) & ~loyal
    expected_cell = np.minimum(rate[talk] ** 2 * pair_weight[grp] / 2.0, 1.0)
    loyal_grp, loyal_talk = loyal_keys // n_talks, loyal_keys % n_talks
    loyal_expected = np.bincount(
        loyal_grp,
        weights=np.minimum(rate[loyal_talk] ** 2 * pair_weight[loyal_grp] / 2.0, 1.0),
        minlength=n_groups,
    )[:n_groups]
    agreeing = np.bincount(grp, weights=agree, minlength=n_groups)
    expected = np.maximum(_expected_agreeing(pair_weight, rate) - loyal_expected, 0.0)

    # The prior: the agreement of all groups of the kind (mean), and how much groups differ (the
    # gamma prior's shape, by moments: the spread of the counts beyond what Poisson noise gives).
    prior_mean = agreeing.sum() / expected.sum() if expected.sum() > 0 else 1.0
    mean_g = prior_mean * expected
    spread = float(((agreeing - mean_g) ** 2 - mean_g).sum())
    prior_shape = float((mean_g**2).sum()) / spread if spread > 0 else np.inf

    # Per asked key: the group's agreeing talks and their prediction without the tested talk.
    pos = np.searchsorted(keys, asked)
    g = asked // n_talks
    rest = np.maximum(agreeing[g] - agree[pos], 0.0)
    rest_expected = np.maximum(expected[g] - np.where(loyal[pos], 0.0, expected_cell[pos]), 0.0)
    if not np.isfinite(prior_shape):
        ratio = np.full(len(asked), prior_mean)
    else:
        ratio = (rest + prior_shape) / (rest_expected + prior_shape / max(prior_mean, 1e-12))
    return np.maximum(ratio, 1.0)
