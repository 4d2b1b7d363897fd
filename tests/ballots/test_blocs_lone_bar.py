"""Round 34 (docs/blocs.md): the lone-vote family's bar. Under false-discovery control the lone-vote test's
own strong findings (a corporate burst at p = 1e-48 on the large demo) lower its bar for every other
window, so a few honest voters voting alone in a quiet hour pass (four votes, 0.019 expected, p = 1e-6).
`lone_control: familywise` holds every lone window to alpha / tests whatever else the family finds;
`lone_min_votes` asks a lone window for more votes than `min_members` before it can be a finding."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_bursts import _scan
from apps.ballots.domain.blocs_input import BlocRule, votes_only
from apps.ballots.domain.blocs_lone import isolated_votes, lone_rule, lone_votes
from apps.ballots.domain.blocs_signals import context_build
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, HOUR, START
from tests.ballots.test_blocs_lone import BEFORE_ROUND_38, CALLED, LIKED, _sittings

ISOLATED = {"lone_votes": "isolated", **BEFORE_ROUND_38}
FAMILYWISE = {**ISOLATED, "lone_control": "familywise"}
CAMPAIGNS = (11, 12, 13)  # twelve voters each, one lone vote 20 minutes apart
QUIET = 14  # four honest voters alone, an hour apart


def _alone(case, rng, talk: int, voters: range, first_at: int, apart: int) -> None:
    """Each voter rates six other talks in a sitting of their own on day 8, and `talk` alone: the i-th at
    `first_at + i * apart` and up to ten minutes later."""
    others = [t for t in range(1, case.n_talks + 1) if t not in (CALLED, LIKED, talk)]
    for i, v in enumerate(voters):
        case.add_voter(v)
        sitting = START + 8 * DAY + rng.randrange(DAY)
        for j, t in enumerate(rng.sample(others, 6)):
            case.vote(v, t, rng.choice([1, 2, 3]), sitting + 60 * j)
        case.vote(v, talk, 2, first_at + i * apart + rng.randrange(600))


def _quiet_window():
    """Round 31's conference with its call on talk 5, three strong lone campaigns (talks 11-13, days 1-3)
    and, on day 3, four voters who each rate talk 14 alone an hour apart (talk 14 otherwise gets one
    lone vote, on day 5): a window of four isolated votes a little below the familywise bar."""
    case, _ = _sittings()
    rng = random.Random(34)
    for k, talk in enumerate(CAMPAIGNS):
        _alone(case, rng, talk, range(10000 + 100 * k, 10012 + 100 * k), START + (1 + k) * DAY + 3 * HOUR, 20 * 60)
    _alone(case, rng, QUIET, range(20000, 20004), START + 3 * DAY + 6 * HOUR, HOUR)
    _alone(case, rng, QUIET, range(30000, 30001), START + 5 * DAY, 0)
    return case


def _lone_talks(data, rule: dict) -> set[int]:
    _, findings = findings_collect(data, BlocRule.from_json(rule))
    return {int(data.talk_ids[f.talk]) for f in findings if f.lone_minutes}


def _familywise_log_bar(data, rule: dict) -> float:
    """log(alpha / tests) of the lone-vote family: what its first finding must reach."""
    rule = BlocRule.from_json(rule)
    scan = _scan(context_build(votes_only(data, isolated_votes(data, lone_votes(data))), rule), "burst", sparse=True)
    return float(np.log(rule.alpha / scan.n_tests))


def test_the_false_discovery_bar_lets_in_a_quiet_window_the_family_s_campaigns_lowered_it_for():
    data = _quiet_window().build()
    _, findings = findings_collect(data, BlocRule.from_json(ISOLATED))
    (quiet,) = [f for f in findings if f.lone_minutes and int(data.talk_ids[f.talk]) == QUIET]
    # Four votes, not one campaign's: it passes only because the campaigns stepped the bar up.
    assert quiet.observed == 4
    assert _familywise_log_bar(data, ISOLATED) < quiet.log_p <= quiet.log_bar


def test_a_familywise_bar_keeps_the_quiet_window_out_and_the_campaigns_in():
    data = _quiet_window().build()
    assert _lone_talks(data, ISOLATED) == {CALLED, *CAMPAIGNS, QUIET}
    assert _lone_talks(data, FAMILYWISE) == {CALLED, *CAMPAIGNS}
    _, findings = findings_collect(data, BlocRule.from_json(FAMILYWISE))
    bar = _familywise_log_bar(data, ISOLATED)
    for f in findings:
        if f.lone_minutes and f.log_bar == pytest.approx(bar):  # first waves (further waves have their own bar)
            assert f.log_p <= bar
    report = blocs_detect(data, BlocRule.from_json(FAMILYWISE))
    assert [b for b in _blocs_on(report, QUIET) if b.direction == "support"] == []


@pytest.mark.parametrize("control", ["error_control", "familywise"])
def test_a_lone_window_needs_lone_min_votes_votes(control):
    data = _quiet_window().build()
    rule = {**ISOLATED, "lone_control": control, "lone_min_votes": 5}
    assert _lone_talks(data, rule) == {CALLED, *CAMPAIGNS}
    _, findings = findings_collect(data, BlocRule.from_json(rule))
    assert min(f.observed for f in findings if f.lone_minutes) >= 5
    # Campaigns of twelve stay found however high the count is set up to their size.
    assert _lone_talks(data, {**rule, "lone_min_votes": 12}) >= set(CAMPAIGNS)


def test_the_lone_rule_raises_the_window_size_and_holds_the_family_to_bonferroni():
    rule = BlocRule.from_json({**FAMILYWISE, "lone_min_votes": 8})
    assert (lone_rule(rule).min_members, lone_rule(rule).error_control) == (8, "familywise")
    # Never below min_members; the rule's own error control otherwise.
    rule = BlocRule.from_json({**ISOLATED, "lone_control": "error_control", "lone_min_votes": 2, "min_members": 4})
    assert (lone_rule(rule).min_members, lone_rule(rule).error_control) == (4, "false_discovery")
    # The other tests keep the rule as it is.
    assert (rule.min_members, rule.error_control) == (4, "false_discovery")


def test_the_keys_are_validated_and_keep_rounds_31_and_32_by_default():
    assert (BlocRule().lone_control, BlocRule().lone_min_votes) == ("familywise", 8)  # round 38's default
    assert lone_rule(BlocRule.from_json(ISOLATED)) == BlocRule.from_json(ISOLATED)
    rule = BlocRule.from_json({"lone_control": "familywise", "lone_min_votes": 6})
    assert {k: rule.to_json()[k] for k in ("lone_control", "lone_min_votes")} == {
        "lone_control": "familywise",
        "lone_min_votes": 6,
    }
    assert BlocRule.from_json({"lone_min_votes": None}).lone_min_votes is None
    with pytest.raises(ValueError, match="lone_control must be one of"):
        BlocRule.from_json({"lone_control": "bonferroni"})
    for bad in (1, 6.5, "6", True):
        with pytest.raises(ValueError, match="lone_min_votes must be null or a whole number of at least 2"):
            BlocRule.from_json({"lone_min_votes": bad})


def test_the_bar_and_the_window_size_are_deterministic_whatever_the_order_of_the_input():
    case = _quiet_window()
    rule = BlocRule.from_json({**FAMILYWISE, "lone_min_votes": 5})
    first = blocs_detect(case.build(), rule)
    assert blocs_detect(case.shuffled(5).build(), rule).blocs == first.blocs
