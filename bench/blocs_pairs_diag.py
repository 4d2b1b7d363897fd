"""Talk-pair co-support against independent voting, measured before any detector change (round 15).

    .venv/bin/python bench/blocs_pairs_diag.py --world seen --size medium --seeds 1-3
    .venv/bin/python bench/blocs_pairs_diag.py --world fresh --size small --seeds 1-10
    .venv/bin/python bench/blocs_pairs_diag.py --world unseen --size medium --seeds 1

For every pair of talks (a, b) and way (any rating from "want to see" up; the top score), the
co-supporters are the voters who rate both a and b that way. Under independent voting — the model
of the group tests — voter v rates t that way with P(v→t) = min(1, v's votes × t's share of all
votes in that way), independently per talk, so the expected co-supporters are Σ_v P(v→a)·P(v→b).
The observed count is compared with it by the Poisson tail. Only pairs with at least one
co-supporter are counted as tests (a pair with none has p = 1); the Bonferroni bar is
alpha / (those pairs, both ways). Printed per conference: pairs tested, how many have p at most
1e-4, 1e-6, 1e-8 and the bar (all, and in brackets those also meeting min_members 3 and min_ratio 3),
the number a calibrated null predicts at each level (at most level × tests), and the smallest p of a
pair meeting the size conditions. On the seen world (honest-only, or held-out patterns on it) also
how many of the pairs at p <= 1e-6 are two talks of one track, against the share of same-track pairs
among all pairs tested (the generator's tracks; the detector's input has none).

With `--world unseen` (held-out patterns, bench/blocs_unseen.py) also: every planted two_talks
group (its two talks), the members the current detector (default rule) misses on their talk, the
pair's co-support and p, and how many of the missed members co-support it; every planted alliance
and split_booking group's best pair (their members push one talk each, so no pair is theirs); and
the pairs past the bar and past 1e-12 by the most common kind among their co-supporters (planted
kind, honest group, or "plain" for other honest voters).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import OPPOSE, TOP, context_build
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh import fresh_conference
from bench.blocs_synthetic import synthetic_conference
from bench.blocs_unseen import _plant_unseen, unseen_conference

LEVELS = (1e-6, 1e-8)
WAYS = {1: "up", TOP: "top"}


def pair_tests(data, rule):
    """Per way: (a, b, observed, expected, log_p) for every pair with a co-supporter, plus the
    up-vote matrix (voters × talks) for looking up members."""
    ctx = context_build(data, rule)
    n_v, n_t = data.n_voters, data.n_talks
    votes = ctx.votes_per_voter.astype(np.float64)
    out = {}
    for d in ctx.tested:
        if d == OPPOSE:
            continue
        sel = ctx.votes_in(d)
        X = csr_matrix((np.ones(len(sel)), (data.vote_voter[sel], data.vote_talk[sel])), shape=(n_v, n_t))
        X.sum_duplicates()
        X.data[:] = 1.0
        C = (X.T @ X).tocoo()
        keep = C.row < C.col
        a, b, obs = C.row[keep].astype(np.int64), C.col[keep].astype(np.int64), C.data[keep].astype(np.int64)
        rate = (ctx.talk_count[d].astype(np.float64) + 0.5) / (ctx.n_votes + 0.5 * n_t)
        levels, count = np.unique(votes[votes > 0], return_counts=True)
        M = np.minimum(1.0, levels[:, None] * rate[None, :])  # (activity levels, talks)
        exp = np.zeros(len(a))
        step = 200_000
        for lo in range(0, len(a), step):
            sa, sb = a[lo : lo + step], b[lo : lo + step]
            exp[lo : lo + step] = (count[:, None] * M[:, sa] * M[:, sb]).sum(axis=0)
        log_p = poisson.logsf(obs - 1, np.maximum(exp, 1e-12))
        out[d] = (a, b, obs, exp, log_p, X.tocsc())
    return out


def summary(tests, rule):
    n_tests = sum(len(t[0]) for t in tests.values())
    bar = np.log(rule.alpha / max(1, n_tests))
    row = {"tests": n_tests, "bar_p": float(np.exp(bar)), "min_log_p": 0.0}
    for name, lvl in (("1e-4", np.log(1e-4)), ("1e-6", np.log(1e-6)), ("1e-8", np.log(1e-8)), ("bar", bar)):
        allc = big = 0
        for _a, _b, obs, exp, log_p, _ in tests.values():
            hit = log_p <= lvl
            sized = (obs >= rule.min_members) & (obs >= rule.min_ratio * exp)
            allc += int(hit.sum())
            big += int((hit & sized).sum())
            if sized.any():
                row["min_log_p"] = min(row["min_log_p"], float(log_p[sized].min()))
        row[name] = (allc, big)
    return row, bar


def _both(X, a, b):
    """Voter positions who rate both talks (columns of the csc up-vote matrix)."""
    return np.intersect1d(X[:, a].indices, X[:, b].indices)


def _held_out(conf, tests, bar, rule):
    data = conf.data
    ids_t, ids_v = np.asarray(data.talk_ids), np.asarray(data.voter_ids)
    blocs = blocs_detect(data, rule).blocs
    found = {(v, b.talk_id) for b in blocs if b.direction == "support" for v in b.member_ids}
    index = {}
    for d, (a, b, *_rest) in tests.items():
        index[d] = {(int(x), int(y)): j for j, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True))}
    two = [g for g in conf.blocs if g.kind == "two_talks"]
    missed_total = recoverable = 0
    for g1, g2 in zip(two[::2], two[1::2], strict=True):
        A, B = (int(np.searchsorted(ids_t, g.talk_ids[0])) for g in (g1, g2))
        missed = sorted({v for g in (g1, g2) for v in g.member_ids if (v, g.talk_ids[0]) not in found})
        missed_votes = sum(1 for g in (g1, g2) for v in g.member_ids if (v, g.talk_ids[0]) not in found)
        missed_total += missed_votes
        mp = np.searchsorted(ids_v, np.array(missed, dtype=np.int64))
        line, passes, co = [], False, 0
        for d, (_a, _b, obs, exp, log_p, X) in tests.items():
            j = index[d].get((min(A, B), max(A, B)))
            if j is None:
                continue
            both = set(_both(X, A, B).tolist())
            co = max(co, sum(1 for v in mp.tolist() if v in both))
            passes |= bool(log_p[j] <= bar and obs[j] >= rule.min_members and obs[j] >= rule.min_ratio * exp[j])
            line.append(f"{WAYS[d]} {obs[j]} vs {exp[j]:.3g}, p = {np.exp(log_p[j]):.2g}")
        if passes:
            recoverable += sum(
                1
                for g in (g1, g2)
                for v in g.member_ids
                if (v, g.talk_ids[0]) not in found
                and int(np.searchsorted(ids_v, v)) in set(_both(tests[max(tests)][5], A, B).tolist())
            )
        print(
            f"    two_talks ({g1.talk_ids[0]}, {g2.talk_ids[0]}), {len(g1.member_ids)} / {len(g2.member_ids)} "
            f"members, missed {missed_votes} (member, talk); pair: {'; '.join(line)}; "
            f"{'PASSES' if passes else 'misses'} the bar; {co} of {len(missed)} missed members co-support"
        )
    for g in conf.blocs:
        if g.kind not in ("alliance", "split_booking"):
            continue
        members = np.searchsorted(ids_v, np.array(g.member_ids))
        t = int(np.searchsorted(ids_t, g.talk_ids[0]))
        most = 0
        for *_rest, X in tests.values():
            on_t = np.intersect1d(members, X[:, t].indices)
            if len(on_t):
                per_talk = np.bincount(X.tocsr()[on_t].indices, minlength=X.shape[1])
                per_talk[t] = 0
                most = max(most, int(per_talk.max()))
        print(
            f"    {g.kind} on talk {g.talk_ids[0]}, {len(members)} members: at most {most} of them co-support any pair"
        )
    who = {}
    for g in list(conf.blocs) + list(conf.honest_groups):
        for v in g.member_ids:
            who.setdefault(int(np.searchsorted(ids_v, v)), g.kind)
    for name, lvl in (("the bar", bar), ("1e-12", np.log(1e-12))):
        kinds: dict[str, int] = {}
        for _d, (a, b, obs, exp, log_p, X) in tests.items():
            big = (obs >= rule.min_members) & (obs >= rule.min_ratio * exp) & (log_p <= lvl)
            for j in np.nonzero(big)[0]:
                ks = [who.get(int(v), "plain") for v in _both(X, a[j], b[j])]
                top = max(sorted(set(ks)), key=ks.count)
                kinds[top] = kinds.get(top, 0) + 1
        print(f"    pairs past {name} (sized), by the most common kind among their co-supporters: {kinds}")
    return missed_total, recoverable


def _keeping_track(inner, track):
    """`inner` as a planting function that also keeps the honest world's talk tracks in `track`."""

    def plant(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world):
        track["talk"] = world.track.copy()
        return inner(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world)

    return plant


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--world", choices=["seen", "fresh", "unseen"], default="seen")
    p.add_argument("--size", default="small")
    p.add_argument("--seeds", default="1-3")
    p.add_argument("--worst", type=int, default=0, help="print the N strongest pairs of each conference")
    args = p.parse_args()
    rule = BlocRule.from_json({})
    flagged, min_p, same = 0, [], [0, 0, 0, 0]
    missed_total = recoverable = 0
    seeds = seeds_parse(args.seeds)
    for seed in seeds:
        track: dict[str, np.ndarray] = {}
        if args.world == "fresh":
            conf = fresh_conference(args.size, seed, plant=plant_nothing)
        else:
            inner = _plant_unseen if args.world == "unseen" else plant_nothing
            conf = synthetic_conference(args.size, seed, plant=_keeping_track(inner, track))
        if args.world == "unseen":
            assert len(conf.data.vote_score) == len(unseen_conference(args.size, seed).data.vote_score)
        data = conf.data
        tests = pair_tests(data, rule)
        row, bar = summary(tests, rule)
        flagged += row["bar"][1] > 0
        min_p.append(row["min_log_p"] / np.log(10))
        print(
            f"seed {seed}: {row['tests']:,} pair tests, bar {row['bar_p']:.2g}; p<=1e-4 {row['1e-4'][0]} "
            f"({row['1e-4'][1]}), p<=1e-6 {row['1e-6'][0]} ({row['1e-6'][1]}), p<=1e-8 {row['1e-8'][0]} "
            f"({row['1e-8'][1]}), p<=bar {row['bar'][0]} ({row['bar'][1]}); a calibrated null predicts <= "
            f"{1e-4 * row['tests']:.3g} / {1e-6 * row['tests']:.2g} / {1e-8 * row['tests']:.2g} / 0.01; "
            f"smallest p of a sized pair 1e{min_p[-1]:.1f}"
        )
        for d, (a, b, obs, exp, log_p, X) in tests.items():
            if "talk" in track:
                t = track["talk"]
                hit = (log_p <= np.log(1e-6)) & (obs >= rule.min_members) & (obs >= rule.min_ratio * exp)
                same[0] += int((t[a[hit]] == t[b[hit]]).sum())
                same[1] += int(hit.sum())
                same[2] += int((t[a] == t[b]).sum())
                same[3] += len(a)
            if args.worst:
                big = (obs >= rule.min_members) & (obs >= rule.min_ratio * exp)
                for j in np.argsort(np.where(big, log_p, 0.0))[: args.worst]:
                    if big[j]:
                        print(
                            f"    {WAYS[d]} talks {data.talk_ids[a[j]]},{data.talk_ids[b[j]]}: {obs[j]} vs "
                            f"{exp[j]:.3g} (p = {np.exp(log_p[j]):.2g}); votes that way on them "
                            f"{X[:, a[j]].nnz}/{X[:, b[j]].nnz}"
                        )
        if args.world == "unseen":
            m, r = _held_out(conf, tests, bar, rule)
            missed_total += m
            recoverable += r
    n = len(seeds)
    print(f"\n{args.world} {args.size} seeds {args.seeds}: {flagged} of {n} conferences with a sized pair past the bar")
    levels = np.array(min_p)
    print(
        "  conferences with a sized pair at p <= 1e-8 / 1e-10 / 1e-12: "
        + " / ".join(str(int((levels <= lvl).sum())) for lvl in (-8, -10, -12))
        + f" of {n}; smallest 1e{levels.min():.1f}"
    )
    if same[1]:
        print(
            f"  pairs at p <= 1e-6 (sized) that are two talks of one track: {same[0]} of {same[1]} "
            f"({same[0] / same[1]:.0%}); among all pairs tested {same[2] / max(1, same[3]):.0%}"
        )
    if args.world == "unseen":
        print(
            f"  two_talks (member, talk) missed by the current detector: {missed_total}; of them co-supporters "
            f"of a pair that passes the bar: {recoverable} (an upper bound for the pair signal)"
        )


if __name__ == "__main__":
    main()
