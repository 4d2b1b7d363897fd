"""The public list of burst windows (`burst_windows`, `burst_scan`): every window the site-wide burst
test considered on a talk, with its counts, prediction, p-value and bar, computed by the same code
detection uses, so that a diagnostic reads what detection decided from."""

import numpy as np
import pytest

from apps.ballots.domain.blocs import SUPPORT, BurstWindow, burst_scan, burst_windows
from apps.ballots.domain.blocs_bursts import burst_findings
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import OPPOSE, TOP, context_build
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case
from tests.ballots.test_blocs_waves import TALK as WAVES_TALK
from tests.ballots.test_blocs_waves import _waves

TALK = 4
CROWD = tuple(range(1_001, 1_013))  # twelve new voters who give talk 4 the top score


def _crowd(spacing: int):
    """The honest background (400 voters, about 13 votes an hour over ten days) plus the twelve who give
    talk 4 the top score, one every `spacing` seconds from day 2, 11:00 UTC."""
    case = Case(n_talks=30, n_voters=400, ratings=8)
    for i, v in enumerate(CROWD):
        case.add_voter(v)
        case.vote(v, TALK, 3, START + 2 * DAY + 3 * HOUR + i * spacing)
    data = case.build()
    return data, context_build(data, BlocRule()), int(np.searchsorted(data.talk_ids, TALK))


def test_a_burst_in_one_hour_is_listed_with_its_counts_a_tiny_p_value_and_passes():
    data, ctx, talk = _crowd(spacing=240)  # twelve votes in 44 minutes
    windows = burst_windows(ctx, SUPPORT, talk)
    best = windows[0]  # the most unusual first
    assert isinstance(best, BurstWindow)
    assert (best.direction, best.talk, best.hours) == (SUPPORT, talk, 1.0)
    assert best.end - best.start == HOUR
    # Its votes: the twelve, and the background's votes on talk 4 in that hour, all counted.
    assert best.observed == len(best.votes) == len(best.voters) >= 12
    assert set(CROWD) <= set(data.voter_ids[best.voters].tolist())
    assert (data.vote_talk[best.votes] == talk).all()
    assert ((data.vote_at[best.votes] >= best.start) & (data.vote_at[best.votes] < best.end)).all()
    assert np.array_equal(data.vote_voter[best.votes], best.voters)
    # About 13 votes an hour site-wide and talk 4's small share of them: well under one predicted.
    assert 0 < best.expected < 1
    assert best.p_value < 1e-12
    assert best.passed and best.reported and best.log_p <= best.log_bar
    assert best.log_bar == burst_scan(ctx).log_bar < np.log(0.01 / 1_000)
    # The windows are sorted, most unusual first, and those of the quiet days around it do not pass.
    assert [w.log_p for w in windows] == sorted(w.log_p for w in windows)
    quiet = [w for w in windows if w.end <= START + 2 * DAY or w.start >= START + 3 * DAY]
    assert quiet and not any(w.passed for w in quiet)


def test_the_same_crowd_spread_over_the_ten_days_is_listed_as_unremarkable_and_does_not_pass():
    _, ctx, talk = _crowd(spacing=20 * HOUR)  # twelve votes over 220 hours
    for d in (SUPPORT, TOP):
        windows = burst_windows(ctx, d, talk)
        assert windows  # talk 4 still has windows of three or four votes
        assert not any(w.passed or w.reported for w in windows)
        assert min(w.p_value for w in windows) > 1e-3
        assert all(w.observed >= 3 and w.expected > 0 for w in windows)
    assert not [f for f in burst_findings(ctx) if f.talk == talk]


def test_the_same_crowd_within_one_day_passes_only_in_the_day_long_window():
    """Twelve votes two hours apart: no hour holds more than a few of them, but the day does."""
    _, ctx, talk = _crowd(spacing=2 * HOUR)
    windows = burst_windows(ctx, SUPPORT, talk)
    assert {w.hours for w in windows if w.passed} == {24.0}
    assert min(w.p_value for w in windows if w.hours == 1.0) > 1e-3


def test_the_windows_agree_with_the_findings_detection_reports():
    """A campaign in two waves (test_blocs_waves.py): each finding is one listed window, reported, with
    the same counts, prediction and p-value; the second wave is held to the follow-up bar."""
    data = _waves([(2, 6), (6, 5)])
    ctx = context_build(data, BlocRule())
    scan = burst_scan(ctx)
    findings = burst_findings(ctx)
    assert len(scan.findings()) == len(findings)
    talk = int(np.searchsorted(data.talk_ids, WAVES_TALK))
    assert {f.talk for f in findings} == {talk}
    listed = {d: scan.windows(d, talk) for d in ctx.tested}
    for f in findings:
        d = TOP if f.top_score else f.direction
        (w,) = [w for w in listed[d] if (w.start, w.end) == f.window]
        assert (w.observed, w.expected, w.log_p) == (f.observed, f.expected, f.log_p)
        assert w.log_bar == f.log_bar and w.passed and w.reported
        assert set(f.members.tolist()) >= set(w.voters.tolist())
    # Every reported window is a finding, and the waves: one at the signal's bar, the next at the
    # follow-up bar (looser: alpha among the windows of talk 9 only).
    reported = [(d, w.start, w.end) for d in listed for w in listed[d] if w.reported]
    assert sorted(reported) == sorted((TOP if f.top_score else f.direction, *f.window) for f in findings)
    assert scan.log_bar < scan.follow_up_log_bar
    assert {f.log_bar for f in findings} == {scan.log_bar, scan.follow_up_log_bar}
    # Upward (any rating up, or the top score: one way) a burst passed, so the windows that miss the
    # signal's bar are held to the follow-up bar; downward none did, so they are held to the signal's.
    for w in listed[SUPPORT] + listed[TOP]:
        assert w.log_bar == (scan.log_bar if w.log_p <= scan.log_bar else scan.follow_up_log_bar)
    assert listed[OPPOSE] and all(w.log_bar == scan.log_bar and not w.passed for w in listed[OPPOSE])
    assert any(w.log_bar == scan.follow_up_log_bar and w.passed for w in listed[TOP])
    # The same numbers whether the scan is built once or per call.
    again = burst_windows(ctx, TOP, talk)
    assert [(w.start, w.hours, w.log_p, w.expected) for w in again] == [
        (w.start, w.hours, w.log_p, w.expected) for w in listed[TOP]
    ]


def test_a_talk_without_windows_and_a_wrong_direction():
    data, ctx, talk = _crowd(spacing=240)
    assert not any(w.passed for w in burst_windows(ctx, OPPOSE, talk))
    assert burst_windows(ctx, SUPPORT, data.n_talks + 5) == []
    with pytest.raises(ValueError, match="direction must be one of"):
        burst_windows(ctx, 7, talk)


@pytest.mark.parametrize("waves", [[(2, 6), (6, 5)], [(2, 6)]])
def test_talks_passing_holds_every_talk_with_a_passed_window(waves):
    """`talks_passing` lets a caller ask `windows` only where a window may pass (suggested promotions
    asked every talk and took 12 s on the 1M-vote demo): every talk where a window passed, in every
    way, the follow-up bar's waves included, is among them."""
    data = _waves(waves)
    ctx = context_build(data, BlocRule())
    scan = burst_scan(ctx)
    for d in ctx.tested:
        passing = set(scan.talks_passing(d).tolist())
        passed = {t for t in range(data.n_talks) if any(w.passed for w in scan.windows(d, t))}
        assert passed <= passing
        if d != OPPOSE:
            assert int(np.searchsorted(data.talk_ids, WAVES_TALK)) in passed
    _data, crowd_ctx, _talk = _crowd(spacing=240)
    assert burst_scan(crowd_ctx).talks_passing(OPPOSE).tolist() == []
