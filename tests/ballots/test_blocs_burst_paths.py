"""The burst scan's shortcuts give what the plain computation gives: the one-integer sort of a stream
(and its lexsort fallbacks), the windows skipped because they cannot hold `min_members` votes, and the
promotion lookup restricted to promoted talks."""

import numpy as np
import pytest

from apps.ballots.domain.blocs_bursts import (
    _Activity,
    _by_cell_time_voter,
    _promoted,
    _Votes,
    _window_stats,
)
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import SUPPORT, _large_enough, context_build
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case


@pytest.mark.parametrize(
    "cell_scale, span, n_voters",
    [
        (1, 10 * DAY, 300),  # one integer
        (2**36, 10 * DAY, 300),  # the cells present numbered, in one integer
        (2**44, 2**24, 300),  # the same
        (2**20, 2**24, 2**40),  # two lexsort keys (numbered cells with time and voter do not fit)
        (2**44, 2**24, 2**40),  # three
    ],
)
def test_a_stream_is_sorted_by_cell_time_and_voter_as_lexsort_sorts_it(cell_scale, span, n_voters):
    rng = np.random.default_rng(3)
    n = 5_000
    cell = rng.integers(0, 40, n).astype(np.int64) * cell_scale
    at = rng.integers(0, 50, n).astype(np.int64) * (span // 50)  # many ties in cell and time
    voter = rng.integers(0, 300, n).astype(np.int32)  # and some in all three
    order = np.lexsort((voter, at, cell))
    got = _by_cell_time_voter(cell, at, voter, span, n_voters)
    for mine, expected in zip(got, (cell[order], at[order], voter[order].astype(np.int64)), strict=True):
        assert mine.dtype == np.int64
        assert np.array_equal(mine, expected)


def _burst_case() -> Case:
    case = Case(n_talks=30, n_voters=400, ratings=8)
    for i, v in enumerate(range(1_001, 1_013)):  # a burst on talk 4 among the background
        case.add_voter(v)
        case.vote(v, 4, 3, START + 2 * DAY + i * 240)
    return case


@pytest.mark.parametrize("min_members", [1, 3, 6])
@pytest.mark.parametrize("organisations", [False, True])
@pytest.mark.parametrize("hours", [(1.0, 2.0, 4.0, 8.0, 24.0), (0.01, 0.5, 1.0)])  # whole minutes or not
def test_skipped_windows_are_those_that_could_not_hold_min_members_votes(min_members, organisations, hours):
    rule = BlocRule(min_members=min_members, burst_window_hours=hours)
    ctx = context_build(_burst_case().build(), rule)
    data = ctx.data
    windows = [round(h * 3600) for h in rule.burst_window_hours]
    t0 = int(data.vote_at.min())
    span = int(data.vote_at.max()) - t0 + max(windows) + 1
    sel = ctx.votes_in(SUPPORT)
    owner = (data.vote_voter[sel] % 5).astype(np.int64) if organisations else np.zeros(len(sel), dtype=np.int64)
    cell = owner * data.n_talks + data.vote_talk[sel]
    cell, at, voter = _by_cell_time_voter(cell, data.vote_at[sel] - t0, data.vote_voter[sel], span, data.n_voters)
    owner, talk = np.divmod(cell, data.n_talks)
    explained = np.zeros((len(cell), len(windows)), dtype=bool)
    explained[::7, 1] = True
    votes = _Votes(SUPPORT, voter, at, talk, cell, cell * span + at, owner, explained)
    if organisations:
        org_keys = np.sort((data.vote_voter % 5).astype(np.int64) * span + (data.vote_at - t0))
        activity = _Activity(span, owner_keys=org_keys)
    else:
        per_minute = np.bincount((data.vote_at - t0) // 60, minlength=span // 60 + 2)
        activity = _Activity(span, before_minute=np.concatenate(([0], np.cumsum(per_minute))))

    stats = _window_stats(ctx, votes, windows, activity)

    everyone = np.arange(len(cell))
    site_minutes = np.concatenate(([0], np.cumsum(np.bincount((data.vote_at - t0) // 60, minlength=span // 60 + 2))))
    found_any = False
    for wi, w in enumerate(windows):  # every window worked out, as before the shortcut
        end = np.searchsorted(votes.key, votes.key + w, side="left")
        observed = end - everyone
        if organisations:
            busy = np.array([int(((org_keys >= k) & (org_keys < k + w)).sum()) for k in owner * span + at])
            assert np.array_equal(activity.counter(votes)(w, everyone), busy)
        else:
            busy = site_minutes[(at + w) // 60] - site_minutes[at // 60]
        rate = (ctx.talk_count[SUPPORT][talk] - observed + 0.5) / (ctx.n_votes - busy + 0.5 * data.n_talks)
        expected = activity.expected(busy, observed, rate)
        cand = np.nonzero(_large_enough(observed, expected, rule) & ~explained[:, wi])[0]
        got, _, got_end, got_observed, got_expected, trials = stats[wi]
        assert trials is None  # the plug-in (Poisson) test; the conditional one is the lone test's (round 38)
        assert np.array_equal(got, cand)
        assert np.array_equal(got_end, end[cand]) and np.array_equal(got_observed, observed[cand])
        assert np.array_equal(got_expected, expected[cand])
        found_any |= len(cand) > 0
    # The planted burst gives windows to compare, except to six-vote windows of organisations holding two
    # or three of its voters each.
    assert found_any or (organisations and min_members == 6)


def test_promotions_explain_the_same_windows_when_only_promoted_talks_are_looked_up():
    rng = np.random.default_rng(5)
    talk = rng.integers(0, 20, 3_000).astype(np.int64)
    at = rng.integers(0, 10 * DAY, 3_000).astype(np.int64)
    t0, windows, hours = START, [HOUR, 4 * HOUR, DAY], 6.0
    promotions = np.array([[3, t0 + DAY], [3, t0 + 5 * DAY], [11, t0 - 2 * HOUR], [19, t0 + 20 * DAY]])
    explained = _promoted(promotions, talk, at, t0, windows, hours)
    h = round(hours * 3600)
    for wi, w in enumerate(windows):  # some promotion p with at - hours < p < at + w, on the vote's talk
        p_talk, p_at = promotions[:, 0][None, :], promotions[:, 1][None, :] - t0
        hit = (p_talk == talk[:, None]) & (p_at > at[:, None] - h) & (p_at < at[:, None] + w)
        assert np.array_equal(explained[:, wi], hit.any(axis=1))
    assert explained.any() and not explained[talk == 0].any()
