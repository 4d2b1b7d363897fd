"""The fresh10 bloc generator (bench/blocs_fresh10.py, a clinical congress's members' vote on a 1-9 scale):
deterministic, the size asked for, ground truth that agrees with the votes, every planted and honest kind present,
campaigns shaped as the docstring says, and the honest conference alone when nothing is planted. Pure numpy, no
database; small worlds only, no timing assertions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh10 import (
    ACCOUNT_KINDS,
    AGENCY_FIELD,
    BLOC_KINDS,
    CLOSES,
    FREE_MAIL,
    HONEST_KINDS,
    MIDNIGHT,
    NURSE,
    OPENS,
    PHYSICIAN,
    RESIDENT,
    SCALE,
    _honest,
    _local,
    fresh10_conference,
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

DAY, HOUR = 86_400, 3_600
SHARED_DOMAINS = ("nhs.net", "health.nsw.gov.au", "regionh.dk")


@pytest.fixture(scope="module")
def small():
    return fresh10_conference("small", 1)


@pytest.fixture(scope="module")
def world():
    """The honest world of small seed 1, as the generator draws it (positions 0-based)."""
    return _honest(np.random.default_rng([1, 0, 10001]), "small")


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh10_conference("small", seed), small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_sizes_in_range(seed, small):
    conf = small if seed == 1 else fresh10_conference("small", seed)
    assert_size_in_range(conf, SIZES["small"])  # accounts made for campaigns come on top
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert len(conf.blocs) >= max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert_planted_blocs(conf, SCALE, oppose_at_most=3)
    assert_ground_truth(conf, SIZES["small"].voters, ACCOUNT_KINDS)
    assert {g.kind for g in conf.honest_groups} == set(HONEST_KINDS)


def test_the_world_looks_like_a_clinical_congress_vote(small, world):
    data = small.data
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 9, 7)
    shares = np.bincount(data.vote_score, minlength=10)[1:] / len(data.vote_score)
    assert (shares > 0.02).all()  # every level is used
    assert 0.3 < shares[6:].sum() < 0.65  # "critical" and above
    at = data.vote_at
    assert at.min() >= OPENS and at.max() < CLOSES
    days = np.bincount((at - OPENS) // DAY, minlength=21)
    assert set(np.argsort(days)[-2:].tolist()) == {0, 20}  # the opening mail and the last call
    assert days[7] > np.median(days) and days[14] > np.median(days)  # the society's reminders
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}  # full, virtual, free
    assert_votes_after_joining(data)
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.3 * SIZES["small"].talks and (ballots <= 3).sum() >= 0.1 * SIZES["small"].voters
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    # free mail is no group; nhs.net is a domain detection sees, shared by staff of several hospitals
    assert not set(FREE_MAIL) & set(data.domain_labels) and set(FREE_MAIL) <= FREE_MAIL_DOMAINS
    assert not set(SHARED_DOMAINS) & FREE_MAIL_DOMAINS
    shared = {d: {int(world.org[v]) for v in range(world.V) if world.domain[v] == d} for d in SHARED_DOMAINS}
    assert max(len(orgs) for orgs in shared.values()) >= 2  # strangers from several hospitals on one domain
    assert any(d.startswith("student.") for d in data.domain_labels)
    assert (data.voter_domain == -1).mean() > 0.3
    prefixes = {label.split("-")[0] for label in data.order_labels}
    assert {"REG", "VIR", "HOSP", "UNI", "BUR", "SPON"} <= prefixes
    # one hospital, several domains: a hospital's staff write from more than one work domain
    mail = [{world.domain[v] for v in np.flatnonzero(world.org == h)} for h in range(world.n_org[0])]
    work = [{d for d in domains if d not in FREE_MAIL and not d.endswith(("family.co.uk", ".me"))} for domains in mail]
    assert max(len(domains) for domains in work) >= 2


def test_clocks_and_shifts(world, small):
    """Local times follow daylight saving from the region's day on, and night-shift nurses vote at night."""
    assert _local(19, 9, 0, 20) == MIDNIGHT + 19 * DAY + 9 * HOUR  # UK before the change: UTC
    assert _local(20, 9, 0, 20) == MIDNIGHT + 20 * DAY + 8 * HOUR  # after it: UTC+1
    assert _local(5, 9, -5 * HOUR, 6) - _local(6, 9, -5 * HOUR, 6) == -DAY + HOUR  # New York on day 6
    data = small.data
    voters, _ = voters_talks(small)
    real = small.honest
    v = voters[real] - 1
    at = data.vote_at[real]
    day = (at - MIDNIGHT + world.offset[v]) // DAY
    local = at + world.offset[v] + HOUR * (day >= world.dst_day[v])
    night_hours = (local % DAY) // HOUR < 6
    nurses = world.role[v] == NURSE
    on_nights, on_days = nurses & (world.shift[v] == 1), nurses & (world.shift[v] == 0)
    assert night_hours[on_nights].mean() > 2 * night_hours[on_days].mean()


def test_editors_picks_are_recorded_and_podcast_and_forum_are_not(small, world):
    data = small.data
    recorded = {int(data.talk_ids[p]) for p in data.talk_promoted[:, 0].tolist()}
    picks = {t for g in small.honest_groups if g.kind == "editors_picks" for t in g.talk_ids}
    assert recorded == picks and len(picks) == 6
    (podcast,) = [g for g in small.honest_groups if g.kind == "podcast_mention"]
    followed = {int(world.follows[v - 1]) for v in podcast.member_ids}
    assert len(followed) == 1 and int(world.podcasters[followed.pop()]) not in world.speaker  # a podcaster with no talk
    (forum,) = [g for g in small.honest_groups if g.kind == "patient_forum"]
    charities = {int(world.charity[v - 1]) for v in forum.member_ids}
    assert len(charities) == 1 and not set(world.talk_org[np.array(forum.talk_ids) - 1].tolist()) & charities
    (ward,) = [g for g in small.honest_groups if g.kind == "ward_night_break"]
    assert len({(int(world.org[v - 1]), int(world.unit[v - 1])) for v in ward.member_ids}) == 1
    assert (world.shift[np.array(ward.member_ids) - 1] == 1).all()


def test_colleague_mask_is_the_speakers_organisations(small, world):
    """Recomputed from the generator's own world: a vote is a colleague's when the voter's organisation is one of
    the talk's speakers'; coworkers' votes on their talk all are; residents of another hospital of the programme,
    a key opinion leader's sponsor's staff and the campaigns' accounts none."""
    never = ("rotation_cohort", "kol_push", "guideline_dispute", "rival_unit")
    assert_colleague_mask(small, world, ACCOUNT_KINDS, never)


def test_campaign_shapes(small, world):
    data = small.data
    voters, talks = voters_talks(small)
    by_kind = blocs_by_kind(small)
    order_of, joined_of = per_voter(data, "voter_order"), per_voter(data, "voter_joined")
    labels = np.array(data.order_labels)

    def aimed(bloc):
        return aimed_times(small, bloc)

    def planted_talks(v):
        return set(talks[small.planted & (voters == v)].tolist())

    (ring,) = by_kind["order"]
    codes = {order_of[v] for v in ring.member_ids}
    assert len(codes) == 1 and labels[codes.pop()].split("-")[0] in ("HOSP", "SPON", "UNI", "BUR")
    (burst,) = by_kind["friends_burst"]
    orders = [order_of[v] for v in burst.member_ids if order_of[v] >= 0]
    assert len(set(orders)) == len(orders) and np.ptp(aimed(burst)) <= 90 * 60
    (spread,) = by_kind["friends_spread"]
    assert np.ptp(aimed(spread)) > HOUR and any(v > world.V for v in spread.member_ids)
    (puppets,) = by_kind["sockpuppets"]
    ballots = [planted_talks(v) for v in puppets.member_ids]
    assert all(b == ballots[0] for b in ballots) and 5 <= len(ballots[0]) <= 9  # one common ballot
    assert np.ptp([joined_of[v] for v in puppets.member_ids]) <= 30 * 60  # made within half an hour
    firsts = sorted(data.vote_at[voters == v].min() for v in puppets.member_ids)
    assert all(b - a >= 3 * HOUR - 600 for a, b in itertools.pairwise(firsts))  # one per sitting

    (kol,) = by_kind["kol_push"]
    groups = {int(world.org[v - 1]) for v in kol.member_ids}
    assert len(groups) == 1 and world.org_kind[next(iter(groups))] == 1  # one pharma group's staff
    assert set(world.sponsor[np.array(kol.talk_ids) - 1].tolist()) == groups  # its key opinion leaders' talks
    assert all(planted_talks(v) == set(kol.talk_ids) for v in kol.member_ids)
    (cohort,) = by_kind["rotation_cohort"]
    programmes = {int(world.programme[v - 1]) for v in cohort.member_ids}
    assert len(programmes) == 1 and programmes.pop() >= 0
    assert (world.role[np.array(cohort.member_ids) - 1] == RESIDENT).all()
    speakers = world.speaker[cohort.boosted_talk - 1]
    assert any(v >= 0 and world.role[v] == PHYSICIAN for v in speakers)
    (drive,) = by_kind["patient_drive"]
    charity = int(world.talk_org[drive.boosted_talk - 1])
    assert world.fmt[drive.boosted_talk - 1] == 4
    old = [v for v in drive.member_ids if v <= world.V]
    assert all(world.charity[v - 1] == charity for v in old)
    assert len(old) <= 0.5 * len(drive.member_ids)  # mostly new accounts
    (slate,) = by_kind["society_slate"]
    shared = set.intersection(*({int(s) for s in world.sig[v - 1] if s >= 0} for v in slate.member_ids))
    assert shared and 2 <= len(slate.talk_ids) <= 4
    assert all(planted_talks(v) == set(slate.talk_ids) for v in slate.member_ids)
    for t in slate.talk_ids:
        assert any(v >= 0 and set(world.sig[v].tolist()) & shared for v in world.speaker[t - 1])
    (agency,) = by_kind["medcomms_agency"]
    accounts = [v for v in agency.member_ids if v > world.V]
    assert len(accounts) >= 3
    wanted = {c.lower() for c in AGENCY_FIELD if c}
    company_labels = np.array((*data.company_labels, ""))
    domain_labels = np.array((*data.domain_labels, ""))
    positions = np.searchsorted(data.voter_ids, accounts)
    assert set(company_labels[data.voter_company[positions]].tolist()) <= wanted | {""}
    assert set(domain_labels[data.voter_domain[positions]].tolist()) <= {
        world.org_domains[a] for a in range(len(world.org_domains)) if world.org_kind[a] == 2
    } | {""}
    assert (
        data.vote_score[small.planted & np.isin(voters, agency.member_ids) & (talks == agency.boosted_talk)] == 9
    ).all()

    opposed = {b.kind for b in small.blocs if b.direction == "oppose"}
    assert opposed == {"rival_unit", "guideline_dispute"}
    (rival,) = by_kind["rival_unit"]
    rivals = {int(world.org[v - 1]) for v in rival.member_ids}
    assert len(rivals) == 1 and next(iter(rivals)) < world.n_org[0]  # one hospital's staff
    (dispute,) = by_kind["guideline_dispute"]
    shared = set.intersection(*({int(s) for s in world.sig[v - 1] if s >= 0} for v in dispute.member_ids))
    assert shared  # members of one SIG
    hits = data.vote_at[small.planted & np.isin(voters, dispute.member_ids)]
    assert len(hits) == len(dispute.member_ids) and np.ptp(hits) <= 48 * HOUR


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh10_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    assert_facts_kept(alone, small)


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    assert sum(g.kind == "editors_picks" for g in small.honest_groups) == 6
    assert not {v for b in small.blocs for v in b.member_ids} & {v for g in small.honest_groups for v in g.member_ids}
