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

`lone_votes: isolated` (round 32) counts a lone vote only when its voter cast no other lone vote, on
any talk, within `ISOLATED_HOURS` either side. Someone asked to vote for one talk casts one lone vote
for it; a reader of an unrecorded mailing or newsletter rates several of its featured talks one at a
time, hours apart, and a workshop cohort or anyone who votes one talk at a time casts several lone
votes a day. Those voters' lone votes are left out of the test: in the window, the talk's share and
the site-wide counts it is judged against alike. Isolated votes are few, and some hours hold none but
one talk's: a window is then predicted from all the site's isolated votes in it, the talk's own
included (as the organisation burst test predicts from an organisation's few votes), not from the
others only, which would predict nothing there.

Round 34 sets the family's bar and window size apart from the other tests' (`lone_rule`): under
`lone_control: familywise` every lone window must reach alpha / tests, so the family's own strong findings
(a corporate burst) cannot step the bar up for a few voters alone in a quiet hour, and `lone_min_votes`
asks a lone window for more votes than `min_members`. Both leave the other tests' rule as it is.

Round 37 (`lone_share: local`, an option) judges a window against the larger of the talk's share of the
lone votes over the whole vote and its share of the site's lone votes in the `LOCAL_DAYS` either side of
the window (the window left out; `LOCAL_PRIOR` lone votes at the whole-vote share are added, so days with
few lone votes keep nearly the whole vote's share). A talk whose interest rises for days (a second stage on
a shortlist, a promotion read for days) is then judged against those days, not the quiet ones before; a
campaign on a talk nobody votes for alone around it keeps the whole vote's share. Only the larger share:
the talk's own share of a few days is a count of a few votes, and taken alone it predicts nothing for a
talk with none around a window, so honest one-day spikes would pass by the hundred.

Round 41 (`burst_sittings: tested`, an option for `lone_order: apart`) marks each site-wide burst that shares a voter
with a lone window on its talk and way with its members whose vote the lone test does not count (cast within a
sitting) and what the site's such votes predict of them in its window (`sittings_marked`). When such a burst comes
after the lone window, the merge lets those members in only if they crowd the window: a campaign's few who rated the
talk inside a sitting of their own do; honest voters rating it in their sittings at its usual rate do not.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .blocs_bursts import _scan
from .blocs_input import BlocInput, BlocRule, votes_only
from .blocs_signals import TOP, Context, Finding, _sorted_member, context_build

LONE_MINUTES = 30  # a vote with no other vote by its voter within this many minutes either side is lone
ISOLATED_HOURS = 24  # under "isolated": a lone vote counts when its voter cast no other lone vote this near
LOCAL_DAYS = 3  # under `lone_share: local`: the talk's share is taken from this many days either side of a window
LOCAL_PRIOR = 20  # ... with this many lone votes' weight at the whole-vote share (few lone votes nearby: the whole's)


def _near_another(voter: np.ndarray, at: np.ndarray, seconds: int) -> np.ndarray:
    """Per element: whether the same voter has another element at most `seconds` before or after it."""
    near_of = np.zeros(len(at), dtype=bool)
    if len(at) < 2:
        return near_of
    at = at - at.min()
    span, n = int(at.max()) + 1, len(at)
    if (int(voter.max()) + 1) * span * n < 2**63:
        # Voter, time and position as one 64-bit integer, sorted as one: a plain sort, several times faster
        # than the two-key lexsort. Ties (a voter's two votes in one second) are near each other whatever
        # their order, so the answer is the lexsort's.
        keys = np.sort((voter.astype(np.int64) * span + at) * n + np.arange(n))
        rest, order = np.divmod(keys, n)
        voter, at = np.divmod(rest, span)
    else:
        order = np.lexsort((at, voter))
        voter, at = voter[order], at[order]
    near = (voter[1:] == voter[:-1]) & (at[1:] - at[:-1] <= seconds)
    together = np.zeros(len(at), dtype=bool)
    together[:-1] |= near
    together[1:] |= near
    near_of[order] = together
    return near_of


def lone_votes(data: BlocInput, minutes: int = LONE_MINUTES) -> np.ndarray:
    """Per vote: whether its voter cast no other vote (any talk, any score) within `minutes` before or
    after it (exactly `minutes` apart still counts as together)."""
    return ~_near_another(data.vote_voter, data.vote_at, minutes * 60)


def isolated_votes(data: BlocInput, lone: np.ndarray, hours: int = ISOLATED_HOURS) -> np.ndarray:
    """Per vote: lone (`lone`), and its voter cast no other lone vote within `hours` before or after it
    (exactly `hours` apart still counts as near)."""
    out = lone.copy()
    index = np.flatnonzero(lone)
    out[index[_near_another(data.vote_voter[index], data.vote_at[index], hours * 3600)]] = False
    return out


def lone_counted(data: BlocInput, rule: BlocRule) -> np.ndarray:
    """Per vote: whether the lone-vote test counts it: lone, and under `lone_votes: isolated` also its voter's
    only lone vote within `ISOLATED_HOURS`. Worked out once per detection (a sort of every vote): the lone test
    reads it, and so does the site-wide burst's question about its votes in sittings (the rest)."""
    lone = lone_votes(data)
    return isolated_votes(data, lone) if rule.lone_votes == "isolated" else lone


def lone_rule(rule: BlocRule) -> BlocRule:
    """The rule the lone-vote scan runs under (round 34): its windows need at least `lone_min_votes` lone
    votes (never fewer than `min_members`), and under `lone_control: familywise` every window is held to
    alpha / tests, so findings elsewhere in the family cannot lower the bar of a window in quiet hours."""
    fewest = max(rule.min_members, rule.lone_min_votes or 0)
    control = "familywise" if rule.lone_control == "familywise" else rule.error_control
    return replace(rule, min_members=fewest, error_control=control)


def lone_findings(ctx: Context, counted: np.ndarray | None = None) -> list[Finding]:
    """The burst test's windows over the lone votes only (under `lone_votes: isolated`, the lone votes
    of voters with no other lone vote within `ISOLATED_HOURS`): per talk and way, more such votes in a
    window than the talk's share of them times the site's such votes then predicts; under `bursts:
    every` also the further waves. Voter and talk positions are kept, so findings need no translation.
    `counted`: `lone_counted`'s mask, when the caller has it already."""
    data = ctx.data
    if not ctx.n_votes:
        return []
    isolated = ctx.rule.lone_votes == "isolated"
    keep = lone_counted(data, ctx.rule) if counted is None else counted
    if not keep.any():
        return []
    rule = lone_rule(ctx.rule)
    local = (round(LOCAL_DAYS * 86400), float(LOCAL_PRIOR)) if rule.lone_share == "local" else (0, 0.0)
    conditional = rule.lone_test == "conditional"
    scan = _scan(
        context_build(votes_only(data, keep), rule), "burst", sparse=isolated, local=local, conditional=conditional
    )
    hours = ISOLATED_HOURS if isolated else 0
    return [replace(f, lone_minutes=LONE_MINUTES, lone_hours=hours) for f in scan.findings()]


def sittings_marked(
    ctx: Context, bursts: list[Finding], lone: list[Finding], counted: np.ndarray | None = None
) -> list[Finding]:
    """`bursts` (the site-wide test's findings), each one that shares a voter with a lone window of `lone` on its
    talk and way carrying (`Finding.sitting_members`, `sitting_expected`) its members whose vote on the talk was
    cast within a sitting, and what the site-wide test's prediction gives for them over the votes cast in
    sittings only: the talk's share of such votes in the way (outside the window) times the site's such votes
    in the window (the talk's own left out), as the site-wide test predicts a window from all votes. A burst
    with no member voting in a sitting is left as it is. `counted`: `lone_counted`'s mask, when the caller has it."""
    lone_voters: dict[tuple[int, int], np.ndarray] = {}
    for f in lone:
        key = (f.talk, f.direction)
        lone_voters[key] = np.union1d(lone_voters.get(key, f.members), f.members)
    shares = [
        (f.talk, f.direction) in lone_voters
        and bool(np.intersect1d(f.members, lone_voters[(f.talk, f.direction)]).size)
        for f in bursts
    ]
    if not any(shares):
        return bursts
    data = ctx.data
    sitting = ~(lone_counted(data, ctx.rule) if counted is None else counted)
    site_at = np.sort(data.vote_at[sitting])
    n_talks = max(1, data.n_talks)
    out = list(bursts)
    for i, f in enumerate(bursts):
        if not shares[i]:
            continue
        way = ctx.votes_in(TOP if f.top_score else f.direction)
        on_talk = way[data.vote_talk[way] == f.talk]
        # The burst's votes: every vote of an overlapping significant window, so the span they cover can be
        # longer than the reported window (blocs_bursts._findings).
        mine = on_talk[_sorted_member(f.members, data.vote_voter[on_talk])]
        in_sittings = mine[sitting[mine]]
        if not in_sittings.size:
            continue
        # Counted and predicted in the burst's window (the test's own hours); the answer holds for every member
        # who voted in a sitting.
        lo, hi = f.window
        at = data.vote_at[in_sittings]
        observed = int(((at >= lo) & (at < hi)).sum())
        busy = int(np.searchsorted(site_at, hi, side="left") - np.searchsorted(site_at, lo, side="left"))
        rate = (int(sitting[on_talk].sum()) - observed + 0.5) / (len(site_at) - busy + 0.5 * n_talks)
        out[i] = replace(
            f,
            sitting_members=np.unique(data.vote_voter[in_sittings]).astype(f.members.dtype),
            sitting_observed=observed,
            sitting_expected=float(max(busy - observed, 0) * rate),
        )
    return out
