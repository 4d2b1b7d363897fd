"""Round 25 measurement: where honest vote weight is lost (collateral), and whether the groups that
lose it rate their talks the way everyone else does (docs/blocs.md, round 25).

    .venv/bin/python bench/blocs_collateral_diag.py --world fresh2 --size medium --seeds 1-3
    .venv/bin/python bench/blocs_collateral_diag.py --world seen --size medium --seeds 1 --rule '{...}'

For every honest vote that loses weight under the rule (default: the default rule), pooled over the
seeds, the honest votes and the honest vote weight lost, broken down by

- (a) the finding that put the vote in its bloc: among the findings on the vote's talk and way that
  hold the voter (before the merge), the most unusual one; its signal and way (up: any score from
  "want to see" up, top: the top score, down, alike: a puppet ring's middle score);
- (b) the honest group the generator says the voter belongs to (`honest_groups`): "kind" when the
  vote is on one of the group's talks, "kind (other talk)" when not, "none" for a voter in no group;
  prefixed "colleague of the speaker" when the generator marks the vote as a real colleague's (the
  lenient precision counts those as right: the conflict rule bounds them on purpose);
- (c) the size of the bloc whose multiplier the vote takes (3-4, 5-9, 10-19, 20+), and whether
  detection changes the talk's place in the accepted top 10% (in/out with all votes and no
  detection → with detection).

Then (d), for every finding of a fixed group (order, affiliation, narrow, burst, organisation burst:
`blocs_direction.DIRECTION_SIGNALS`), the direction test of `blocs_direction.direction_log_p` — how
unusual the group's count in the finding's way is among its own votes on the talk, against the
talk's other votes — binned, with the planted votes and the honest votes that lost weight in the
findings of each bin (and those planted votes that no other finding on the talk and way holds). A
diagnostic: nothing here changes detection.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect, findings_collect
from apps.ballots.domain.blocs_direction import direction_log_p, raters_build
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_signals import OPPOSE, SUPPORT
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS, top_talks

TABLES = ("(a) finding", "(b) honest group", "(a x b)", "(c) bloc size", "(c) top 10% without -> with detection")
SIZE_BINS = ((3, "3-4"), (5, "5-9"), (10, "10-19"), (20, "20+"))
P_BINS = ((-np.inf, "p <= 1e-6"), (np.log(1e-6), "1e-6 < p <= 1e-3"), (np.log(1e-3), "1e-3 < p <= 0.01"),
          (np.log(0.01), "0.01 < p <= 0.05"), (np.log(0.05), "0.05 < p <= 0.2"), (np.log(0.2), "0.2 < p <= 0.5"),
          (np.log(0.5), "p > 0.5"))  # fmt: skip


def _way(f) -> str:
    if f.top_score:
        return "top"
    return {SUPPORT: "up", OPPOSE: "down"}.get(f.direction, "alike")


def _size_bin(k: int) -> str:
    label = "<3"
    for lo, name in SIZE_BINS:
        if k >= lo:
            label = name
    return label


def _p_bin(log_p: float) -> str:
    label = P_BINS[0][1]
    for lo, name in P_BINS:
        if log_p > lo:
            label = name
    return label


def run(conf, rule: BlocRule, tables: dict[str, dict], totals: dict[str, float]) -> None:
    data = conf.data
    report = blocs_detect(data, rule)
    discounts = bloc_discounts(report.blocs, rule)
    size_of = {b.key: b.size for b in report.blocs}
    span = int(data.talk_ids.max()) + 1
    pos_of_voter = {int(v): i for i, v in enumerate(data.voter_ids)}
    pos_of_talk = {int(t): i for i, t in enumerate(data.talk_ids)}
    vote_key = data.vote_voter.astype(np.int64) * span + data.vote_talk
    index = {int(k): i for i, k in enumerate(vote_key)}
    multiplier = np.ones(len(data.vote_score))
    bloc_of_vote: dict[int, str] = {}
    for v, t, m, key in zip(
        discounts.voter_ids, discounts.talk_ids, discounts.multipliers, discounts.bloc_keys, strict=True
    ):
        i = index.get(pos_of_voter[int(v)] * span + pos_of_talk[int(t)])
        if i is not None:
            multiplier[i] = m
            bloc_of_vote[i] = key
    weight = data.voter_weight[data.vote_voter]
    lost = (multiplier < 1.0) & conf.honest
    totals["of them real colleagues of the speaker"] += int((lost & conf.colleague).sum())
    totals["honest votes of real colleagues"] += int((conf.honest & conf.colleague).sum())
    totals["honest votes"] += int(conf.honest.sum())
    totals["honest weight"] += float(weight[conf.honest].sum())
    totals["honest votes losing weight"] += int(lost.sum())
    totals["honest weight lost"] += float(((1 - multiplier) * weight)[lost].sum())

    ctx, findings = findings_collect(data, rule)
    orgs = organisations_build(data)
    raters = raters_build(ctx, orgs.voter_org, orgs.labels)
    by_talk: dict[int, list] = defaultdict(list)
    for f in findings:
        by_talk[f.talk].append(f)

    groups: dict[int, list[tuple[str, set[int]]]] = defaultdict(list)
    for g in conf.honest_groups:
        talks = {pos_of_talk[int(t)] for t in g.talk_ids if int(t) in pos_of_talk}
        for v in g.member_ids:
            if int(v) in pos_of_voter:
                groups[pos_of_voter[int(v)]].append((g.kind, talks))

    ones, everything = np.ones(len(multiplier)), np.ones(len(multiplier), dtype=bool)
    top_none = {pos_of_talk[t] for t in top_talks(data, everything, ones)}
    top_detect = {pos_of_talk[t] for t in top_talks(data, everything, multiplier)}

    for i in np.nonzero(lost)[0]:
        voter, talk = int(data.vote_voter[i]), int(data.vote_talk[i])
        w = float((1 - multiplier[i]) * weight[i])
        holding = [f for f in by_talk[talk] if np.searchsorted(f.members, voter) < len(f.members)
                   and f.members[np.searchsorted(f.members, voter)] == voter]  # fmt: skip
        best = min(holding, key=lambda f: f.log_p, default=None)
        finding = "(none)" if best is None else f"{best.signal} {_way(best)}"
        mine = groups.get(voter, [])
        kind = next((k for k, talks in mine if talk in talks), None)
        kind = kind or (f"{mine[0][0]} (other talk)" if mine else "none")
        if conf.colleague[i]:  # a real colleague of the talk's speaker: the conflict rule's target on purpose
            kind = f"colleague of the speaker, {kind}"
        size = _size_bin(size_of[bloc_of_vote[i]])
        place = f"{'in' if talk in top_none else 'out'} -> {'in' if talk in top_detect else 'out'}"
        keys = (finding, kind, f"{finding} | {kind}", size, place)
        for table, key in zip(TABLES, keys, strict=True):
            row = tables[table].setdefault(key, [0, 0.0])
            row[0] += 1
            row[1] += w

    # (d) the direction test on every finding of a fixed group.
    planted_keys = set(vote_key[conf.planted].tolist())
    lost_keys = set(vote_key[lost].tolist())
    by_target: dict[tuple[int, int], list] = defaultdict(list)
    for f in findings:
        by_target[(f.talk, f.direction)].append(f)
    for f in findings:
        log_p = direction_log_p(ctx, raters, f)
        if log_p is None:
            continue
        keys = f.members.astype(np.int64) * span + f.talk
        planted = sum(int(k) in planted_keys for k in keys.tolist())
        honest_lost = sum(int(k) in lost_keys for k in keys.tolist())
        # Planted votes of this finding that no other finding on the talk and way holds.
        others = [g.members for g in by_target[(f.talk, f.direction)] if g is not f]
        elsewhere = np.unique(np.concatenate(others)) if others else np.empty(0, dtype=np.int64)
        alone = f.members[~np.isin(f.members, elsewhere)].astype(np.int64) * span + f.talk
        planted_alone = sum(int(k) in planted_keys for k in alone.tolist())
        row = tables["(d) direction test"].setdefault((f.signal, _p_bin(log_p)), [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += int(planted > 0)
        row[2] += planted
        row[3] += planted_alone
        row[4] += honest_lost


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(GENERATORS), default="fresh2")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    tables: dict[str, dict] = defaultdict(dict)
    totals: dict[str, float] = defaultdict(float)
    for seed in seeds_parse(args.seeds):
        run(GENERATORS[args.world][1](args.size, seed), rule, tables, totals)
    n, lost = totals["honest votes"], totals["honest votes losing weight"]
    print(f"{args.world} {args.size} seeds {args.seeds}: {int(lost):,} of {int(n):,} honest votes lose weight "
          f"({lost / max(1, n):.2%}); weight lost {totals['honest weight lost']:.1f} "
          f"({totals['honest weight lost'] / max(1e-9, totals['honest weight']):.2%} of honest weight)")  # fmt: skip
    print(
        f"of them real colleagues of the talk's speaker: {int(totals['of them real colleagues of the speaker']):,} "
        f"(honest votes of real colleagues in all: {int(totals['honest votes of real colleagues']):,})"
    )
    for name in TABLES:
        rows = sorted(tables[name].items(), key=lambda kv: -kv[1][0])
        print(f"\n| {name} | honest votes losing weight | share of them | weight lost |\n|---|---|---|---|")
        for key, (count, w) in rows[: 14 if name == "(a x b)" else None]:
            print(f"| {key} | {count:,} | {count / max(1, lost):.0%} | {w:.1f} |")
    print(
        "\n| (d) direction test: signal, p | findings | with planted votes | planted votes "
        "| of them in no other finding | honest votes losing weight |"
    )
    print("|---|---|---|---|---|---|")
    order = {name: i for i, (_, name) in enumerate(P_BINS)}
    for (signal, pbin), (n_f, n_pl, pl, alone, hl) in sorted(
        tables["(d) direction test"].items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        print(f"| {signal}, {pbin} | {n_f} | {n_pl} | {pl} | {alone} | {hl} |")


if __name__ == "__main__":
    main()
