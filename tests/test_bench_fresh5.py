"""The fresh5 bloc generator (bench/blocs_fresh5.py): deterministic, the size asked for, ground truth that
agrees with the votes, every planted and honest kind present at small, and the honest conference alone
when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh5 import BLOC_KINDS, CLOSES, FREE_MAIL, HONEST_KINDS, OPENS, SCALE, fresh5_conference
from bench.blocs_synthetic import SIZES
from tests.bench_worlds import (
    assert_honest_alone,
    assert_planted_blocs,
    assert_same_seed_same_conference,
    vote_keys,
)


@pytest.fixture(scope="module")
def small():
    return fresh5_conference("small", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh5_conference("small", seed), small)


def test_sizes_in_range(small):
    spec = SIZES["small"]
    data = small.data
    assert data.n_talks == spec.talks
    assert spec.voters < data.n_voters <= spec.voters * 1.3  # accounts made for campaigns come on top
    assert 0.85 * spec.votes <= len(data.vote_score) <= 1.15 * spec.votes
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (0, 4, 3)
    assert set(np.unique(data.vote_score).tolist()) == {0, 1, 2, 3, 4}
    assert data.vote_at.min() >= OPENS and data.vote_at.max() < CLOSES  # the eight days of the vote
    hours = (data.vote_at - OPENS) // 3600 % 24
    assert (hours < 10).mean() > 0.6  # office hours (07:00-17:00 UTC) carry most votes
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.3 * data.n_talks  # completionists
    assert (ballots <= 3).sum() >= 0.05 * spec.voters  # light voters
    keys = vote_keys(small)
    assert len(np.unique(keys)) == len(keys)
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    first = np.full(data.n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first, data.vote_voter, data.vote_at)
    voted = first < np.iinfo(np.int64).max
    assert (data.voter_joined[voted] <= first[voted]).all()  # an account exists before its first vote
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    assert len(data.talk_promoted) == 6  # the livestream's six talks, recorded
    assert not set(FREE_MAIL) & set(data.domain_labels)
    assert "skatt.gov.example" in data.domain_labels and "cs.uni-nordhaven.example" in data.domain_labels
    # a regional conference: the six big employers' domains hold a large share of work-mail voters
    big = [
        i for i, d in enumerate(data.domain_labels) if "nordhaven" in d or d.split(".")[0] in ("sparbank", "kestrel")
    ]
    assert np.isin(data.voter_domain, big).sum() >= 0.15 * spec.voters


def test_ground_truth_agrees_with_the_votes(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    assert small.planted.any()
    assert not (small.planted & small.honest).any()
    members = {v for b in small.blocs for v in b.member_ids}
    assert set(np.unique(voters[small.planted]).tolist()) <= members
    real = voters <= SIZES["small"].voters
    assert (small.honest == (~small.planted & real)).all()
    assert not real[small.planted].all()  # some accounts exist only for a campaign
    assert small.planted[~real].all()  # every vote of a campaign-only account is planted
    assert_planted_blocs(small, SCALE, oppose_at_most=1)
    honest_members = {v for g in small.honest_groups for v in g.member_ids}
    assert not honest_members & members
    for group in small.honest_groups:
        assert group.direction == "honest" and group.boosted_talk is None
        shared = small.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
        assert shared.sum() >= len(group.member_ids), group.kind
    assert small.colleague.sum() > 0


def test_colleagues_are_the_speakers_coworkers(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]

    def on_target(bloc):
        return small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)

    for kind in ("slack_channel",):
        (bloc,) = [b for b in small.blocs if b.kind == kind]
        assert small.colleague[on_target(bloc)].all(), kind
    for kind in ("schedule_bot", "recruiter_pool", "telegram_group"):
        (bloc,) = [b for b in small.blocs if b.kind == kind]
        assert not small.colleague[on_target(bloc)].any(), kind
    (circuit,) = [b for b in small.blocs if b.kind == "speaker_circuit"]
    speakers = {int(data.voter_ids[v]) for v in data.talk_speaker[:, 1]}
    assert set(circuit.member_ids) <= speakers and len(circuit.talk_ids) == len(circuit.member_ids)
    (bot,) = [b for b in small.blocs if b.kind == "schedule_bot"]
    at = data.vote_at[small.planted & np.isin(voters, bot.member_ids)]
    assert (np.diff(np.sort(at)) % 900 == 0).all()  # the script's fixed schedule


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert len(small.blocs) == max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    data = small.data
    promoted = set((data.talk_ids[data.talk_promoted[:, 0]]).tolist())
    (stream,) = [g for g in small.honest_groups if g.kind == "livestream_chat"]
    assert promoted == set(stream.talk_ids)


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh5_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    for name in ("talk_company", "talk_speaker", "talk_promoted"):
        assert np.array_equal(getattr(alone.data, name), getattr(small.data, name)), name
