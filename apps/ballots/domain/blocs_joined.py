"""Accounts created together: the `joined` signal (round 18 in docs/blocs.md).

Someone who makes accounts to push a talk makes them in a batch, minutes apart, and then has them all
rate the talk. Per talk and way, this test takes the voters who rated it that way, places each at the
time their account was created, and scans windows of 1 to 24 hours (`burst_window_hours`) for more
of them than chance puts there. It is the burst test (blocs_bursts.py) with each vote's time replaced
by its voter's account creation time, so the prediction is of the same kind: the talk's share of all
votes times the votes cast by every account created in that window. A newsletter that brings a
thousand sign-ups in an hour predicts many of them on every talk, so an honest sign-up spike spread
over many talks is not a bloc, while eight accounts made in five minutes that all rate one talk (and
little else, or other talks at random) are. Voters whose creation time is unknown (-1) are left out of
the test: of the counts, of the talk's share and of the activity.

Accounts may be years old, and the burst test counts activity per minute over the whole span of
times, so long quiet stretches between creation times (and the times of recorded promotions, which
explain a window near them, round 20) are shortened by whole minutes to just over the longest window
or `promotion_hours`, whichever is longer, before the test: no window or promotion reaches across
such a stretch either way, so every count, prediction and p-value is what it would be on the real
times, and a finding's window is given back in real time.

The votes a recorded promotion explains (cast on its talk in the `promotion_hours` after it, round 22)
are left out before all this, as votes of voters whose creation time is unknown are. A newsletter's
readers rate the talks it features in the hours after it whenever their accounts were made; the
promotion on the creation-time axis above (round 20) misses those made minutes before the recorded
sending time (a window that ends just before it is then the most unusual one), and still explains
accounts made in the promotion hours that rate the talk later.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .blocs_bursts import _scan
from .blocs_signals import Context, Finding, context_build, unexplained


def joined_findings(ctx: Context) -> list[Finding]:
    """The windows of account creation in which more of a talk's voters (in one way) were created than
    the talk's share of the votes of every account created then predicts; under `bursts: every`,
    each further batch on that talk as the burst test's waves. A finding's `window` is in creation
    time; its members are the voters whose accounts were created in it. The votes a recorded promotion
    explains are left out (round 22): whenever their accounts were made, they came because of it."""
    ctx = unexplained(ctx)
    data = ctx.data
    if not ctx.n_votes or len(data.voter_joined) != data.n_voters:
        return []
    # The creation times are worked out per voter who voted, each vote then takes its voter's.
    voted = ctx.votes_per_voter > 0
    known = data.voter_joined >= 0
    if not (voted & known).any():
        return []
    real = data.voter_joined[voted & known]
    # Promotions are kept as points of the time axis too (round 20): a window is explained by one when
    # they are less than `promotion_hours` or a window apart, and shortening only gaps longer than
    # both keeps every such comparison as it was.
    rule, promoted = ctx.rule, data.talk_promoted
    keep = round(max(max(rule.burst_window_hours), rule.promotion_hours) * 3600) + 60
    times, squeezed = _squeeze(np.concatenate((real, promoted[:, 1])), keep)
    squeezed_of = np.zeros(data.n_voters, dtype=squeezed.dtype)
    squeezed_of[voted & known] = squeezed[np.searchsorted(times, real)]
    known = known[data.vote_voter]
    # Votes keep their voter and talk positions, so findings need no translation back but their window.
    by_account = replace(
        data,
        vote_voter=data.vote_voter[known],
        vote_talk=data.vote_talk[known],
        vote_score=data.vote_score[known],
        vote_at=squeezed_of[data.vote_voter[known]],
        talk_promoted=np.column_stack((promoted[:, 0], squeezed[np.searchsorted(times, promoted[:, 1])])).astype(
            promoted.dtype
        ),
    )
    findings = _scan(context_build(by_account, ctx.rule), "joined").findings()
    for i, f in enumerate(findings):
        if f.window is not None:
            start = int(times[np.searchsorted(squeezed, f.window[0])])
            findings[i] = replace(f, window=(start, start + f.window[1] - f.window[0]))
    return findings


def _squeeze(times: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct times, and the same times with every gap longer than `keep` seconds shortened by
    whole minutes to between `keep` and `keep` + 59 seconds (minute boundaries stay where they were)."""
    distinct = np.sort(times)
    distinct = distinct[np.append(True, distinct[1:] != distinct[:-1])]  # np.unique, without its slow hashing
    gaps = np.diff(distinct)
    cut = np.where(gaps > keep, (gaps - keep) // 60 * 60, 0)
    return distinct, distinct - np.concatenate(([0], np.cumsum(cut)))
