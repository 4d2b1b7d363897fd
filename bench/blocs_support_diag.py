"""Why planted support campaigns are missed: one line per planted support bloc and boosted talk (round 31).

    .venv/bin/python bench/blocs_support_diag.py --world fresh7 --size medium --seeds 1-3
    .venv/bin/python bench/blocs_support_diag.py --world fresh7 --size medium --seeds 1-3 --kinds village_call
    .venv/bin/python bench/blocs_support_diag.py --world fresh6 --size medium --seeds 1 --rule '{...}'

The support twin of bench/blocs_oppose_diag.py. For every planted bloc rating a talk up, on its boosted
talk, it prints:
- the members who cast a planted vote on the talk, how many of those rate it up (detection's SUPPORT
  way: "want to see" or higher) and how many give the top score (TOP), and how many members are in a
  detected support bloc on the talk (found) or in any pre-merge support finding on it;
- the talk's other raters, the share of them rating it up and giving the top score;
- organisation and order: the group holding most of the up-voting members, how many it holds, and its
  (group, talk, way) cell as the group tests see it in both upward ways: observed, prediction, log p,
  against the signal's bar in this run;
- narrow: the members who rated at most `narrow_max_votes` talks;
- joined: the members whose account was made during the vote (in the 30 days before the talk's first
  planted vote);
- burst: the span of the members' planted votes in hours, and in each upward way the most unusual
  site-wide window on the talk (observed, prediction, log p, bar, members in it);
- the members' planted votes as a share of the talk's upward votes over the campaign's span, and the
  site's votes in that span: what a campaign spread over days has to stand out against.
Then per kind: member-talk pairs, up-voting, found, and the missed members by the best signal's gap
(how many nats of log p the best cell or window lacks to its bar). A diagnostic: nothing here changes
detection.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import SUPPORT, TOP
from bench.blocs_calibration import seeds_parse
from bench.blocs_oppose_diag import detected, group_cell
from bench.blocs_quality import GENERATORS

WAYS = {SUPPORT: "up", TOP: "top"}


def run(world: str, conf, seed: int, rule: BlocRule, kinds, rows: list, by_kind: dict) -> None:
    data = conf.data
    state = detected(data, rule, SUPPORT)
    ctx, orgs, scan, bars = state.ctx, state.orgs, state.scan, state.bars
    pos_of_voter, pos_of_talk, found_on, pre_on = state.pos_of_voter, state.pos_of_talk, state.found_on, state.pre_on
    joined = data.voter_joined if len(data.voter_joined) else None
    t0 = int(data.vote_at.min())
    for bloc in conf.blocs:
        if bloc.direction != "support" or bloc.boosted_talk is None or (kinds and bloc.kind not in kinds):
            continue
        members = np.array(sorted(pos_of_voter[v] for v in bloc.member_ids if v in pos_of_voter), dtype=np.int64)
        t = pos_of_talk[int(bloc.boosted_talk)]
        on = (data.vote_talk == t) & conf.planted & np.isin(data.vote_voter, members)
        votes = np.nonzero(on)[0]
        if not len(votes):
            continue
        who = data.vote_voter[votes]
        up = ctx.direction[votes] == SUPPORT
        top = ctx.top[votes]
        uwho = who[up]
        found = {int(v) for v in who} & found_on[t]
        pre_signals = {s: len({int(v) for v in who} & m) for s, m in pre_on[t].items() if {int(v) for v in who} & m}
        all_on = np.nonzero(data.vote_talk == t)[0]
        others = all_on[~np.isin(data.vote_voter[all_on], who)]
        o_up = float((ctx.direction[others] == SUPPORT).mean()) if len(others) else 0.0
        o_top = float(ctx.top[others].mean()) if len(others) else 0.0
        parts, gaps = [], {}
        for signal, column in (("affiliation", orgs.voter_org), ("order", data.voter_order)):
            codes = column[uwho]
            codes = codes[codes >= 0]
            if not len(codes):
                parts.append(f"{signal}: none")
                continue
            counts = Counter(codes.tolist())
            code, held = counts.most_common(1)[0]
            bar = bars[signal]
            cells = []
            for d in (SUPPORT, TOP):
                obs, exp, log_p = group_cell(ctx, column, code, t, d)
                cells.append(f"{WAYS[d]} {obs} vs {exp:.2f} log p {log_p:.1f}")
                if held >= rule.min_members and bar is not None and obs >= rule.min_ratio * exp:
                    gaps[signal] = min(gaps.get(signal, np.inf), log_p - bar)
            bar_text = "n/a" if bar is None else f"{bar:.1f}"
            parts.append(
                f"{signal}: {held} of {len(uwho)} in one ({len(codes)} linked, {len(counts)} groups), "
                f"{'; '.join(cells)}, bar {bar_text}"
            )
        light = int((ctx.votes_per_voter[uwho] <= rule.narrow_max_votes).sum())
        parts.append(f"narrow: {light}")
        at = data.vote_at[votes]
        span_h = (int(at.max()) - int(at.min())) / 3600
        if joined is not None:
            recent = joined[who] >= int(at.min()) - 30 * 86_400
            parts.append(f"new accounts: {int(recent.sum())}")
        for d in (SUPPORT, TOP):
            windows = scan.windows(d, t)
            if windows:
                w = windows[0]
                inside = int(np.isin(w.voters, members).sum())
                parts.append(
                    f"burst {WAYS[d]}: best {w.hours:g} h {w.observed} vs {w.expected:.2f} "
                    f"log p {w.log_p:.1f} bar {w.log_bar:.1f}, {inside} members"
                )
                if inside >= rule.min_members:
                    gaps["burst"] = min(gaps.get("burst", np.inf), w.log_p - w.log_bar)
            else:
                parts.append(f"burst {WAYS[d]}: no window of {rule.min_members} at x{rule.min_ratio:g}")
        # Over the campaign's span: the talk's upward votes and the site's votes.
        lo, hi = int(at.min()), int(at.max()) + 1
        in_span = (data.vote_at >= lo) & (data.vote_at < hi)
        talk_up_span = int((in_span & (data.vote_talk == t) & (ctx.direction == SUPPORT)).sum())
        share = (ctx.talk_count[SUPPORT][t] - len(uwho) + 0.5) / max(1, ctx.n_votes - len(votes))
        expect_span = share * (int(in_span.sum()) - len(votes))
        parts.append(
            f"span {span_h:.0f} h from day {(lo - t0) / 86_400:.1f}: {len(uwho)} planted of {talk_up_span} up "
            f"there, {expect_span:.1f} expected"
        )
        missed = len(set(uwho.tolist()) - found)
        best = min(gaps.items(), key=lambda kv: kv[1]) if gaps else None
        if len(uwho) < rule.min_members:
            reason = "way"
        elif missed == 0:
            reason = "found"
        elif best is None:
            reason = "no group"
        else:
            reason = f"{best[0]} short {best[1]:.0f}" if best[1] > 0 else f"{best[0]} passes (merge?)"
        rows.append(
            f"| {world} s{seed} | {bloc.kind} | {int(bloc.boosted_talk)} | {len(who)} | {len(uwho)} | {int(top.sum())} "
            f"| {len(found)} | {len(others)}, {o_up:.0%} up, {o_top:.0%} top | {'; '.join(parts)} "
            f"| pre-merge {pre_signals or '-'} | {reason} |"
        )
        k = by_kind[bloc.kind]
        k["members"] += len(who)
        k["up"] += len(uwho)
        k["found"] += len(found)
        bucket = reason if best is None or reason == "found" else best[0]
        k[f"missed: {bucket}"] += missed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(GENERATORS), default="fresh7")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--kinds", default="", help="comma-separated planted kinds (default: every support kind)")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    kinds = set(filter(None, args.kinds.split(",")))
    rows: list[str] = []
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for seed in seeds_parse(args.seeds):
        run(args.world, GENERATORS[args.world][1](args.size, seed), seed, rule, kinds, rows, by_kind)
    print("| run | kind | talk | members voting | up | top | found | other raters | groups | pre-merge | reason |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    for kind, c in sorted(by_kind.items()):
        missed = ", ".join(f"{k[8:]} {v}" for k, v in sorted(c.items()) if k.startswith("missed: ") and v)
        found = f"members {c['members']}, up {c['up']}, found {c['found']}"
        print(f"{kind}: {found}; missed up-voters by best signal: {missed}")


if __name__ == "__main__":
    main()
