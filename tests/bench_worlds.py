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


def assert_planted_blocs(conf, scale, *, oppose_at_most: int) -> None:
    """A world's campaigns as its ground truth states them: every voter in one bloc at most, every
    planted vote on its bloc's talks, blocs of 3 to 40 members who all voted; a support bloc's members
    all rate its boosted talk at least "want to see"; an opposition bloc targets one talk, with scores
    at most `oppose_at_most` and the scale's lowest among them."""
    data = conf.data
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    talks_of: dict[int, set[int]] = {}
    for bloc in conf.blocs:
        for v in bloc.member_ids:
            assert v not in talks_of, "a voter is in one bloc only"
            talks_of[v] = set(bloc.talk_ids)
    assert all(t in talks_of[v] for v, t in zip(voters[conf.planted], talks[conf.planted], strict=True))
    for bloc in conf.blocs:
        assert 3 <= len(bloc.member_ids) <= 40, bloc.kind
        assert bloc.direction in ("support", "oppose")
        mine = conf.planted & np.isin(voters, bloc.member_ids) & np.isin(talks, bloc.talk_ids)
        assert set(np.unique(voters[mine]).tolist()) == set(bloc.member_ids), bloc.kind  # every member voted
        if bloc.direction == "support":
            assert bloc.boosted_talk is not None
            on_target = mine & (talks == bloc.boosted_talk)
            assert on_target.sum() == len(bloc.member_ids), bloc.kind  # every member rates it up
            assert (data.vote_score[on_target] >= scale.wanted_min).all()
        else:
            assert bloc.boosted_talk is None and len(bloc.talk_ids) == 1
            assert (data.vote_score[mine] == scale.minimum).any()
            assert (data.vote_score[mine] <= oppose_at_most).all()
