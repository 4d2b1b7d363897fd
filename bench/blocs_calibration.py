"""How often honest voters alone produce a bloc: the false-bloc rate per signal (docs/blocs.md, round 9).

    .venv/bin/python bench/blocs_calibration.py --size small --seeds 1-60
    .venv/bin/python bench/blocs_calibration.py --size medium --seeds 1-12 --rule '{"order_colleagues": false}'
    .venv/bin/python bench/blocs_calibration.py --world fresh --size small --seeds 1-30

Each conference is the seen generator's (bench/blocs_synthetic.py) with nothing planted: its honest
voters, with the honest correlation that generator builds in (friends on small orders voting together
with one favourite track, company orders, colleagues who like their colleague's talk). `alpha`
promises that each signal flags anything at all in about alpha of such conferences (1 in 100 by
default). Colleagues of the speaker are flagged on purpose (loyalty is the rule's concern, and the
bound keeps their fair share), so blocs that include colleagues of the speaker are counted apart.
A bloc counts for every signal among its evidence; a conference counts for a signal when any bloc
outside colleagues carries it. `--world fresh` takes bench/blocs_fresh.py's honest world instead (its own
popularity model, ballot lengths, time zones, company spellings and honest groups: meetups, university
classes, couples, proud colleagues), with nothing planted. Printed: per seed the blocs found outside
colleagues (with their strongest sentence), then per signal the conferences with any bloc.

`--narrow-pvalues` also prints the narrow test's p-values against its own model (docs/blocs.md,
round 10): per way (up, top score, down), the talks tested and how many have p at most 1e-3 and
1e-4, beside how many the model predicts (on every talk, the Poisson chance of a count that small a
p-value; before `min_members`, `min_ratio` and the Bonferroni bar). A calibrated model gives about
as many as predicted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from scipy.stats import poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocInput, BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_saturation import light_colleague_votes, narrow_expected
from apps.ballots.domain.blocs_signals import OPPOSE, TOP, context_build
from bench.blocs_fresh import fresh_conference
from bench.blocs_synthetic import synthetic_conference

P_LEVELS = (1e-3, 1e-4)
WAYS = {1: "up", TOP: "top", OPPOSE: "down"}
WORLDS = {"seen": synthetic_conference, "fresh": fresh_conference}


def plant_nothing(*_args, **_kwargs):
    """A planting function that plants nothing: the honest conference alone."""
    return [], []


def seeds_parse(text: str) -> list[int]:
    """'1-60' or '1,4,7' or '3'."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def narrow_pvalues(data: BlocInput, rule: BlocRule) -> dict[str, np.ndarray]:
    """Per way: [talks tested, talks with p <= each of P_LEVELS, the model's prediction of each], the
    narrow test's counts and prediction as blocs_detect forms them under `rule`."""
    ctx = context_build(data, rule)
    light = ctx.votes_per_voter[data.vote_voter] <= rule.narrow_max_votes
    if rule.narrow_colleagues:
        orgs = organisations_build(data)
        light &= ~light_colleague_votes(ctx, orgs.voter_org, orgs.speaker_pairs)
        expected = narrow_expected(ctx, orgs.voter_org, orgs.speaker_pairs)
    else:
        expected = narrow_expected(ctx)
    out = {}
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        observed = np.bincount(data.vote_talk[sel[light[sel]]], minlength=data.n_talks)
        mean = np.maximum(expected[d], 1e-9)
        log_p = poisson.logsf(observed - 1, mean)
        row = [int((observed > 0).sum())]
        row += [int(((observed > 0) & (log_p <= np.log(level))).sum()) for level in P_LEVELS]
        # On each talk, the model's chance of a count with p at most the level: P(X > m) for the
        # smallest m with P(X > m) <= level (counts are whole, so at most the level).
        for level in P_LEVELS:
            row.append(float(poisson.sf(poisson.isf(level, mean), mean).sum()))
        out[WAYS[d]] = np.array(row, dtype=np.float64)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-60")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument(
        "--world", choices=sorted(WORLDS), default="seen", help="the honest world: blocs_synthetic's or blocs_fresh's"
    )
    parser.add_argument("--narrow-pvalues", action="store_true", help="the narrow test's p-values against its model")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    seeds = seeds_parse(args.seeds)
    flagged: dict[str, list[int]] = {s: [] for s in (*SIGNALS, "colleagues")}
    outside_total = 0
    seconds = 0.0
    pvalues: dict[str, np.ndarray] = {}
    for seed in seeds:
        conf = WORLDS[args.world](args.size, seed, plant=plant_nothing)
        if args.narrow_pvalues:
            for way, row in narrow_pvalues(conf.data, rule).items():
                pvalues[way] = pvalues.get(way, 0) + row
        started = time.perf_counter()
        blocs = blocs_detect(conf.data, rule).blocs
        seconds += time.perf_counter() - started
        signals_here: set[str] = set()
        outside = [b for b in blocs if not b.colleagues_of_speaker]
        outside_total += len(outside)
        for b in blocs:
            signals_here |= {e.signal for e in b.evidence} if not b.colleagues_of_speaker else {"colleagues"}
        for s in signals_here:
            flagged[s].append(seed)
        if not args.quiet:
            colleagues = len(blocs) - len(outside)
            print(f"seed {seed}: {len(outside)} blocs outside colleagues ({colleagues} colleague blocs)")
            for b in outside:
                print(f"    talk {b.talk_id} {b.direction}, {b.size} members: {b.evidence[0].sentence}")
    n = len(seeds)
    print(
        f"\n{args.world} world, {args.size}, seeds {args.seeds} ({n} honest-only conferences), rule {args.rule}; "
        f"detection {seconds / max(1, n):.2f} s per conference"
    )
    print("| signal | conferences with any bloc | rate | seeds |")
    print("|---|---|---|---|")
    for s, hit in flagged.items():
        if s in rule.signals or (s == "colleagues" and "affiliation" in rule.signals):
            shown = ", ".join(map(str, hit[:12])) + (" …" if len(hit) > 12 else "")
            note = " (on purpose)" if s == "colleagues" else ""
            print(f"| {s}{note} | {len(hit)} of {n} | {len(hit) / max(1, n):.1%} | {shown} |")
    print(f"blocs outside colleagues in all: {outside_total}")
    if pvalues:
        print("\nnarrow test, p-values against its model, all conferences together:")
        print("| way | talks tested | p <= 1e-3: found / predicted | p <= 1e-4: found / predicted |")
        print("|---|---|---|---|")
        for way, (tested, at3, at4, want3, want4) in pvalues.items():
            print(f"| {way} | {tested:,.0f} | {at3:.0f} / {want3:.1f} | {at4:.0f} / {want4:.1f} |")


if __name__ == "__main__":
    main()
