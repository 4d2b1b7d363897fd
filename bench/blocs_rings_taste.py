"""Why honest groups with a shared taste pass the puppet-ring test (`similar`), ring by ring.

    .venv/bin/python bench/blocs_rings_taste.py --world fresh5 --size medium --seeds 1-3
    .venv/bin/python bench/blocs_rings_taste.py --patterns fresh3 --size small --seeds 1-3

`--world W` takes W's honest-only conference (nothing planted, as bench/blocs_calibration.py does);
`--patterns P` takes the conference with P's planted blocs (as bench/blocs_quality.py does). The
detector is run as is; every ring `similar_findings` reports is caught on its way out (before round
19's score question, which the default does not ask) and described from outside the detector:

- who: the ground-truth kind most of its members belong to (a planted kind, an honest group, or
  `-` for ordinary voters), its size and its members' ballot lengths (median, most);
- its common ballot: how many ratings (talk and way), the ring's own p-value (`log_p`, natural log)
  against the test's bar, and how insular its talks are: the share of each talk's raters who are in
  the ring (median over the ballot), and the talks' raters in all (median);
- the audience null (`audience`): among the accounts that hold at least one rating of the common
  ballot, each rating's share of them; under independence within that audience (each account holds
  each rating with its share, scaled by the account's activity against the audience's mean), how
  unusual is the number of accounts holding at least s of the ratings (most unusual s, Poisson tail;
  natural log). A group whose talks are its own (a language community's dozen talks) is most of
  its talks' audience, and its holdings are what such an audience does by chance;
- the score null (`scores`): on each talk of the ballot, the pairs of holders giving the very same
  score, against the chance of that when each draws from the scores everyone else gave the talk
  (shares with half a vote of smoothing per score), summed over the talks; `score log_p` is the
  normal tail of the excess (natural log). Copies repeat scores; people who share a taste do not,
  beyond the talk's own spread.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import norm, poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apps.ballots.domain.blocs_signals as signals
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse
from bench.blocs_quality import GENERATORS


def caught_rings(data, rule: BlocRule):
    """Every ring `similar_findings` reports, as lists of findings (one per talk of its ballot)."""
    caught: list[list] = []
    original = signals.agree_on_scores

    def spy(rings, rule_):
        if not caught:  # the first call has every ring (`ring_score_null: shifted` asks a second question)
            caught.extend(r[0] for r in rings)
        return original(rings, rule_)

    signals.agree_on_scores = spy
    try:
        signals.similar_findings(signals.context_build(data, rule))
    finally:
        signals.agree_on_scores = original
    return [r for r in caught if r]


def truth_labels(conf) -> np.ndarray:
    """Per voter position: the planted kind or honest group it belongs to, else '-'."""
    ids = np.asarray(conf.data.voter_ids)
    label = np.full(len(ids), "-", dtype=object)
    for group, tag in ((conf.honest_groups, "honest:"), (conf.blocs, "")):
        for b in group:
            pos = np.searchsorted(ids, np.array(b.member_ids, dtype=np.int64))
            ok = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == np.array(b.member_ids))
            label[pos[ok]] = tag + b.kind
    return label


def audience_null(ctx, items: np.ndarray, core: np.ndarray) -> tuple[float, int, int, float]:
    """The audience null (module docstring). Returns (log p, audience size, most unusual s, expected)."""
    voter = ctx.data.vote_voter.astype(np.int64)
    on = np.isin(items, core)
    aud, held = np.unique(voter[on], return_counts=True)
    share = np.array([len(np.unique(voter[items == c])) for c in core]) / len(aud)
    act = ctx.votes_per_voter[aud].astype(np.float64)
    scale = act / act.mean()
    p = np.minimum(1.0, scale[:, None] * share[None, :])
    tail = signals._at_least(p)  # (accounts, 0..L)
    best = (0.0, 0, 0.0)
    for s in range(2, len(core) + 1):
        expected = float(tail[:, s].sum())
        observed = int((held >= s).sum())
        if observed == 0:
            continue
        lp = float(poisson.logsf(observed - 1, max(expected, 1e-12)))
        if lp < best[0]:
            best = (lp, s, expected)
    return best[0], len(aud), best[1], best[2]


def _shifted(cdf: np.ndarray, a: float) -> np.ndarray:
    """Per talk (rows) the score shares when the talk's others' cumulative shares `cdf` (without the
    last level, which is 1) are moved by `a` on the log-odds scale (a > 0: higher scores)."""
    inner = np.clip(cdf, 1e-9, 1 - 1e-9)
    moved = 1 / (1 + np.exp(-(np.log(inner / (1 - inner)) - a)))
    full = np.concatenate([np.zeros((len(cdf), 1)), moved, np.ones((len(cdf), 1))], axis=1)
    return np.diff(full, axis=1)


def score_null(ctx, members, core_talks, peers: int = 0, core=None) -> tuple[float, float, float]:
    """The score null (module docstring), with the ring's own lean: each talk's others' score shares
    moved by one log-odds shift `a` fitted to the ring's scores (a grid, maximum likelihood), so a
    group that rates its talks higher than others (a taste) is allowed for, but not agreement on which
    score each talk gets. Returns (identical pairs, expected, log p of the excess, normal tail)."""
    data = ctx.data
    levels = data.scale.maximum - data.scale.minimum + 1
    score = data.vote_score.astype(np.int64) - data.scale.minimum
    in_ring = np.isin(data.vote_voter, members)
    others = ~in_ring
    if peers:
        # `--peers K`: a talk's others are only the raters who rated at least K talks of the ring's
        # ballot (its audience), when they rated it at least 10 times.
        on_core = np.isin(data.vote_talk, core_talks)
        n_core = np.bincount(data.vote_voter[on_core], minlength=data.n_voters)
        near = (n_core >= peers)[data.vote_voter] & ~in_ring
    counts, cdfs = [], []
    way = ctx.direction + 1
    for i, t in enumerate(core_talks):
        on = data.vote_talk == t
        if core is not None:  # `--within`: only the votes given the ring's way on the talk
            on = on & (way == core[i] % 3)
        mine = score[on & in_ring]
        if len(mine) < 2:
            continue
        rest_votes = on & others
        if peers and (on & near).sum() >= 10:
            rest_votes = on & near
        rest = np.bincount(score[rest_votes], minlength=levels) + 0.5
        counts.append(np.bincount(mine, minlength=levels))
        cdfs.append(np.cumsum(rest / rest.sum())[:-1])
    if not counts:
        return 0.0, 0.0, 0.0
    counts, cdfs = np.array(counts), np.array(cdfs)
    grid = np.linspace(-4, 4, 161)
    loglik = [float((counts * np.log(np.maximum(_shifted(cdfs, a), 1e-12))).sum()) for a in grid]
    shares = _shifted(cdfs, float(grid[int(np.argmax(loglik))]))
    n = counts.sum(axis=1)
    observed = float((counts * (counts - 1) / 2).sum())
    q2, q3 = (shares**2).sum(axis=1), (shares**3).sum(axis=1)
    pairs = n * (n - 1) / 2
    expected = float((pairs * q2).sum())
    variance = float((pairs * q2 * (1 - q2) + n * (n - 1) * (n - 2) * (q3 - q2**2)).sum())
    z = (observed - expected) / np.sqrt(max(variance, 1e-9))
    return observed, expected, float(norm.logsf(z))


def describe(conf, rule: BlocRule, seed: int, rows: list) -> None:
    ctx = signals.unexplained(signals.context_build(conf.data, rule))
    data = ctx.data  # without the votes a recorded promotion explains, as the ring test sees them
    items = data.vote_talk.astype(np.int64) * 3 + ctx.direction + 1
    labels = truth_labels(conf)
    raters = np.bincount(data.vote_talk, minlength=data.n_talks)
    for findings in caught_rings(conf.data, rule):
        members = np.unique(np.concatenate([f.members for f in findings]))
        core = np.array(sorted({f.talk * 3 + f.direction + 1 for f in findings}), dtype=np.int64)
        core_talks = core // 3
        kind, n_kind = Counter(labels[members]).most_common(1)[0]
        lengths = ctx.votes_per_voter[members]
        inside = np.array([np.isin(data.vote_voter[data.vote_talk == t], members).sum() for t in core_talks])
        insular = float(np.median(inside / np.maximum(raters[core_talks], 1)))
        a_lp, a_n, a_s, a_e = audience_null(ctx, items, core)
        # The whole ground-truth group the ring's members come from: how many of it hold as much of the
        # common ballot as the ring's least-holding member, against the ring test's expected number.
        held = np.bincount(data.vote_voter[np.isin(items, core)], minlength=data.n_voters)
        least = int(held[members].min())
        group = np.nonzero(labels == kind)[0] if kind != "-" else members
        print(
            f"    group {kind}: {len(group)} accounts, {int((held[group] >= least).sum())} hold ≥{least} of the "
            f"{len(core)} ratings (ring: {len(members)}; the ring test expected {findings[0].expected:.2g} accounts "
            f"anywhere at its level, observed {findings[0].observed}); group ballot lengths "
            f"{int(np.median(ctx.votes_per_voter[group]))} median"
        )
        s_obs, s_exp, s_lp = score_null(ctx, members, core_talks, PEERS, core if WITHIN else None)
        row = {
            "seed": seed,
            "kind": kind,
            "share": n_kind / len(members),
            "size": len(members),
            "med_len": float(np.median(lengths)),
            "max_len": int(lengths.max()),
            "L": len(core),
            "log_p": findings[0].log_p,
            "log_bar": findings[0].log_bar,
            "insular": insular,
            "raters": float(np.median(raters[core_talks])),
            "a_lp": a_lp,
            "a_n": a_n,
            "a_s": a_s,
            "a_e": a_e,
            "s_obs": s_obs,
            "s_exp": s_exp,
            "s_lp": s_lp,
        }
        rows.append(row)
        print(
            f"seed {seed} {kind} ({n_kind}/{len(members)}): ballots {row['med_len']:.0f}/{row['max_len']}, "
            f"common {len(core)}, log p {row['log_p']:.1f} (bar {row['log_bar']:.1f}); insular {insular:.2f} "
            f"of {row['raters']:.0f} raters; audience {a_n}: ≥{a_s} expected {a_e:.3g}, log p {a_lp:.1f}; "
            f"same score {s_obs:.0f} vs {s_exp:.1f}, log p {s_lp:.1f}"
        )


PEERS = 0
WITHIN = False


def main() -> None:
    global PEERS, WITHIN
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(WORLDS))
    parser.add_argument("--patterns", choices=sorted(GENERATORS))
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--rule", default="{}")
    parser.add_argument("--peers", type=int, default=0, help="score null: others are raters of at least K of its talks")
    parser.add_argument("--within", action="store_true", help="score null within the way of the ring's rating")
    args = parser.parse_args()
    PEERS, WITHIN = args.peers, args.within
    if bool(args.world) == bool(args.patterns):
        parser.error("exactly one of --world (honest only) and --patterns (planted)")
    rule = BlocRule.from_json(json.loads(args.rule))
    rows: list[dict] = []
    for seed in seeds_parse(args.seeds):
        if args.world:
            conf = WORLDS[args.world](args.size, seed, plant=plant_nothing)
        else:
            conf = GENERATORS[args.patterns][1](args.size, seed)
        describe(conf, rule, seed, rows)
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    print(f"\n{args.world or args.patterns} {args.size} seeds {args.seeds} rule {args.rule}")
    print(
        "| ring kind | rings | size (median) | ballot length (median) | common ballot | insular "
        "| audience log p ≤ −10 | score log p ≤ −10 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, rs in sorted(by_kind.items()):
        print(
            f"| {kind} | {len(rs)} | {np.median([r['size'] for r in rs]):.0f} | "
            f"{np.median([r['med_len'] for r in rs]):.0f} | {np.median([r['L'] for r in rs]):.0f} | "
            f"{np.median([r['insular'] for r in rs]):.2f} | {sum(r['a_lp'] <= -10 for r in rs)} | "
            f"{sum(r['s_lp'] <= -10 for r in rs)} |"
        )


if __name__ == "__main__":
    main()
