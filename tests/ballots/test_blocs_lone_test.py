"""Round 38 (docs/blocs.md): how a lone-vote window's count is tested (`lone_test`). Under `poisson` (the
default) a window is judged against the talk's share of the lone votes outside it times the site's lone votes
in it, the share taken as known. A talk with few lone votes has a share that is itself a count of a few, so an
honest day on which most of its lone votes fall passes as a burst. Under `conditional` the window is judged
given the talk's lone votes: each falls in the window with the window's share of the site's lone votes
(binomial), which never predicts from a count of a few as if it were exact. A campaign on a talk with few lone
votes besides it stays found."""

import random

import pytest
from scipy.stats import binom

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, votes_only
from apps.ballots.domain.blocs_lone import isolated_votes, lone_votes
from apps.ballots.domain.blocs_signals import SUPPORT, context_build
from tests.ballots.test_blocs_cases import DAY, HOUR, START
from tests.ballots.test_blocs_lone import CALLED, _sittings
from tests.ballots.test_blocs_lone_bar import CAMPAIGNS, ISOLATED, _alone
from tests.ballots.test_blocs_lone_share import _lone

FAMILYWISE = {**ISOLATED, "lone_control": "familywise"}
CONDITIONAL = {**FAMILYWISE, "lone_test": "conditional"}
SPIKE = 15  # ten voters alone an hour apart on day 2, and eight more alone on other days


def _quiet_talk_s_day():
    """Round 31's conference with its call on talk 5 and round 34's three campaigns of twelve lone votes
    (talks 11-13, days 1-3, no other lone vote of theirs); then talk 15 gets ten lone votes an hour apart on
    day 2 and eight more, one on each of eight other days: a talk with few lone votes, most of them on one day."""
    case, _ = _sittings()
    rng = random.Random(38)
    for k, talk in enumerate(CAMPAIGNS):
        _alone(case, rng, talk, range(10000 + 100 * k, 10012 + 100 * k), START + (1 + k) * DAY + 3 * HOUR, 20 * 60)
    _alone(case, rng, SPIKE, range(20000, 20010), START + 2 * DAY + 6 * HOUR, HOUR)
    for d in range(8):
        day = d * 10 * DAY // 8 + (DAY if d == 2 else 0)  # never day 2
        _alone(case, rng, SPIKE, range(30000 + d, 30001 + d), START + day + 11 * HOUR, 0)
    return case


def test_a_quiet_talk_s_day_passes_against_a_plug_in_share_and_not_given_its_lone_votes():
    data = _quiet_talk_s_day().build()
    plug_in = _lone(data, FAMILYWISE)
    (spike,) = plug_in[SPIKE]
    assert spike.observed == 9 and spike.log_p <= spike.log_bar
    conditional = _lone(data, CONDITIONAL)
    assert SPIKE not in conditional
    # The campaigns (twelve lone votes in a day on talks with none besides) and the call stay found.
    assert set(conditional) == set(plug_in) - {SPIKE} == {CALLED, *CAMPAIGNS}
    for talk in CAMPAIGNS:
        (c,), (p,) = conditional[talk], plug_in[talk]
        assert c.observed == p.observed == 12
        assert p.log_p <= c.log_p <= c.log_bar - 10
    report = blocs_detect(data, BlocRule.from_json(CONDITIONAL))
    assert not [b for b in report.blocs if b.talk_id == SPIKE and b.direction == "support"]


def test_the_conditional_p_value_is_the_binomial_tail_of_the_talk_s_other_lone_votes():
    data = _quiet_talk_s_day().build()
    rule = BlocRule.from_json(CONDITIONAL)
    (f,) = _lone(data, CONDITIONAL)[CAMPAIGNS[0]]
    lone = context_build(votes_only(data, isolated_votes(data, lone_votes(data))), rule)
    at, talk = lone.data.vote_at, lone.data.vote_talk
    lo, hi = f.window
    # Given the talk's lone votes in the way (the window's first given), each of the others falls in the window
    # with the window's share of the site's lone votes (all ways: the site's activity then).
    trials = int((talk[lone.votes_in(SUPPORT)] == f.talk).sum()) - 1
    chance = int(((at >= lo) & (at < hi)).sum()) / lone.n_votes
    assert f.log_p == pytest.approx(float(binom.logsf(f.observed - 2, trials, chance)), rel=1e-6)


def test_the_key_is_validated_and_is_conditional_by_default():
    assert BlocRule().lone_test == "conditional"  # round 38
    assert BlocRule.from_json({"lone_test": "conditional"}).to_json()["lone_test"] == "conditional"
    with pytest.raises(ValueError, match="lone_test must be one of"):
        BlocRule.from_json({"lone_test": "exact"})
    data = _quiet_talk_s_day().build()
    same = {t: [f.log_p for f in fs] for t, fs in _lone(data, {**FAMILYWISE, "lone_test": "poisson"}).items()}
    assert same == {t: [f.log_p for f in fs] for t, fs in _lone(data, FAMILYWISE).items()}


def test_the_conditional_test_is_deterministic_whatever_the_order_of_the_input():
    case = _quiet_talk_s_day()
    rule = BlocRule.from_json({**CONDITIONAL, "lone_share": "local"})
    assert blocs_detect(case.shuffled(5).build(), rule).blocs == blocs_detect(case.build(), rule).blocs
