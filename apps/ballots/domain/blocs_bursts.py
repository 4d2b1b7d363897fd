"""Bursts: votes on one talk arriving together far faster than the voters' own activity explains.

Two tests share this code. The `burst` signal looks at every vote on a talk and judges a window
against the whole site's activity then (a reminder email makes everyone vote at once, so a crowd of
votes right after it is not a burst). The `organisation_burst` signal (round 8 in docs/blocs.md)
looks at the votes of one organisation on a talk and judges a window against that organisation's own
activity then: coworkers asked by an internal message to vote for a talk do so within hours of each
other while the rest of their company is not voting, which a company-wide test over the whole vote
dilutes (a large company's honest interest in a talk hides a ring of seven) and a site-wide window
misses (the site is busy). A window starts at a vote, which is therefore given; the p-value is that
of the other votes in it.

A promotion the organizers recorded (their own post or newsletter featuring a talk, round 20) explains
the votes on that talk in the `promotion_hours` after it: a window on the talk that overlaps that
period is not tested and not counted among the tests, in both tests (a public post brings coworkers
too). Windows on other talks, and windows on the talk that end before the promotion or start after
the period, are tested as before.

`burst_scan` runs the site-wide test once and keeps what it computed; detection takes its findings
(`burst_findings`), and a diagnostic lists every window it considered on a talk (`BurstScan.windows`,
`burst_windows`) from the same arrays, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from scipy.special import gammaln
from scipy.stats import binom, poisson

from .blocs_signals import (
    OPPOSE,
    SUPPORT,
    TOP,
    ConditionalTerms,
    Context,
    Finding,
    _large_enough,
    _threshold,
    _unit_minimum,
    distinct,
)


@dataclass(frozen=True)
class _Votes:
    """The votes of one tested direction that a burst test scans, sorted by cell (a talk, or an
    organisation and a talk), time and voter. `owner` is the organisation of each vote (0 for the
    site-wide test)."""

    d: int
    voter: np.ndarray  # voter positions
    at: np.ndarray  # seconds since the first vote
    talk: np.ndarray
    cell: np.ndarray
    key: np.ndarray  # cell * span + at: a window's votes are a range of these
    owner: np.ndarray
    explained: np.ndarray  # (votes, window lengths) bool: the window from this vote overlaps a promotion


@dataclass(frozen=True)
class _Activity:
    """How many votes the population a window is judged against cast in it: the whole site (kept per
    minute: a window's count is a difference of running totals) or the vote's organisation."""

    span: int
    before_minute: np.ndarray | None = None  # site: votes before each minute
    owner_keys: np.ndarray | None = None  # organisation: sorted organisation * span + time of its votes
    sparse: bool = False  # site-wide, but few votes (blocs_lone.py's isolated votes): predict as for an organisation
    # Site-wide, round 37 (`lone_share: local`): the talk's share is taken from the site's votes within this
    # many seconds before and after the window (0: over the whole vote), pulled toward the whole-vote share
    # by `local_prior` votes' weight.
    local_seconds: int = 0
    local_prior: float = 0.0
    # Round 38 (`lone_test: conditional`): a window's p-value is the conditional (binomial) one, given the
    # talk's votes in the way: each falls in the window with the window's share of the site's votes (and,
    # with `local_seconds`, of the site's votes in the span around it too; the larger p).
    conditional: bool = False

    def counter(self, votes: _Votes):
        """A function of the window length w and some votes (positions in `votes`): per vote, the
        population's votes in [its time, + w)."""
        if self.before_minute is not None:
            before, minute = self.before_minute, votes.at // 60
            start = before[minute]

            def site(w: int, first: np.ndarray) -> np.ndarray:
                # (at + w) // 60 is the vote's minute plus w // 60 when w is whole minutes.
                end = minute[first] + w // 60 if w % 60 == 0 else (votes.at[first] + w) // 60
                return before[end] - start[first]

            return site
        base = votes.owner * self.span + votes.at

        def count(w: int, first: np.ndarray) -> np.ndarray:
            at, keys = base[first], self.owner_keys
            return np.searchsorted(keys, at + w, side="left") - np.searchsorted(keys, at, side="left")

        return count

    def expected(self, busy: np.ndarray, observed: np.ndarray, rate: np.ndarray) -> np.ndarray:
        """What the talk's share of all votes predicts among the window's activity. Site-wide, the
        window's other votes (the site's thousands dwarf the talk's few); in an organisation, all of
        its votes in the window: of the votes coworkers cast then, how many would land on this talk
        (with the others only, a ring voting for one talk and nothing else would be predicted 0). A
        sparse site (`sparse`) is predicted as an organisation: in an hour when the talk's votes are the
        only ones, the others would predict 0 there too."""
        if self.before_minute is not None and not self.sparse:
            return np.maximum(busy - observed, 0) * rate
        return busy * rate


@dataclass(frozen=True, eq=False)
class BurstWindow:
    """One window the site-wide burst test considered on a talk, in one way (`burst_windows`).

    A window starts at a vote on the talk and lasts `hours`: it holds the votes on the talk, in that
    way, cast from `start` (included) to `end` (excluded), both in seconds since the epoch.

    - `direction`: the way tested: SUPPORT (1: any rating from "want to see" up), TOP (2: the top
      score alone; its findings say direction SUPPORT, top_score True) or OPPOSE (-1).
    - `talk`: the talk's position in the detection input (`data.talk_ids[talk]` is its id).
    - `hours`, `start`, `end`: the window's length (one of the rule's `burst_window_hours`) and span.
    - `observed`: the votes on the talk, in that way, in the window (the first of them included).
    - `expected`: how many the site predicts: the talk's share of the votes outside the window (in
      that way, smoothed by a half vote) times the site's other votes in the window, of every talk
      and way (a reminder email that makes everyone vote at once raises this too, so a crowd right
      after it is not unusual).
    - `log_p`: the natural log of the window's p-value: the chance, under that prediction, of at least
      `observed - 1` votes besides the first (the first vote is given: the window starts at it).
      `p_value` is its exponential.
    - `log_bar`: the log p-value the window is judged against in this detection run: the signal's bar
      (`BurstScan.log_bar`: alpha shared among every window of every talk, `BurstScan.n_tests`, under
      the rule's error control); but under `bursts: every`, a window on a talk and way where a burst
      passed that bar, and which misses it itself, is judged against the follow-up bar
      (`BurstScan.follow_up_log_bar`: alpha shared among the windows of such talks only), the bar
      further waves of a campaign are held to. (A finding for a later wave reports the follow-up bar
      even when its window also passed the signal's bar.)
    - `passed`: `log_p <= log_bar`: detection takes the window's votes as a burst (its members are
      those of the most unusual passing window and of the passing windows, no longer, that overlap it).
    - `reported`: detection reported this very window as a finding (the most unusual window of a
      burst); a passing window that overlaps a more unusual one only lends it members.
    - `votes`, `voters`: the positions of the window's votes in the detection input (`data.vote_*`)
      and of their voters, in time order.
    - `first`: the position of the window's first vote among all the votes on the talk in that way,
      in time order (two windows share votes when their ranges `first .. first + observed` overlap).

    Only windows that could be reported are listed: those holding at least the rule's `min_members`
    votes and at least `min_ratio` times their prediction. Windows that overlap the hours after a
    recorded promotion of the talk are explained by it and neither tested nor listed. Windows from
    every vote still count among `BurstScan.n_tests`, listed or not.
    """

    direction: int
    talk: int
    hours: float
    start: int
    end: int
    observed: int
    expected: float
    log_p: float
    log_bar: float
    passed: bool
    reported: bool
    votes: np.ndarray
    voters: np.ndarray
    first: int

    @property
    def p_value(self) -> float:
        return float(np.exp(self.log_p))


@dataclass(frozen=True, eq=False)
class BurstScan:
    """One run of a burst test over the whole vote: what detection decides from (`findings`) and every
    window it considered on a talk (`windows`). `n_tests` is the number of windows the multiple-testing
    correction counts (every window from every vote, in every way, that no promotion explains);
    `log_bar` is the signal's bar (log p) and `follow_up_log_bar` the bar of further waves on talks
    where a burst passed (under `bursts: every`; otherwise equal to `log_bar`)."""

    ctx: Context
    signal: str
    n_tests: int
    log_bar: float
    follow_up_log_bar: float
    window_hours: tuple[float, ...]
    _labels: tuple[str, ...]
    _t0: int
    _windows: tuple[int, ...]  # seconds
    _streams: tuple[_Votes, ...]
    _stats: tuple  # per stream, `_window_stats`
    _tested: tuple  # per stream, `_burst_windows` at the bar reached
    _waves: bool
    _follow: tuple  # per stream, the follow-up windows per cell (`_spans_by_cell`); empty without waves
    _on_found: tuple  # per stream, bool per vote: its talk and way hold a burst that passed the bar

    @cached_property
    def _outcome(self) -> tuple[list[Finding], frozenset]:
        return _findings(self)

    def findings(self) -> list[Finding]:
        """What detection reports: the findings of `burst_findings` (or `organisation_burst_findings`)."""
        return list(self._outcome[0])

    def talks_passing(self, direction: int) -> np.ndarray:
        """The talks (positions, ascending) on which some window in `direction` may pass its bar: every
        talk where `windows` marks a window passed is among them (the others have none), so a caller
        asking about passed windows need not list every talk's."""
        if self.signal != "burst":
            raise ValueError("windows are listed for the site-wide burst test only")
        j = next((j for j, votes in enumerate(self._streams) if votes.d == direction), None)
        if j is None:
            return np.empty(0, dtype=np.int64)
        limit = max(self.log_bar, self.follow_up_log_bar)
        starts = [cand for cand, *_ in _burst_windows(self._stats[j], limit)]
        return np.unique(self._streams[j].talk[np.concatenate(starts)]) if starts else np.empty(0, dtype=np.int64)

    def windows(self, direction: int, talk: int) -> list[BurstWindow]:
        """Every window considered on `talk` (a position in the input) in `direction` (SUPPORT, TOP or
        OPPOSE: one of `ctx.tested`), the most unusual first (ties: the shorter, then the earlier).
        Counts, predictions and p-values are those detection computed (the same arrays, the same
        function), so the window a finding reports appears here with the finding's p-value."""
        if self.signal != "burst":
            raise ValueError("windows are listed for the site-wide burst test only")
        if direction not in self.ctx.tested:
            raise ValueError(f"direction must be one of {self.ctx.tested}, not {direction}")
        j = next((j for j, votes in enumerate(self._streams) if votes.d == direction), None)
        if j is None:
            return []
        votes = self._streams[j]
        lo, hi = np.searchsorted(votes.talk, [talk, talk + 1])  # a stream is sorted by talk
        if hi <= lo:
            return []
        found = _burst_windows(self._stats[j], np.inf, (votes.talk == talk))
        rows = _spans_by_cell(found, votes.cell, np.inf).get(talk)
        if rows is None:
            return []
        # The talk's votes as the input holds them, in the stream's order (time, then voter).
        data = self.ctx.data
        sel = self.ctx.votes_in(direction)
        sel = sel[data.vote_talk[sel] == talk]
        sel = sel[np.lexsort((data.vote_voter[sel], data.vote_at[sel]))]
        if len(sel) != hi - lo or not np.array_equal(data.vote_voter[sel], votes.voter[lo:hi]):
            raise RuntimeError("the talk's votes differ from the burst test's stream")
        follow_up = self._waves and bool(self._on_found[j][lo])
        reported = self._outcome[1]
        out = []
        for s, e, wi, log_p, expected in zip(*rows, strict=True):
            s, e, wi = int(s), int(e), int(wi)
            begin = self._t0 + int(votes.at[s])
            bar = self.follow_up_log_bar if follow_up and log_p > self.log_bar else self.log_bar
            out.append(
                BurstWindow(
                    direction=direction,
                    talk=talk,
                    hours=self.window_hours[wi],
                    start=begin,
                    end=begin + self._windows[wi],
                    observed=e - s,
                    expected=float(expected),
                    log_p=float(log_p),
                    log_bar=float(bar),
                    passed=bool(log_p <= bar),
                    reported=(j, s, wi) in reported,
                    votes=sel[s - lo : e - lo],
                    voters=votes.voter[s:e],
                    first=int(s - lo),
                )
            )
        return out


def burst_scan(ctx: Context) -> BurstScan:
    """The site-wide burst test over the whole vote, once: its findings and every window it considered
    (see `BurstScan`, `BurstWindow`). Detection uses it (`burst_findings`); a diagnostic that asks about
    several talks should build it once and call `windows` on it."""
    return _scan(ctx, "burst")


def burst_windows(ctx: Context, direction: int, talk: int) -> list[BurstWindow]:
    """Every window the site-wide burst test considered on one talk in one way (SUPPORT, TOP or OPPOSE),
    the most unusual first, with its counts, prediction, p-value and bar (see `BurstWindow`). Runs the
    whole test (a window's bar depends on every talk); for several talks use `burst_scan(ctx).windows`."""
    return burst_scan(ctx).windows(direction, talk)


def burst_findings(ctx: Context) -> list[Finding]:
    """The most unusual window of each talk and way: votes on it in the window against the talk's share
    of all votes times the site-wide votes in that window. Under `bursts: every`, also each further
    burst on that talk that shares no vote with the ones before (a campaign's later waves)."""
    return burst_scan(ctx).findings()


def organisation_burst_findings(ctx: Context, voter_org: np.ndarray, labels: tuple[str, ...]) -> list[Finding]:
    """The most unusual window of each organisation, talk and way: the organisation's votes on the talk
    in the window against the talk's share of all votes times the organisation's votes in that window.
    `voter_org` assigns voters to organisations (-1: none)."""
    return _scan(ctx, "organisation_burst", voter_org, labels).findings()


def _scan(
    ctx: Context,
    signal: str,
    voter_org: np.ndarray | None = None,
    labels: tuple[str, ...] = (),
    sparse: bool = False,
    local: tuple[int, float] = (0, 0.0),
    conditional: bool = False,
) -> BurstScan:
    """`sparse`: the site's votes are few (see `_Activity.expected`). `local`: site-wide only, seconds
    either side of a window and a prior weight in votes for a local share (`_local_rate`); (0, 0): the
    share over the whole vote. `conditional`: site-wide only, binomial p-values (`_conditional`)."""
    data, rule = ctx.data, ctx.rule
    windows = [round(h * 3600) for h in rule.burst_window_hours]
    if not ctx.n_votes or (voter_org is not None and not (voter_org >= 0).any()):
        no = float("-inf")
        return BurstScan(
            ctx, signal, 0, no, no, tuple(rule.burst_window_hours), labels, 0, tuple(windows), (), (), (), False, (), ()
        )
    n_talks = max(1, data.n_talks)
    t0 = int(data.vote_at.min())
    span = int(data.vote_at.max()) - t0 + max(windows) + 1
    if voter_org is None:
        per_minute = np.bincount((data.vote_at - t0) // 60, minlength=span // 60 + 2)
        before_minute = np.concatenate(([0], np.cumsum(per_minute)))
        activity = _Activity(
            span, before_minute, sparse=sparse, local_seconds=local[0], local_prior=local[1], conditional=conditional
        )
    else:
        vote_org = voter_org[data.vote_voter].astype(np.int64)
        known = vote_org >= 0
        activity = _Activity(span, owner_keys=np.sort(vote_org[known] * span + (data.vote_at[known] - t0)))
    streams: list[_Votes] = []
    n_tests = 0
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        owner = np.zeros(len(sel), dtype=np.int64)
        if voter_org is not None:
            owner = voter_org[data.vote_voter[sel]].astype(np.int64)
            sel, owner = sel[owner >= 0], owner[owner >= 0]
        at = data.vote_at[sel] - t0
        talk = data.vote_talk[sel].astype(np.int64)
        cell = owner * n_talks + talk
        explained = _promoted(data.talk_promoted, talk, at, t0, windows, rule.promotion_hours)
        n_tests += explained.size - int(np.count_nonzero(explained))
        cell, at, voter = _by_cell_time_voter(cell, at, data.vote_voter[sel], span, data.n_voters)
        # A cell (talk, or organisation and talk) with fewer votes than a bloc needs has no window to
        # report: its windows count among the tests above but are not scanned.
        big = _run_sizes(cell) >= rule.min_members
        cell, at, voter = cell[big], at[big], voter[big]
        owner, talk = np.divmod(cell, n_talks)
        explained = _promoted(data.talk_promoted, talk, at, t0, windows, rule.promotion_hours)  # of these votes
        streams.append(_Votes(d, voter, at, talk, cell, cell * span + at, owner, explained))

    # Every window large enough to report whose p could reach `reach` (a multiple of alpha / tests:
    # 1 under familywise control, more under false-discovery control, widened until it covers the
    # threshold that the windows found set).
    reach = 1 if rule.error_control == "familywise" else 64
    # What does not depend on the bar (counts, predictions) is worked out once per stream.
    stats = [_window_stats(ctx, votes, windows, activity) for votes in streams]
    while True:
        tested = [_burst_windows(st, np.log(rule.alpha * reach / max(1, n_tests))) for st in stats]
        # A unit is a talk and a way (up: any rating from "want to see" or the top score).
        units, log_ps = [np.empty(0, dtype=np.int64)], [np.empty(0)]
        for votes, found in zip(streams, tested, strict=True):
            units += [2 * votes.talk[cand] + (votes.d == OPPOSE) for cand, _, _, _ in found]
            log_ps += [log_p for _, log_p, _, _ in found]
        threshold = _threshold(_unit_minimum(np.concatenate(units), np.concatenate(log_ps)), rule, n_tests)
        if threshold <= np.log(rule.alpha * reach / max(1, n_tests)) or reach >= n_tests:
            break
        reach *= 8

    # The site-wide burst test and the account-creation test (blocs_joined.py) report every wave.
    waves = signal in ("burst", "joined") and rule.bursts == "every"
    follow, follow_bar, on_found = _follow_ups(ctx, streams, stats, tested, threshold) if waves else ([], threshold, [])
    return BurstScan(
        ctx,
        signal,
        n_tests,
        float(threshold),
        float(follow_bar),
        tuple(rule.burst_window_hours),
        labels,
        t0,
        tuple(windows),
        tuple(streams),
        tuple(stats),
        tuple(tested),
        waves,
        tuple(follow),
        tuple(on_found),
    )


def _findings(scan: BurstScan) -> tuple[list[Finding], frozenset]:
    """The scan's findings, and the windows they report as (stream, first vote, length index)."""
    signal, labels, t0, windows, waves = scan.signal, scan._labels, scan._t0, scan._windows, scan._waves
    threshold, follow_bar = scan.log_bar, scan.follow_up_log_bar
    findings: list[Finding] = []
    reported = set()
    for j, (votes, found) in enumerate(zip(scan._streams, scan._tested, strict=True)):
        more = scan._follow[j] if waves else {}
        for cell, spans in sorted(_spans_by_cell(found, votes.cell, threshold).items()):
            bursts = []
            # The most unusual window first (it passed the signal's bar); then, under `bursts: every`,
            # the most unusual window that shares no vote with the bursts taken, and so on.
            while len(spans[0]):
                starts, ends, lengths, log_ps, predictions = spans
                s, e, wi = int(starts[0]), int(ends[0]), int(lengths[0])
                # The burst's members: every vote in a significant window, no longer than the best one,
                # that overlaps it, so a burst that straddles two windows is taken whole.
                mine = (starts < e) & (ends > s) & (lengths <= wi)
                first_vote, last_vote = int(starts[mine].min()), int(ends[mine].max())
                bursts.append((first_vote, last_vote))
                reported.add((j, s, wi))
                findings.append(
                    Finding(
                        signal=signal,
                        talk=int(votes.talk[s]),
                        direction=SUPPORT if votes.d == TOP else votes.d,
                        members=distinct(votes.voter[first_vote:last_vote]).astype(np.int64),
                        observed=e - s,
                        expected=float(predictions[0]),
                        log_p=float(log_ps[0]),
                        log_bar=float(threshold if len(bursts) == 1 else follow_bar),
                        label=labels[int(votes.owner[s])] if labels else "",
                        window=(t0 + int(votes.at[s]), t0 + int(votes.at[s]) + windows[wi]),
                        top_score=votes.d == TOP,
                        conditional=(
                            _conditional_terms(scan._stats[j][wi], s, e - s, t0)
                            if scan._stats[j][wi][5] is not None
                            else None
                        ),
                    )
                )
                if not waves:  # one burst per cell and way (before round 8, and organisation bursts)
                    break
                spans = more.get(cell, spans)
                apart = np.ones(len(spans[0]), dtype=bool)
                for a, b in bursts:
                    apart &= (spans[0] >= b) | (spans[1] <= a)
                spans = tuple(x[apart] for x in spans)
    return (_wave_labels(findings) if waves else findings), frozenset(reported)


def _follow_ups(ctx: Context, streams: list[_Votes], stats, tested, threshold: float):
    """Under `bursts: every`, the further waves of a campaign: on the talks and ways where a burst passed
    the signal's bar, every other window is asked again, against alpha / (windows on those talks):
    the question "did this talk get another burst?" is asked only where one is established. Returns
    the windows found this way per stream and talk (as `_spans_by_cell`), their bar, and per stream
    which votes are on those talks and ways."""
    rule = ctx.rule
    found_units = np.concatenate(
        [np.empty(0, dtype=np.int64)]
        + [
            2 * votes.talk[cand[log_p <= threshold]] + (votes.d == OPPOSE)
            for votes, found in zip(streams, tested, strict=True)
            for cand, log_p, _, _ in found
        ]
    )
    # Whether a vote's unit is among them, as a lookup in a table of units (np.isin over every vote of
    # the stream took as long as the rest of this function).
    n_units = 2 * max(1, ctx.data.n_talks) + 2
    found_table = np.zeros(n_units, dtype=bool)
    found_table[found_units] = True
    on_found = [found_table[2 * votes.talk + (votes.d == OPPOSE)] for votes in streams]
    n_follow = sum(int((~votes.explained[mask]).sum()) for votes, mask in zip(streams, on_found, strict=True))
    if not n_follow:
        return [{} for _ in streams], threshold, on_found
    follow_bar = max(threshold, float(np.log(rule.alpha / n_follow)))
    # The windows of the talks and ways where a burst passed: a talk's votes are contiguous and no
    # window leaves its talk, so they are the same windows as among all the votes, asked at this bar.
    follow = [
        _spans_by_cell(_burst_windows(st, follow_bar, mask), votes.cell, follow_bar)
        for votes, st, mask in zip(streams, stats, on_found, strict=True)
    ]
    return follow, follow_bar, on_found


def _spans_by_cell(found, cell: np.ndarray, limit: float) -> dict[int, tuple]:
    """The windows of `found` (per window length, as `_burst_windows` gives them: starts, log p, ends,
    predictions) whose p is at most `limit`, per cell: (starts, ends, length index, log p, prediction),
    the most unusual first (ties: the shorter window, then the earlier start)."""
    rows = [
        (cand[ok], end[ok], np.full(int(ok.sum()), wi), log_p[ok], expected[ok])
        for wi, (cand, log_p, end, expected) in enumerate(found)
        for ok in [log_p <= limit]
    ]
    if not rows:
        return {}
    starts, ends, lengths, log_ps, predictions = (np.concatenate(col) for col in zip(*rows, strict=True))
    order = np.lexsort((starts, lengths, log_ps, cell[starts]))
    columns = [x[order] for x in (starts, ends, lengths, log_ps, predictions)]
    span_cell = cell[columns[0]]
    cuts = np.nonzero(np.diff(span_cell))[0] + 1
    return {
        int(span_cell[lo]): tuple(x[lo:hi] for x in columns)
        for lo, hi in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(span_cell)])), strict=True)
        if hi > lo
    }


def _wave_labels(findings: list[Finding]) -> list[Finding]:
    """Labels the bursts of one talk and way by wave: windows that overlap (a top-score burst and the
    upward burst around it) share a label, the start of the wave's first window, so that each wave
    is one group of findings (paired tests, one sentence) and waves apart are told apart."""
    out: list[Finding] = []
    by_target: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        by_target.setdefault((f.talk, f.direction), []).append(f)
    for target in sorted(by_target):
        group = sorted(by_target[target], key=lambda f: (f.window, f.top_score, f.log_p))
        wave_start, wave_end = None, None
        for f in group:
            lo, hi = f.window or (0, 0)
            if wave_end is None or lo >= wave_end:
                wave_start, wave_end = lo, hi
            wave_end = max(wave_end, hi)
            out.append(replace(f, label=str(wave_start)))
    return out


def _window_stats(ctx: Context, votes: _Votes, windows, activity: _Activity):
    """Per window length, what does not depend on the bar: the windows (by first vote) large enough to
    report and not explained by a promotion, an upper bound of each one's log p (the chance of exactly
    its count), and their ends (vote index), counts and predictions (kept for these windows only)."""
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    out = []
    busy_in = activity.counter(votes)
    # The window from vote i holds at least `min_members` votes exactly when vote i + min_members - 1
    # (keys are sorted) falls in it, so the counts and predictions of the other windows, which cannot
    # be large enough, are never worked out.
    m, n = max(1, rule.min_members), len(votes.key)
    reach = votes.key[m - 1 :] - votes.key[: max(0, n - m + 1)]
    for wi, w in enumerate(windows):
        first = np.nonzero(reach < w)[0]
        end = np.searchsorted(votes.key, votes.key[first] + w, side="left")
        observed = end - first
        busy = busy_in(w, first)
        rest_rate = (ctx.talk_count[votes.d][votes.talk[first]] - observed + 0.5) / (ctx.n_votes - busy + 0.5 * n_talks)
        if activity.local_seconds:
            rest_rate = _local_rate(votes, first, w, activity, rest_rate)
        expected = activity.expected(busy, observed, rest_rate)
        ok = _large_enough(observed, expected, rule) & ~votes.explained[first, wi]
        # A window starts at a vote on the talk, so that vote is given; only the other votes in the
        # window are random. The chance of exactly that many others is below the chance of at least
        # that many, so a window whose exact count is already too likely cannot pass the (slower)
        # tail test. (An upper bound such as Chernoff's cannot rule a window out: docs/blocs.md,
        # round 5.)
        o, e = observed[ok] - 1, np.maximum(expected[ok], 1e-9)
        if activity.conditional:
            trials = _conditional(ctx, votes, first[ok], w, busy[ok], activity)
            exactly = np.max([binom.logpmf(o, n, _chance(b, s)) for n, b, s, _ in trials], axis=0)
            out.append((first[ok], exactly, end[ok], observed[ok], expected[ok], trials))
            continue
        out.append((first[ok], o * np.log(e) - e - gammaln(o + 1), end[ok], observed[ok], expected[ok], None))
    return out


def _conditional(ctx: Context, votes: _Votes, first: np.ndarray, w: int, busy: np.ndarray, activity: _Activity):
    """The binomial trials of the conditional test (round 38) of the windows from the votes `first`: per
    reference span, (the talk's other votes in it in the stream's way, the site's votes in the window, the
    site's votes in the span, the span's bounds in seconds since the first vote or None for the whole vote);
    each trial falls in the window with the window's share of the site's votes in the span (`_chance`). The
    span is the whole vote, and under a local share (`local_seconds`) also the window with the
    `local_seconds` before and after it. The window's first vote is given, so it is not among the trials;
    the site's votes include the talk's own (as `sparse` predicts), which makes the chance, and so the
    p-value, no smaller."""
    talk_total = ctx.talk_count[votes.d][votes.talk[first]]
    out = [(talk_total - 1, busy, np.full(len(first), ctx.n_votes), None)]
    if activity.local_seconds:
        lo, hi = _local_span(votes, first, w, activity)
        talk, site = _span_counts(votes, first, activity, lo, hi)
        out.append((np.maximum(talk - 1, 0), busy, site, (lo, hi)))
    return out


def _chance(in_window, in_span):
    """The chance of one trial of the conditional test falling in the window: the window's share of the
    site's votes in the reference span."""
    return np.clip(in_window / np.maximum(in_span, 1), 0.0, 1.0)


def _conditional_terms(stats_row, s: int, observed: int, t0: int) -> ConditionalTerms:
    """The terms of the reference span that gave the p-value of the window from vote `s` (one row of
    `_window_stats`: one window length), by the same function `_burst_windows` takes the larger p with."""
    cand, trials = stats_row[0], stats_row[5]
    i = int(np.searchsorted(cand, s))
    if i >= len(cand) or int(cand[i]) != s:
        raise RuntimeError("a reported window is not among the windows the test scored")
    log_ps = [float(binom.logsf(observed - 2, int(n[i]), float(_chance(b[i], site[i])))) for n, b, site, _ in trials]
    k = int(np.argmax(log_ps))
    n, b, site, bounds = trials[k]
    span = None if bounds is None else (t0 + int(bounds[0][i]), t0 + int(bounds[1][i]))
    return ConditionalTerms(int(n[i]), int(b[i]), int(site[i]), span, compared=len(trials) > 1)


def _local_rate(votes: _Votes, first: np.ndarray, w: int, activity: _Activity, whole: np.ndarray) -> np.ndarray:
    """The talk's share of the site's votes in the `local_seconds` before the window from each vote in
    `first` and the `local_seconds` after it (the window itself left out), with `local_prior` votes at the
    whole-vote share `whole` added: where the days around hold few votes the share is the whole vote's,
    where they hold many it follows the talk's interest then (round 37). The talk's votes are those in
    the stream's way; the site's, every vote (as in the whole-vote share)."""
    at = votes.at[first]
    lo, hi = _local_span(votes, first, w, activity)
    talk_before, site_before = _span_counts(votes, first, activity, lo, at)
    talk_after, site_after = _span_counts(votes, first, activity, at + w, hi)
    prior = activity.local_prior
    return np.maximum(whole, (talk_before + talk_after + prior * whole) / (site_before + site_after + prior))


def _local_span(votes: _Votes, first: np.ndarray, w: int, activity: _Activity) -> tuple[np.ndarray, np.ndarray]:
    """Per window from a vote in `first`: from `local_seconds` before it to `local_seconds` after its end."""
    at = votes.at[first]
    return np.maximum(at - activity.local_seconds, 0), np.minimum(at + w + activity.local_seconds, activity.span - 1)


def _span_counts(votes: _Votes, first: np.ndarray, activity: _Activity, a: np.ndarray, b: np.ndarray):
    """Per vote in `first`: its cell's votes in the stream and the site's votes (every way) in [a, b)."""
    base, before = votes.cell[first] * activity.span, activity.before_minute
    talk = np.searchsorted(votes.key, base + b, side="left") - np.searchsorted(votes.key, base + a, side="left")
    top = len(before) - 1
    return talk, before[np.minimum(b // 60, top)] - before[np.minimum(a // 60, top)]


def _by_cell_time_voter(cell: np.ndarray, at: np.ndarray, voter: np.ndarray, span: int, n_voters: int):
    """The votes' cells, times and voters, sorted by cell, time and voter. Where the three fit in one
    64-bit integer they are sorted as one (a plain sort of values, several times faster than a
    three-key lexsort and the gathers after it) and read back from it."""
    voter = voter.astype(np.int64)
    n_voters = max(1, n_voters, int(voter.max(initial=-1)) + 1)
    if not len(cell):
        return cell, at, voter
    if (int(cell.max()) + 1) * span * n_voters < 2**63:
        rest, voter = np.divmod(np.sort((cell * span + at) * n_voters + voter), n_voters)
        cell, at = np.divmod(rest, span)
        return cell, at, voter
    # Organisation cells on a large conference (organisations × talks): the cells present, numbered in
    # order, are at most as many as the votes, and with time and voter they fit one 64-bit integer:
    # still one sort (the two-key lexsort took a tenth of a second per way on the large worlds).
    present = distinct(cell)
    if len(present) * span * n_voters < 2**63:
        numbered = np.searchsorted(present, cell).astype(np.int64)
        rest, voter = np.divmod(np.sort((numbered * span + at) * n_voters + voter), n_voters)
        numbered, at = np.divmod(rest, span)
        return present[numbered], at, voter
    fits = (int(cell.max()) + 1) * span < 2**63
    order = np.lexsort((voter, cell * span + at) if fits else (voter, at, cell))
    return cell[order], at[order], voter[order]


def _run_sizes(values: np.ndarray) -> np.ndarray:
    """Per element of a sorted array, how many elements equal it."""
    if not len(values):
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    sizes = np.diff(np.append(starts, len(values)))
    return np.repeat(sizes, sizes)


def _burst_windows(stats, limit: float, among: np.ndarray | None = None):
    """Per window length: the windows (of the votes `among`, a mask; all when None) whose log p is at
    most `limit`, with their log p, end (vote index) and prediction."""
    out = []
    for cand, exactly, end, observed, expected, trials in stats:
        ok = exactly <= limit
        if among is not None:
            ok &= among[cand]
        if trials is None:
            log_p = poisson.logsf(observed[ok] - 2, np.maximum(expected[ok], 1e-9))
        else:  # the conditional test (round 38): the larger p over the reference spans
            log_p = np.max(
                [binom.logsf(observed[ok] - 2, n[ok], _chance(b[ok], s[ok])) for n, b, s, _ in trials], axis=0
            )
        keep = log_p <= limit
        out.append((cand[ok][keep], log_p[keep], end[ok][keep], expected[ok][keep]))
    return out


def _promoted(promotions: np.ndarray, talk: np.ndarray, at: np.ndarray, t0: int, windows, hours: float) -> np.ndarray:
    """Per vote and window length: whether the window [at, at + w) on the vote's talk overlaps the first
    `hours` after a promotion of that talk, [p, p + hours): some promotion p with at - hours < p < at + w.
    A window that starts before the promotion but reaches into it holds the votes it brought, so it
    is explained as well."""
    explained = np.zeros((len(at), len(windows)), dtype=bool)
    h = round(hours * 3600)
    if not h or not len(promotions) or not len(at):
        return explained
    # Promotions sorted by talk and time as keys talk * stride + time, times clipped to where they can
    # matter (an earlier one explains nothing, a later one is still later than every window).
    reach = max(windows)
    top = int(at.max()) + reach + 1
    stride = top + h + 2
    rel = np.clip(promotions[:, 1] - t0, -h - 1, top) + h + 1
    keys = np.sort(promotions[:, 0] * stride + rel)
    # Only a vote on a promoted talk can be explained (each talk's keys stay within its own stride).
    promoted = np.zeros(int(max(talk.max(), promotions[:, 0].max())) + 1, dtype=bool)
    promoted[promotions[:, 0]] = True
    rows = np.flatnonzero(promoted[talk])
    base = talk[rows] * stride + at[rows] + h + 1
    # The first promotion of the talk later than at - hours explains the window if it comes before at + w
    # (a later key of another talk is beyond base + w, as is the sentinel past the last key).
    after = np.searchsorted(keys, base - h, side="right")
    first = np.append(keys, np.iinfo(keys.dtype).max)[after]
    explained[rows] = first[:, None] < base[:, None] + np.asarray(windows)[None, :]
    return explained
