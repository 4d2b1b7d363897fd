"""Round 5 (docs/blocs.md): how a burst's p-value is computed, and how many tests a finding answers
for. A burst window starts at a vote, so that vote is not evidence; a window is ruled out only by a
lower bound on its p-value; and under false-discovery control each finding of a signal lowers the
bar for the next by one step of alpha / tests, while the first still needs what Bonferroni asks."""

import random

import numpy as np
import pytest
from scipy.stats import poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import _threshold, context_build
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case


def _burst_tests(data) -> int:
    ctx = context_build(data, BlocRule())
    return sum(len(ctx.votes_in(d)) for d in ctx.tested) * 5  # every vote starts five windows


def test_step_down_threshold_arithmetic():
    rule = BlocRule(alpha=0.01)
    # 100 tests: the i-th smallest p needs i * 1e-4. Three pass, the fourth (1e-2) stops the list.
    p = np.log([5e-5, 1.5e-4, 2.5e-4, 1e-2])
    assert np.exp(_threshold(p, rule, 100)) == pytest.approx(3e-4)
    assert np.exp(_threshold(p, BlocRule(alpha=0.01, error_control="familywise"), 100)) == pytest.approx(1e-4)
    assert np.exp(_threshold(p, rule, 100, familywise=True)) == pytest.approx(1e-4)
    # Step-down: the second (2.5e-4 > 2e-4) stops the list although the third (2.6e-4) is under 3e-4.
    assert np.exp(_threshold(np.log([5e-5, 2.5e-4, 2.6e-4]), rule, 100)) == pytest.approx(1e-4)
    # Nothing passes Bonferroni: nothing passes at all (the bar stays at alpha / tests).
    assert np.exp(_threshold(np.log([2e-4, 2.1e-4]), rule, 100)) == pytest.approx(1e-4)


def test_the_vote_that_starts_a_burst_window_is_not_evidence():
    """Honest background (seed 4): four down-votes on talk 18 within 1.5 hours. Counting the first
    vote as evidence (P(at least 4)) passes the corrected threshold; only the three others are
    random (P(at least 3 more)), and that does not."""
    data = Case(seed=4).build()
    assert blocs_detect(data).blocs == ()
    threshold = 0.01 / _burst_tests(data)
    expected = 0.0673  # the talk's share of down-votes times the site-wide votes in those 2 hours
    assert poisson.sf(3, expected) < threshold < poisson.sf(2, expected)


def test_a_window_is_ruled_out_by_a_lower_bound_on_its_p_value_not_by_chernoffs_upper_bound():
    """Five top scores within ten minutes: after the first, four more against 0.063 expected. The exact
    tail passes the threshold while Chernoff's upper bound on it does not; that bound used to discard
    windows, and this burst was lost."""
    case, rng = Case(n_voters=200), random.Random(4)
    for v in range(1001, 1006):
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=9)
        case.vote(v, 9, 3, START + 3 * DAY + (v - 1001) * 120)
    data = case.build()
    (bloc,) = _blocs_on(blocs_detect(data, BlocRule(error_control="familywise")), 9)
    assert bloc.signals == ("burst",)
    assert bloc.member_ids == (1001, 1002, 1003, 1004, 1005)
    (evidence,) = bloc.evidence
    assert (evidence.observed, round(evidence.expected, 4)) == (5, 0.0633)
    others, e = 4, evidence.expected
    chernoff = np.exp(others - e - others * np.log(others / e))
    assert evidence.p_value == pytest.approx(poisson.sf(others - 1, e), rel=1e-3)
    assert evidence.p_value < 0.01 / _burst_tests(data) < chernoff


def test_false_discovery_control_finds_a_weaker_burst_beside_strong_ones():
    """Three bursts of 8 top scores and one of 4 in twenty minutes. The three pass Bonferroni; each
    lowers the bar for the next by one step, and the fourth (p = 1.5e-6) passes the fourth step."""
    case, rng = Case(n_voters=200), random.Random(4)
    v = 1000
    for day, talk, n in ((2, 3, 8), (4, 5, 8), (6, 7, 8), (8, 9, 4)):
        for j in range(n):
            v += 1
            case.add_voter(v)
            _normal_ballot(case, v, rng, skip=talk)
            case.vote(v, talk, 3, START + day * DAY + j * 1200 // n)
    data = case.build()
    step = 0.01 / _burst_tests(data)
    found = {b.talk_id: b for b in blocs_detect(data).blocs}
    assert sorted(found) == [3, 5, 7, 9]
    assert found[9].p_value == pytest.approx(1.51e-6, rel=1e-2)
    assert step < found[9].p_value <= 4 * step
    assert found[9].member_ids == (1025, 1026, 1027, 1028)
    familywise = blocs_detect(data, BlocRule(error_control="familywise")).blocs
    assert sorted(b.talk_id for b in familywise) == [3, 5, 7]


def test_error_control_is_part_of_the_stored_rule():
    assert BlocRule().error_control == "false_discovery"
    assert BlocRule.from_json({"error_control": "familywise"}).to_json()["error_control"] == "familywise"
    with pytest.raises(ValueError, match="error_control must be one of"):
        BlocRule.from_json({"error_control": "holm"})
