"""Round 37 (docs/blocs.md): the lone-vote test's share of a talk taken from the days around a window
(`lone_share: local`). Under `whole` a window is judged against the talk's share of the lone votes over the
whole vote; a talk whose interest rises for days (a second stage on a shortlist, a promotion read for days)
then has every day of the rise judged against the quiet days before it. Under `local` the share is the larger
of that and the talk's share of the site's lone votes in the days around the window (the window left out),
so a rise that lasts days is judged against itself, and a campaign on a talk nobody votes for alone around
it keeps the whole vote's share."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_lone import LOCAL_DAYS
from tests.ballots.test_blocs_cases import DAY, HOUR, START
from tests.ballots.test_blocs_lone import CALLED, _sittings
from tests.ballots.test_blocs_lone_bar import CAMPAIGNS, ISOLATED, QUIET, _alone

FAMILYWISE = {**ISOLATED, "lone_control": "familywise"}
LOCAL = {**FAMILYWISE, "lone_share": "local"}
RISE = QUIET  # talk 14: twelve voters alone in eight hours on each of days 5, 6 and 7


def _shortlist():
    """Round 31's conference with its call on talk 5 and round 34's three campaigns of twelve lone votes
    (talks 11-13, days 1-3); then talk 14 is shortlisted: on each of days 5, 6 and 7, twelve voters rate it
    alone, forty minutes apart (its only lone votes)."""
    case, _ = _sittings()
    rng = random.Random(37)
    for k, talk in enumerate(CAMPAIGNS):
        _alone(case, rng, talk, range(10000 + 100 * k, 10012 + 100 * k), START + (1 + k) * DAY + 3 * HOUR, 20 * 60)
    for d in range(3):
        _alone(case, rng, RISE, range(20000 + 100 * d, 20012 + 100 * d), START + (5 + d) * DAY, 40 * 60)
    return case


def _lone(data, rule: dict) -> dict[int, list]:
    _, findings = findings_collect(data, BlocRule.from_json(rule))
    out: dict[int, list] = {}
    for f in findings:
        if f.lone_minutes:
            out.setdefault(int(data.talk_ids[f.talk]), []).append(f)
    return out


def test_a_rise_over_days_is_a_burst_against_the_whole_vote_s_share_and_not_against_the_days_around_it():
    data = _shortlist().build()
    whole = _lone(data, FAMILYWISE)
    # Against the whole vote every day of the rise is a wave (the talk has no lone vote before day 5).
    assert len(whole[RISE]) == 3
    assert all(f.observed == 12 and f.log_p <= f.log_bar for f in whole[RISE])
    local = _lone(data, LOCAL)
    assert RISE not in local
    # The campaigns (a day's lone votes on a talk with few around them) and the call are found as before.
    assert set(local) == {CALLED, *CAMPAIGNS}
    for talk in CAMPAIGNS:
        assert [f.observed for f in local[talk]] == [f.observed for f in whole[talk]] == [12]
        assert local[talk][0].log_p <= local[talk][0].log_bar - 20
    report = blocs_detect(data, BlocRule.from_json(LOCAL))
    assert not [b for b in report.blocs if b.talk_id == RISE and b.direction == "support"]


def test_the_local_share_never_predicts_less_than_the_whole_vote_s():
    data = _shortlist().build()
    whole, local = _lone(data, FAMILYWISE), _lone(data, LOCAL)
    # The call on talk 5 (24 voters alone over two days) is still found, against a higher prediction.
    (w,), (lo,) = whole[CALLED], local[CALLED]
    assert lo.expected > w.expected
    assert lo.log_p > w.log_p


def test_the_rise_is_judged_against_the_days_around_it_only():
    # Three days either side: the rise's other days fall inside; spread the days a week apart and each is a
    # burst again.
    assert LOCAL_DAYS == 3
    case, _ = _sittings()
    rng = random.Random(37)
    for d, day in enumerate((1, 9)):
        _alone(case, rng, RISE, range(20000 + 100 * d, 20012 + 100 * d), START + day * DAY, 40 * 60)
    data = case.build()
    assert len(_lone(data, LOCAL).get(RISE, [])) == 2


def test_the_key_is_validated_and_keeps_the_whole_vote_by_default():
    assert BlocRule().lone_share == "local"  # round 38; "whole" before
    assert BlocRule.from_json({"lone_share": "local"}).to_json()["lone_share"] == "local"
    with pytest.raises(ValueError, match="lone_share must be one of"):
        BlocRule.from_json({"lone_share": "recent"})
    data = _shortlist().build()
    assert {t: len(fs) for t, fs in _lone(data, {**FAMILYWISE, "lone_share": "whole"}).items()} == {
        t: len(fs) for t, fs in _lone(data, FAMILYWISE).items()
    }


def test_the_local_share_is_deterministic_whatever_the_order_of_the_input():
    case = _shortlist()
    rule = BlocRule.from_json(LOCAL)
    assert blocs_detect(case.shuffled(5).build(), rule).blocs == blocs_detect(case.build(), rule).blocs
