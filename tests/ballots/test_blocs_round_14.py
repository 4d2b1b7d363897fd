"""Round 14 (docs/blocs.md): a burst window's prediction rests on the talk's share of all votes, measured
on the talk's votes outside the window. Under `burst_share: estimated` (the default) that measurement's
uncertainty counts: the window's other votes are judged against the negative binomial a Gamma(votes
outside + 0.5) share gives, which tends to the Poisson of `burst_share: known` (policies stored before
round 14) as the talk's other votes grow."""

import random

import numpy as np
import pytest
from scipy.stats import nbinom, poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_bursts import burst_findings
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_signals import TOP, context_build
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

TALK = 41  # a talk outside the background's 40: its votes are only the ones each case adds
KNOWN = BlocRule(burst_share="known")


def _talk_41(outside: int, burst: int, gap: int, seed: int = 3):
    """The honest background, plus `outside` new voters who give talk 41 the top score at random times
    over the vote and `burst` more who give it the top score `gap` seconds apart on day 5 from 14:00
    (ballots otherwise normal)."""
    case, rng = Case(), random.Random(seed)
    case.talks[TALK] = TalkFacts(talk_id=TALK, speaker_email_domains=(f"speaker{TALK}.example",))
    v = 1000
    for j in range(outside + burst):
        v += 1
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=TALK)
        at = START + rng.randrange(10 * DAY) if j < outside else START + 5 * DAY + 14 * HOUR + (j - outside) * gap
        case.vote(v, TALK, 3, at)
    return case.build()


def _top_finding(data, rule):
    talk = int(np.searchsorted(data.talk_ids, TALK))
    ctx = context_build(data, rule)
    (finding,) = [f for f in burst_findings(ctx) if f.talk == talk and f.top_score]
    return ctx, finding


def test_the_p_value_is_the_negative_binomial_of_the_talks_measured_share():
    """Eight top scores in 40 minutes on a talk with twelve others: found under both rules; the p-value
    is the negative binomial tail of the seven votes after the first (shape: the talk's top scores
    outside the window + 0.5), larger than the Poisson tail with the same prediction."""
    data = _talk_41(12, 8, 300)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.member_ids == tuple(range(1013, 1021))
    (known,) = _blocs_on(blocs_detect(data, KNOWN), TALK)
    assert known.member_ids == bloc.member_ids
    ctx, finding = _top_finding(data, BlocRule())
    assert finding.observed == 8
    shape = ctx.talk_count[TOP][finding.talk] - finding.observed + 0.5
    assert shape == 12.5
    e = finding.expected
    assert np.exp(finding.log_p) == pytest.approx(nbinom.sf(6, shape, shape / (shape + e)), rel=1e-6)
    _, old = _top_finding(data, KNOWN)
    assert np.exp(old.log_p) == pytest.approx(poisson.sf(6, old.expected), rel=1e-6)
    assert old.log_p < finding.log_p


def test_a_campaign_on_a_talk_nobody_else_rates_is_still_found():
    """Four top scores in 40 minutes on a talk with no other vote: the share rests on nothing but the
    prior (shape 0.5), and the burst still passes (p 2e-08 against 1e-09 with the share taken as exact)."""
    data = _talk_41(0, 4, 600)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.member_ids == (1001, 1002, 1003, 1004)
    assert 1e-9 < bloc.p_value < 1e-7
    (known,) = _blocs_on(blocs_detect(data, KNOWN), TALK)
    assert known.p_value < bloc.p_value


def test_a_marginal_burst_on_a_share_measured_from_three_votes_is_no_longer_found():
    """Five top scores in two hours on a talk with three others: with the share taken as exact it just
    passes (p = 3.8e-07); with the share's uncertainty it does not (what round 14 gives up)."""
    data = _talk_41(3, 5, 1800)
    (known,) = _blocs_on(blocs_detect(data, KNOWN), TALK)
    assert known.p_value == pytest.approx(3.8e-7, rel=0.05)
    assert _blocs_on(blocs_detect(data), TALK) == []


def test_the_same_crowd_spread_over_the_vote_is_not_found():
    """Twenty top scores on talk 41 at random times over the ten days: no burst under either rule."""
    data = _talk_41(20, 0, 0)
    assert _blocs_on(blocs_detect(data), TALK) == []
    assert _blocs_on(blocs_detect(data, KNOWN), TALK) == []


def test_the_burst_share_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().burst_share == "estimated"
    assert BlocRule.from_json({"burst_share": "known"}).to_json()["burst_share"] == "known"
    assert BlocRule.from_json(BlocRule().to_json()) == BlocRule()
    with pytest.raises(ValueError, match="burst_share must be one of"):
        BlocRule.from_json({"burst_share": "exact"})
