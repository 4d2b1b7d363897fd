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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.stats import poisson

from .blocs_input import BlocInput, BlocRule

SUPPORT, OPPOSE = 1, -1
# Rating a talk up is tested twice: any score from "want to see" up, and the top score alone. An
# organised push gives the top score (it moves the average most), while honest voters who like a
# talk spread over the upper scores, so the top-score test sees a push that the wider one dilutes.
# Its findings are support findings; the extra family of tests is in the Bonferroni count.
TOP = 2


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

    def votes_in(self, d: int) -> np.ndarray:
        """Positions of the votes in tested direction d."""
        return np.nonzero(self.top if d == TOP else self.direction == d)[0]


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
    return Context(data, rule, per_voter, direction, top, tested, counts, len(data.vote_score))


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


def group_findings(
    ctx: Context,
    column: np.ndarray,
    signal: str,
    labels: tuple[str, ...] = (),
    speaker_pairs: np.ndarray | None = None,
    expected_by_talk: dict[int, np.ndarray] | None = None,
    organisations: tuple[str, ...] = (),
) -> list[Finding]:
    """Tests every (group, talk) pair where `column` assigns voters to groups (-1: none).

    `speaker_pairs` ((talk, group) rows) marks the pairs where the group is the speaker's company or
    domain (or, for orders, a booking of the speaker's organisation, whose name per group is in
    `organisations`): they form their own, much smaller family of tests and are reported as "colleagues".
    `expected_by_talk` (per tested direction, per talk) replaces the prediction for a column with a
    single group (the light voters, whose prediction accounts for heavy voters' saturation)."""
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    in_group = column >= 0
    n_groups = int(column.max(initial=-1)) + 1
    if n_groups == 0:
        return []
    group_votes = np.bincount(column[in_group], weights=ctx.votes_per_voter[in_group], minlength=n_groups)
    group_voters = np.bincount(column[in_group & (ctx.votes_per_voter > 0)], minlength=n_groups)
    coi_keys = np.empty(0, dtype=np.int64)
    if speaker_pairs is not None and len(speaker_pairs):
        coi_keys = np.sort(speaker_pairs[:, 1].astype(np.int64) * n_talks + speaker_pairs[:, 0])
        coi_keys = coi_keys[np.append(True, coi_keys[1:] != coi_keys[:-1])]  # np.unique, without its slow hashing

    candidates = []
    examined = {False: 0, True: 0}
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        g = column[data.vote_voter[sel]]
        ok = g >= 0
        sel, g = sel[ok], g[ok]
        key = g.astype(np.int64) * n_talks + data.vote_talk[sel]
        keys, observed = np.unique(key, return_counts=True)
        # Every (group, talk) pair that a member voted on counts as a test, not only the pairs that
        # turned out large: a company order of 18 will have 3 members who like one talk somewhere.
        in_coi = _sorted_member(coi_keys, keys)
        examined[True] += int(in_coi.sum())
        examined[False] += int((~in_coi).sum())
        big = observed >= rule.min_members
        keys, observed = keys[big], observed[big]
        grp, talk = keys // n_talks, keys % n_talks
        rest_rate = (ctx.talk_count[d][talk] - observed + 0.5) / (ctx.n_votes - group_votes[grp] + 0.5 * n_talks)
        expected = group_votes[grp] * rest_rate if expected_by_talk is None else expected_by_talk[d][talk]
        coi = _sorted_member(coi_keys, keys)
        candidates.append((d, sel, key, keys, observed, expected, coi, grp, talk))

    findings: list[Finding] = []
    for family in (False, True):
        n_tests = examined[family]
        # Colleagues keep their fair share through the bound anyway, so a smaller excess is enough.
        ratio = rule.colleague_min_ratio if family else rule.min_ratio
        tested = []
        for *_, observed, expected, coi, _, _ in candidates:
            fam = np.nonzero(coi == family)[0]
            log_p = poisson.logsf(observed[fam] - 1, np.maximum(expected[fam], 1e-9))
            big = _large_enough(observed[fam], expected[fam], rule, ratio)
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
        threshold = _threshold(unit_log_p, rule, n_tests, familywise=family)
        for (d, sel, key, keys, observed, expected, _, grp, talk), (fam, log_p) in zip(candidates, tested, strict=True):
            ok = log_p <= threshold
            hit, log_p = fam[ok], log_p[ok]
            if not len(hit):
                continue
            member_votes = sel[np.isin(key, keys[hit])]
            member_keys = key[np.isin(key, keys[hit])]
            order = np.lexsort((data.vote_voter[member_votes], member_keys))
            member_votes, member_keys = member_votes[order], member_keys[order]
            bounds = np.searchsorted(member_keys, keys[hit], side="left")
            ends = np.searchsorted(member_keys, keys[hit], side="right")
            name = "colleagues" if family else signal
            for j, h in enumerate(hit):
                members = data.vote_voter[member_votes[bounds[j] : ends[j]]].astype(np.int64)
                findings.append(
                    Finding(
                        signal=name,
                        talk=int(talk[h]),
                        direction=SUPPORT if d == TOP else d,
                        members=members,
                        observed=int(observed[h]),
                        expected=float(expected[h]),
                        log_p=float(log_p[j]),
                        log_bar=float(threshold),
                        group_voters=int(group_voters[grp[h]]),
                        label=labels[grp[h]] if labels else "",
                        top_score=d == TOP,
                        organisation=organisations[grp[h]] if family and organisations else "",
                    )
                )
    return findings


_HASH_ROWS, _HASH_BANDS = 3, 4


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
    dist = np.zeros((p.shape[0], p.shape[1] + 1))
    dist[:, 0] = 1.0
    for j in range(p.shape[1]):
        q = p[:, j : j + 1]
        dist[:, 1 : j + 2] = dist[:, 1 : j + 2] * (1 - q) + dist[:, : j + 1] * q
        dist[:, 0] *= 1 - q[:, 0]
    return np.cumsum(dist[:, ::-1], axis=1)[:, ::-1]


def _ballots(item: np.ndarray, start_of: dict[int, tuple[int, int]], members: np.ndarray):
    """The members' items back to back, where each member's run starts, and each run's length."""
    runs = [start_of[int(v)] for v in members]
    sizes = np.array([e - s for s, e in runs], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return np.concatenate([item[s:e] for s, e in runs]), offsets, sizes


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
    """Accounts whose ballots are nearly the same (MinHash buckets, then checked exactly)."""
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    wide = ctx.votes_per_voter >= rule.similar_min_talks
    sel = np.nonzero(wide[data.vote_voter])[0]
    if not len(sel):
        return []
    order = np.lexsort((data.vote_talk[sel], data.vote_voter[sel]))
    sel = sel[order]
    voter = data.vote_voter[sel].astype(np.int64)
    item = data.vote_talk[sel].astype(np.int64) * 3 + (ctx.direction[sel] + 1)
    starts = np.concatenate(([0], np.nonzero(np.diff(voter))[0] + 1))
    owners = voter[starts]
    rng = np.random.default_rng(20261121)  # fixed: the hash family is part of the rule
    n_hash = _HASH_ROWS * _HASH_BANDS
    mult = rng.integers(1, 2**62, size=n_hash, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(1, 2**62, size=n_hash, dtype=np.uint64)
    x = (item.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    mins = np.empty((n_hash, len(starts)), dtype=np.uint64)
    for h in range(n_hash):
        hv = (x ^ salt[h]) * mult[h]
        hv ^= hv >> np.uint64(29)
        mins[h] = np.minimum.reduceat(hv, starts)

    # Accounts that agree on every hash of one band share a bucket: a bucket is a candidate ring.
    # Buckets are also linked through shared accounts, so a ring whose members each changed a vote
    # or two still shows up whole (linked groups larger than `similar_max_group` are left out: those
    # are chains of ordinary voters who rated the same few popular talks).
    buckets: list[np.ndarray] = []
    src, dst = [], []
    for b in range(_HASH_BANDS):
        band = mins[b * _HASH_ROWS : (b + 1) * _HASH_ROWS]
        sig = band[0] * np.uint64(3) + band[1] * np.uint64(0x632BE59BD9B4E019) + band[2]
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
    edges_src, edges_dst = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(edges_src)), (edges_src, edges_dst)), shape=(len(owners), len(owners)))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    candidate = (sizes[label] >= rule.min_members) & (sizes[label] <= rule.similar_max_group)
    idx = np.nonzero(candidate)[0]
    idx = idx[np.argsort(label[idx], kind="stable")]
    cuts = np.nonzero(np.diff(label[idx]))[0] + 1
    buckets += [owners[part] for part in np.split(idx, cuts)] if len(idx) else []
    unique: dict[bytes, np.ndarray] = {}
    for members in buckets:
        unique.setdefault(np.sort(members).tobytes(), np.sort(members))
    buckets = [unique[k] for k in sorted(unique)]

    ends = np.append(starts[1:], len(sel))
    start_of = dict(zip(owners.tolist(), zip(starts.tolist(), ends.tolist(), strict=True), strict=True))
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
    activity, activity_voters = np.unique(ctx.votes_per_voter, return_counts=True)
    by_item = np.argsort(item, kind="stable")
    item_sorted, voter_by_item = item[by_item], voter[by_item]
    findings: list[Finding] = []
    done: set[bytes] = set()
    rings_found: set[bytes] = set()  # `rings: everyone`: candidates that end as the same ring count once
    for g in survivors:
        members = np.sort(member[group == g])
        pooled, offsets, _ = _ballots(item, start_of, members)
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
        # s), not just for the candidates examined.
        shared = np.add.reduceat(np.isin(pooled, core).astype(np.int64), offsets)
        levels = np.arange(2, len(core) + 1)
        tail = _at_least(np.minimum(1.0, activity[:, None] * rate[None, :]))  # (activity, shared count)
        expected_at = (tail[:, levels] * activity_voters[:, None]).sum(axis=0)
        # Every account holding some of the common ballot's ratings, and how many (an index lookup).
        lo, hi = np.searchsorted(item_sorted, core, side="left"), np.searchsorted(item_sorted, core, side="right")
        holding, held = np.unique(
            voter_by_item[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])], return_counts=True
        )
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
        pooled, offsets, _ = _ballots(item, start_of, members)
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
        expected, log_p = float(expected_at[best]), log_p[best : best + 1]
        core_talks, first = np.unique(core // 3, return_index=True)
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
    return findings
