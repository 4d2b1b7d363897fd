"""Promotions the organizers may have sent without recording them, suggested from the votes.

A newsletter or post of the conference's own that features several talks brings readers who open
it and rate a few of its picks one after the other. Recorded (admin *Promotions*, round 20 in
docs/blocs.md), it explains the bursts it causes; forgotten, its readers look like campaigns. This
module finds the moments that look like such a promotion, so that the organizer can record it if
they sent one. It changes no detection by itself.

A moment is suggested when, in overlapping hours:

1. at least MIN_TALKS talks burst (the site-wide burst test passed on them: `burst_scan`, the same
   windows detection takes as bursts), and
2. at least MIN_CO_RATERS voters rated two or more of those talks within CO_RATE_MINUTES of each
   other, at least MIN_RATIO times as many as site-wide activity predicts (a newsletter's readers
   click several picks; a campaign pushing one talk does not), and
3. those voters rated on average at most MAX_SHARE of the talks (a newsletter's readers pick a few of
   its talks; a slate campaign's members rate the whole slate).

The prediction: the voters who rated two or more of those talks within CO_RATE_MINUTES at any other
time, scaled by the site's votes in the moment against its votes at those other times (a reminder
email that makes everyone vote at once raises it too).

Talks link when at least MIN_LINK voters rated both within CO_RATE_MINUTES in the moment, and a
suggestion is a connected set of at least MIN_TALKS such talks, so that unrelated bursts at the same
hour are not joined. Windows explained by a recorded promotion are not tested by the burst test, so a
recorded promotion's talks are not suggested again.

A mailing read when its readers get to it (each pick rated when they reach it, hours apart: fresh7's
`unrecorded_mailing`) brings few voters who rate two picks within minutes, and its talks' burst spans
run over days of passing windows, which chain most of the week's bursts into one moment. So a second,
slow pass takes each span's peak (its most unusual window: the hours when the talk's votes rose the
most above site-wide activity), makes a moment of the peaks that overlap each peak (not chains, which
run over most of a busy week), and applies the same tests (links, co-raters, prediction, MAX_SHARE) to
voters who rated two or more of the talks more than CO_RATE_MINUTES and at most SLOW_CO_RATE_HOURS
apart: readers who rated the picks within minutes are the first pass's, so a group rating together in
one sitting (a meetup, a slate) is judged there only. Of slow suggestions sharing a talk at
overlapping times the one with most co-raters is kept, and one that a first-pass suggestion already
names is left to it.

In both passes a moment that holds more of the site's votes than all other times is not suggested:
the prediction comes from those other times, and there are too few of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.stats import poisson

from .blocs_bursts import BurstScan, burst_scan
from .blocs_input import BlocInput, BlocRule
from .blocs_signals import SUPPORT, TOP, context_build

MIN_TALKS = 3
MIN_CO_RATERS = 5
MIN_LINK = 3
CO_RATE_MINUTES = 15
# A mailing's readers open it when they get to it and rate each talk they pick when they get to that,
# hours apart: the slow pass counts voters who rated two or more of the talks more than CO_RATE_MINUTES
# and at most this many hours apart, in the peak windows that rose together (chosen a priori: "the
# same day"; fresh7's readers rate within Exp(4 h) of the mailing, cut at 24 h).
SLOW_CO_RATE_HOURS = 24
MIN_RATIO = 3.0
# A newsletter features many talks and each reader rates a few of them; a slate campaign asks its
# members to rate every talk of the slate. A moment whose co-raters rated on average more than this
# share of its talks is not suggested (chosen on fresh6, fresh4 and fresh3 medium, where it kept every
# real promotion and dropped 23 of 27 campaign moments: see /work/notes/promosuggest.md).
MAX_SHARE = 0.5
# A suggestion's time is the start of the window of this many hours that holds the most co-raters'
# first votes on its talks (`_arrival`).
ARRIVAL_HOURS = 1.0
# The chance, under the prediction, of at least as many voters rating two or more of the talks
# together, must be below this.
MAX_P = 1e-3


@dataclass(frozen=True)
class PromotionSuggestion:
    """A moment that looks like an unrecorded promotion of `talk_ids`.

    - `at`: when the voters who rated two or more of the talks together began arriving (seconds since
      the epoch, to the minute): the first of their first votes on the talks in the hour that holds the
      most of those first votes. A promotion recorded then explains the hours after it.
    - `start`, `end`: the span of the talks' burst windows (seconds since the epoch).
    - `voters`: the distinct voters in those windows; `co_raters`: how many of them rated two or more
      of the talks within CO_RATE_MINUTES (a slow pass's: more than that and within SLOW_CO_RATE_HOURS;
      the evidence says which); `expected`: how many site-wide activity predicts;
      `talks_per_co_rater`: how many of the talks each of them rated in the span, on average (a
      newsletter's readers pick a few of its talks; a slate campaign's members rate them all).
    - `co_rater_ids`: those voters' ids, ascending (for measurement; the admin shows the counts).
    """

    at: int
    start: int
    end: int
    talk_ids: tuple[int, ...]
    voters: int
    co_raters: int
    expected: float
    evidence: str
    co_rater_ids: tuple[int, ...] = ()
    talks_per_co_rater: float = 0.0


def _duration(seconds: int) -> str:
    """ "15 minutes", "24 hours"."""
    return _plural(seconds // 60, "minute") if seconds < 3600 else _plural(seconds // 3600, "hour")


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _pair_rows(voter: np.ndarray, talk: np.ndarray, at: np.ndarray, gap: int, above: int = -1) -> np.ndarray:
    """(voter, talk a, talk b, time of the earlier vote, time of the later) with a < b for every two votes
    of one voter on two different talks at most `gap` seconds apart and more than `above`. The votes
    are any order; rows sorted."""
    if len(voter) < 2:
        return np.empty((0, 5), dtype=np.int64)
    order = np.lexsort((at, voter))
    v, t, a = voter[order], talk[order], at[order]
    rows = []
    # Votes of one voter within `gap`: compare each vote with the next k, while any pair stays close.
    for k in range(1, len(v)):
        same = (v[k:] == v[:-k]) & (a[k:] - a[:-k] <= gap)
        if not same.any():
            break
        i = np.flatnonzero(same)
        lo, hi = np.minimum(t[i], t[i + k]), np.maximum(t[i], t[i + k])
        keep = (lo != hi) & (a[i + k] - a[i] > above)
        rows.append(np.stack([v[i][keep], lo[keep], hi[keep], a[i][keep], a[i + k][keep]], axis=1))
    if not rows:
        return np.empty((0, 5), dtype=np.int64)
    return np.unique(np.concatenate(rows).astype(np.int64), axis=0)


def _pairs_in(rows: np.ndarray, talks: list[int], start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Of `rows` (`_pair_rows`) on two of `talks`: (voter, talk a, talk b) of the pairs with both votes in
    [start, end), and of those with both outside it, unique rows each."""
    on = np.isin(rows[:, 1], talks) & np.isin(rows[:, 2], talks)
    first_in = (rows[:, 3] >= start) & (rows[:, 3] < end)
    second_in = (rows[:, 4] >= start) & (rows[:, 4] < end)
    inside = np.unique(rows[on & first_in & second_in, :3], axis=0)
    outside = np.unique(rows[on & ~first_in & ~second_in, :3], axis=0)
    return inside, outside


def _arrival(voter: np.ndarray, at: np.ndarray) -> int:
    """When the co-raters began arriving: each one's first vote on the talks, and of those the first of
    the ARRIVAL_HOURS that holds the most of them (a promotion's readers come soonest right after it
    goes out; voters who rated the talks together by chance are spread over the span), to the minute."""
    order = np.lexsort((at, voter))
    v, a = voter[order], at[order]
    firsts = np.sort(a[np.r_[True, v[1:] != v[:-1]]])
    held = np.searchsorted(firsts, firsts + round(ARRIVAL_HOURS * 3600), side="left") - np.arange(len(firsts))
    first = int(firsts[int(np.argmax(held))])
    return first - first % 60


def _components(talks: list[int], edges: list[tuple[int, int]]) -> list[list[int]]:
    """The talks grouped by the links between them (connected components), each group ascending."""
    index = {t: i for i, t in enumerate(talks)}
    rows = [index[a] for a, _ in edges]
    cols = [index[b] for _, b in edges]
    graph = sparse.coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(len(talks), len(talks)))
    n, label = connected_components(graph, directed=False)
    ordered = np.asarray(talks)
    return [sorted(ordered[label == c].tolist()) for c in range(n)]


def _burst_spans(scan: BurstScan, data: BlocInput) -> list[tuple[int, int, int, np.ndarray, tuple]]:
    """(start, end, talk position, voter positions, peak) of every passing burst window, upward (any
    rating from "want to see" up, or the top score), merged per talk where they overlap. The peak is
    the span's most unusual window, as (start, end, talk position, voter positions): a span runs over
    every passing window of a talk, hours or days of them around a slow rise; its peak is the few
    hours of the rise itself."""
    spans = []
    directions = [d for d in (SUPPORT, TOP) if d in scan.ctx.tested]
    asked = np.unique(np.concatenate([scan.talks_passing(d) for d in directions] or [np.empty(0, dtype=np.int64)]))

    def close(current, talk):
        best = min(current[2], key=lambda w: (w.log_p, w.hours, w.start, w.direction))
        peak = (int(best.start), int(best.end), talk, np.unique(best.voters))
        voters = np.unique(np.concatenate([w.voters for w in current[2]]))
        spans.append((current[0], current[1], talk, voters, peak))

    for talk in asked.tolist():
        windows = [w for d in directions for w in scan.windows(d, talk) if w.passed]
        windows.sort(key=lambda w: (w.start, w.end))
        current = None
        for w in windows:
            if current is not None and w.start < current[1]:
                current = (current[0], max(current[1], w.end), [*current[2], w])
            else:
                if current is not None:
                    close(current, talk)
                current = (w.start, w.end, [w])
        if current is not None:
            close(current, talk)
    spans.sort(key=lambda s: (s[0], s[1], s[2]))
    return spans


def _moments(spans: list[tuple]):
    """Chains of overlapping spans (of any talks), in time order: (start, end, the spans, their talks
    ascending), those of at least MIN_TALKS talks only. Each span is (start, end, talk, …)."""
    i = 0
    while i < len(spans):
        start, end = spans[i][0], spans[i][1]
        j = i + 1
        while j < len(spans) and spans[j][0] < end:
            end = max(end, spans[j][1])
            j += 1
        moment = spans[i:j]
        i = j
        talks = sorted({s[2] for s in moment})
        if len(talks) >= MIN_TALKS:
            yield start, end, moment, talks


def promotion_suggestions(
    data: BlocInput, rule: BlocRule | None = None, *, scan: BurstScan | None = None
) -> list[PromotionSuggestion]:
    """The suggestions, earliest first (then by their talks): the same input gives the same list.
    `scan`, when given, is the site-wide burst test already run on `data` under `rule`."""
    rule = rule or BlocRule()
    if scan is None:
        if not len(data.vote_at):
            return []
        scan = burst_scan(context_build(data, rule))
    spans = _burst_spans(scan, data)
    gap = CO_RATE_MINUTES * 60
    upward = data.vote_score >= data.scale.wanted_min
    site_at = np.sort(data.vote_at)
    # Moments: chains of overlapping burst spans; voters who rated two or more talks in one sitting.
    out: list[PromotionSuggestion] = []
    for start, end, moment, talks in _moments(spans):
        on = upward & _member(talks, data.n_talks)[data.vote_talk]
        rows = _pair_rows(data.vote_voter[on], data.vote_talk[on], data.vote_at[on], gap)
        out += _suggest(data, upward, site_at, moment, talks, start, end, gap, rows)
    # Slow moments: the peaks that overlap one peak, for each peak; voters who rated two or more talks
    # hours apart, within the day (a mailing read when its readers get to it). Of suggestions that name
    # a talk in common at overlapping times, the one with the most co-raters is kept, and a moment the
    # first pass already names is left to it.
    peaks = sorted((s[4] for s in spans), key=lambda p: (p[0], p[1], p[2]))
    slow_gap = SLOW_CO_RATE_HOURS * 3600
    on = upward & _member([p[2] for p in peaks], data.n_talks)[data.vote_talk]
    rows = _pair_rows(data.vote_voter[on], data.vote_talk[on], data.vote_at[on], slow_gap, above=gap)
    slow = []
    for start, end, moment, talks in _around(peaks):
        slow += _suggest(data, upward, site_at, moment, talks, start, end, slow_gap, rows, above=gap)
    slow.sort(key=lambda s: (-s.co_raters, s.at, s.talk_ids))
    for s in slow:
        if not any(set(s.talk_ids) & set(f.talk_ids) and s.start < f.end and f.start < s.end for f in out):
            out.append(s)
    out.sort(key=lambda s: (s.at, s.talk_ids))
    return out


def _around(peaks: list[tuple]):
    """For each peak, the peaks whose windows overlap it (itself included), each such set once, in time
    order: (start, end, the peaks, their talks ascending), those of at least MIN_TALKS talks only.
    Unlike a chain, a set spans at most three windows, however many talks burst in the week."""
    seen = set()
    for p in peaks:
        moment = [q for q in peaks if q[0] < p[1] and p[0] < q[1]]
        key = tuple((q[0], q[2]) for q in moment)
        talks = sorted({q[2] for q in moment})
        if key in seen or len(talks) < MIN_TALKS:
            continue
        seen.add(key)
        yield min(q[0] for q in moment), max(q[1] for q in moment), moment, talks


def _member(positions, n: int) -> np.ndarray:
    """A table of n booleans, true at `positions`: `table[data.vote_talk]` marks the votes on them."""
    table = np.zeros(n, dtype=bool)
    table[np.asarray(positions, dtype=np.int64)] = True
    return table


def _suggest(data, upward, site_at, moment, talks, start, end, gap, rows, above=-1) -> list[PromotionSuggestion]:
    """The suggestions of one moment; `rows` holds the voters' pairs of votes (`_pair_rows`, within `gap`
    and more than `above` apart) on at least the moment's talks, at any time."""
    pairs, far_pairs = _pairs_in(rows, talks, start, end)
    if not len(pairs):
        return []
    n_in = int(np.searchsorted(site_at, end, side="left") - np.searchsorted(site_at, start, side="left"))
    n_out = len(site_at) - n_in
    if n_in > n_out:
        # The prediction comes from the other times; a moment holding most of the vote has too few.
        return []
    scale = n_in / max(n_out, 1)
    # Two talks link when voters rated both together in the moment at least MIN_RATIO times as often as
    # at other times, scaled by the site's activity (honest voters who rate the programme in one sitting
    # rate popular talks together all week: those pairs do not link).
    links, counts = np.unique(pairs[:, 1:], axis=0, return_counts=True)
    far_links, far_counts = (
        np.unique(far_pairs[:, 1:], axis=0, return_counts=True) if len(far_pairs) else (np.empty((0, 2)), [])
    )
    far = {(int(a), int(b)): int(c) for (a, b), c in zip(far_links, far_counts, strict=True)}
    edges = [
        (int(a), int(b))
        for (a, b), c in zip(links, counts, strict=True)
        if c >= MIN_LINK
        and c >= MIN_RATIO * far.get((int(a), int(b)), 0) * scale
        and poisson.sf(c - 1, max(far.get((int(a), int(b)), 0) * scale, 1e-9)) <= MAX_P
    ]
    out = []
    for group in _components(talks, edges):
        if len(group) < MIN_TALKS:
            continue
        mine = np.isin(pairs[:, 1], group) & np.isin(pairs[:, 2], group)
        co = np.unique(pairs[mine, 0])
        elsewhere = far_pairs[np.isin(far_pairs[:, 1], group) & np.isin(far_pairs[:, 2], group)]
        expected = len(np.unique(elsewhere[:, 0])) * scale
        observed = len(co)
        if observed < MIN_CO_RATERS or observed < MIN_RATIO * expected:
            continue
        if poisson.sf(observed - 1, max(expected, 1e-9)) > MAX_P:
            continue
        in_group = [s for s in moment if s[2] in group]
        g_start = min(s[0] for s in in_group)
        g_end = max(s[1] for s in in_group)
        voters = np.unique(np.concatenate([s[3] for s in in_group]))
        # Their upward votes on the talks in the moment (looked up by table: the input may hold 1M votes).
        theirs = upward & _member(group, data.n_talks)[data.vote_talk] & _member(co, data.n_voters)[data.vote_voter]
        theirs &= (data.vote_at >= start) & (data.vote_at < end)
        at = _arrival(data.vote_voter[theirs], data.vote_at[theirs])
        # How many of the talks each co-rater rated in the moment, on average.
        rated = np.unique(np.stack([data.vote_voter[theirs], data.vote_talk[theirs]], axis=1), axis=0)
        per_co_rater = len(rated) / observed
        if per_co_rater > MAX_SHARE * len(group):
            continue
        talk_ids = tuple(int(t) for t in data.talk_ids[group])
        hours = (g_end - g_start) / 3600
        together = (
            f"within {_duration(gap)} of each other"
            if above < 0
            else f"between {_duration(above)} and {_duration(gap)} apart"
        )
        evidence = (
            f"{_plural(len(group), 'talk')} burst within {hours:.0f} hours of each other, with "
            f"{_plural(len(voters), 'voter')} in their bursts; {_plural(observed, 'voter')} rated two or "
            f"more of them {together}, where site-wide activity "
            f"predicts {expected:.1f}; each of them rated {per_co_rater:.1f} of the {len(group)} on average. "
            "If you sent a newsletter or post featuring them, record it as a promotion."
        )
        out.append(
            PromotionSuggestion(
                at=at,
                start=int(g_start),
                end=int(g_end),
                talk_ids=talk_ids,
                voters=len(voters),
                co_raters=observed,
                expected=float(expected),
                evidence=evidence,
                co_rater_ids=tuple(int(v) for v in data.voter_ids[co]),
                talks_per_co_rater=per_co_rater,
            )
        )
    return out
