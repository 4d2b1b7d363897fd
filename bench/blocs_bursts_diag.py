"""Round 14 diagnosis of the burst test (docs/blocs.md): why waves, soft pushes and community-chat
pings are missed, and what the false bursts of honest small conferences are.

    .venv/bin/python bench/blocs_bursts_diag.py missed --patterns unseen --size medium --seed 1
    .venv/bin/python bench/blocs_bursts_diag.py missed --patterns fresh --size small --seeds 1-3
    .venv/bin/python bench/blocs_bursts_diag.py honest --size small --seeds 16,24,25,30

`missed`: for every planted bloc of the burst-shaped kinds (waves, soft_push, community_chat,
social_post), on its target talk and in each upward way (any upward rating, top score): the talk's
votes and windows, the bar the signal set in that run (and the follow-up bar), the p-values of the
most unusual windows that share no vote (greedy, most unusual first) and how many planted votes each
holds, and what a combined test over those disjoint windows would give (the sum of their log p,
against the chance of so small a sum for m independent uniform p-values, times the number of ways to
choose them). `honest`: on honest-only fresh conferences, every burst found, its members by honest
group (meetup, couples, class, other), their ticket orders, and the window's count when the votes of
one ticket order or one honest group in the window count as one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.special import gammaln
from scipy.stats import gamma, nbinom, poisson

from apps.ballots.domain.blocs import SUPPORT, burst_scan
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import TOP, context_build
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh import fresh_conference
from bench.blocs_quality import GENERATORS, detect_with_discounts

SCAN: list = []
DISTANCES: dict = {}
# How far the best window holding a missed planted vote is from the signal's bar (p / bar).
DISTANCE = (
    ("p/bar <= 1", 1.0),
    ("1-10", 10.0),
    ("10-100", 100.0),
    ("1e2-1e4", 1e4),
    ("1e4-1e6", 1e6),
    ("> 1e6 (no window)", np.inf),
)
KINDS = ("waves", "soft_push", "community_chat", "social_post")


def combined_log_p(log_ps: np.ndarray) -> float:
    """Fisher: P(sum of m log U <= s) for m independent uniforms = gamma(m).sf(-s)."""
    s = float(np.sum(log_ps))
    return float(gamma(len(log_ps)).logsf(-s))


def disjoint_windows(scan, d: int, talk: int):
    """All windows on one talk in way d (no screen), most unusual first, greedily disjoint in votes."""
    rows = sorted(
        scan.windows(d, talk),
        key=lambda w: (w.log_p, w.first, w.first + w.observed, scan.window_hours.index(w.hours), w.expected),
    )
    taken = []
    for w in rows:
        if all(w.first + w.observed <= t.first or w.first >= t.first + t.observed for t in taken):
            taken.append(w)
    return taken


def missed(args) -> None:
    label, generate = GENERATORS[args.patterns]
    rule = BlocRule()
    for seed in seeds_parse(args.seeds or str(args.seed)):
        conf = generate(args.size, seed)
        data = conf.data
        ctx = context_build(data, rule)
        bursts = burst_scan(ctx)
        n_tests, windows = bursts.n_tests, bursts.window_hours
        found_bursts = bursts.findings()
        bars = {"bar": {f"{np.exp(f.log_bar):.1e}" for f in found_bursts}}
        signal_bar = min((f.log_bar for f in found_bursts), default=float(np.log(rule.alpha / n_tests)))
        detected = detect_with_discounts(data, rule)[1]
        voter_ids, talk_ids = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
        print(
            f"== {label} {args.size} seed {seed}: {n_tests} burst tests, bar(s) {sorted(bars.get('bar', []))}, "
            f"Bonferroni ln(alpha/tests) {np.log(rule.alpha / n_tests):.2f}"
        )
        for bloc in conf.blocs:
            if bloc.kind not in KINDS or bloc.boosted_talk is None:
                continue
            t_id = bloc.boosted_talk
            t = int(np.nonzero(data.talk_ids == t_id)[0][0])
            mine = conf.planted & np.isin(voter_ids, bloc.member_ids) & (talk_ids == t_id)
            print(f"  {bloc.kind} talk {t_id}: {int(mine.sum())} planted votes, found {int((detected & mine).sum())}")
            # Per planted vote on the target that detection missed: the smallest p of any window (up or
            # top) holding it, against the signal's bar in this run.
            best = {}
            for d in (SUPPORT, TOP):
                for w in bursts.windows(d, t):
                    for pos in w.votes:
                        if mine[pos] and not detected[pos]:
                            best[pos] = min(best.get(pos, 0.0), w.log_p)
            for pos in np.nonzero(mine & ~detected)[0]:
                ratio = best.get(int(pos), 0.0) - signal_bar
                bucket = next(b for b, lim in DISTANCE if ratio <= np.log(lim))
                DISTANCES[(bloc.kind, bucket)] = DISTANCES.get((bloc.kind, bucket), 0) + 1
            for d in (SUPPORT, TOP):
                n_talk = int(ctx.talk_count[d][t])
                taken = disjoint_windows(bursts, d, t)
                parts = []
                for w in taken[:4]:
                    planted_in = int(mine[w.votes].sum())
                    parts.append(
                        f"p={np.exp(w.log_p):.1e} ({w.observed} votes, {planted_in} planted, {w.expected:.1f} exp, "
                        f"{w.hours} h)"
                    )
                comb = []
                for m in (2, 3):
                    if len(taken) >= m:
                        lps = np.array([w.log_p for w in taken[:m]])
                        # The m most unusual disjoint windows of a talk: Fisher's p on them is too
                        # optimistic (they are the smallest of many); as a rough charge, multiply by the
                        # number of m-subsets of the talk's windows.
                        charge = (
                            gammaln(n_talk * len(windows) + 1) - gammaln(m + 1) - gammaln(n_talk * len(windows) - m + 1)
                        )
                        fisher = combined_log_p(lps)
                        comb.append(f"m={m}: Fisher {np.exp(fisher):.1e}, charged {np.exp(fisher + charge):.1e}")
                # A talk-level scan: with K windows on the talk, the m-th smallest disjoint p-value
                # is unusual when the first m points of a rate-K Poisson process fall below it:
                # P(Poisson(K p_m) >= m) (conservative for overlapping windows), the best of m = 1..3
                # (times 3), against alpha / (talks x 3 ways).
                K = n_talk * len(windows)
                scan = min(
                    (
                        float(poisson.sf(m - 1, K * np.exp(taken[m - 1].log_p))) * 3
                        for m in (1, 2, 3)
                        if len(taken) >= m
                    ),
                    default=1.0,
                )
                talk_bar = rule.alpha / (3 * data.n_talks)
                best_m = min(
                    (m for m in (1, 2, 3) if len(taken) >= m),
                    key=lambda m: float(poisson.sf(m - 1, K * np.exp(taken[m - 1].log_p))),
                    default=1,
                )
                new_votes = sum(int((mine & ~detected)[w.votes].sum()) for w in taken[:best_m])
                SCAN.append((bloc.kind, "up" if d == SUPPORT else "top", scan <= talk_bar, new_votes))
                way = "up" if d == SUPPORT else "top"
                parts.append(f"talk scan {scan:.1e} vs {talk_bar:.1e}")
                print(f"    {way}: {n_talk} votes on the talk ({n_talk * len(windows)} windows); " + "; ".join(parts))
                if comb:
                    print("      combined " + "; ".join(comb))


def _scan_summary():
    from collections import Counter

    c = Counter()
    for k, _, ok, new in SCAN:
        c[(k, "scan passes" if ok else "scan fails")] += 1
        c[
            (
                k,
                "scan passes, undetected planted votes in its windows"
                if ok
                else "scan fails, undetected planted votes in its windows",
            )
        ] += new
    for key, n in sorted(c.items()):
        print("scan", *key, n)
    for kind in sorted({k for k, _ in DISTANCES}):
        row = ", ".join(f"{b} {DISTANCES.get((kind, b), 0)}" for b, _ in DISTANCE)
        print(f"missed planted votes on the target, best window holding them: {kind}: {row}")


def honest(args) -> None:
    rule = BlocRule()
    for seed in seeds_parse(args.seeds):
        conf = fresh_conference(args.size, seed, plant_nothing)
        data = conf.data
        ctx = context_build(data, rule)
        voter_ids = data.voter_ids
        group_of = {}
        for g in conf.honest_groups:
            if g.kind == "proud_colleagues":
                continue
            for v in g.member_ids:
                group_of.setdefault(v, g.kind)
        for f in burst_scan(ctx).findings():
            if True:
                lo, hi = f.window
                sel = np.nonzero(
                    (data.vote_talk == f.talk)
                    & (data.vote_at >= lo)
                    & (data.vote_at < hi)
                    & np.isin(data.vote_voter, f.members)
                )[0]
                if f.top_score:
                    sel = sel[data.vote_score[sel] >= data.scale.maximum]
                elif f.direction == SUPPORT:
                    sel = sel[data.vote_score[sel] >= data.scale.wanted_min]
                else:
                    sel = sel[data.vote_score[sel] <= data.scale.minimum]
                vs = data.vote_voter[sel]
                kinds = [group_of.get(int(voter_ids[v]), "other") for v in vs]
                orders = data.voter_order[vs]
                units_order = len({int(o) if o >= 0 else -1 - int(v) for o, v in zip(orders, vs, strict=True)})
                units_group = len(
                    {
                        (k, 0) if k == "meetup" else (int(o) if o >= 0 else -1 - int(v))
                        for k, o, v in zip(kinds, orders, vs, strict=True)
                    }
                )
                counts = {k: kinds.count(k) for k in sorted(set(kinds))}
                ex = f.expected
                d = TOP if f.top_score else f.direction
                outside = int(ctx.talk_count[d][f.talk]) - f.observed
                # The talk's share from its votes outside the window is itself an estimate: with a
                # Gamma(outside + 0.5) posterior on it, the window's count is negative binomial.
                r = outside + 0.5
                nb = nbinom.logsf(f.observed - 2, r, r / (r + ex))
                way = "top" if f.top_score else {SUPPORT: "up"}.get(f.direction, "down")
                print(
                    f"seed {seed} talk {int(data.talk_ids[f.talk])} {way}: "
                    f"{f.observed} votes in {(hi - lo) / 3600:.0f} h, {ex:.2f} exp, p={np.exp(f.log_p):.1e} "
                    f"(bar {np.exp(f.log_bar):.1e}); {outside} outside, NB p={np.exp(nb):.1e}; members {counts}; "
                    f"units by order {units_order} (p {np.exp(poisson.logsf(units_order - 2, ex)):.1e}), "
                    f"by order or meetup {units_group} (p {np.exp(poisson.logsf(units_group - 2, ex)):.1e})"
                )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=("missed", "honest"))
    p.add_argument("--patterns", default="unseen", choices=tuple(GENERATORS))
    p.add_argument("--size", default="medium")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seeds", default="")
    args = p.parse_args()
    (missed if args.what == "missed" else honest)(args)
    _scan_summary()


if __name__ == "__main__":
    main()
