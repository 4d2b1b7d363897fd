"""Votes cast alone: the lone-vote burst test (`lone_votes: tested`, round 31 in docs/blocs.md).

People rate talks in sittings: they open the programme and go through several talks a few seconds or
minutes apart. Someone asked to vote for one talk — a link in a chat, a village's call, a podcast host's
plea — opens that talk, rates it and leaves: their vote on it is the only one they cast for a while,
even when they rated many other talks in sittings of their own on other days. A campaign spread over
a day or two by voters who otherwise vote normally is hidden in the talk's honest traffic (the burst
test compares all of a window's votes with the site's), but among the votes cast alone it stands out.

A vote is *lone* when its voter cast no other vote, on any talk, within `LONE_MINUTES` before or after
it. The test is the site-wide burst test (blocs_bursts.py) run on the lone votes only: per talk and
way, windows of `burst_window_hours`, the talk's lone votes in the window against the talk's share of
the lone votes outside it times the site's lone votes in the window. A talk that many people reach
through links all week (one the organizers' posts feature, one shared widely) has a large share of
lone votes and is judged against it; what stands out is lone votes crowding into hours or a day. The
organizers' recorded promotions explain the windows after them here as in the burst test (round 20).
Findings carry the `burst` signal (with `lone_minutes` set: their own sentence), so a talk's lone
and site-wide bursts are one bloc. The test has its own family of tests and its own bar.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .blocs_bursts import _scan
from .blocs_input import BlocInput, votes_only
from .blocs_signals import Context, Finding, context_build

LONE_MINUTES = 30  # a vote with no other vote by its voter within this many minutes either side is lone


def lone_votes(data: BlocInput, minutes: int = LONE_MINUTES) -> np.ndarray:
    """Per vote: whether its voter cast no other vote (any talk, any score) within `minutes` before or
    after it (exactly `minutes` apart still counts as together)."""
    n = len(data.vote_at)
    lone = np.ones(n, dtype=bool)
    if n < 2:
        return lone
    order = np.lexsort((data.vote_at, data.vote_voter))
    voter, at = data.vote_voter[order], data.vote_at[order]
    near = (voter[1:] == voter[:-1]) & (at[1:] - at[:-1] <= minutes * 60)
    together = np.zeros(n, dtype=bool)
    together[:-1] |= near
    together[1:] |= near
    lone[order] = ~together
    return lone


def lone_findings(ctx: Context) -> list[Finding]:
    """The burst test's windows over the lone votes only: per talk and way, more lone votes in a window
    than the talk's share of lone votes times the site's lone votes then predicts; under `bursts:
    every` also the further waves. Voter and talk positions are kept, so findings need no translation."""
    data = ctx.data
    if not ctx.n_votes:
        return []
    keep = lone_votes(data)
    if not keep.any():
        return []
    scan = _scan(context_build(votes_only(data, keep), ctx.rule), "burst")
    return [replace(f, lone_minutes=LONE_MINUTES) for f in scan.findings()]
