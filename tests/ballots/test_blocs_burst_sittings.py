"""Round 41 (docs/blocs.md): under `lone_order: apart` a site-wide burst that comes after a lone-vote window sharing
its voters takes in its votes cast in sittings only when they are a burst of their own (`burst_sittings: tested`).
Under `apart` (round 40) a site-wide burst is judged as if no lone test ran and, the strongest finding over all
votes, is taken whole: the campaign's voters who rated the talk inside a sitting of their own, and the honest
voters who rated it in theirs in those hours. Under "tested" the burst's members whose vote the lone test does not
count are judged by how many such votes its window holds against the site's such votes then, at the talk's share
of them: voters in sittings who crowd the hours come in, voters in sittings at the talk's usual rate (honest or
not: the data cannot tell them apart) do not. A burst that comes before the lone window asks nothing."""

from dataclasses import replace

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_lone import isolated_votes, lone_votes
from apps.ballots.domain.blocs_merge import findings_admit, follow_up_count, in_order
from apps.ballots.domain.blocs_signals import SUPPORT, Finding
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import HOUR
from tests.ballots.test_blocs_lone_order import ALONE, IN_SITTINGS, PUSHED, _campaign

APART = BlocRule(lone_order="apart", burst_sittings="whole")  # round 40's option
TESTED = BlocRule(lone_order="apart", burst_sittings="tested")
CROWDED = range(42000, 42005)  # five campaign voters rating talk 20 inside sittings, in the campaign's hours


def _crowded_campaign():
    """A campaign for talk 20 over four hours: fourteen of its voters rate it alone, twelve minutes apart, and
    five rate it inside a short sitting of their own, one every 36 minutes."""
    return _campaign(seed=41, apart=12 * 60, sitters=CROWDED, span=3 * HOUR, jitter=300)


def _pushed(data, rule: BlocRule):
    _, findings = findings_collect(data, rule)
    return in_order([f for f in findings if int(data.talk_ids[f.talk]) == PUSHED], rule.lone_order)


def _bloc(data, rule: BlocRule) -> set[int]:
    (bloc,) = [b for b in _blocs_on(blocs_detect(data, rule), PUSHED) if b.direction == "support"]
    return set(bloc.member_ids)


def _ids(data, positions) -> set[int]:
    return {int(v) for v in data.voter_ids[positions]}


def test_the_burst_s_members_in_sittings_are_those_the_lone_test_does_not_count():
    data = _campaign().build()
    (site,) = [f for f in _pushed(data, TESTED) if f.signal == "burst" and not f.lone_minutes]
    counted = isolated_votes(data, lone_votes(data))
    talk = int(np.nonzero(data.talk_ids == PUSHED)[0][0])
    on_talk = np.nonzero((data.vote_talk == talk) & np.isin(data.vote_voter, site.members))[0]
    assert _ids(data, site.sitting_members) == _ids(data, data.vote_voter[on_talk[~counted[on_talk]]])
    assert set(IN_SITTINGS) <= _ids(data, site.sitting_members)
    assert not set(ALONE) & _ids(data, site.sitting_members)
    lo, hi = site.window
    at = data.vote_at[on_talk[~counted[on_talk]]]
    assert site.sitting_observed == int(((at >= lo) & (at < hi)).sum()) > 0
    assert 0 < site.sitting_expected < site.sitting_observed
    # Without the key, or without a lone window beside it, a burst carries nothing.
    (plain,) = [f for f in _pushed(data, APART) if f.signal == "burst" and not f.lone_minutes]
    assert plain.sitting_members is None
    _, alone = findings_collect(data, BlocRule(lone_order="apart", burst_sittings="tested", lone_votes="ignored"))
    assert all(f.sitting_members is None for f in alone)


def test_a_site_wide_burst_stronger_than_the_lone_window_is_asked_nothing_and_keeps_the_campaign_whole():
    """A campaign over four hours whose voters in sittings crowd its hours: the site-wide burst is the stronger
    finding, so the lone window brought none of its voters in before it, and it is taken whole as under `apart`."""
    data = _crowded_campaign().build()
    site, lone = _pushed(data, TESTED)
    assert not site.lone_minutes and lone.lone_minutes and site.log_p < lone.log_p
    assert set(CROWDED) <= _ids(data, site.sitting_members)
    assert follow_up_count([[site, lone]], ordered=True, lone="apart") == 0
    members = _bloc(data, TESTED)
    assert {*ALONE, *CROWDED} <= members
    assert members == _bloc(data, APART) == _bloc(data, BlocRule(lone_order="strongest"))


def _hand_made(sitting_observed: int, sitting_expected: float) -> list[Finding]:
    """A lone window of voters 0-13 (the stronger) and a site-wide burst over voters 0-25 in the same hours, of
    whom 14-25 voted in sittings: `sitting_observed` such votes in its window against `sitting_expected`."""
    window = (1_000_000, 1_000_000 + 8 * 3600)
    lone = Finding(
        "burst", 0, SUPPORT, np.arange(14), 14, 0.3, -40.0, log_bar=-12.0, window=window, lone_minutes=30, lone_hours=24
    )
    site = Finding(
        "burst", 0, SUPPORT, np.arange(26), 26, 4.0, -20.0, log_bar=-12.0, window=window,
        sitting_members=np.arange(14, 26), sitting_observed=sitting_observed, sitting_expected=sitting_expected,
    )  # fmt: skip
    return [lone, site]


@pytest.mark.parametrize(("observed", "expected", "kept"), [(12, 1.0, True), (12, 3.5, True), (12, 4.5, False)])
def test_after_the_lone_window_the_burst_s_voters_in_sittings_come_in_when_they_crowd_its_hours(
    observed, expected, kept
):
    """Twelve votes in sittings against 1 or 3.5 expected pass (at least three times, p <= alpha / 1); against 4.5
    they are fewer than three times their prediction, and the burst keeps only the voters the lone window saw."""
    findings = _hand_made(observed, expected)
    count = follow_up_count([findings], ordered=True, lone="apart")
    assert count == 1  # the one question the merge asks
    lone, site = findings_admit(findings, TESTED, count, ordered=True)
    assert lone.members.tolist() == list(range(14))
    assert site.members.tolist() == (list(range(26)) if kept else list(range(14)))
    # Unmarked (`burst_sittings: whole`), `apart` takes the burst whole.
    unmarked = [replace(f, sitting_members=None) for f in findings]
    assert follow_up_count([unmarked], ordered=True, lone="apart") == 0
    assert findings_admit(unmarked, APART, 0, ordered=True)[1].members.tolist() == list(range(26))


def test_voters_in_sittings_at_the_talk_s_usual_rate_are_not_taken_in():
    """Round 40's campaign: four of its voters rate talk 20 inside sittings over seven hours, and four honest
    voters do so in those hours too, about what the talk's share of the site's votes in sittings predicts. Under
    `apart` the site-wide burst takes all eight in; under "tested" none of them, as under `strongest`."""
    data = _campaign().build()
    (site,) = [f for f in _pushed(data, TESTED) if f.signal == "burst" and not f.lone_minutes]
    honest = _ids(data, site.sitting_members) - set(IN_SITTINGS)
    assert len(honest) >= 3
    assert len(site.sitting_members) < 3 * site.sitting_expected
    assert {*IN_SITTINGS, *honest} <= _bloc(data, APART)
    members = _bloc(data, TESTED)
    assert set(ALONE) <= members
    assert not members & {*IN_SITTINGS, *honest}
    assert members == _bloc(data, BlocRule(lone_order="strongest"))


def test_the_question_is_asked_under_apart_only_and_counted_in_the_follow_up_family():
    """Round 40's campaign: the lone window is the stronger; under `apart` the site-wide burst after it asks one
    question (counted), under `strongest` it asks its own follow-up question, as without the key."""
    data = _campaign().build()
    for order, asked in (("strongest", 1), ("apart", 1)):
        plain = _pushed(data, BlocRule(lone_order=order, burst_sittings="whole"))
        tested = _pushed(data, BlocRule(lone_order=order, burst_sittings="tested"))
        assert follow_up_count([plain], ordered=True, lone=order) == (1 if order == "strongest" else 0)
        assert follow_up_count([tested], ordered=True, lone=order) == asked
    strongest = BlocRule(lone_order="strongest")
    assert _bloc(data, replace(strongest, burst_sittings="tested")) == _bloc(
        data, replace(strongest, burst_sittings="whole")
    )


def test_the_merge_and_its_count_do_not_depend_on_the_input_order():
    data = _campaign().build()
    _, findings = findings_collect(data, TESTED)
    targets: dict = {}
    for f in findings:
        targets.setdefault((f.talk, f.direction), []).append(f)
    ordered = [in_order(fs, "apart") for fs in targets.values()]
    count = follow_up_count(ordered, ordered=True, lone="apart")
    assert count == follow_up_count(list(targets.values()), lone="apart")
    for fs in ordered:
        admitted = [f.members.tolist() for f in findings_admit(fs, TESTED, count, ordered=True)]
        assert admitted == [f.members.tolist() for f in findings_admit(fs[::-1], TESTED, count)]
    case = _campaign()
    assert blocs_detect(case.shuffled(5).build(), TESTED).blocs == blocs_detect(case.build(), TESTED).blocs


def test_the_key_is_validated_and_is_tested_by_default():
    assert BlocRule().burst_sittings == "tested"  # since round 41, with lone_order: apart
    assert BlocRule.from_json({"burst_sittings": "whole"}).to_json()["burst_sittings"] == "whole"
    assert BlocRule.from_json({"burst_sittings": "tested"}).to_json()["burst_sittings"] == "tested"
    with pytest.raises(ValueError, match="burst_sittings must be one of"):
        BlocRule.from_json({"burst_sittings": "alone"})


def test_after_the_voters_in_sittings_are_left_out_the_burst_s_other_new_voters_face_the_rest_of_its_prediction():
    """fresh large seed 1, talk 1172, in small: a lone window (voters 0-13), then the wave's top-score burst (0-13
    and 14-17 in sittings) and its any-upward burst (0-25: 14-17 and 24-25 in sittings, 18-23 lone votes outside the
    lone window). Both bursts ask about their voters in sittings, which fail. The any-upward burst's other new voters
    (18-23) are then asked against its prediction less the part for the votes in sittings (3.65 - 3.3), and come
    in; against the whole prediction (six against 3.65) they would not."""
    window = (1_000_000, 1_000_000 + 24 * 3600)
    lone = Finding(
        "burst", 0, SUPPORT, np.arange(14), 14, 0.8, -21.5, log_bar=-12.0, window=window, lone_minutes=30, lone_hours=24
    )
    top = Finding(
        "burst", 0, SUPPORT, np.arange(18), 18, 1.7, -19.2, log_bar=-12.0, window=window, top_score=True,
        sitting_members=np.arange(14, 18), sitting_observed=4, sitting_expected=1.47,
    )  # fmt: skip
    up = Finding(
        "burst", 0, SUPPORT, np.arange(26), 26, 3.65, -19.0, log_bar=-12.0, window=window,
        sitting_members=np.array([14, 15, 16, 17, 24, 25]), sitting_observed=6, sitting_expected=3.3,
    )  # fmt: skip
    findings = [lone, top, up]
    count = follow_up_count([findings], ordered=True, lone="apart")
    assert count == 3  # two questions about voters in sittings, one about the any-upward burst's other new voters
    _, top_in, up_in = findings_admit(findings, TESTED, count, ordered=True)
    assert top_in.members.tolist() == list(range(14))
    assert up_in.members.tolist() == list(range(14)) + list(range(18, 24))
