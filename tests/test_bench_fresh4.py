"""The fresh4 bloc generator (bench/blocs_fresh4.py): deterministic, the size asked for, ground truth that
agrees with the votes, every planted and honest kind present at small, and the honest conference alone
when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh4 import BLOC_KINDS, CLOSES, FREE_MAIL, HONEST_KINDS, OPENS, SCALE, fresh4_conference
from bench.blocs_synthetic import SIZES
from tests.bench_worlds import (
    assert_honest_alone,
    assert_planted_blocs,
    assert_same_seed_same_conference,
    vote_keys,
)


@pytest.fixture(scope="module")
def small():
    return fresh4_conference("small", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh4_conference("small", seed), small)


def test_sizes_in_range(small):
    spec = SIZES["small"]
    data = small.data
    assert data.n_talks == spec.talks
    assert spec.voters < data.n_voters <= spec.voters * 1.3  # accounts made for campaigns come on top
    assert 0.85 * spec.votes <= len(data.vote_score) <= 1.15 * spec.votes
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 5, 4)
    assert set(np.unique(data.vote_score).tolist()) == {1, 2, 3, 4, 5}
    assert data.vote_at.min() >= OPENS and data.vote_at.max() < CLOSES  # the 21 days of the vote
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.2 * data.n_talks  # completionists rate a large share
    assert (ballots == 1).sum() >= 0.03 * spec.voters  # drive-by voters
    keys = vote_keys(small)
    assert len(np.unique(keys)) == len(keys)
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    first = np.full(data.n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first, data.vote_voter, data.vote_at)
    voted = first < np.iinfo(np.int64).max
    assert (data.voter_joined[voted] <= first[voted]).all()  # an account exists before its first vote
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    assert len(data.talk_promoted) == 12  # six featured pushes of two talks, recorded
    # subsidiaries and university departments: several domains per organisation, free mail left out
    assert not set(FREE_MAIL) & set(data.domain_labels)
    assert any(d.startswith("cs.") for d in data.domain_labels)
    assert any(d.endswith("cloud.example") or d.endswith("labs.example") for d in data.domain_labels)


def test_ground_truth_agrees_with_the_votes(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    assert small.planted.any()
    assert not (small.planted & small.honest).any()
    members = {v for b in small.blocs for v in b.member_ids}
    assert set(np.unique(voters[small.planted]).tolist()) <= members  # planted votes are members'
    real = voters <= SIZES["small"].voters
    assert (small.honest == (~small.planted & real)).all()  # honest excludes planted and campaign-only accounts
    assert not real[small.planted].all()  # some accounts exist only for a campaign
    assert small.planted[~real].all()  # every vote of a campaign-only account is planted
    assert_planted_blocs(small, SCALE, oppose_at_most=2)
    honest_members = {v for g in small.honest_groups for v in g.member_ids}
    assert not honest_members & members
    for group in small.honest_groups:
        assert group.direction == "honest" and group.boosted_talk is None
        assert not (small.planted & np.isin(voters, group.member_ids)).any(), group.kind
        shared = small.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
        assert shared.sum() >= len(group.member_ids) // 2, group.kind  # the group's votes are there
    assert small.colleague.sum() > 0


def test_colleagues_are_the_speakers_coworkers(small):
    """An advocacy programme and a lab push are the speaker's colleagues; a vote swap's other side,
    crowd workers and booth visitors are not."""
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]

    def on_target(bloc):
        return small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)

    for kind in ("advocacy_programme", "lab_push"):
        (bloc,) = [b for b in small.blocs if b.kind == kind]
        assert small.colleague[on_target(bloc)].all(), kind
    for kind in ("crowd_workers", "booth_qr", "influencer_post"):
        (bloc,) = [b for b in small.blocs if b.kind == kind]
        assert not small.colleague[on_target(bloc)].any(), kind
    swaps = [b for b in small.blocs if b.kind == "vote_swap"]
    assert len(swaps) == 2 and swaps[0].boosted_talk != swaps[1].boosted_talk
    for bloc in swaps:
        assert small.colleague[on_target(bloc)].mean() < 0.5


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert len(small.blocs) == len(BLOC_KINDS) + 1  # the vote swap is two blocs
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    data = small.data
    promoted = set((data.talk_ids[data.talk_promoted[:, 0]]).tolist())
    featured = {t for g in small.honest_groups if g.kind == "featured_push" for t in g.talk_ids}
    trending = {t for g in small.honest_groups if g.kind == "trending_push" for t in g.talk_ids}
    assert promoted == featured  # the organizers' pushes are recorded, the vendor's trending pushes are not
    assert not (trending - featured) & promoted


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh4_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    for name in ("talk_company", "talk_speaker", "talk_promoted"):
        assert np.array_equal(getattr(alone.data, name), getattr(small.data, name)), name

    def speaker_domains(data):  # codes shift with the campaign accounts' domains; the labels do not
        return {(int(t), data.domain_labels[d]) for t, d in data.talk_domain}

    assert speaker_domains(alone.data) == speaker_domains(small.data)
