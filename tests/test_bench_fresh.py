"""The fresh bloc generator (bench/blocs_fresh.py): deterministic, the size asked for, and ground truth
that agrees with the votes. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_fresh import KINDS, fresh_conference
from bench.blocs_synthetic import SIZES


@pytest.fixture(scope="module")
def small():
    return fresh_conference("small", 1)


def test_same_seed_same_conference(small):
    again = fresh_conference("small", 1)
    for name in ("vote_voter", "vote_talk", "vote_score", "vote_at", "voter_weight", "voter_order", "voter_domain"):
        assert np.array_equal(getattr(small.data, name), getattr(again.data, name)), name
    assert small.blocs == again.blocs
    assert np.array_equal(small.planted, again.planted)
    other = fresh_conference("small", 2)
    assert not np.array_equal(small.data.vote_talk[:500], other.data.vote_talk[:500])


def test_sizes_in_range(small):
    spec = SIZES["small"]
    data = small.data
    assert data.n_talks == spec.talks
    assert spec.voters <= data.n_voters <= spec.voters * 1.2  # new accounts made for blocs come on top
    assert 0.85 * spec.votes <= len(data.vote_score) <= 1.15 * spec.votes
    assert data.vote_score.min() >= 0 and data.vote_score.max() <= 3
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert (ballots <= data.n_talks).all()
    assert ballots.max() >= 0.25 * data.n_talks  # heavy raters exist
    assert (ballots == 1).sum() >= 0.1 * spec.voters  # and drive-by voters
    pairs = data.vote_voter.astype(np.int64) * data.n_talks + data.vote_talk
    assert len(np.unique(pairs)) == len(pairs)


def test_ground_truth_agrees_with_the_votes(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    assert small.planted.any()
    assert not (small.planted & small.honest).any()
    members = {v for b in small.blocs for v in b.member_ids}
    assert set(np.unique(voters[small.planted]).tolist()) <= members
    for bloc in small.blocs:
        mine = small.planted & np.isin(voters, bloc.member_ids)
        assert set(np.unique(talks[mine]).tolist()) <= set(bloc.talk_ids) | {
            t for b in small.blocs if set(b.member_ids) & set(bloc.member_ids) for t in b.talk_ids
        }
        aimed = mine & np.isin(talks, bloc.talk_ids)
        assert aimed.any(), bloc.kind
        if bloc.boosted_talk is not None:
            on_target = mine & (talks == bloc.boosted_talk)
            assert on_target.sum() == len(bloc.member_ids), bloc.kind  # every member votes for it
            assert (data.vote_score[on_target] >= 2).all()
        else:
            assert bloc.direction == "oppose"
            assert (data.vote_score[aimed] == 0).all()
    for group in small.honest_groups:
        assert not (small.planted & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)).any() or (
            group.kind in ("proud_colleagues", "couples")  # large groups may include a planted member elsewhere
        )
    real = voters <= SIZES["small"].voters
    assert (small.honest == (~small.planted & real)).all()
    assert small.colleague.sum() > 0


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(KINDS)
    assert {g.kind for g in small.honest_groups} >= {"proud_colleagues", "meetup", "university_class", "couples"}
    for bloc in small.blocs:
        assert 3 <= len(bloc.member_ids) <= 40
