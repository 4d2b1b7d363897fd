"""The fresh11 bloc generator (bench/blocs_fresh11.py, a K-12 educators' conference's vote on a 1-4 rubric):
deterministic, the size asked for, ground truth that agrees with the votes, every planted and honest kind present,
campaigns shaped as the docstring says, and the honest conference alone when nothing is planted. Pure numpy, no
database; small worlds only, no timing assertions."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh11 import (
    ACCOUNT_KINDS,
    BLOC_KINDS,
    BREAK_STATE,
    CLOSES,
    DAY0,
    FREE_MAIL,
    HONEST_KINDS,
    LITERACY,
    OPENS,
    PARENT_FIELD,
    SCALE,
    SNOW_DAY,
    SNOW_STATE,
    STUDENT_TEACHER,
    TEACHER,
    VENDOR,
    _honest,
    _local,
    fresh11_conference,
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

DAY, HOUR, MINUTE = 86_400, 3_600, 60


@pytest.fixture(scope="module")
def small():
    return fresh11_conference("small", 1)


@pytest.fixture(scope="module")
def world():
    """The honest world of small seed 1, as the generator draws it (positions 0-based)."""
    return _honest(np.random.default_rng([1, 0, 11001]), "small")


@pytest.fixture(scope="module")
def medium_world():
    return _honest(np.random.default_rng([1, 1, 11001]), "medium")


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh11_conference("small", seed), small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_sizes_in_range(seed, small):
    conf = small if seed == 1 else fresh11_conference("small", seed)
    assert_size_in_range(conf, SIZES["small"])  # accounts made for campaigns come on top
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert len(conf.blocs) >= max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert_planted_blocs(conf, SCALE, oppose_at_most=2)
    assert_ground_truth(conf, SIZES["small"].voters, ACCOUNT_KINDS)
    assert {g.kind for g in conf.honest_groups} == set(HONEST_KINDS)


def test_the_world_looks_like_a_k12_vote(small, world):
    data = small.data
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 4, 3)
    shares = np.bincount(data.vote_score, minlength=5)[1:] / len(data.vote_score)
    assert (shares > 0.08).all() and 0.45 < shares[2:].sum() < 0.7
    at = data.vote_at
    assert at.min() >= OPENS and at.max() < CLOSES
    days = np.bincount((at - OPENS) // DAY, minlength=21)
    assert set(np.argsort(days)[-2:].tolist()) == {0, 20}  # the opening mail and the last call
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    assert_votes_after_joining(data)
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.3 * SIZES["small"].talks and (ballots <= 3).sum() >= 0.1 * SIZES["small"].voters
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    assert not set(FREE_MAIL) & set(data.domain_labels) and set(FREE_MAIL) <= FREE_MAIL_DOMAINS
    assert (data.voter_domain == -1).mean() > 0.3
    prefixes = {label.split("-")[0] for label in data.order_labels}
    assert {"PD", "COMP", "UNION", "UNIV", "IND", "VIRT"} <= prefixes
    # one school name in several districts: strangers with the same company field
    names = [world.company_field[v] for v in range(world.V) if world.school[v] >= 0 and world.company_field[v]]
    orgs_of: dict[str, set[int]] = {}
    for v in range(world.V):
        if world.school[v] >= 0 and world.company_field[v] in names:
            orgs_of.setdefault(world.company_field[v], set()).add(int(world.org[v]))
    assert max(len(orgs) for orgs in orgs_of.values()) >= 2


def test_service_agencies_share_a_domain_across_districts(medium_world):
    w = medium_world
    shared = {}
    for v in range(w.V):
        if w.org[v] >= 0 and w.org_kind[w.org[v]] == 0 and w.domain[v].endswith(("boces.org", "esc.org", "isd.org")):
            shared.setdefault(w.domain[v], set()).add(int(w.org[v]))
    assert shared and max(len(d) for d in shared.values()) >= 2
    assert "k12.hi.us" in w.org_domains  # a statewide district


def test_teachers_vote_in_evenings_and_at_home_on_the_snow_day(small, world):
    data = small.data
    voters, _ = voters_talks(small)
    real = small.honest
    v = voters[real] - 1
    local = data.vote_at[real] + world.offset[v]
    hour = (local % DAY) // HOUR
    teachers = world.role[v] == TEACHER
    day = (local - DAY0) // DAY
    school_day = teachers & (day % 7 < 5) & (day > 0) & (day != 7) & ~BREAK_STATE[world.state[v]]
    school_day &= ~SNOW_STATE[world.state[v]]
    evenings, teaching = ((hour >= 19) & (hour <= 22))[school_day], ((hour >= 9) & (hour <= 14))[school_day]
    assert evenings.mean() > 0.3 and evenings.mean() / 4 > 2 * teaching.mean() / 6  # an evening hour, a class hour
    snowed = teachers & SNOW_STATE[world.state[v]]
    other = teachers & ~SNOW_STATE[world.state[v]]
    assert (day == SNOW_DAY)[snowed].mean() > 2 * (day == SNOW_DAY)[other].mean()
    assert _local(1, 7, -5 * HOUR) == DAY0 + DAY + 12 * HOUR  # 07:00 Eastern


def test_spotlight_is_recorded_and_the_rest_is_not(small, world):
    data = small.data
    recorded = {int(data.talk_ids[p]) for p in data.talk_promoted[:, 0].tolist()}
    picks = {t for g in small.honest_groups if g.kind == "spotlight" for t in g.talk_ids}
    assert recorded == picks and len(picks) == 9
    (video,) = [g for g in small.honest_groups if g.kind == "influencer_video"]
    followed = {int(world.follows[v - 1]) for v in video.member_ids}
    assert len(followed) == 1 and int(world.influencers[followed.pop()]) not in world.speaker  # no talk of theirs
    (fb,) = [g for g in small.honest_groups if g.kind == "facebook_group"]
    assert len({int(world.fb_group[v - 1]) for v in fb.member_ids}) == 1
    (forward,) = [g for g in small.honest_groups if g.kind == "staff_room_forward"]
    assert len({int(world.school[v - 1]) for v in forward.member_ids}) == 1
    (plc,) = [g for g in small.honest_groups if g.kind == "plc_meeting"]
    assert len({int(world.school[v - 1]) for v in plc.member_ids}) == 1 and len(plc.member_ids) <= 8
    (course,) = [g for g in small.honest_groups if g.kind == "methods_course"]
    assert (world.role[np.array(course.member_ids) - 1] == STUDENT_TEACHER).all()


def test_colleague_mask_is_the_speakers_organisations(small, world):
    """Recomputed from the generator's own world: a vote is a colleague's when the voter's organisation is one of
    the talk's speakers'; coworkers' votes on their talk all are; the outsiders' campaigns and the accounts none."""
    never = ("ambassador_network", "union_slate", "rival_publisher", "reading_war", "parent_outrage", "order")
    assert_colleague_mask(small, world, ACCOUNT_KINDS, never)
    voters, talks = voters_talks(small)
    for kind in ("coordinator_proxy", "extra_credit"):
        (bloc,) = blocs_by_kind(small)[kind]
        on_target = small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)
        assert small.colleague[on_target].all(), kind


def test_campaign_shapes(small, world):
    data = small.data
    voters, talks = voters_talks(small)
    by_kind = blocs_by_kind(small)
    order_of, joined_of = per_voter(data, "voter_order"), per_voter(data, "voter_joined")
    labels = np.array(data.order_labels)

    def planted_talks(v):
        return set(talks[small.planted & (voters == v)].tolist())

    (ring,) = by_kind["order"]
    codes = {order_of[v] for v in ring.member_ids}
    assert len(codes) == 1 and labels[codes.pop()].split("-")[0] in ("PD", "COMP", "UNION", "UNIV")
    (burst,) = by_kind["friends_burst"]
    orders = [order_of[v] for v in burst.member_ids if order_of[v] >= 0]
    schools = [int(world.school[v - 1]) for v in burst.member_ids if world.school[v - 1] >= 0]
    assert len(set(orders)) == len(orders) and len(set(schools)) == len(schools)
    assert np.ptp(aimed_times(small, burst)) <= 90 * MINUTE
    (spread,) = by_kind["friends_spread"]
    assert np.ptp(aimed_times(small, spread)) > HOUR and any(v > world.V for v in spread.member_ids)
    (puppets,) = by_kind["sockpuppets"]
    ballots = [planted_talks(v) for v in puppets.member_ids]
    assert all(b == ballots[0] for b in ballots) and 5 <= len(ballots[0]) <= 9  # one common ballot
    assert np.ptp([joined_of[v] for v in puppets.member_ids]) <= 30 * MINUTE
    assert all(v > world.V for v in puppets.member_ids)

    (network,) = by_kind["ambassador_network"]
    publishers = {int(world.ambassador[v - 1]) for v in network.member_ids}
    assert len(publishers) == 1 and set(world.sponsor[np.array(network.talk_ids) - 1].tolist()) == publishers
    assert all(planted_talks(v) == set(network.talk_ids) for v in network.member_ids)
    (slate,) = by_kind["union_slate"]
    assert len({int(world.state[v - 1]) for v in slate.member_ids}) == 1 and 2 <= len(slate.talk_ids) <= 4
    assert (world.union[np.array(slate.member_ids) - 1] >= 0).all()
    assert all(planted_talks(v) == set(slate.talk_ids) for v in slate.member_ids)
    (proxy,) = by_kind["coordinator_proxy"]
    codes = {order_of[v] for v in proxy.member_ids}
    assert len(codes) == 1 and labels[codes.pop()].startswith("PD-")
    hits = np.sort(aimed_times(small, proxy))
    assert np.ptp(hits) <= len(hits) * 120 and (np.diff(hits) >= 39).all()  # one after another
    assert all(planted_talks(v) == {proxy.boosted_talk} for v in proxy.member_ids)
    (credit,) = by_kind["extra_credit"]
    assert (world.role[np.array(credit.member_ids) - 1] == STUDENT_TEACHER).all()
    assert len({int(world.org[v - 1]) for v in credit.member_ids}) == 1

    opposed = {b.kind for b in small.blocs if b.direction == "oppose"}
    assert opposed == {"rival_publisher", "reading_war", "parent_outrage"}
    (rival,) = by_kind["rival_publisher"]
    rivals = {int(world.org[v - 1]) for v in rival.member_ids}
    assert len(rivals) == 1 and (world.role[np.array(rival.member_ids) - 1] == VENDOR).all()
    assert world.sponsor[rival.talk_ids[0] - 1] not in rivals
    (war,) = by_kind["reading_war"]
    assert world.track[war.talk_ids[0] - 1] == LITERACY
    hits = data.vote_at[small.planted & np.isin(voters, war.member_ids)]
    assert len(hits) == len(war.member_ids) and np.ptp(hits) <= 48 * HOUR
    (outrage,) = by_kind["parent_outrage"]
    accounts = [v for v in outrage.member_ids if v > world.V]
    assert len(accounts) >= len(outrage.member_ids) - 3
    company_labels = np.array((*data.company_labels, ""))
    positions = np.searchsorted(data.voter_ids, accounts)
    assert set(company_labels[data.voter_company[positions]].tolist()) <= {c.lower() for c in PARENT_FIELD if c} | {""}


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh11_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    assert_facts_kept(alone, small)


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    assert sum(g.kind == "spotlight" for g in small.honest_groups) == 9
    assert not {v for b in small.blocs for v in b.member_ids} & {v for g in small.honest_groups for v in g.member_ids}
