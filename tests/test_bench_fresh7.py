"""The fresh7 bloc generator (bench/blocs_fresh7.py, a hacker conference's one-week vote on 1-10):
deterministic, the size asked for, ground truth that agrees with the votes, every planted and honest kind
present at small, and the honest conference alone when nothing is planted. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh7 import (
    ACCOUNT_KINDS,
    BLOC_KINDS,
    CLOSES,
    COLLECTIVES,
    FREE_MAIL,
    HONEST_KINDS,
    OPENS,
    SCALE,
    fresh7_conference,
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


@pytest.fixture(scope="module")
def small():
    return fresh7_conference("small", 1)


def test_same_seed_same_conference(small):
    assert_same_seed_same_conference(lambda seed: fresh7_conference("small", seed), small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_sizes_in_range(seed, small):
    conf = small if seed == 1 else fresh7_conference("small", seed)
    assert_size_in_range(conf, SIZES["small"])  # accounts made for campaigns come on top
    assert {b.kind for b in conf.blocs} == set(BLOC_KINDS)
    assert_planted_blocs(conf, SCALE, oppose_at_most=2)


def test_the_world_looks_like_a_hacker_conference(small):
    data = small.data
    assert data.scale == SCALE and (data.scale.minimum, data.scale.maximum, data.scale.wanted_min) == (1, 10, 7)
    assert set(np.unique(data.vote_score).tolist()) == set(range(1, 11))
    assert data.vote_at.min() >= OPENS and data.vote_at.max() < CLOSES  # the week of the vote
    days = np.bincount((data.vote_at - OPENS) // 86_400, minlength=7)
    assert len(days) == 7 and days[0] > 1.5 * np.median(days) and days[6] > np.median(days)  # launch, last call
    assert set(np.unique(data.voter_weight).tolist()) == {0.0, 0.5, 1.0}
    assert_votes_after_joining(data)
    ballots = np.bincount(data.vote_voter, minlength=data.n_voters)
    assert ballots.max() >= 0.15 * data.n_talks and (ballots <= 3).sum() >= 0.15 * SIZES["small"].voters
    assert len(data.talk_speaker) > 0 and len(data.talk_company) > 0 and len(data.talk_domain) > 0
    assert len(data.talk_promoted) == 4  # the con's recorded spotlight posts
    # free mail is no group; the privacy collectives are not on confvote's list, so detection sees them
    assert not set(FREE_MAIL) & set(data.domain_labels) and set(FREE_MAIL) <= FREE_MAIL_DOMAINS
    assert "riseup.net" in data.domain_labels and not set(COLLECTIVES) & FREE_MAIL_DOMAINS
    assert (data.voter_domain == -1).mean() > 0.5
    assert {"redacted", "independent"} <= set(data.company_labels)  # "[REDACTED]" normalised
    prefixes = {label.split("-")[0] for label in data.order_labels}
    assert {"LOT", "SUP", "CORP", "GRP"} <= prefixes


def test_ground_truth_agrees_with_the_votes(small):
    assert_ground_truth(small, SIZES["small"].voters, ACCOUNT_KINDS)  # only these campaigns make accounts


def test_colleague_mask_is_the_speakers_employers(small):
    """Recomputed from the generator's own world: a vote is a colleague's when the voter's employer is
    the employer of one of the talk's speakers; coworkers' and an employer's mandated votes all are, the
    campaign-only accounts' none."""
    from bench.blocs_fresh7 import _honest

    world = _honest(np.random.default_rng([1, 0, 7001]), "small")
    data = small.data
    voters, talks = voters_talks(small)
    employer = np.r_[world.employer, np.full(data.n_voters - world.V, -1)][voters - 1]
    expected = np.array(
        [e >= 0 and e in world.speaker_employer[t - 1] for e, t in zip(employer, talks, strict=True)], dtype=bool
    )
    assert np.array_equal(small.colleague, expected)
    assert small.colleague.sum() > 0

    def on_target(bloc):
        return small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)

    for bloc in small.blocs:
        if bloc.kind in ("coworkers", "employer_mandate"):
            assert small.colleague[on_target(bloc)].all(), bloc.kind
        if bloc.kind in ACCOUNT_KINDS:
            accounts = [v for v in bloc.member_ids if v > world.V]
            assert not small.colleague[np.isin(voters, accounts)].any(), bloc.kind


def test_campaign_shapes(small):
    data = small.data
    voters, talks = voters_talks(small)
    by_kind = {b.kind: b for b in small.blocs}
    order_of = dict(zip(data.voter_ids.tolist(), data.voter_order.tolist(), strict=True))
    joined_of = dict(zip(data.voter_ids.tolist(), data.voter_joined.tolist(), strict=True))

    def aimed(kind):
        bloc = by_kind[kind]
        return data.vote_at[small.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)]

    ring = by_kind["order"]
    assert len({order_of[v] for v in ring.member_ids}) == 1 and order_of[ring.member_ids[0]] >= 0
    burst = by_kind["friends_burst"]
    orders = [order_of[v] for v in burst.member_ids if order_of[v] >= 0]
    assert len(set(orders)) == len(orders)  # friends on different orders
    assert np.ptp(aimed("friends_burst")) <= 2 * 3600 and np.ptp(aimed("discord_raid")) <= 90 * 60
    assert np.ptp(aimed("ctf_team")) <= 3 * 3600
    spread = aimed("friends_spread")
    assert np.ptp(spread) > 2 * 3600
    puppets = by_kind["sockpuppets"]
    ballots = [set(talks[small.planted & (voters == v)].tolist()) for v in puppets.member_ids]
    assert all(b == ballots[0] for b in ballots) and 6 <= len(ballots[0]) <= 12  # one common ballot
    market = by_kind["vote_market"]
    assert all(joined_of[v] < OPENS - 300 * 86_400 for v in market.member_ids)  # aged accounts
    raid = by_kind["discord_raid"]
    new = [v for v in raid.member_ids if v > SIZES["small"].voters]
    first = {v: data.vote_at[data.voter_ids[data.vote_voter] == v].min() for v in new}
    assert new and all(0 < first[v] - joined_of[v] <= 15 * 60 for v in new)  # made minutes before
    speakers = {int(data.voter_ids[v]) for v in data.talk_speaker[:, 1]}
    host = set(by_kind["podcast_audience"].member_ids) & speakers
    assert host
    (brigade,) = [b for b in small.blocs if b.direction == "oppose"]
    assert brigade.kind == "rival_brigade" and len(brigade.talk_ids) == 1


def test_plant_nothing_gives_the_honest_conference_alone(small):
    alone = fresh7_conference("small", 1, plant=plant_nothing)
    assert_honest_alone(alone, small, SIZES["small"].voters)
    assert_facts_kept(alone, small)


def test_every_kind_is_planted(small):
    assert {b.kind for b in small.blocs} == set(BLOC_KINDS)
    assert len(small.blocs) == max(SIZES["small"].blocs, len(BLOC_KINDS))
    assert {b.direction for b in small.blocs} == {"support", "oppose"}
    assert {g.kind for g in small.honest_groups} == set(HONEST_KINDS)
    data = small.data
    promoted = set((data.talk_ids[data.talk_promoted[:, 0]]).tolist())
    posts = {t for g in small.honest_groups if g.kind == "spotlight_post" for t in g.talk_ids}
    assert promoted == posts  # only the spotlight posts are recorded; the mailing is not
