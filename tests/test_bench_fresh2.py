"""The fresh2 bloc generator (bench/blocs_fresh2.py): deterministic, the size asked for, ground truth that
agrees with the votes, and the honest conference alone when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh2 import HONEST_KINDS, KINDS, fresh2_conference
from bench.blocs_synthetic import SIZES
from tests.bench_worlds import WORLD_ARRAYS, assert_same_seed_same_conference, vote_keys


@pytest.fixture(scope="module")
def small():
    return fresh2_conference("small", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(
        lambda seed: fresh2_conference("small", seed), small, WORLD_ARRAYS[:9], colleague=False
    )


def test_sizes_in_range(small):
    spec = SIZES["small"]
    data = small.data
    assert data.n_talks == spec.talks
    assert spec.voters <= data.n_voters <= spec.voters * 1.2  # accounts made for blocs come on top
    assert 0.85 * spec.votes <= len(data.vote_score) <= 1.15 * spec.votes
    assert data.vote_score.min() >= 0 and data.vote_score.max() <= 3
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.25 * data.n_talks  # heavy raters
    assert (ballots == 1).sum() >= 0.05 * spec.voters  # drive-by voters
    keys = vote_keys(small)
    assert len(np.unique(keys)) == len(keys)
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    first = np.full(data.n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first, data.vote_voter, data.vote_at)
    voted = first < np.iinfo(np.int64).max
    assert (data.voter_joined[voted] <= first[voted]).all()  # an account exists before its first vote
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0


def test_ground_truth_agrees_with_the_votes(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    assert small.planted.any()
    assert not (small.planted & small.honest).any()
    members = {v for b in small.blocs for v in b.member_ids}
    assert set(np.unique(voters[small.planted]).tolist()) <= members  # planted votes are members'
    real = voters <= SIZES["small"].voters
    assert (small.honest == (~small.planted & real)).all()  # honest excludes planted and bloc-only accounts
    assert not real[small.planted].all()  # some accounts exist only for a bloc
    for bloc in small.blocs:
        assert 3 <= len(bloc.member_ids) <= 40, bloc.kind
        assert bloc.direction in ("support", "oppose")
        mine = small.planted & np.isin(voters, bloc.member_ids)
        assert set(np.unique(talks[mine]).tolist()) <= set(bloc.talk_ids), bloc.kind
        if bloc.direction == "support":
            assert bloc.boosted_talk is not None
            on_target = mine & (talks == bloc.boosted_talk)
            # every member rates it up (a cartel's speaker skips their own talk)
            assert on_target.sum() >= len(bloc.member_ids) - 1, bloc.kind
            assert (data.vote_score[on_target] >= 2).all()
        else:
            assert bloc.boosted_talk is None
            assert (data.vote_score[mine] == 0).any()
    for group in small.honest_groups:
        assert group.direction == "honest" and group.boosted_talk is None
        assert not (small.planted & np.isin(voters, group.member_ids)).any(), group.kind
    assert small.colleague.sum() > 0


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh2_conference("small", 1, plant=plant_nothing)
    assert not alone.planted.any()
    assert alone.blocs == ()
    assert alone.data.n_voters == SIZES["small"].voters
    assert alone.honest.all()
    # the honest votes of the planted conference are the honest conference's (a member's own vote on a
    # talk their bloc also votes on is replaced by the bloc's)
    assert np.isin(vote_keys(small)[small.honest], vote_keys(alone)).all()
