"""Checks every generated bloc world's test makes (tests/test_bench_fresh*.py): the same seed gives the
same conference, and the honest conference alone keeps the planted one's honest votes unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# The BlocInput arrays a world fills in; a world without promotions or speakers' facts compares fewer.
WORLD_ARRAYS = (
    "vote_voter",
    "vote_talk",
    "vote_score",
    "vote_at",
    "voter_weight",
    "voter_order",
    "voter_domain",
    "voter_company",
    "voter_joined",
    "talk_company",
    "talk_domain",
    "talk_speaker",
    "talk_promoted",
)


def vote_keys(conf) -> np.ndarray:
    """One integer per vote: its voter id and talk id."""
    data = conf.data
    return data.voter_ids[data.vote_voter] * 1_000_000 + data.talk_ids[data.vote_talk]


def assert_same_seed_same_conference(
    generate: Callable[[int], object], small, names: tuple[str, ...] = WORLD_ARRAYS, *, colleague: bool = True
) -> None:
    """`generate(seed)` gives `small` again for seed 1 (every array in `names`, the blocs, the honest
    groups, the ground truth) and another conference for seed 2."""
    again = generate(1)
    for name in names:
        assert np.array_equal(getattr(small.data, name), getattr(again.data, name)), name
    assert small.blocs == again.blocs
    assert small.honest_groups == again.honest_groups
    assert np.array_equal(small.planted, again.planted)
    if colleague:
        assert np.array_equal(small.colleague, again.colleague)
    other = generate(2)
    assert not np.array_equal(small.data.vote_talk[:500], other.data.vote_talk[:500])


def assert_honest_votes_kept(alone, conf) -> None:
    """The honest votes of the planted conference `conf` are the honest conference's (`alone`), with
    their scores and times unchanged."""
    honest = np.flatnonzero(conf.honest)
    pos = np.searchsorted(vote_keys(alone), vote_keys(conf)[honest])
    assert np.array_equal(vote_keys(alone)[pos], vote_keys(conf)[honest])
    assert np.array_equal(alone.data.vote_score[pos], conf.data.vote_score[honest])
    assert np.array_equal(alone.data.vote_at[pos], conf.data.vote_at[honest])
