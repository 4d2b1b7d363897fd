"""The fresh8 bloc generator (bench/blocs_fresh8.py, a data-science conference's two-stage vote on a 1-6
reviewing scale): deterministic, the size asked for, ground truth that agrees with the votes, every planted and
honest kind present, no vote in the pause and none off the shortlist in stage 2, and the honest conference
alone when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh8 import (
    ACCOUNT_KINDS,
    BLOC_KINDS,
    CLOSES,
    FREE_MAIL,
    HONEST_KINDS,
    OPENS,
    SCALE,
    STAGE1_CLOSES,
    STAGE2_OPENS,
    _honest,
    fresh8_conference,
)
from bench.blocs_synthetic import SIZES
from confvote.free_mail import FREE_MAIL_DOMAINS
from tests.bench_worlds import (
    assert_facts_kept,
    assert_ground_truth,
    assert_honest_alone,
    assert_planted_blocs,
    assert_same_seed_same_conference,
    assert_size_in_range,
    assert_votes_after_joining,
    voters_talks,
)

DAY = 86_400


@pytest.fixture(scope="module")
def small():
    return fresh8_conference("small", 1)


@pytest.fixture(scope="module")
def world():
    """The honest world of small seed 1, as the generator draws it (positions 0-based)."""
    return _honest(np.random.default_rng([1, 0, 8001]), "small")


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh8_conference("small", seed), small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_sizes_in_range(seed, small):
    conf = small if seed == 1 else fresh8_conference("small", seed)
    assert_size_in_range(conf, SIZES["small"])  # accounts made for campaigns come on top
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert len(conf.blocs) >= max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert_planted_blocs(conf, SCALE, oppose_at_most=2)


def test_medium_size_in_range():
    conf = fresh8_conference("medium", 1)
    assert_size_in_range(conf, SIZES["medium"])
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert len(conf.blocs) >= SIZES["medium"].blocs
    assert_planted_blocs(conf, SCALE, oppose_at_most=2)
    assert_ground_truth(conf, SIZES["medium"].voters, ACCOUNT_KINDS)


def test_the_world_looks_like_a_two_stage_data_science_vote(small):
    data = small.data
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 6, 4)
    assert data.scale.labels[0] == "strong reject" and data.scale.labels[-1] == "strong accept"
    assert set(np.unique(data.vote_score).tolist()) == set(range(1, 7))
    at = data.vote_at
    assert at.min() >= OPENS and at.max() < CLOSES
    assert not ((at >= STAGE1_CLOSES) & (at < STAGE2_OPENS)).any()  # the committee's pause
    days = np.bincount((at - OPENS) // DAY, minlength=19)
    stage1 = days[:10]
    assert stage1[0] > 1.5 * np.median(stage1) and stage1[9] > np.median(stage1)  # launch, last call
    assert days[14:19].sum() > 0.05 * len(at) and days[14] == days[14:19].max()  # the shortlist round
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}  # in person, virtual, free
    assert_votes_after_joining(data)
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.3 * data.n_talks and (ballots <= 3).sum() >= 0.15 * SIZES["small"].voters
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    # free mail is no group; alumni forwarding and department subdomains are domains detection sees
    assert not set(FREE_MAIL) & set(data.domain_labels) and set(FREE_MAIL) <= FREE_MAIL_DOMAINS
    assert any(d.startswith("alumni.") for d in data.domain_labels)
    assert any(d.split(".")[0] in ("cs", "stat", "math", "bio", "econ") for d in data.domain_labels)
    assert (data.voter_domain == -1).mean() > 0.4
    prefixes = {label.split("-")[0] for label in data.order_labels}
    assert {"REG", "VIR", "TEAM", "PO", "EDU"} <= prefixes


def test_stage_two_is_the_recorded_shortlist(small, world):
    """Stage 2 votes only on the shortlist; its announcement is recorded as a promotion of each
    shortlisted talk when stage 2 opens, and the committee's four picks at day 3."""
    data = small.data
    _, talks = voters_talks(small)
    promoted = data.talk_promoted
    when: dict[int, list[int]] = {}
    for pos, at in zip(promoted[:, 0].tolist(), promoted[:, 1].tolist(), strict=True):
        when.setdefault(int(data.talk_ids[pos]), []).append(at)
    shortlisted = {t for t, ats in when.items() if STAGE2_OPENS in ats}
    assert shortlisted == set((np.flatnonzero(world.shortlist) + 1).tolist())
    assert len(shortlisted) == round(0.35 * data.n_talks)
    late = data.vote_at >= STAGE2_OPENS
    assert set(talks[late].tolist()) <= shortlisted
    picks = {t for t, ats in when.items() if any(a != STAGE2_OPENS for a in ats)}
    posts = {t for g in small.honest_groups if g.kind == "editors_picks" for t in g.talk_ids}
    assert picks == posts and len(picks) == 4


def test_ground_truth_agrees_with_the_votes(small):
    assert_ground_truth(small, SIZES["small"].voters, ACCOUNT_KINDS)  # only these campaigns make accounts


def test_colleague_mask_is_the_speakers_organisations(small, world):
    """Recomputed from the generator's own world: a vote is a colleague's when the voter's organisation
    (company, university, bootcamp) is one of the talk's speakers'; coworkers', Slack waves' and a
    course assignment's votes on their talk all are, free-mail campaign accounts' none."""
    data = small.data
    voters, talks = voters_talks(small)
    org = np.r_[world.org, np.full(data.n_voters - world.V, -1)][voters - 1]
    expected = np.array([o >= 0 and o in world.speaker_org[t - 1] for o, t in zip(org, talks, strict=True)])
    real = voters <= world.V
    assert np.array_equal(small.colleague[real], expected[real])
    assert small.colleague.sum() > 0
    for bloc in small.blocs:
        aimed = small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)
        if bloc.kind in ("coworkers", "slack_waves", "course_assignment"):
            assert small.colleague[aimed].all(), bloc.kind
        if bloc.kind in ("friends_spread", "sockpuppets", "astroturf_batch", "giveaway"):
            accounts = [v for v in bloc.member_ids if v > world.V]
            assert not small.colleague[np.isin(voters, accounts)].any(), bloc.kind


def test_campaign_shapes(small, world):
    data = small.data
    voters, talks = voters_talks(small)
    by_kind: dict[str, list] = {}
    for b in small.blocs:
        by_kind.setdefault(b.kind, []).append(b)
    order_of = dict(zip(data.voter_ids.tolist(), data.voter_order.tolist(), strict=True))
    joined_of = dict(zip(data.voter_ids.tolist(), data.voter_joined.tolist(), strict=True))
    labels = np.array(data.order_labels)

    def aimed(bloc):
        return data.vote_at[small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)]

    (ring,) = by_kind["order"]
    codes = {order_of[v] for v in ring.member_ids}
    assert len(codes) == 1 and labels[codes.pop()].split("-")[0] in ("TEAM", "PO")
    (burst,) = by_kind["friends_burst"]
    orders = [order_of[v] for v in burst.member_ids if order_of[v] >= 0]
    assert len(set(orders)) == len(orders) and np.ptp(aimed(burst)) <= 90 * 60
    (spread,) = by_kind["friends_spread"]
    assert np.ptp(aimed(spread)) > 3600
    (puppets,) = by_kind["sockpuppets"]
    ballots = [set(talks[small.planted & (voters == v)].tolist()) for v in puppets.member_ids]
    assert all(b == ballots[0] for b in ballots) and 5 <= len(ballots[0]) <= 10  # one common ballot
    made = [joined_of[v] for v in puppets.member_ids]
    assert np.ptp(made) <= 40 * 60  # made one evening
    firsts = sorted(data.vote_at[voters == v].min() for v in puppets.member_ids)
    assert all(b - a >= 4 * 3600 - 300 for a, b in itertools.pairwise(firsts))  # one per sitting
    (turf,) = by_kind["astroturf_batch"]
    assert all(v > world.V for v in turf.member_ids) and len(turf.member_ids) >= 10
    turf_domains = {
        data.domain_labels[d] for d in data.voter_domain[np.isin(data.voter_ids, turf.member_ids)] if d >= 0
    }
    assert any(d.endswith("-mail.xyz") for d in turf_domains)  # the operator's throwaway domain
    (waves,) = by_kind["slack_waves"]
    for v in waves.member_ids:
        assert set(talks[small.planted & (voters == v)].tolist()) == set(waves.talk_ids)  # every company talk
    rings = by_kind["review_ring"]
    assert 2 <= len(rings) <= 4
    ring_talks = {b.boosted_talk for b in rings}
    assert len(ring_talks) == len(rings)  # each lab boosts the next lab's talk
    for b in rings:
        labs = {int(world.lab[v - 1]) for v in b.member_ids}
        assert len(labs) == 1  # one lab's members
        own = {t for t in ring_talks if world.talk_lab[t - 1] in labs}
        assert len(own) == 1 and set(b.talk_ids) == ring_talks - own  # every other lab's talk, not its own
    (alumni,) = by_kind["bootcamp_alumni"]
    camps = {int(world.bootcamp[v - 1]) for v in alumni.member_ids}
    assert len(camps) == 1 and not world.current[np.array(alumni.member_ids) - 1].any()
    assert world.talk_boot[alumni.boosted_talk - 1] == camps.pop()
    (give,) = by_kind["giveaway"]
    new = [v for v in give.member_ids if v > world.V]
    first = {v: data.vote_at[voters == v].min() for v in new}
    assert new and all(0 < first[v] - joined_of[v] <= 10 * 60 for v in new)  # made minutes before
    (course,) = by_kind["course_assignment"]
    unis = {int(world.uni[v - 1]) for v in course.member_ids}
    assert len(unis) == 1 and world.student[np.array(course.member_ids) - 1].all()
    opposed = {b.kind for b in small.blocs if b.direction == "oppose"}
    assert opposed == {"rival_vendor", "rival_lab"}
    assert all(len(b.talk_ids) == 1 for b in small.blocs if b.direction == "oppose")


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh8_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    assert_facts_kept(alone, small)


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    assert sum(g.kind == "editors_picks" for g in small.honest_groups) == 4
