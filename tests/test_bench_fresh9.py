"""The fresh9 bloc generator (bench/blocs_fresh9.py, a game developers' conference's community vote on a three-level
hype scale): deterministic, the size asked for, ground truth that agrees with the votes, every planted and honest
kind present, campaigns shaped as the docstring says, and the honest conference alone when nothing is planted. Pure
numpy, no database; no timing assertions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh9 import (
    ACCOUNT_KINDS,
    BLOC_KINDS,
    CLOSES,
    FREE_MAIL,
    HONEST_KINDS,
    OPENS,
    SCALE,
    _honest,
    fresh9_conference,
)
from bench.blocs_synthetic import SIZES
from confvote.free_mail import FREE_MAIL_DOMAINS
from tests.bench_worlds import (
    aimed_times,
    assert_colleague_mask,
    assert_facts_kept,
    assert_ground_truth,
    assert_honest_alone,
    assert_planted_blocs,
    assert_same_seed_same_conference,
    assert_size_in_range,
    assert_votes_after_joining,
    blocs_by_kind,
    per_voter,
    voters_talks,
)

DAY = 86_400


@pytest.fixture(scope="module")
def small():
    return fresh9_conference("small", 1)


@pytest.fixture(scope="module")
def world():
    """The honest world of small seed 1, as the generator draws it (positions 0-based)."""
    return _honest(np.random.default_rng([1, 0, 9001]), "small")


@pytest.fixture(scope="module")
def medium():
    return fresh9_conference("medium", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh9_conference("small", seed), small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_sizes_in_range(seed, small):
    conf = small if seed == 1 else fresh9_conference("small", seed)
    assert_size_in_range(conf, SIZES["small"])  # accounts made for campaigns come on top
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert len(conf.blocs) >= max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert_planted_blocs(conf, SCALE, oppose_at_most=2)
    assert_ground_truth(conf, SIZES["small"].voters, ACCOUNT_KINDS)


def test_medium_size_in_range(medium):
    assert_size_in_range(medium, SIZES["medium"])
    assert {b.kind for b in medium.blocs} == set(BLOC_KINDS)
    assert len(medium.blocs) >= SIZES["medium"].blocs
    assert_planted_blocs(medium, SCALE, oppose_at_most=2)
    assert_ground_truth(medium, SIZES["medium"].voters, ACCOUNT_KINDS)
    assert sum(g.kind == "jam_night" for g in medium.honest_groups) == 3


def test_the_world_looks_like_a_games_conference_vote(small):
    data = small.data
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 3, 3)
    assert data.scale.labels == ("skip", "curious", "must see")
    shares = np.bincount(data.vote_score, minlength=4)[1:] / len(data.vote_score)
    assert (shares > 0.2).all()  # every level is used
    at = data.vote_at
    assert at.min() >= OPENS and at.max() < CLOSES
    days = np.bincount((at - OPENS) // DAY, minlength=12)
    assert days[0] == days.max() and days[11] > np.median(days)  # showcase night, last call
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}  # all-access, expo, free
    assert_votes_after_joining(data)
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.3 * SIZES["small"].talks and (ballots <= 3).sum() >= 0.1 * SIZES["small"].voters
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    # free mail is no group; gamer handles' own domains and students' subdomains are domains detection sees
    assert not set(FREE_MAIL) & set(data.domain_labels) and set(FREE_MAIL) <= FREE_MAIL_DOMAINS
    assert any(d.endswith(".gg") for d in data.domain_labels)
    assert any(d.startswith("student.") for d in data.domain_labels)
    assert (data.voter_domain == -1).mean() > 0.4
    assert any(c.startswith(("ex ", "formerly ")) or c.endswith("laid off") for c in data.company_labels)
    prefixes = {label.split("-")[0] for label in data.order_labels}
    assert {"REG", "EXP", "STU", "EDU", "JAM"} <= prefixes


def test_the_newsletter_is_recorded_and_the_stream_is_not(small, world):
    data = small.data
    recorded = {int(data.talk_ids[p]) for p in data.talk_promoted[:, 0].tolist()}
    letters = {t for g in small.honest_groups if g.kind == "newsletter_spotlight" for t in g.talk_ids}
    assert recorded == letters and len(letters) == 5
    (stream,) = [g for g in small.honest_groups if g.kind == "stream_feature"]
    followed = {int(world.follows[v - 1]) for v in stream.member_ids}
    assert len(followed) == 1  # one streamer's viewers
    streamer = int(world.streamers[followed.pop()])
    assert streamer not in world.speaker  # a streamer with no talk


def test_colleague_mask_is_the_speakers_organisations(small, world):
    """Recomputed from the generator's own world: a vote is a colleague's when the voter's organisation is one of
    the talk's speakers'; coworkers' votes on their talk all are, laid-off ex-colleagues' and accounts' none."""
    assert_colleague_mask(small, world, ACCOUNT_KINDS)


def test_campaign_shapes(small, world):
    data = small.data
    voters, talks = voters_talks(small)
    by_kind = blocs_by_kind(small)
    order_of, joined_of = per_voter(data, "voter_order"), per_voter(data, "voter_joined")
    labels = np.array(data.order_labels)

    def aimed(bloc):
        return aimed_times(small, bloc)

    (ring,) = by_kind["order"]
    codes = {order_of[v] for v in ring.member_ids}
    assert len(codes) == 1 and labels[codes.pop()].split("-")[0] in ("STU", "EDU", "JAM")
    (burst,) = by_kind["friends_burst"]
    orders = [order_of[v] for v in burst.member_ids if order_of[v] >= 0]
    assert len(set(orders)) == len(orders) and np.ptp(aimed(burst)) <= 75 * 60
    (spread,) = by_kind["friends_spread"]
    assert np.ptp(aimed(spread)) > 3600 and any(v > world.V for v in spread.member_ids)
    (puppets,) = by_kind["sockpuppets"]
    ballots = [set(talks[small.planted & (voters == v)].tolist()) for v in puppets.member_ids]
    assert all(b == ballots[0] for b in ballots) and 5 <= len(ballots[0]) <= 9  # one common ballot
    assert np.ptp([joined_of[v] for v in puppets.member_ids]) <= 30 * 60  # made within half an hour
    firsts = sorted(data.vote_at[voters == v].min() for v in puppets.member_ids)
    assert all(b - a >= 3 * 3600 - 600 for a, b in itertools.pairwise(firsts))  # one per sitting
    (raid,) = by_kind["streamer_raid"]
    streamers = set(world.streamers.tolist())
    assert any(int(v) in streamers for v in world.speaker[raid.boosted_talk - 1])
    assert np.ptp(aimed(raid)) <= 150 * 60 and sum(v > world.V for v in raid.member_ids) >= 0.5 * len(raid.member_ids)
    old = [v for v in raid.member_ids if v <= world.V]
    assert len({int(world.follows[v - 1]) for v in old}) <= 1  # the streamer's followers
    (portfolio,) = by_kind["publisher_portfolio"]
    for v in portfolio.member_ids:
        assert set(talks[small.planted & (voters == v)].tolist()) == set(portfolio.talk_ids)  # every portfolio talk
    rings = by_kind["upvote_ring"]
    assert 3 <= len(rings) <= 5
    ring_talks = {b.boosted_talk for b in rings}
    assert len(ring_talks) == len(rings)  # each studio boosts the next studio's talk
    for b in rings:
        studios = {int(world.org[v - 1]) for v in b.member_ids}
        assert len(studios) == 1
        own = {t for t in ring_talks if world.talk_org[t - 1] in studios}
        assert len(own) == 1 and set(b.talk_ids) == ring_talks - own  # every other studio's talk, not its own
    (rally,) = by_kind["discord_rally"]
    shared = set.intersection(*({int(s) for s in world.server[v - 1] if s >= 0} for v in rally.member_ids))
    assert shared  # members of one server
    (alumni,) = by_kind["layoff_alumni"]
    formers = {int(world.former[v - 1]) for v in alumni.member_ids}
    assert len(formers) == 1 and formers.pop() >= 0
    assert not small.colleague[small.planted & np.isin(voters, alumni.member_ids)].any()  # not colleagues now
    opposed = {b.kind for b in small.blocs if b.direction == "oppose"}
    assert opposed == {"rival_studio", "review_bomb"}
    (bomb,) = by_kind["review_bomb"]
    assert np.ptp(aimed_all := data.vote_at[small.planted & np.isin(voters, bomb.member_ids)]) <= 6 * 3600
    assert len(aimed_all) == len(bomb.member_ids)


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh9_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    assert_facts_kept(alone, small)


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    assert sum(g.kind == "newsletter_spotlight" for g in small.honest_groups) == 5
