"""The tests that look for voters acting together on one talk (the burst tests are in blocs_bursts.py).

Each test asks the same question in a different way: "did this group of voters rate this talk the
same way far more often than people voting independently would have?" The groups are a ticket
order, a company or email domain, the voters who rated at most two talks, the votes cast on one
talk within 1 to 24 hours (of everyone, or of one organisation), and accounts whose ballots are
nearly identical. What independent voting predicts is measured from everyone else's votes: how
popular the talk is with the rest of the conference, how many votes the group cast in total, and —
for timing — how many votes the whole site (or the organisation) cast in that window (a reminder
email makes everyone vote at once). A group is reported only when it is at least `min_members`
strong, at least `min_ratio` times the prediction, and so unlikely by chance (Poisson tail,
corrected for the number of groups examined) that honest voting would flag anything in only
`alpha` of conferences. Under false-discovery control each finding of a signal lowers the bar for
the next by one step of alpha / tests, so about `alpha` of a signal's findings are chance findings
(a signal's findings on one talk and way count once); colleagues of the speaker keep the first bar for all
(since round 9 also a company booking on its own speaker's talk, in the order test's colleague family).
Since round 10 the narrow test leaves out the light voters of a speaker's organisation on that
speaker's talk (`narrow_colleagues`): the colleague test judges them.
Since round 16 (`test_count: testable`) the order, affiliation and narrow tests count as tests only the
(group, talk, way) cells that could ever reach the bar — Tarone's count, from each cell's margins, never
its own count — instead of the cells a member voted on; the colleague families keep the cells voted on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.special import gammaincinv
from scipy.stats import beta as beta_dist
from scipy.stats import binom, norm, poisson

from .blocs_input import BlocInput, BlocRule, votes_only

SUPPORT, OPPOSE = 1, -1
# Rating a talk up is tested twice: any score from "want to see" up, and the top score alone. An
# organised push gives the top score (it moves the average most), while honest voters who like a
# talk spread over the upper scores, so the top-score test sees a push that the wider one dilutes.
# Its findings are support findings; the extra family of tests is in the Bonferroni count.
TOP = 2


@dataclass(frozen=True)
class ConditionalTerms:
    """What the conditional test (round 38) judged a reported window by: the reference span that gave its
    p-value (the larger p, when the window was judged against two). `trials`: the talk's other votes in
    that span in the window's way (the window's first vote is given); each falls in the window with chance
    `in_window` / `in_span`, the site's votes (every talk and way) in the window over those in the span.
    `span`: (start, end) in seconds since the epoch, or None for the whole vote; `compared`: whether the
    window was judged against both spans."""

    trials: int
    in_window: int
    in_span: int
    span: tuple[int, int] | None = None
    compared: bool = False

    @property
    def chance(self) -> float:
        return min(1.0, max(0.0, self.in_window / max(self.in_span, 1)))  # as blocs_bursts._chance

    @property
    def expected(self) -> float:
        """How many of the trials the test expected in the window (besides its first vote)."""
        return self.trials * self.chance


@dataclass(frozen=True)
class Finding:
    """One group that one test flagged, on one talk, in one direction (positions, not ids)."""

    signal: str  # order | colleagues | affiliation | narrow | burst | organisation_burst | similar | speakers
    talk: int
    direction: int
    members: np.ndarray  # voter positions, ascending
    observed: int
    expected: float
    log_p: float
    group_voters: int = 0  # voters of the group who voted at all (order / affiliation); speakers: the talk's own
    label: str = ""  # order code, company or domain
    window: tuple[int, int] | None = None  # burst: start and end, seconds since the epoch
    shared_talks: int = 0  # similar: size of the common ballot
    top_score: bool = False  # found by the top-score test (direction is SUPPORT)
    log_bar: float = 0.0  # the log p-value this finding had to reach (its signal's threshold); 0: unknown
    organisation: str = ""  # colleagues found through a ticket order: the organisation the order belongs to
    raters: int = 0  # the lean test (blocs_lean.py): the talk's other raters the group is compared with; 0: not it
    raters_low: int = 0  # the lean test: how many of those gave a low score
    low_score: int = 0  # the lean test: the highest score it counts as low
    lone_minutes: int = 0  # the lone-vote test (blocs_lone.py): votes with no other vote this near; 0: not it
    lone_hours: int = 0  # under `lone_votes: isolated`: and no other lone vote by the voter this near; 0: not asked
    link: str = ""  # colleagues linked to the speaker only by `speaker_links: registrable`: how (round 33)
    # colleagues linked only by the wider links whom the colleague test does not find but the test that
    # judged them before the link does (`linked_groups: either`, round 39): that test's signal
    judged_as: str = ""
    # the narrow test under `linked_groups: colleagues`: light voters it counts but does not flag, colleagues
    # of the speaker only through the wider links, whose vote the colleague test judges (round 35)
    unflagged: int = 0
    # the conditional lone-vote test (`lone_test: conditional`, round 38): what it judged the window by
    conditional: ConditionalTerms | None = None
    # a site-wide burst sharing a voter with a lone window on its talk and way under `burst_sittings: tested`
    # (round 41): its members whose vote on the talk the lone test does not count (cast within a sitting;
    # positions, ascending), how many such votes its window holds, and what the talk's share of the site's
    # such votes predicts of them there
    sitting_members: np.ndarray | None = None
    sitting_observed: int = 0
    sitting_expected: float = 0.0

    def with_members(self, members: np.ndarray) -> Finding:
        """The same finding with other members: `dataclasses.replace(self, members=members)` without
        rebuilding it field by field through `__init__` (5 µs a call; the merge asks it thousands of
        times on the large worlds). A frozen dataclass's fields are its instance dictionary."""
        out = object.__new__(Finding)
        out.__dict__.update(self.__dict__)
        out.__dict__["members"] = members
        return out


@dataclass(frozen=True)
class Context:
    data: BlocInput
    rule: BlocRule
    votes_per_voter: np.ndarray  # int64 per voter
    direction: np.ndarray  # int8 per vote
    top: np.ndarray  # bool per vote: the scale's top score
    tested: tuple[int, ...]  # SUPPORT, TOP (when the top score is narrower than "rating up"), OPPOSE
    talk_count: dict[int, np.ndarray]  # per tested direction: votes in that direction on each talk
    n_votes: int
    explained: np.ndarray  # bool per vote: cast in the promotion hours after a promotion of its talk
    _votes_in: dict[int, np.ndarray] = field(default_factory=dict, init=False, compare=False, repr=False)
    _unexplained: list[Context] = field(default_factory=list, init=False, compare=False, repr=False)  # memo

    def votes_in(self, d: int) -> np.ndarray:
        """Positions of the votes in tested direction d (worked out once: every test asks; read-only)."""
        if d not in self._votes_in:
            sel = np.nonzero(self.top if d == TOP else self.direction == d)[0]
            sel.flags.writeable = False
            self._votes_in[d] = sel
        return self._votes_in[d]


def context_build(data: BlocInput, rule: BlocRule) -> Context:
    scale = data.scale
    oppose_max = scale.minimum if rule.oppose_max_score is None else rule.oppose_max_score
    direction = np.zeros(len(data.vote_score), dtype=np.int8)
    direction[data.vote_score >= scale.wanted_min] = SUPPORT
    direction[data.vote_score <= min(oppose_max, scale.wanted_min - 1)] = OPPOSE
    top = data.vote_score >= scale.maximum
    tested = (SUPPORT, TOP, OPPOSE) if scale.maximum > scale.wanted_min else (SUPPORT, OPPOSE)
    counts = {
        d: np.bincount(data.vote_talk[top if d == TOP else direction == d], minlength=data.n_talks).astype(np.int64)
        for d in tested
    }
    per_voter = np.bincount(data.vote_voter, minlength=data.n_voters).astype(np.int64)
    hours = rule.promotion_hours if rule.promotions_explain == "votes" else 0
    explained = promotion_explained(data, hours)
    return Context(data, rule, per_voter, direction, top, tested, counts, len(data.vote_score), explained)


def promotion_explained(data: BlocInput, hours: float) -> np.ndarray:
    """Per vote: whether a promotion the organizers recorded explains it (round 22) — the vote is on a
    promoted talk and cast in the first `hours` after one of its promotions, [p, p + hours). The
    organizers' post or newsletter is a known common cause: the people it reaches rate the same talks
    in the same hours, so such votes are no evidence that their voters act together. 0 hours: none."""
    explained = np.zeros(len(data.vote_at), dtype=bool)
    h = round(hours * 3600)
    promoted = data.talk_promoted
    if not h or not len(promoted) or not len(explained):
        return explained
    # The latest promotion of the vote's talk at or before the vote, found on keys talk * stride + time.
    t0 = min(int(data.vote_at.min()), int(promoted[:, 1].min()))
    stride = max(int(data.vote_at.max()), int(promoted[:, 1].max())) - t0 + 1
    keys = np.sort(promoted[:, 0].astype(np.int64) * stride + (promoted[:, 1] - t0))
    # Only a vote on a promoted talk can be explained: the search runs over those votes (a few talks'
    # worth), not over every vote (detection builds four contexts, each asking).
    on_promoted = np.zeros(max(data.n_talks, int(promoted[:, 0].max()) + 1), dtype=bool)
    on_promoted[promoted[:, 0]] = True
    rows = np.flatnonzero(on_promoted[data.vote_talk])
    talk = data.vote_talk[rows]
    vote_keys = talk.astype(np.int64) * stride + (data.vote_at[rows] - t0)
    before = np.searchsorted(keys, vote_keys, side="right") - 1
    latest = keys[np.maximum(before, 0)]
    same_talk = (before >= 0) & (latest // stride == talk)
    explained[rows] = same_talk & (vote_keys - latest < h)
    return explained


def unexplained(ctx: Context) -> Context:
    """The context without the votes a promotion explains (`promotion_explained`), for the tests that
    would otherwise read a promotion's audience as voters acting together: the puppet-ring test (they
    share the promoted talks) and the account-creation test (they sign up when it goes out). Voter and
    talk positions are kept, so findings need no translation. The same context when nothing is
    explained; built once per context, both tests read it."""
    if not ctx.explained.any():
        return ctx
    if not ctx._unexplained:
        ctx._unexplained.append(context_build(votes_only(ctx.data, ~ctx.explained), ctx.rule))
    return ctx._unexplained[0]


def _significant(
    observed: np.ndarray,
    expected: np.ndarray,
    rule: BlocRule,
    n_tests: int,
    min_ratio: float | None = None,
):
    """(mask, log p) for observed counts against Poisson expectations, Bonferroni over n_tests."""
    log_p = poisson.logsf(observed - 1, np.maximum(expected, 1e-9))
    threshold = np.log(rule.alpha / max(1, n_tests))
    return _large_enough(observed, expected, rule, min_ratio) & (log_p <= threshold), log_p


def _sorted_member(sorted_keys: np.ndarray, x: np.ndarray) -> np.ndarray:
    """np.isin(x, sorted_keys) for sorted unique keys, by binary search (the colleague pairs of every
    company booking are many on a large conference, where np.isin's hashing took seconds)."""
    if not len(sorted_keys):
        return np.zeros(len(x), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, x), len(sorted_keys) - 1)
    return sorted_keys[pos] == x


def _cells_in(cell_keys: np.ndarray, listed: np.ndarray, keys: np.ndarray, n_talks: int) -> np.ndarray:
    """np.isin(keys, cell_keys) for sorted unique cell keys (group × n_talks + talk), where `listed` marks
    the groups that have any of `cell_keys`: a binary search of the cells of those groups only (a
    lookup per cell finds them). The company bookings' colleague cells are millions on the large
    worlds, and a search among them per voted cell was a tenth of the order test."""
    out = np.zeros(len(keys), dtype=bool)
    near = np.flatnonzero(listed[keys // n_talks])
    out[near] = _sorted_member(cell_keys, keys[near])
    return out


def distinct(x: np.ndarray) -> np.ndarray:
    """np.unique(x) for a 1-d integer array (its values sorted, each once), by a plain sort: numpy's
    np.unique hashes first and costs about 15 µs a call on the few voters of one finding or bloc, and
    detection asks it once per burst finding and once per bloc (thousands of times on the large worlds)."""
    ordered = np.sort(x)
    return ordered[np.append(True, ordered[1:] != ordered[:-1])] if len(ordered) else ordered


def stable_order(key: np.ndarray) -> np.ndarray:
    """np.argsort(key, kind="stable") for integer keys, faster where it can be: keys already in order
    keep it; keys that fit 64 bits with their position beside them (key × n + position) are sorted as
    values, which numpy does several times faster than an argsort, and give the positions back in the
    stable order (ties by position); other keys that are all distinct take the default sort (no ties:
    the same order)."""
    n = len(key)
    if n < 2 or (key[1:] >= key[:-1]).all():
        return np.arange(n)
    if max(abs(int(key.min())), abs(int(key.max()))) + 1 < 2**62 // n:
        return np.sort(key.astype(np.int64) * n + np.arange(n)) % n
    order = np.argsort(key)
    ordered = key[order]
    return np.argsort(key, kind="stable") if (ordered[1:] == ordered[:-1]).any() else order


def _large_enough(observed: np.ndarray, expected: np.ndarray, rule: BlocRule, min_ratio: float | None = None):
    """The size a finding needs whatever its p-value: `min_members`, and `min_ratio` times the prediction."""
    ratio = rule.min_ratio if min_ratio is None else min_ratio
    return (observed >= rule.min_members) & (observed >= ratio * expected)


def _threshold(unit_log_p: np.ndarray, rule: BlocRule, n_tests: int, familywise: bool = False) -> float:
    """The log p-value a finding of one signal must reach. `unit_log_p` holds the smallest p of each
    (group or window, talk, up or down) that is large enough to report.

    Familywise: alpha / n_tests (Bonferroni). False discovery (step-down): sorted, the i-th unit needs
    p ≤ i × alpha / n_tests, and the first that misses stops the list; the threshold is that of the
    last unit kept. The first unit needs what Bonferroni asks, so a conference of honest voters is
    flagged no more often than before; after r findings, a further one is expected to be a chance
    finding at most about alpha × r / n_tests × n_tests / r = alpha of the time."""
    if familywise or rule.error_control == "familywise" or not len(unit_log_p):
        return float(np.log(rule.alpha / max(1, n_tests)))
    ranked = np.sort(unit_log_p)
    passes = ranked <= np.log(rule.alpha * np.arange(1, len(ranked) + 1) / max(1, n_tests))
    kept = len(ranked) if passes.all() else int(np.argmin(passes))
    return float(np.log(rule.alpha * max(1, kept) / max(1, n_tests)))


def _unit_minimum(keys: np.ndarray, log_p: np.ndarray) -> np.ndarray:
    """The smallest log p per distinct key."""
    if not len(keys):
        return np.empty(0)
    order = np.lexsort((log_p, keys))
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    return log_p[order][first]


def _cell_keys(pairs: np.ndarray | None, n_talks: int) -> np.ndarray:
    """Sorted unique keys group × n_talks + talk of (talk, group) rows."""
    if pairs is None or not len(pairs):
        return np.empty(0, dtype=np.int64)
    keys = pairs[:, 1].astype(np.int64) * n_talks + pairs[:, 0]
    # The company bookings' colleague cells (`orders_of_speakers`, millions on the large worlds) come
    # in order already: checking is a pass, sorting them again was most of this function's time.
    keys = keys if (keys[1:] >= keys[:-1]).all() else np.sort(keys)
    return keys[np.append(True, keys[1:] != keys[:-1])]  # np.unique, without its slow hashing


def group_findings(
    ctx: Context,
    column: np.ndarray,
    signal: str,
    labels: tuple[str, ...] = (),
    speaker_pairs: np.ndarray | None = None,
    expected_by_talk: dict[int, np.ndarray] | None = None,
    organisations: tuple[str, ...] = (),
    left_out: np.ndarray | None = None,
    bar_pairs: np.ndarray | None = None,
    linked: str = "colleagues",
) -> list[Finding]:
    """Tests every (group, talk) pair where `column` assigns voters to groups (-1: none).

    `speaker_pairs` ((talk, group) rows) marks the pairs where the group is the speaker's company or
    domain (or, for orders, a booking of the speaker's organisation, whose name per group is in
    `organisations`): they form their own, much smaller family of tests and are reported as "colleagues".
    `expected_by_talk` (per tested direction, per talk) replaces the prediction for a column with a
    single group (the light voters, whose prediction accounts for heavy voters' saturation).
    `left_out` (bool per vote) marks votes the test does not count (the narrow test's light colleagues
    of the speaker on their speaker's talk, round 10); `expected_by_talk` must leave them out too.
    `bar_pairs` (rows of `speaker_pairs`; default all of them) are the colleague cells left out of the
    other family's count of tests and its false-discovery ranking: a colleague cell not among them is
    counted and ranked there as any other cell, and reported only as colleagues (`speaker_links:
    registrable`: a cell only the wider links make the speaker's organisation moves to the colleague
    test without changing the bar the other cells meet, round 35). `linked` says how such a relinked
    cell is judged (`linked_groups`, round 39): "colleagues", by the colleague test alone (round 35);
    "either", also by the other family's test, which judged it before the link: when that test finds it
    and the colleague test does not, it is reported as colleagues with that test's p-value and bar
    (`Finding.judged_as` names the test), and a colleague cell among `bar_pairs` keeps the colleague
    family's bar without the relinked cells in its count; "before", by the other family's test alone,
    as before the link (the colleague family is `bar_pairs`'s cells), reported as colleagues."""
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    in_group = column >= 0
    n_groups = int(column.max(initial=-1)) + 1
    if n_groups == 0:
        return []
    if speaker_pairs is not None and len(speaker_pairs):
        # A speaker's group that no voter is in (the last label, say) is a group too: its colleague
        # cells are tested against nobody, but the per-group arrays must reach it.
        n_groups = max(n_groups, int(speaker_pairs[:, 1].max()) + 1)
    group_votes = np.bincount(column[in_group], weights=ctx.votes_per_voter[in_group], minlength=n_groups)
    group_voters = np.bincount(column[in_group & (ctx.votes_per_voter > 0)], minlength=n_groups)
    coi_keys = _cell_keys(speaker_pairs, n_talks)
    bar_keys = coi_keys if bar_pairs is None else _cell_keys(bar_pairs, n_talks)
    # Tarone's count reads the colleague cells of the groups it keeps only, and it keeps no group of fewer
    # than `min_members` voters (a cell's count is at most the group's voters): the others are set aside
    # once here, not in every direction (the company bookings' cells are millions on the large worlds,
    # most of them bookings of one or two).
    large = group_voters >= rule.min_members
    bar_groups = bar_keys // n_talks
    margin_keys = bar_keys[large[bar_groups]]
    margin_cells = (margin_keys // n_talks, margin_keys % n_talks)  # group and talk, for every direction
    coi_listed = np.zeros(n_groups, dtype=bool)  # the groups with a colleague cell (`_cells_in`)
    coi_listed[coi_keys // n_talks] = True
    bar_listed = coi_listed
    if bar_pairs is not None:
        bar_listed = np.zeros(n_groups, dtype=bool)
        bar_listed[bar_groups] = True

    candidates = []
    examined = {False: 0, True: 0}
    examined_exact = 0  # colleague cells among `bar_pairs`: the colleague family the exact links test
    margins = []  # per tested direction, what Tarone's count needs (round 16)
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        g = column[data.vote_voter[sel]]
        ok = g >= 0 if left_out is None else (g >= 0) & ~left_out[sel]
        sel, g = sel[ok], g[ok]
        key = g.astype(np.int64) * n_talks + data.vote_talk[sel]
        keys, observed = np.unique(key, return_counts=True)
        in_coi = _cells_in(coi_keys, coi_listed, keys, n_talks)
        in_bar = in_coi if bar_pairs is None else _cells_in(bar_keys, bar_listed, keys, n_talks)
        if rule.test_count == "testable":  # the other family's count (the colleague family has none)
            tallies = (group_votes, group_voters, n_groups)
            margin_voted = in_bar & large[keys // n_talks]  # the voted cells among `margin_keys`
            margins.append(
                _cell_margins(
                    ctx,
                    d,
                    g,
                    keys,
                    observed,
                    margin_keys,
                    tallies,
                    expected_by_talk,
                    in_coi=margin_voted,
                    coi_cells=margin_cells,
                )
            )
        # Every (group, talk) pair that a member voted on counts as a test, not only the pairs that
        # turned out large: a company order of 18 will have 3 members who like one talk somewhere.
        examined[True] += int(in_coi.sum())
        examined[False] += int((~in_bar).sum())
        examined_exact += int((in_coi & in_bar).sum())
        big = observed >= rule.min_members
        keys, observed = keys[big], observed[big]
        grp, talk = keys // n_talks, keys % n_talks
        rest_rate = (ctx.talk_count[d][talk] - observed + 0.5) / (ctx.n_votes - group_votes[grp] + 0.5 * n_talks)
        expected = group_votes[grp] * rest_rate if expected_by_talk is None else expected_by_talk[d][talk]
        coi = _sorted_member(coi_keys, keys)
        bar = coi if bar_pairs is None else _sorted_member(bar_keys, keys)
        candidates.append((d, sel, key, keys, observed, expected, coi, bar, grp, talk))

    findings: list[Finding] = []
    relinked: list[Finding] = []  # under `either`: relinked cells the other family's test finds
    for family in (False, True):
        n_tests = examined[family]
        # Colleagues keep their fair share through the bound anyway, so a smaller excess is enough.
        ratio = rule.colleague_min_ratio if family else rule.min_ratio
        caps = None
        # Colleagues of the speaker keep the cells voted on (round 16): they are flagged on purpose, the
        # family is familywise already, and Tarone's count there only dropped true conflicts of interest.
        if rule.test_count == "testable" and not family:
            n_tests, caps = tarone_count(margins, rule, ratio, family)
        tested = []
        for i, (*_, observed, expected, coi, bar, grp, _) in enumerate(candidates):
            fam = np.nonzero((coi & bar if linked == "before" else coi) if family else ~bar)[0]
            log_p = poisson.logsf(observed[fam] - 1, np.maximum(expected[fam], 1e-9))
            big = _large_enough(observed[fam], expected[fam], rule, ratio)
            if caps is not None:  # only the cells in Tarone's count can be findings (round 16)
                big &= expected[fam] <= caps[i][grp[fam]]
            tested.append((fam[big], log_p[big]))
        # A unit is a talk and a way (up: any rating from "want to see" or the top score), or under
        # discovery_unit "group" a group, a talk and a way.
        per_talk = rule.discovery_unit == "talk"
        unit_keys = np.concatenate(
            [
                2 * (c[3][fam] % n_talks if per_talk else c[3][fam]) + (c[0] == OPPOSE)
                for c, (fam, _) in zip(candidates, tested, strict=True)
            ]
        )
        # Colleagues of a speaker do favour their talk on their own (loyalty, not organisation), so
        # with false-discovery control this family would find every loyal company: it stays
        # familywise (docs/blocs.md, round 5).
        unit_log_p = _unit_minimum(unit_keys, np.concatenate([lp for _, lp in tested]))
        if family and linked == "before" and bar_pairs is not None:
            n_tests = examined_exact  # the relinked cells are not the colleague test's
        threshold = _threshold(unit_log_p, rule, n_tests, familywise=family)
        # Under `either`, a colleague cell the exact links make keeps the bar of the colleague family they
        # test (its count without the relinked cells): a right link costs no colleague finding either.
        exact_threshold = threshold
        if family and linked == "either" and bar_pairs is not None:
            exact_threshold = _threshold(unit_log_p, rule, examined_exact, familywise=True)
        for (d, sel, key, keys, observed, expected, coi, bar, grp, talk), (fam, log_p) in zip(
            candidates, tested, strict=True
        ):
            cell_bar = np.where(bar[fam], exact_threshold, threshold) if family else np.full(len(fam), threshold)
            ok = log_p <= cell_bar
            relink = np.zeros(len(fam), dtype=bool)
            if not family:  # a colleague cell ranked here as any other (`bar_pairs`) is the colleague test's
                relink = ok & coi[fam] if linked != "colleagues" else relink
                ok &= ~coi[fam] | relink
            hit, log_p, relink, cell_bar = fam[ok], log_p[ok], relink[ok], cell_bar[ok]
            if not len(hit):
                continue
            # The votes in the cells `hit`: np.isin, as a binary search (`keys` is sorted and unique, `hit`
            # ascending) over the votes of the groups with such a cell only, found by a lookup per vote (a
            # search for each of a way's votes took a tenth of the test).
            hit_group = np.zeros(n_groups, dtype=bool)
            hit_group[grp[hit]] = True
            near = np.nonzero(hit_group[key // n_talks])[0]
            mine = near[_sorted_member(keys[hit], key[near])]
            member_votes, member_keys = sel[mine], key[mine]
            order = np.lexsort((data.vote_voter[member_votes], member_keys))
            member_votes, member_keys = member_votes[order], member_keys[order]
            bounds = np.searchsorted(member_keys, keys[hit], side="left")
            ends = np.searchsorted(member_keys, keys[hit], side="right")
            for j, h in enumerate(hit):
                members = data.vote_voter[member_votes[bounds[j] : ends[j]]].astype(np.int64)
                as_colleagues = family or bool(relink[j])
                (relinked if relink[j] else findings).append(
                    Finding(
                        signal="colleagues" if as_colleagues else signal,
                        talk=int(talk[h]),
                        direction=SUPPORT if d == TOP else d,
                        members=members,
                        observed=int(observed[h]),
                        expected=float(expected[h]),
                        log_p=float(log_p[j]),
                        log_bar=float(cell_bar[j]),
                        group_voters=int(group_voters[grp[h]]),
                        label=labels[grp[h]] if labels else "",
                        top_score=d == TOP,
                        organisation=organisations[grp[h]] if as_colleagues and organisations else "",
                        judged_as="" if family else signal if relink[j] else "",
                    )
                )
    if relinked:  # the colleague test's own finding on a cell stands for both
        found = {(f.talk, f.direction, f.top_score, f.label) for f in findings if f.signal == "colleagues"}
        findings += [f for f in relinked if (f.talk, f.direction, f.top_score, f.label) not in found]
    return findings


@dataclass(frozen=True)
class _Margins:
    """One tested direction's cells, as Tarone's count sees them: what each cell's smallest achievable
    p-value depends on, never the cell's own count. A cell (group g, talk t) predicts
    E = scale[g] × base[t], less scale[g] × (the group's own count) where the group voted: the
    prediction is from everyone else's votes (`group_findings`), so it is a margin too. Only groups
    whose largest count reaches `min_members` are kept (the others have no cell to count)."""

    n_groups: int
    kept: np.ndarray  # positions of the kept groups
    values: np.ndarray  # the distinct largest counts of the kept groups
    inverse: np.ndarray  # per kept group, its position in `values`
    scale: np.ndarray  # per kept group
    base: np.ndarray  # per talk, sorted: base[t] before the group's own count is taken out
    voted_group: np.ndarray  # cells a member voted on (kept groups, their position in `kept`)
    voted_before: np.ndarray  # and the cell's base before and after the group's own count is taken out
    voted_after: np.ndarray
    coi_group: np.ndarray  # the colleague cells (kept groups): position in `kept` and base (after)
    coi_base: np.ndarray


def _cell_margins(ctx, d, g, keys, observed, coi_keys, tallies, expected_by_talk, in_coi=None, coi_cells=None):
    """`in_coi` (optional): per cell in `keys`, whether it is in `coi_keys` (both sorted and unique);
    `coi_cells` (optional): the group and talk of each of `coi_keys`, when already worked out."""
    data, rule = ctx.data, ctx.rule
    group_votes, group_voters, n_groups = tallies
    n_talks = max(1, data.n_talks)
    # The largest count a cell can have: every voter of the group who voted at all, and at most the
    # group's votes in this way.
    most = np.minimum(group_voters, np.bincount(g, minlength=n_groups)).astype(np.int64)
    kept = np.nonzero(most >= rule.min_members)[0]
    position = np.full(n_groups, -1, dtype=np.int64)
    position[kept] = np.arange(len(kept))
    values, inverse = np.unique(most[kept], return_inverse=True)
    grp, talk = keys // n_talks, keys % n_talks
    if expected_by_talk is None:
        scale = group_votes[kept] / np.maximum(ctx.n_votes - group_votes[kept] + 0.5 * n_talks, 1e-9)
        base = ctx.talk_count[d][: data.n_talks] + 0.5
        before, after = base[talk], base[talk] - observed
    else:  # one group (the light voters), whose prediction per talk is given
        scale = np.ones(len(kept))
        base = np.asarray(expected_by_talk[d][: data.n_talks], dtype=float)
        before = after = base[talk]
    in_kept = position[grp] >= 0
    coi_grp, coi_talk = (coi_keys // n_talks, coi_keys % n_talks) if coi_cells is None else coi_cells
    coi_base = base[coi_talk].astype(float, copy=False)  # a new array already
    if len(keys) and expected_by_talk is None and in_coi is not None:
        # The voted colleague cells found from the (fewer) voted cells: the same cells either way.
        coi_base[np.searchsorted(coi_keys, keys[in_coi])] -= observed[in_coi]
    elif len(keys) and expected_by_talk is None:
        at = np.minimum(np.searchsorted(keys, coi_keys), len(keys) - 1)
        hit = keys[at] == coi_keys
        coi_base[hit] -= observed[at[hit]]
    coi_in = position[coi_grp] >= 0
    return _Margins(
        n_groups,
        kept,
        values,
        inverse,
        scale,
        np.sort(base),
        position[grp[in_kept]],
        before[in_kept],
        after[in_kept],
        position[coi_grp[coi_in]],
        coi_base[coi_in],
    )


def _caps(m: _Margins, rule: BlocRule, ratio: float, log_bar: float) -> np.ndarray:
    """Per kept group, the largest prediction at which a cell could still report a finding that reaches
    the bar: `min_ratio` times the prediction at most the group's largest count, and the Poisson tail
    at that count at most the bar (P(X ≥ m) is the regularised lower incomplete gamma function at E,
    so its inverse gives E)."""
    return np.minimum(m.values / ratio, gammaincinv(m.values, np.exp(log_bar)))[m.inverse]


def _testable(m: _Margins, caps: np.ndarray, family: bool) -> int:
    """How many cells of one direction (the colleague cells, or all the others) have a prediction at
    most their group's cap."""
    limit = caps / np.maximum(m.scale, 1e-300)
    coi = int(np.count_nonzero(m.coi_base <= limit[m.coi_group]))
    if family:
        return coi
    every = int(np.searchsorted(m.base, limit, side="right").sum())
    voted = limit[m.voted_group]
    every += int(np.count_nonzero(m.voted_after <= voted)) - int(np.count_nonzero(m.voted_before <= voted))
    return every - coi


def tarone_fixed_point(count, most: int) -> int:
    """The smallest K in [1, `most`] with count(K) <= K, for a count of testable cells that does not
    grow with K (the bar alpha / K only tightens); `most` when none smaller is."""
    lo, hi = 1, most
    while lo < hi:
        mid = (lo + hi) // 2
        if count(mid) <= mid:
            hi = mid
        else:
            lo = mid + 1
    return lo


def tarone_count(margins: list[_Margins], rule: BlocRule, ratio: float, family: bool):
    """Tarone's (1990) number of tests: the smallest K with at most K cells whose smallest achievable
    p-value is at most alpha / K. A cell whose tail, even with every voter of the group voting that
    way, cannot reach the bar, or whose largest count is under `min_members` or `min_ratio` times the
    prediction, is no test: it can never be a finding. Returns (K, per direction the per-group caps
    at the bar alpha / K, -1 for a group with no cell: a cell is in the count exactly when its
    prediction is at most its group's cap)."""

    def count(k: int) -> int:
        bar = np.log(rule.alpha / k)
        return sum(_testable(m, _caps(m, rule, ratio, bar), family) for m in margins)

    lo = tarone_fixed_point(count, max(1, count(1)))
    bar = np.log(rule.alpha / lo)
    caps = []
    for m in margins:
        cap = np.full(m.n_groups, -1.0)
        cap[m.kept] = _caps(m, rule, ratio, bar)
        caps.append(cap)
    return lo, caps


_HASH_ROWS = 3  # hashes per band: a pair is a candidate when it agrees on all of one band's


def _hash_family(n_hash: int) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers and salts of the first `n_hash` hashes. Fixed: the hash family is part of the rule.
    The first 12 are the 4 bands' of every round before 23; the rest continue from another seed."""
    rng = np.random.default_rng(20261121)
    mult = rng.integers(1, 2**62, size=12, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(1, 2**62, size=12, dtype=np.uint64)
    if n_hash > 12:
        more = np.random.default_rng(20261207)
        mult = np.append(mult, more.integers(1, 2**62, size=n_hash - 12, dtype=np.uint64) | np.uint64(1))
        salt = np.append(salt, more.integers(1, 2**62, size=n_hash - 12, dtype=np.uint64))
    return mult[:n_hash], salt[:n_hash]


def _min_hashes(item: np.ndarray, starts: np.ndarray, n_talks: int, n_hash: int) -> np.ndarray:
    """Per hash and account, the smallest hash of its ratings (MinHash): two accounts agree on one hash
    with chance equal to their ballots' Jaccard similarity.

    A hash only orders the few distinct ratings (talk × way), so each is ranked once and every vote
    looks its rank up: the same minima as hashing every vote, at a gather per hash."""
    mult, salt = _hash_family(n_hash)
    values = np.arange(3 * n_talks, dtype=np.uint64)
    x = (values + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    rank_dtype = np.uint16 if 3 * n_talks <= 2**16 else np.int64
    mins = np.empty((n_hash, len(starts)), dtype=rank_dtype)
    for h in range(n_hash):
        hv = (x ^ salt[h]) * mult[h]
        hv ^= hv >> np.uint64(29)
        rank = np.empty(len(values), dtype=rank_dtype)
        rank[np.argsort(hv, kind="stable")] = np.arange(len(values), dtype=rank_dtype)
        mins[h] = np.minimum.reduceat(rank[item], starts)
    return mins


_BANDS_BEFORE_23 = 4  # `ring_candidates: bands`: 4 bands of 3 hashes (a pair at Jaccard 0.5: chance 0.41)
PAIR_ROWS, PAIR_BANDS = 3, 23  # `ring_candidates: pairs` (round 23): a pair at Jaccard 0.5: chance 0.95


def _band_rings(mins: np.ndarray, owners, rule: BlocRule, n_talks: int) -> list[np.ndarray]:
    """`ring_candidates: bands` (before round 23): candidate rings from 4 MinHash bands."""
    # Accounts that agree on every hash of one band share a bucket: a bucket is a candidate ring.
    # Buckets are also linked through shared accounts, so a ring whose members each changed a vote
    # or two still shows up whole (linked groups larger than `similar_max_group` are left out: those
    # are chains of ordinary voters who rated the same few popular talks).
    buckets: list[np.ndarray] = []
    src, dst = [], []
    for b in range(_BANDS_BEFORE_23):
        band = mins[b * _HASH_ROWS : (b + 1) * _HASH_ROWS]
        span = 3 * n_talks  # a band's three ranks as one key (exact: no two bands' keys collide)
        sig = (band[0].astype(np.int64) * span + band[1]) * span + band[2]
        _, inverse, counts = np.unique(sig, return_inverse=True, return_counts=True)
        linked = ((counts >= 2) & (counts <= rule.similar_max_group))[inverse]
        members = np.nonzero(linked)[0]
        members = members[np.argsort(inverse[members], kind="stable")]
        head = np.searchsorted(inverse[members], inverse[members], side="left")
        src.append(members)
        dst.append(members[head])
        big = counts[inverse[members]] >= rule.min_members
        cuts = np.nonzero(np.diff(inverse[members][big]))[0] + 1
        buckets += [owners[part] for part in np.split(members[big], cuts)] if big.any() else []
    return buckets + _linked_groups(np.concatenate(src), np.concatenate(dst), owners, rule)


def _linked_groups(src: np.ndarray, dst: np.ndarray, owners, rule: BlocRule) -> list[np.ndarray]:
    """The accounts linked by the edges (src, dst), as groups of `owners` in order of their smallest
    position: the groups of at least `min_members` and at most `similar_max_group` accounts."""
    graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(len(owners), len(owners)))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    candidate = (sizes[label] >= rule.min_members) & (sizes[label] <= rule.similar_max_group)
    idx = np.nonzero(candidate)[0]
    idx = idx[np.argsort(label[idx], kind="stable")]
    cuts = np.nonzero(np.diff(label[idx]))[0] + 1
    return [owners[part] for part in np.split(idx, cuts)] if len(idx) else []


def _bucket_pairs(sig: np.ndarray, max_group: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of accounts (positions, first < second) that share a value of `sig`, in buckets of at
    most `max_group` accounts (larger ones are ordinary voters who rated the same few popular talks)."""
    order = np.argsort(sig, kind="stable")
    _, first, counts = np.unique(sig[order], return_index=True, return_counts=True)
    keep = (counts >= 2) & (counts <= max_group)
    first, counts = first[keep], counts[keep]
    if not len(counts):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # Position k of a bucket of c pairs with the c − 1 − k after it.
    at = np.repeat(first, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    later = np.repeat(first + counts, counts) - at - 1
    left = np.repeat(at, later)
    right = left + 1 + (np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later))
    a, b = order[left], order[right]
    return np.minimum(a, b), np.maximum(a, b)


def _close_pair_rings(mins: np.ndarray, item, starts, owners, rule: BlocRule, n_talks: int) -> list[np.ndarray]:
    """`ring_candidates: pairs` (round 23): more candidate rings, beside the 4 bands' — the linked
    groups of accounts whose ballots are near each other (Jaccard at least `similar_min_jaccard`,
    computed exactly).

    Pairs are proposed by `PAIR_BANDS` MinHash bands of 3 hashes: a pair at Jaccard 0.5 shares a band
    with chance 1 − (1 − 0.5³)^23 ≈ 0.95 (with 4 bands, 0.41: rings of three or four perturbed copies
    were often never examined). Each proposed pair is then checked exactly, and only near pairs link
    accounts, so the extra bands bring in the near pairs they find without chaining ordinary voters
    together (a linked group larger than `similar_max_group` is still left out). Which accounts are
    examined does not enter the test: its correction counts every pair of accounts."""
    span = 3 * n_talks
    left, right = [], []
    for b in range(PAIR_BANDS):
        sig = np.zeros(mins.shape[1], dtype=np.int64)
        for row in mins[b * PAIR_ROWS : (b + 1) * PAIR_ROWS]:
            sig = sig * span + row  # the band's ranks as one key (exact while span ** rows < 2 ** 63)
        a, c = _bucket_pairs(sig, rule.similar_max_group)
        left.append(a)
        right.append(c)
    n = len(owners)
    pairs = np.unique(np.concatenate(left) * n + np.concatenate(right))
    a, c = pairs // n, pairs % n
    sizes = np.diff(np.append(starts, len(item)))
    ballots = csr_matrix((np.ones(len(item), dtype=np.int32), item, np.append(starts, len(item))), shape=(n, span))
    shared = np.asarray(ballots[a].multiply(ballots[c]).sum(axis=1)).ravel()
    close = shared >= rule.similar_min_jaccard * (sizes[a] + sizes[c] - shared) - 1e-9
    return _linked_groups(a[close], c[close], owners, rule)


def _ring_check(item, run_start, run_len, group, member, n_groups, rule: BlocRule, n_talks: int):
    """For every candidate ring at once: the common ballot (what at least half the members rated
    alike) and which members share enough of it. Returns (member kept, common ballot size per ring)."""
    lens = run_len[member]
    row = np.repeat(np.arange(len(member)), lens)
    first = np.repeat(np.cumsum(lens) - lens, lens)
    items = item[run_start[member][row] + (np.arange(len(row)) - first)]
    span = 3 * n_talks
    keys, inverse, counts = np.unique(group[row] * span + items, return_inverse=True, return_counts=True)
    ring_size = np.bincount(group, minlength=n_groups)
    in_core = counts * 2 >= ring_size[keys // span]
    core_size = np.bincount(keys[in_core] // span, minlength=n_groups)
    shared = np.bincount(row, weights=in_core[inverse], minlength=len(member))
    jaccard = shared / np.maximum(lens + core_size[group] - shared, 1)
    return jaccard >= rule.similar_min_jaccard, core_size


def _at_least(p: np.ndarray) -> np.ndarray:
    """P(at least s successes) for independent trials with probabilities p (rows: cases, columns:
    trials), for s = 0 .. trials (the Poisson-binomial tail, by dynamic programming)."""
    # Worked with the count first (each step updates whole contiguous rows) and in place; the same
    # products and sums per element as dist[:, 1:] * (1 - q) + dist[:, :-1] * q.
    dist = np.zeros((p.shape[1] + 1, p.shape[0]))
    dist[0] = 1.0
    q = np.ascontiguousarray(p.T)
    stay, moved = 1 - q, np.empty_like(dist)
    for j in range(p.shape[1]):
        np.multiply(dist[: j + 1], q[j], out=moved[: j + 1])
        dist[1 : j + 2] *= stay[j]
        dist[1 : j + 2] += moved[: j + 1]
        dist[0] *= stay[j]
    return np.cumsum(np.ascontiguousarray(dist.T)[:, ::-1], axis=1)[:, ::-1]


def _ballots(item: np.ndarray, run_start: np.ndarray, run_len: np.ndarray, members: np.ndarray):
    """The members' items back to back, where each member's run starts, and each run's length
    (`run_start`, `run_len`: per voter, where its run of `item` starts and how long it is)."""
    sizes = run_len[members]
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return item[np.repeat(run_start[members] - offsets, sizes) + np.arange(int(sizes.sum()))], offsets, sizes


SCORE_PRIOR_VARIANCE = 4.0  # `ring_scores: exact`: the prior on a ring's own log-odds of the top score, around 0
COPY_CHANGE = 0.05  # `ring_scores: exact`: a copy of a ballot changes about one talk's top-or-not in twenty
SCORE_QUADRATURE = 24  # `ring_scores: exact`: points at which a talk's uncertain standing is averaged over


def score_agreement(
    pooled: np.ndarray, top: np.ndarray, sizes: np.ndarray, up_count: np.ndarray, top_count: np.ndarray
) -> tuple[float, float]:
    """`ring_scores: exact` (round 19): do a ring's members agree on which talks get the top score more
    than the ring's own habits and each talk's standing explain?

    On every talk at least half of the members rate up, y of the n who rate it up give the top score,
    and y (n − y) pairs of them disagree. Honest members are independent given the talk: each gives the
    top score with chance σ(a + β), β the talk's log-odds of the top score among everyone else's
    upward ratings and a the ring's own, fitted on its ratings (Newton, a weak prior toward 0): a ring
    that gives the top score more often than others (fans of a track, lenient by taste) is allowed
    for. β is known only as well as the talk's other raters show it, so each talk's chance is averaged
    over its posterior (Beta(top + ½, others + ½) from everyone else's upward ratings, at
    `SCORE_QUADRATURE` quantiles): where few others rated a talk, a ring that agrees on it may simply
    share a taste about it. Copies of one ballot disagree on few
    pairs; the p-value is the chance of at most as few disagreeing pairs in all (talks independent).
    The test is asked only where it can tell: where copies that change one talk's top-or-not in twenty
    (`COPY_CHANGE`) would pass it; elsewhere (short ballots, all top scores) the ring stands as before.

    `pooled`: the members' items (talk × 3 + way) back to back, `sizes` each; `top`: per item, the
    scale's top score; `up_count`, `top_count`: per talk, everyone's upward and top-score ratings.
    Returns (log of the chance of at most the observed disagreements, log of the chance of at most as
    many as such copies would show: the p-value copies would typically reach)."""
    k = len(sizes)
    up = pooled % 3 == 2
    talks, idx, n = np.unique(pooled[up] // 3, return_inverse=True, return_counts=True)
    y = np.bincount(idx, weights=top[up], minlength=len(talks)).astype(np.int64)
    on = (n * 2 >= k) & (n >= 2)
    if not on.any():
        return 0.0, 0.0
    talks, n, y = talks[on], n[on], y[on]
    rest_up = np.maximum(up_count[talks] - n, 0)
    rest_top = np.clip(top_count[talks] - y, 0, rest_up)
    share = (rest_top + 0.5) / (rest_up + 1.0)
    b = np.log(share / (1 - share))
    a = 0.0
    for _ in range(25):  # the ring's own log-odds a, from its y of n on each talk (Newton)
        p = 1 / (1 + np.exp(-(a + b)))
        a += ((y - n * p).sum() - a / SCORE_PRIOR_VARIANCE) / ((n * p * (1 - p)).sum() + 1 / SCORE_PRIOR_VARIANCE)
    quantiles = (np.arange(SCORE_QUADRATURE) + 0.5) / SCORE_QUADRATURE
    standing = beta_dist.ppf(quantiles[None, :], rest_top[:, None] + 0.5, (rest_up - rest_top)[:, None] + 0.5)
    standing = np.clip(standing, 1e-12, 1 - 1e-12)
    chance = 1 / (1 + np.exp(-(a + np.log(standing / (1 - standing)))))  # (talks, quadrature points)
    observed = int((y * (n - y)).sum())
    # Copies that each change a talk's top-or-not with chance ε disagree on about n (n − 1) ε (1 − ε) pairs.
    copied = int(np.floor((n * (n - 1)).sum() * COPY_CHANGE * (1 - COPY_CHANGE)))
    most = max(observed, copied)
    dist = np.zeros(most + 1)
    dist[0] = 1.0
    for t in range(len(talks)):
        counts = np.arange(n[t] + 1)
        pmf = binom.pmf(counts[None, :], n[t], chance[t][:, None]).mean(axis=0)
        pairs = counts * (n[t] - counts)
        keep = pairs <= most
        dist = np.convolve(dist, np.bincount(pairs[keep], weights=pmf[keep]))[: most + 1]
    below = np.cumsum(dist)
    return float(np.log(max(below[observed], 1e-300))), float(np.log(max(below[copied], 1e-300)))


SHIFT_GRID = np.linspace(-4.0, 4.0, 161)  # `ring_score_null: shifted`: the ring's own shift, on the log-odds scale


def _shifted_shares(cdf: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Score shares per shift (first axis) and talk when each talk's cumulative shares below its top
    level (`cdf`: talks × levels − 1) are moved by `shift` on the log-odds scale (positive: higher)."""
    inner = np.clip(cdf, 1e-9, 1 - 1e-9)
    moved = 1 / (1 + np.exp(-(np.log(inner / (1 - inner))[None] - shift[:, None, None])))
    ends = np.zeros((*moved.shape[:2], 1))
    return np.diff(np.concatenate([ends, moved, ends + 1], axis=2), axis=2)


def same_scores(mine: np.ndarray, others: np.ndarray) -> tuple[float, float]:
    """`ring_score_null: shifted`: do a ring's members give the very same score on its talks more often
    than people who share a taste would?

    `mine`, `others` (talks × score levels): the members' scores on each talk of the common ballot, and
    everyone else's. Under the null each member draws a talk's score from everyone else's scores on it
    (half a vote added to each level), moved by one shift on the log-odds scale fitted to the ring's own
    scores (maximum likelihood on `SHIFT_GRID`): a group that likes its talks more than others do is
    allowed for, agreement on which score each talk gets is not. The statistic is the pairs of members
    giving one talk the same score, summed over the talks; its mean and variance under the null are
    exact (pairs sharing a member are dependent), the tail normal. Copies that change a score with chance
    `COPY_CHANGE` would show about pairs × ((1 − ε)² + ε² / (levels − 1)) such pairs.
    Returns (log of the chance of at least the observed pairs, log of that chance at the copies' count)."""
    n = mine.sum(axis=1)
    on = n >= 2
    if not on.any() or mine.shape[1] < 2:
        return 0.0, 0.0
    mine, others, n = mine[on], others[on] + 0.5, n[on]
    cdf = np.cumsum(others / others.sum(axis=1, keepdims=True), axis=1)[:, :-1]
    shares = _shifted_shares(cdf, SHIFT_GRID)
    loglik = (mine[None] * np.log(np.maximum(shares, 1e-12))).sum(axis=(1, 2))
    q = shares[int(np.argmax(loglik))]
    q2, q3 = (q**2).sum(axis=1), (q**3).sum(axis=1)
    pairs = n * (n - 1) / 2
    expected = float((pairs * q2).sum())
    spread = np.sqrt(max(float((pairs * q2 * (1 - q2) + n * (n - 1) * (n - 2) * (q3 - q2**2)).sum()), 1e-12))
    observed = float((mine * (mine - 1) / 2).sum())
    eps = COPY_CHANGE
    copied = float((pairs * ((1 - eps) ** 2 + eps**2 / (mine.shape[1] - 1))).sum())
    return float(norm.logsf((observed - expected) / spread)), float(norm.logsf((copied - expected) / spread))


LEAN_PRIOR = 20  # ratings' worth of "rates like everyone" an account's lean is shrunk toward
LEAN_STEP = 0.25  # accounts are grouped by their lean toward each way, in steps of this on the log scale
_LEAN_BINS = 13  # -1.5 .. 1.5 in steps of LEAN_STEP


def _way_shares(ctx: Context) -> np.ndarray:
    """Per talk, the share of its ratings given each way (down, middle, up)."""
    n_talks = max(1, ctx.data.n_talks)
    counts = np.bincount(ctx.data.vote_talk.astype(np.int64) * 3 + ctx.direction + 1, minlength=3 * n_talks).reshape(
        n_talks, 3
    )
    total = counts.sum(axis=1, keepdims=True)
    return np.where(total > 0, counts / np.maximum(total, 1), 1 / 3)


def account_kinds(ctx: Context, way_share: np.ndarray):
    """Accounts grouped by activity and by their lean toward each way of rating (`ring_null: held_out`,
    round 11). An account's lean toward a way is how many of its ratings it gave that way against what
    its talks' raters predict (each talk's share of that way), shrunk toward 1 by `LEAN_PRIOR` ratings
    and rounded to `LEAN_STEP` on the log scale (accounts with fewer than `LEAN_PRIOR` ratings have
    none): an account that rates everything a notch higher holds
    more of any "want to see" ratings by chance, and two long ballots that lean the same way share more
    than everyone's shares predict. Returns (kind per account, activity per kind, lean per kind (kinds
    × 3), accounts per kind)."""
    data = ctx.data
    n = ctx.votes_per_voter
    way = (ctx.direction + 1).astype(np.int64)
    observed = np.bincount(data.vote_voter.astype(np.int64) * 3 + way, minlength=3 * data.n_voters)
    observed = observed.reshape(data.n_voters, 3)
    predicted = np.stack(
        [np.bincount(data.vote_voter, weights=way_share[data.vote_talk, d], minlength=data.n_voters) for d in range(3)],
        axis=1,
    )
    prior = LEAN_PRIOR * predicted / np.maximum(n, 1)[:, None]
    below = predicted + prior
    lean = np.where(below > 0, (observed + prior) / np.where(below > 0, below, 1), 1.0)
    lean[n < LEAN_PRIOR] = 1.0  # too few ratings to tell a lean from chance (and fewer kinds to compute)
    half = _LEAN_BINS // 2
    code = np.clip(np.round(np.log(np.maximum(lean, 1e-9)) / LEAN_STEP), -half, half).astype(np.int64) + half
    key = (n * _LEAN_BINS + code[:, 0]) * _LEAN_BINS**2 + code[:, 1] * _LEAN_BINS + code[:, 2]
    keys, kind_of, kind_accounts = np.unique(key, return_inverse=True, return_counts=True)
    codes = np.stack([(keys // _LEAN_BINS ** (2 - d)) % _LEAN_BINS for d in range(3)], axis=1)
    return kind_of, keys // _LEAN_BINS**3, np.exp((codes - half) * LEAN_STEP), kind_accounts


def _lean_factor(lean: np.ndarray, way_share: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Per (account kind, rating): how much more likely than anyone an account of that lean is to give
    the rating's way, among the ways its talk is rated: lean[way] / Σ_w share[w] lean[w]."""
    return lean[:, items % 3] / (lean @ way_share[items // 3].T)


RARITY_STEP = 1.0  # `ring_null: held_out`: accounts are counted in bands of chance, one nat wide


def held_out_chances(
    pooled: np.ndarray,
    sizes: np.ndarray,
    activity: np.ndarray,
    rate_of: np.ndarray,
    lean: np.ndarray,
    way_share: np.ndarray,
    theta: float,
) -> np.ndarray:
    """Per member of a candidate ring (`ring_null: held_out`, round 11): the chance that an account of
    its activity and lean holds at least as many of the ratings the *other* members share as it does.

    The common ballot is what at least half of the members rated alike, so its ratings are held by
    members by construction: against the chance of an account that had no part in choosing it, a
    member's holding is no evidence (three honest accounts rating 120 of 200 talks each hold 80 of their
    117-rating "common ballot", 47 expected). A member is compared instead with what at least half of
    the others rated alike — chosen without it, so the Poisson-binomial (its activity and lean, each
    rating's popularity) is its chance of holding them.

    `pooled`: the members' ratings back to back (`sizes` each); `activity`: per member, its ratings in
    all; `rate_of`: per rating (talk × 3 + way), its chance share; `lean`, `way_share`: per member its
    lean toward each way, per talk its ratings' shares in each way (`_lean_factor`); `theta`: a member
    whose ballot shares less than this (Jaccard) with the others' is not counted (chance 1)."""
    k = len(sizes)
    values, idx = np.unique(pooled, return_inverse=True)
    own = np.zeros((k, len(values)), dtype=bool)
    own[np.repeat(np.arange(k), sizes), idx] = True
    others = own.sum(axis=0)[None, :] - own
    theirs = (others * 2 >= k - 1) & (others >= 1)
    held_out = (theirs & own).sum(axis=1)
    chance = activity[:, None] * rate_of[values][None, :] * _lean_factor(lean, way_share, values)
    p = np.where(theirs, np.minimum(1.0, chance), 0.0)
    width = int(theirs.sum(axis=1).max(initial=0))
    p = -np.sort(-p, axis=1)[:, :width]  # each member's chances, the others' ratings first (zeros change nothing)
    # Counted only when its ballot is nearly the others' (Jaccard at least theta), as every account is.
    start = np.ceil(theta * (activity + theirs.sum(axis=1)) / (1 + theta) - 1e-9).astype(np.int64)
    return np.where(held_out >= start, _at_least(p)[np.arange(k), held_out], 1.0)


def _band(chance: np.ndarray) -> np.ndarray:
    """The rarity band of a chance: floor(−log chance / RARITY_STEP)."""
    return np.floor(-np.log(np.maximum(chance, 1e-300)) / RARITY_STEP + 1e-9).astype(np.int64)


def rarity_bands(tail: np.ndarray, accounts: np.ndarray, chance: np.ndarray, start: np.ndarray | None = None):
    """`ring_null: held_out`: the ring's levels are bands of rarity, not counts of shared ratings. An
    account is at level j when the chance of an account of its kind holding as much of the ring's
    ballot (a member: of the others' ballot) is at most e^(−j × RARITY_STEP): a light account holding 5
    of 8 ratings is rarer than a heavy one holding 5, and is counted so. Expected at level j: every
    kind's chance of reaching it (its tail at the first count whose tail is at most that), times its
    accounts. `start` (per kind): only holding at least that many counts (a ballot nearly the ring's:
    `similar_min_jaccard`), so a kind's chance is its tail from there on; an account holding fewer has
    chance 1 in `chance`. Returns (levels, expected at each, level per account of `chance`)."""
    band = _band(chance)
    top = max(1, int(band.max(initial=1)))
    levels = np.arange(1, top + 1)
    # A kind's count s is the first to reach level j for j from just above the band of s − 1 to the band
    # of s: add its chance over that stretch (a difference array, one pass over every kind and count).
    bands = np.minimum(_band(tail), top + 1)
    before = np.concatenate([np.zeros((tail.shape[0], 1), dtype=np.int64), bands[:, :-1]], axis=1)
    weight = tail * accounts[:, None]
    if start is not None:  # counts below a kind's start reach nothing; its start reaches from level 1
        count = np.arange(tail.shape[1])[None, :]
        before = np.where(count == start[:, None], 0, before)
        bands = np.where(count < start[:, None], 0, bands)
    stretch = bands > before
    delta = np.bincount(before[stretch] + 1, weights=weight[stretch], minlength=top + 3)
    delta -= np.bincount(bands[stretch] + 1, weights=weight[stretch], minlength=top + 3)
    expected_at = np.cumsum(delta)[1 : top + 1]
    return levels, expected_at, band


def ring_level(
    held: np.ndarray, expected_at: np.ndarray, levels: np.ndarray, enough: int, rule: BlocRule, n_rings: int
) -> int:
    """How many of a ring's common-ballot ratings an account must hold to join it (`rings: everyone`).

    `held`: per account holding any, how many of the ratings it holds; `expected_at`: per level in
    `levels`, the accounts anywhere expected to hold at least that many by chance. From `enough` down,
    a level is admitted while the accounts holding exactly that many are themselves more than chance
    puts there: at least `min_ratio` times the prediction, with a Poisson tail of at most
    alpha / (rings × levels). A puppet that varied one more vote than the others is still a puppet when
    there are many like it; an honest account that shares as much by chance comes in about as often
    as the prediction says, a small share of what joins."""
    exact = np.bincount(held, minlength=int(levels[-1]) + 1)
    expected_exactly = expected_at - np.append(expected_at[1:], 0.0)
    bar = np.log(rule.alpha / max(1, n_rings * len(levels)))
    while enough > levels[0]:
        n, e = int(exact[enough - 1]), max(float(expected_exactly[enough - 1 - levels[0]]), 1e-12)
        if n < rule.min_ratio * e or poisson.logsf(n - 1, e) > bar:
            break
        enough -= 1
    return enough


def similar_findings(ctx: Context) -> list[Finding]:
    """Accounts whose ballots are nearly the same (MinHash buckets, then checked exactly). The votes a
    recorded promotion explains are left out (round 22): its readers share the promoted talks by cause."""
    ctx = unexplained(ctx)
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    wide = ctx.votes_per_voter >= rule.similar_min_talks
    sel = np.nonzero(wide[data.vote_voter])[0]
    if not len(sel):
        return []
    sel = sel[stable_order(data.vote_voter[sel].astype(np.int64) * n_talks + data.vote_talk[sel])]
    voter = data.vote_voter[sel].astype(np.int64)
    item = data.vote_talk[sel].astype(np.int64) * 3 + (ctx.direction[sel] + 1)
    starts = np.concatenate(([0], np.nonzero(np.diff(voter))[0] + 1))
    owners = voter[starts]
    pairs = rule.ring_candidates == "pairs"
    mins = _min_hashes(item, starts, n_talks, PAIR_ROWS * PAIR_BANDS if pairs else _HASH_ROWS * _BANDS_BEFORE_23)
    buckets = _band_rings(mins, owners, rule, n_talks)
    if pairs:
        buckets += _close_pair_rings(mins, item, starts, owners, rule, n_talks)
    unique: dict[bytes, np.ndarray] = {}
    for members in buckets:
        unique.setdefault(np.sort(members).tobytes(), np.sort(members))
    buckets = [unique[k] for k in sorted(unique)]

    ends = np.append(starts[1:], len(sel))
    run_start = np.zeros(data.n_voters, dtype=np.int64)
    run_len = np.zeros(data.n_voters, dtype=np.int64)
    run_start[owners], run_len[owners] = starts, ends - starts
    group = np.repeat(np.arange(len(buckets)), [len(b) for b in buckets]) if buckets else np.empty(0, np.int64)
    member = np.concatenate(buckets) if buckets else np.empty(0, np.int64)
    for _ in range(2):  # the common ballot, then who really shares it (all candidates at once)
        keep, core_size = _ring_check(item, run_start, run_len, group, member, len(buckets), rule, n_talks)
        group, member = group[keep], member[keep]
        sizes = np.bincount(group, minlength=len(buckets))
        whole = (sizes[group] >= rule.min_members) & (core_size[group] >= rule.similar_min_talks)
        group, member = group[whole], member[whole]
    survivors = np.unique(group)
    n_pairs = len(owners) * (len(owners) - 1) // 2

    item_count = np.bincount(item, minlength=3 * n_talks)
    held_out = rule.ring_null == "held_out"
    if held_out:
        # Accounts by activity and lean (round 11); an account's chance depends on both.
        way_share = _way_shares(ctx)
        kind_of, activity, lean, activity_voters = account_kinds(ctx, way_share)
    else:
        activity, activity_voters = np.unique(ctx.votes_per_voter, return_counts=True)
    exact_scores = rule.ring_scores == "exact" and TOP in ctx.tested
    if exact_scores:
        top_item = ctx.top[sel]
        up_count, top_count = ctx.talk_count[SUPPORT], ctx.talk_count[TOP]
    shifted = rule.ring_score_null == "shifted"
    if shifted:
        n_levels = data.scale.maximum - data.scale.minimum + 1
        score_key = data.vote_talk[sel].astype(np.int64) * n_levels + (data.vote_score[sel] - data.scale.minimum)
        every = data.vote_talk.astype(np.int64) * n_levels + (data.vote_score - data.scale.minimum)
        score_count = np.bincount(every, minlength=n_talks * n_levels).reshape(n_talks, n_levels)
        score_rings: list[tuple[list[Finding], float, float]] = []  # per ring: its findings, same scores, copies' p
    # A stable sort of small integers is a radix sort (the same order, several times faster).
    by_item = np.argsort(item.astype(np.uint16) if 3 * n_talks <= 2**16 else item, kind="stable")
    item_sorted, voter_by_item = item[by_item], voter[by_item]
    rings: list[tuple[list[Finding], float, float]] = []  # per ring: its findings, score agreement, copies' p
    done: set[bytes] = set()
    rings_found: set[bytes] = set()  # `rings: everyone`: candidates that end as the same ring count once
    for g in survivors:
        members = np.sort(member[group == g])
        pooled, offsets, run_sizes = _ballots(item, run_start, run_len, members)
        values, counts = np.unique(pooled, return_counts=True)
        core = values[counts * 2 >= len(members)]
        if len(core) < rule.similar_min_talks:
            continue
        tag = members.tobytes()
        if tag in done:
            continue
        done.add(tag)
        own = np.bincount(pooled, minlength=3 * n_talks)[core]
        rest_votes = ctx.n_votes - int(ctx.votes_per_voter[members].sum())
        rate = (item_count[core] - own + 0.5) / (rest_votes + 1.5 * n_talks)
        # By chance, an account with a ballot of n ratings holds each rating of the common ballot
        # with probability n × (the rating's share of all votes), independently. For each s, compare
        # the members sharing at least s ratings with the accounts anywhere expected to; keep the
        # most unusual s. The common ballot was picked after looking at the data, so the test is
        # corrected for every pair of accounts that could have been compared (and for the choice of
        # s), not just for the candidates examined. Under `ring_null: held_out` (round 11) the levels
        # are bands of rarity instead, and a member is judged on the others' ballot (below).
        shared = np.add.reduceat(np.isin(pooled, core).astype(np.int64), offsets)
        levels = np.arange(2, len(core) + 1)
        chance = activity[:, None] * rate[None, :]
        if held_out:
            chance = chance * _lean_factor(lean, way_share, core)
        tail = _at_least(np.minimum(1.0, chance))  # (activity or kind, shared count)
        expected_at = (tail[:, levels] * activity_voters[:, None]).sum(axis=0)
        # Every account holding some of the common ballot's ratings, and how many (an index lookup).
        lo, hi = np.searchsorted(item_sorted, core, side="left"), np.searchsorted(item_sorted, core, side="right")
        holding, held = np.unique(
            voter_by_item[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])], return_counts=True
        )
        if held_out:
            # The members chose the common ballot: each is judged on the others' ratings, and every
            # account by how rare its holding is for an account of its kind (round 11).
            all_own = np.bincount(pooled, minlength=3 * n_talks)
            member_chance = held_out_chances(
                pooled,
                run_sizes,
                ctx.votes_per_voter[members],
                (item_count - all_own + 0.5) / (rest_votes + 1.5 * n_talks),
                lean[kind_of[members]],
                way_share,
                rule.similar_min_jaccard,
            )
            # Only accounts whose ballot is nearly the common ballot count (Jaccard, as for candidates):
            # holding at least θ (n + L) / (1 + θ) of its L ratings with n ratings in all.
            theta = rule.similar_min_jaccard
            start = np.ceil(theta * (activity + len(core)) / (1 + theta) - 1e-9).astype(np.int64)
            start = np.clip(start, 1, len(core) + 1)
            chance_held = np.append(tail, np.zeros((len(tail), 1)), axis=1)[kind_of[holding], held]
            chance_held[held < start[kind_of[holding]]] = 1.0
            at = np.searchsorted(holding, members)
            found = (at < len(holding)) & (holding[np.minimum(at, len(holding) - 1)] == members)
            chance_held[at[found]] = member_chance[found]
            levels, expected_at, held = rarity_bands(tail, activity_voters, chance_held, start)
            shared = np.zeros(len(members), dtype=np.int64)
            shared[found] = held[at[found]]
        # `rings: everyone` counts every account holding s of the ratings, the population the prediction
        # is about, not only the candidates hashing put together (round 8).
        everyone = rule.rings == "everyone"
        observed_at = ((held if everyone else shared)[None, :] >= levels[:, None]).sum(axis=1)
        ok, log_p = _significant(observed_at, expected_at, rule, n_pairs * len(levels))
        if not ok.any():
            continue
        best = int(np.argmin(np.where(ok, log_p, np.inf)))
        # The ring is established at its most unusual level; a member who varied a vote or two shares
        # less of it. Keep everyone who shares at least the smallest number of the common ballot's
        # ratings that honest accounts anywhere reach less than alpha times in all (split over the
        # candidate rings): such an overlap is not a coincidence either.
        # The same holds for an account that hashing did not put beside the others, so every account
        # holding that many of the common ballot's ratings joins.
        rare = levels[(expected_at * len(survivors) <= rule.alpha) & (levels <= levels[best])]
        enough = rare.min() if len(rare) else levels[best]
        if everyone:
            enough = ring_level(held, expected_at, levels, int(enough), rule, len(survivors))
        members = np.union1d(members[shared >= enough], holding[held >= enough])
        pooled, offsets, _ = _ballots(item, run_start, run_len, members)
        if everyone:
            # The ring's common ballot is what at least half of its members, as found, rated alike: a
            # rating that half of the candidates happened to share (a popular talk's) but the ring does
            # not is not part of it, and each talk of the ballot has one direction.
            values, counts = np.unique(pooled, return_counts=True)
            core = values[counts * 2 >= len(members)]
            ring = members.tobytes() + core.tobytes()
            if len(core) < rule.similar_min_talks or ring in rings_found:
                continue
            rings_found.add(ring)
        if exact_scores:
            # Round 19: where copies would agree on the top score beyond chance, the ring must.
            tops, _, _ = _ballots(top_item, run_start, run_len, members)
            agreement, copies_reach = score_agreement(
                pooled, tops, np.diff(np.append(offsets, len(pooled))), up_count, top_count
            )
        expected, log_p = float(expected_at[best]), log_p[best : best + 1]
        findings: list[Finding] = []
        rings.append((findings, agreement, copies_reach) if exact_scores else (findings, 0.0, 0.0))
        core_talks, first = np.unique(core // 3, return_index=True)
        if shifted:
            # Every member's score on each talk of the common ballot, beside everyone else's.
            keys, _, _ = _ballots(score_key, run_start, run_len, members)
            keys = keys[np.isin(keys // n_levels, core_talks)]
            mine = np.bincount(
                np.searchsorted(core_talks, keys // n_levels) * n_levels + keys % n_levels,
                minlength=len(core_talks) * n_levels,
            ).reshape(len(core_talks), n_levels)
            score_rings.append((findings, *same_scores(mine, score_count[core_talks] - mine)))
        for talk_pos, it in zip(core_talks, core[first], strict=True):
            d = int(it % 3) - 1  # a puppet ring's "maybe" votes are bounded too (direction 0)
            # Every member's vote on a talk of the common ballot, also one whose score was varied.
            on_talk = np.nonzero(pooled // 3 == talk_pos)[0]
            holders = np.unique(members[np.searchsorted(offsets, on_talk, side="right") - 1])
            if len(holders) < rule.min_members:
                continue
            findings.append(
                Finding(
                    signal="similar",
                    talk=int(talk_pos),
                    direction=d,
                    members=holders,
                    observed=len(members),
                    expected=expected,
                    log_p=float(log_p[0]),
                    log_bar=float(np.log(rule.alpha / max(1, n_pairs * len(levels)))),
                    shared_talks=len(core),
                )
            )
    kept = agree_on_scores(rings, rule)
    if shifted:
        repeat = {id(r[0]) for r in agree_on_scores(score_rings, rule)}
        kept = [r for r in kept if id(r[0]) in repeat]
    return [f for findings, agreement, best in kept for f in findings]


def agree_on_scores(rings: list[tuple[list[Finding], float, float]], rule: BlocRule):
    """`ring_scores: exact` (round 19): the rings whose members' top scores agree beyond chance
    (`score_agreement`), or where copies would not have shown it. Bonferroni over the rings where copies
    would pass: the smallest K such that at most K of them reach alpha / K (as Tarone's count, from
    each ring's margins, never its own agreement). A ring whose ratings cannot tell copies from fans is
    judged as before."""
    best = np.array([r[2] for r in rings])
    k = 1
    while (best <= np.log(rule.alpha / k)).sum() > k:
        k += 1
    bar = np.log(rule.alpha / k)
    return [r for r in rings if r[2] > bar or r[1] <= bar]
