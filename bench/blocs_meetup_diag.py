"""Round 17 measurement (docs/blocs.md): do a burst's voters also arrive together on other talks?

    .venv/bin/python bench/blocs_meetup_diag.py --patterns fresh --size small --seeds 1-30 --honest
    .venv/bin/python bench/blocs_meetup_diag.py --patterns unseen --size medium --seeds 1-3

For every `burst` and `organisation_burst` finding (talk, window, members) of the default rule: the
members' votes on other talks in the same window. Per finding: the share of members with another vote
there, their mean count of other votes, and how concentrated those are: `top` is the largest number of
members on one other talk (as a share of the members), `paired` the share of members who meet at least
one other member on some other talk in the window, and `excess` that largest count against what the
members' own other votes predict if each spread them over the talks by popularity (Poisson tail, log10).
A finding is labelled by who its members are: a planted kind (most members), an honest group (fresh:
meetup, couples, class), or honest. `pairs` is log10 of (pairs of members on one other talk + 0.5) /
(expected + 0.5), each member spreading their other votes in the window over the talks by popularity.

What-if (not a rule; the measurement of round 17): drop every burst finding whose members look like a
browsing session (at least MIN_WITH share of them with another vote in the window, and `pairs` at
least MIN_PAIRS), then run another bench script:

    R17_MIN_WITH=0.8 R17_MIN_PAIRS=0.1 .venv/bin/python bench/blocs_meetup_diag.py --what-if \\
        bench/blocs_quality.py --patterns unseen --size medium --seeds 1-3
    .venv/bin/python bench/blocs_meetup_diag.py --campaign   # a campaign on 2-4 talks at once
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.stats import poisson

from apps.ballots.domain.blocs_bursts import burst_findings, organisation_burst_findings
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_signals import context_build
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_quality import GENERATORS


def _label(conf, members_ids, talk_id) -> str:
    kinds = Counter()
    for b in conf.blocs:
        k = int(np.isin(members_ids, b.member_ids).sum())
        if k:
            kinds[b.kind] += k
    if kinds and kinds.most_common(1)[0][1] * 2 >= len(members_ids):
        return kinds.most_common(1)[0][0]
    groups = Counter()
    for g in conf.honest_groups:
        if g.kind == "proud_colleagues":
            continue
        groups[g.kind] += int(np.isin(members_ids, g.member_ids).sum())
    if groups and groups.most_common(1)[0][1] * 2 >= len(members_ids):
        return "honest:" + groups.most_common(1)[0][0]
    return "honest" if not kinds else "mixed:" + kinds.most_common(1)[0][0]


def one(job):
    patterns, size, seed, honest_only = job
    _label_name, generate = GENERATORS[patterns]
    conf = generate(size, seed, plant=plant_nothing) if honest_only else generate(size, seed)
    data = conf.data
    rule = BlocRule()
    ctx = context_build(data, rule)
    orgs = organisations_build(data)
    findings = burst_findings(ctx) + organisation_burst_findings(ctx, orgs.voter_org, orgs.labels)
    popularity = np.bincount(data.vote_talk, minlength=data.n_talks) / max(1, len(data.vote_talk))
    rows = []
    for f in findings:
        lo, hi = f.window
        members = f.members
        inwin = (data.vote_at >= lo) & (data.vote_at < hi) & np.isin(data.vote_voter, members)
        other = inwin & (data.vote_talk != f.talk)
        ov, ot = data.vote_voter[other], data.vote_talk[other]
        per_member = np.bincount(np.searchsorted(members, ov), minlength=len(members))
        n = len(members)
        pairs = set(zip(ov.tolist(), ot.tolist(), strict=True))
        co = Counter(t for _, t in pairs)
        top = max(co.values(), default=0)
        paired = {v for v, t in pairs if co[t] >= 2}
        # Chance: each member's other votes in the window land on talks by popularity; the expected
        # count of members on the most co-rated talk t is sum_v min(1, m_v * pop_t).
        if co:
            t_top = max(co, key=lambda t: (co[t], -t))
            lam = float(np.minimum(1.0, per_member * popularity[t_top] / max(1e-9, 1 - popularity[f.talk])).sum())
            # Any of the talks could have been the top one: charge for the talks.
            excess = float(poisson.logsf(top - 1, max(lam, 1e-9)) / np.log(10) + np.log10(data.n_talks))
        else:
            excess = 0.0
        # Pairs: how many other talks two members both rate in the window, against independent choice
        # by popularity (sum over talks of p_u(t) p_v(t), p_v(t) = min(1, m_v * share of t)).
        share = popularity.copy()
        share[f.talk] = 0
        share = share / max(1e-12, share.sum())
        shared_obs = sum(c * (c - 1) / 2 for c in co.values())
        m = per_member.astype(float)
        tot = m.sum()
        shared_exp = 0.5 * (tot**2 - (m**2).sum()) * float((share**2).sum())
        pair_ratio = (shared_obs + 0.5) / (shared_exp + 0.5)
        way = (
            "top"
            if f.top_score
            else ("up" if f.direction == 1 else "down")
            if isinstance(f.direction, int)
            else str(f.direction)
        )
        rows.append(
            {
                "seed": seed,
                "signal": f.signal,
                "talk": int(data.talk_ids[f.talk]),
                "way": way,
                "hours": (hi - lo) / 3600,
                "n": n,
                "kind": _label(conf, data.voter_ids[members], int(data.talk_ids[f.talk])),
                "with_other": float((per_member > 0).mean()),
                "mean_other": float(per_member.mean()),
                "top": top / n,
                "top_n": top,
                "paired": len(paired) / n,
                "excess": excess,
                "pair_ratio": float(np.log10(pair_ratio)),
                "log_p": f.log_p,
                "log_bar": f.log_bar,
            }
        )
    return rows


def session_like(ctx, f, min_with: float, min_pairs: float, drop_top: bool = False) -> bool:
    """The what-if's test: the finding's members co-arrive on other talks in its window."""
    data = ctx.data
    lo, hi = f.window
    members = f.members
    inwin = (data.vote_at >= lo) & (data.vote_at < hi) & np.isin(data.vote_voter, members)
    inwin &= data.vote_talk != f.talk
    ov, ot = data.vote_voter[inwin], data.vote_talk[inwin]
    per = np.bincount(np.searchsorted(members, ov), minlength=len(members))
    if (per > 0).mean() < min_with:
        return False
    share = np.bincount(data.vote_talk, minlength=data.n_talks).astype(float)
    share[f.talk] = 0
    share /= share.sum()
    co = Counter(t for _, t in set(zip(ov.tolist(), ot.tolist(), strict=True)))
    if drop_top and co:
        # A session is more than one shared talk: a campaign on two talks co-arrives on its other target.
        top = max(co, key=lambda t: (co[t], -t))
        keep = ot != top
        ov, ot = ov[keep], ot[keep]
        per = np.bincount(np.searchsorted(members, ov), minlength=len(members))
        share[top] = 0
        share /= share.sum()
        del co[top]
    obs = sum(c * (c - 1) / 2 for c in co.values())
    m = per.astype(float)
    exp = 0.5 * (m.sum() ** 2 - (m**2).sum()) * float((share**2).sum())
    return bool(np.log10((obs + 0.5) / (exp + 0.5)) >= min_pairs)


def what_if(argv: list[str]) -> None:
    import os
    import runpy

    import apps.ballots.domain.blocs as blocs

    min_with = float(os.environ.get("R17_MIN_WITH", "0.8"))
    min_pairs = float(os.environ.get("R17_MIN_PAIRS", "0.1"))
    drop_top = os.environ.get("R17_DROP_TOP", "") == "1"
    bursts, organisation_bursts = blocs.burst_findings, blocs.organisation_burst_findings
    blocs.burst_findings = lambda ctx: [
        f for f in bursts(ctx) if not session_like(ctx, f, min_with, min_pairs, drop_top)
    ]
    blocs.organisation_burst_findings = lambda ctx, *a: [
        f for f in organisation_bursts(ctx, *a) if not session_like(ctx, f, min_with, min_pairs, drop_top)
    ]
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")


def campaign_check() -> None:
    """The exemption a campaign controls: 8 new voters give talk 9 the top score within 30 minutes (their
    ballots otherwise random over the vote, the honest background of tests/ballots/test_blocs_cases.py)
    and, a minute apart, the same to 0-3 further talks. Which talks get a burst bloc, by default and when
    session-like bursts are dropped (R17_MIN_WITH / R17_MIN_PAIRS / R17_DROP_TOP as in the what-if)."""
    import os
    import random

    import apps.ballots.domain.blocs as blocs
    from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

    min_with = float(os.environ.get("R17_MIN_WITH", "0.8"))
    min_pairs = float(os.environ.get("R17_MIN_PAIRS", "0.3"))
    drop_top = os.environ.get("R17_DROP_TOP", "1") == "1"
    bursts = blocs.burst_findings
    for extra in [(), (10,), (10, 11), (10, 11, 12)]:
        case, rng = Case(), random.Random(8)
        for j in range(8):
            v = 1001 + j
            case.add_voter(v)
            for t in rng.sample([t for t in range(1, case.n_talks + 1) if t not in (9, *extra)], 8):
                case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
            at = START + 2 * DAY + 10 * HOUR + j * 1800 // 8
            for k, t in enumerate((9, *extra)):
                case.vote(v, t, 3, at + 60 * k)
        data = case.build()
        found = []
        for session in (False, True):
            if session:
                blocs.burst_findings = lambda ctx: [
                    f for f in bursts(ctx) if not session_like(ctx, f, min_with, min_pairs, drop_top)
                ]
            report = blocs.blocs_detect(data)
            blocs.burst_findings = bursts
            found.append(sorted({int(b.talk_id) for b in report.blocs if "burst" in b.signals}))
        print(
            f"campaign on talk 9 and {list(extra)}: burst blocs on talks {found[0]} by default, "
            f"{found[1]} with the what-if"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--campaign":
        campaign_check()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--what-if":
        what_if(sys.argv[2:])
        return
    p = argparse.ArgumentParser()
    p.add_argument("--patterns", default="fresh", choices=tuple(GENERATORS))
    p.add_argument("--size", default="small")
    p.add_argument("--seeds", default="1-3")
    p.add_argument("--honest", action="store_true", help="honest-only conferences")
    p.add_argument("--rows", action="store_true", help="print every finding")
    args = p.parse_args()
    jobs = [(args.patterns, args.size, s, args.honest) for s in seeds_parse(args.seeds)]
    with ProcessPoolExecutor(2) as pool:
        rows = [r for rs in pool.map(one, jobs) for r in rs]
    by = {}
    for r in rows:
        by.setdefault((r["signal"], r["kind"]), []).append(r)
        if args.rows:
            print(
                f"seed {r['seed']} {r['signal']} talk {r['talk']} {r['way']} {r['hours']:.0f}h n={r['n']} {r['kind']}: "
                f"with_other {r['with_other']:.2f} mean_other {r['mean_other']:.2f} top {r['top_n']} ({r['top']:.2f}) "
                f"paired {r['paired']:.2f} excess log10 {r['excess']:.1f} pairs log10 {r['pair_ratio']:.2f}"
            )
    print(f"== {args.patterns} {args.size} seeds {args.seeds} {'honest-only' if args.honest else 'planted'}")
    print(
        "| signal | kind | findings | members (median) | with another vote | other votes / member | "
        "top co-raters share | paired share | top excess log10 p (median) | log10 shared pairs obs/exp |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (sig, kind), rs in sorted(by.items()):

        def med(k, rs=rs):
            v = np.array([r[k] for r in rs])
            return f"{np.median(v):.2f} [{np.quantile(v, 0.1):.2f}–{np.quantile(v, 0.9):.2f}]"

        print(
            f"| {sig} | {kind} | {len(rs)} | {np.median([r['n'] for r in rs]):.0f} | {med('with_other')} | "
            f"{med('mean_other')} | {med('top')} | {med('paired')} | {med('excess')} | {med('pair_ratio')} |"
        )


if __name__ == "__main__":
    main()
