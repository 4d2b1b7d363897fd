"""The fresh3 bloc generator (bench/blocs_fresh3.py): deterministic, the size asked for, ground truth that
agrees with the votes, and the honest conference alone when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh3 import BLOC_KINDS, CLOSES, HONEST_KINDS, OPENS, fresh3_conference
from bench.blocs_synthetic import SIZES
from tests.bench_worlds import assert_honest_votes_kept, assert_same_seed_same_conference, vote_keys


@pytest.fixture(scope="module")
def small():
    return fresh3_conference("small", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh3_conference("small", seed), small)


def test_sizes_in_range(small):
    spec = SIZES["small"]
    data = small.data
    assert data.n_talks == spec.talks
    assert spec.voters < data.n_voters <= spec.voters * 1.3  # accounts made for blocs come on top
    assert 0.85 * spec.votes <= len(data.vote_score) <= 1.15 * spec.votes
    assert data.vote_score.min() >= 0 and data.vote_score.max() <= 3
    assert data.vote_at.min() >= OPENS and data.vote_at.max() < CLOSES  # the 10 days of the vote
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.2 * data.n_talks  # reviewers rate a large share
    assert (ballots == 1).sum() >= 0.03 * spec.voters  # drive-by voters
    keys = vote_keys(small)
    assert len(np.unique(keys)) == len(keys)
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    first = np.full(data.n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first, data.vote_voter, data.vote_at)
    voted = first < np.iinfo(np.int64).max
    assert (data.voter_joined[voted] <= first[voted]).all()  # an account exists before its first vote
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    assert len(data.talk_promoted) == 5  # the newsletter's featured talks


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
    assert small.planted[~real].all()  # every vote of a bloc-only account is planted
    # each planted vote lies on a talk of a bloc its voter belongs to
    talks_of: dict[int, set[int]] = {}
    for bloc in small.blocs:
        for v in bloc.member_ids:
            talks_of.setdefault(v, set()).update(bloc.talk_ids)
    assert all(t in talks_of[v] for v, t in zip(voters[small.planted], talks[small.planted], strict=True))
    for bloc in small.blocs:
        assert 3 <= len(bloc.member_ids) <= 40, bloc.kind
        assert bloc.direction in ("support", "oppose")
        mine = small.planted & np.isin(voters, bloc.member_ids) & np.isin(talks, bloc.talk_ids)
        if bloc.direction == "support":
            assert bloc.boosted_talk is not None
            on_target = mine & (talks == bloc.boosted_talk)
            assert on_target.sum() == len(bloc.member_ids), bloc.kind  # every member rates it up
            assert (data.vote_score[on_target] >= 2).all()
        else:
            assert bloc.boosted_talk is None
            assert (data.vote_score[mine] == 0).any()
            assert (data.vote_score[mine & np.isin(voters, bloc.member_ids)] <= 1).sum() >= len(bloc.member_ids)
    for group in small.honest_groups:
        assert group.direction == "honest" and group.boosted_talk is None
        assert not (small.planted & np.isin(voters, group.member_ids)).any(), group.kind
    assert small.colleague.sum() > 0


def test_colleagues_are_the_speakers_coworkers(small):
    """A sponsor's push is made of the speaker's true colleagues, whatever mail they use."""
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    (push,) = [b for b in small.blocs if b.kind == "sponsor_push"]
    on_target = small.planted & np.isin(voters, push.member_ids) & (talks == push.boosted_talk)
    assert small.colleague[on_target].all()
    farm = next(b for b in small.blocs if b.kind == "click_farm")
    assert not small.colleague[np.isin(voters, farm.member_ids)].any()


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    kinds = {g.kind for g in small.honest_groups}
    # households of 3–4 are listed when a seed draws one; pairs always share an order
    assert set(HONEST_KINDS) - {"household"} <= kinds <= set(HONEST_KINDS)
    labels = small.data.order_labels
    households = np.array([labels[o].startswith("H") if o >= 0 else False for o in small.data.voter_order])
    assert np.bincount(small.data.voter_order[households]).max() >= 2


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh3_conference("small", 1, plant=plant_nothing)
    assert not alone.planted.any()
    assert alone.blocs == ()
    assert alone.data.n_voters == SIZES["small"].voters
    assert alone.honest.all()
    # the honest votes of the planted conference are the honest conference's, unchanged (a member's own
    # vote on a talk their bloc also votes on is replaced by the bloc's)
    assert_honest_votes_kept(alone, small)
