"""Why planted down-vote campaigns are missed: one line per planted opposition bloc and target talk.

    .venv/bin/python bench/blocs_oppose_diag.py --world fresh5 --size small --seeds 1-3
    .venv/bin/python bench/blocs_oppose_diag.py --world fresh4 --size medium --seeds 1-3 --rule '{...}'

For every planted bloc whose direction is "oppose", on each of its talks, it prints:
- the members who cast a planted vote on the talk, how many of those votes count as rating down
  (detection's OPPOSE way: scores up to `oppose_max_score`, by default the scale's lowest), and how
  many members are in a detected opposition bloc on the talk (found) or in any pre-merge opposition
  finding on it (so a gap between the two is the merge's);
- the talk's other raters and the share of them rating it down;
- organisation: the organisation (blocs_organisations) holding most of the members, how many members
  it holds, and its (organisation, talk, down) cell as the affiliation test sees it: observed, the
  prediction, the ratio to `min_ratio`, log p against the signal's bar in this run;
- order: the same for the ticket order holding most members;
- narrow: the members who rated at most `narrow_max_votes` talks;
- burst: the span of the members' planted votes in hours and the most unusual site-wide burst window
  on the talk's down votes (observed, prediction, log p, bar, members in it);
- the reason, read from the above in this order: "way" (fewer than `min_members` of the planted votes
  count as down: a cover talk, or the campaign's second-lowest scores), "merge" (found before the
  merge, not after), "found", else the signals whose group holds at least `min_members` down-voting
  members and why each failed: "ratio" (under `min_ratio` times the prediction) or "bar" (p above the
  bar); "partly found" when some are found and no signal's group fails; "no group" when no signal's
  group holds that many members.

Then per kind: member-talk pairs, those rating down, found, and per reason the bloc-talks and the
down-voting members missed. A diagnostic:
nothing here changes detection.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_bursts import burst_scan
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_signals import OPPOSE, TOP
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS


def group_cell(ctx, column: np.ndarray, code: int, talk: int, d: int = OPPOSE) -> tuple[int, float, float]:
    """(observed, prediction, log p) of the group test's (group, talk, way) cell, as group_findings
    computes them (the group's votes in way d on the talk against its votes times the talk's share of
    everyone else's votes in that way; d: OPPOSE, SUPPORT or TOP)."""
    data = ctx.data
    n_talks = max(1, data.n_talks)
    in_group = column[data.vote_voter] == code
    group_votes = float(ctx.votes_per_voter[column == code].sum())
    in_way = ctx.top if d == TOP else ctx.direction == d
    observed = int((in_group & (data.vote_talk == talk) & in_way).sum())
    rate = (ctx.talk_count[d][talk] - observed + 0.5) / (ctx.n_votes - group_votes + 0.5 * n_talks)
    expected = group_votes * rate
    log_p = float(poisson.logsf(observed - 1, max(expected, 1e-9))) if observed else 0.0
    return observed, float(expected), log_p


def finding_bar(findings, signal: str) -> float | None:
    """The loosest bar a finding of this group signal passed in the run (None: no finding)."""
    bars = [f.log_bar for f in findings if f.signal == signal and f.log_bar < 0 and not f.raters]  # not the lean test
    return max(bars) if bars else None


@dataclass(frozen=True)
class Detected:
    """One detection run as the diagnostics read it: the report, the findings before the merge, the
    organisations, the site-wide burst scan, the positions of ids, the group signals' bars, and per talk
    the voters in a detected bloc and in each signal's pre-merge findings, in one direction."""

    report: object
    ctx: object
    findings: list
    orgs: object
    scan: object
    pos_of_voter: dict
    pos_of_talk: dict
    bars: dict
    found_on: dict
    pre_on: dict


def detected(data, rule: BlocRule, direction: int) -> Detected:
    report = blocs_detect(data, rule)
    ctx, findings = findings_collect(data, rule)
    pos_of_voter = {int(v): i for i, v in enumerate(data.voter_ids)}
    pos_of_talk = {int(t): i for i, t in enumerate(data.talk_ids)}
    word = "oppose" if direction == OPPOSE else "support"
    found_on: dict[int, set[int]] = defaultdict(set)
    for b in report.blocs:
        if b.direction == word:
            found_on[pos_of_talk[b.talk_id]].update(pos_of_voter[v] for v in b.member_ids)
    pre_on: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for f in findings:
        if f.direction == direction:
            pre_on[f.talk][f.signal].update(int(m) for m in f.members)
    bars = {s: finding_bar(findings, s) for s in ("affiliation", "order", "narrow")}
    return Detected(report, ctx, findings, organisations_build(data), burst_scan(ctx), pos_of_voter, pos_of_talk,
                    bars, found_on, pre_on)  # fmt: skip


def run(world: str, conf, seed: int, rule: BlocRule, rows: list, by_kind: dict) -> None:
    data = conf.data
    state = detected(data, rule, OPPOSE)
    ctx, orgs, scan, bars = state.ctx, state.orgs, state.scan, dict(state.bars)
    pos_of_voter, pos_of_talk, found_on, pre_on = state.pos_of_voter, state.pos_of_talk, state.found_on, state.pre_on
    bars["burst"] = scan.log_bar
    for bloc in conf.blocs:
        if bloc.direction != "oppose":
            continue
        members = np.array(sorted(pos_of_voter[v] for v in bloc.member_ids if v in pos_of_voter), dtype=np.int64)
        for talk_id in bloc.talk_ids:
            t = pos_of_talk[int(talk_id)]
            on = (data.vote_talk == t) & conf.planted & np.isin(data.vote_voter, members)
            votes = np.nonzero(on)[0]
            if not len(votes):
                continue
            who = data.vote_voter[votes]
            down = ctx.direction[votes] == OPPOSE
            dwho = who[down]
            found = {int(v) for v in who} & found_on[t]
            pre = {int(v) for v in who} & set().union(*pre_on[t].values()) if pre_on[t] else set()
            pre_signals = {s: len({int(v) for v in who} & m) for s, m in pre_on[t].items() if {int(v) for v in who} & m}
            all_on = np.nonzero(data.vote_talk == t)[0]
            others = all_on[~np.isin(data.vote_voter[all_on], who)]
            other_down = float((ctx.direction[others] == OPPOSE).mean()) if len(others) else 0.0
            reasons, parts = [], []
            need = rule.min_members
            for signal, column in (("affiliation", orgs.voter_org), ("order", data.voter_order)):
                codes = column[dwho]
                codes = codes[codes >= 0]
                if not len(codes):
                    parts.append(f"{signal}: none")
                    continue
                counts = Counter(codes.tolist())
                code, held = counts.most_common(1)[0]
                spread = f" ({len(codes)} linked, {len(counts)} groups)"
                obs, exp, log_p = group_cell(ctx, column, code, t)
                bar = bars[signal]
                bar_text = "n/a" if bar is None else f"{bar:.1f}"
                ratio = obs / max(exp, 1e-9)
                parts.append(f"{signal}: {held} of {len(dwho)} in one{spread}, cell {obs} vs {exp:.2f} (x{ratio:.1f}) "
                             f"log p {log_p:.1f} bar {bar_text}")  # fmt: skip
                if held >= need:
                    if obs < rule.min_ratio * exp:
                        reasons.append(f"{signal} ratio")
                    elif bar is None or log_p > bar:
                        reasons.append(f"{signal} bar")
            light = int((ctx.votes_per_voter[dwho] <= rule.narrow_max_votes).sum())
            parts.append(f"narrow: {light}")
            at = data.vote_at[votes]
            span = (int(at.max()) - int(at.min())) / 3600
            windows = scan.windows(OPPOSE, t)
            if windows:
                w = windows[0]
                inside = int(np.isin(w.voters, members).sum())
                parts.append(f"burst: span {span:.0f} h, best {w.hours:g} h {w.observed} vs {w.expected:.2f} "
                             f"log p {w.log_p:.1f} bar {w.log_bar:.1f}, {inside} members")  # fmt: skip
                if inside >= need and not w.passed:
                    reasons.append("burst bar")
            else:
                parts.append(f"burst: span {span:.0f} h, no window of {need} at x{rule.min_ratio:g}")
            if len(dwho) < need:
                reason = "way"
            elif pre - found:
                reason = "merge"
            elif len(found) >= len(dwho):
                reason = "found"
            elif found and not reasons:
                reason = "partly found"
            else:
                reason = ", ".join(reasons) or "no group"
            rows.append(
                f"| {world} s{seed} | {bloc.kind} | {int(talk_id)} | {len(who)} | {len(dwho)} | {len(found)} "
                f"| {len(others)}, {other_down:.0%} down | {'; '.join(parts)} "
                f"| pre-merge {pre_signals or '-'} | {reason} |"
            )
            k = by_kind[bloc.kind]
            k["members"] += len(who)
            k["down"] += len(dwho)
            k["found"] += len(found)
            k[f"reason: {reason}"] += 1
            k[f"missed: {reason}"] += len({int(v) for v in dwho} - found)


def lean_cells(ctx, column: np.ndarray, skip: np.ndarray | None, rule: BlocRule, fdr: bool, low: int | None):
    """The prototype lean test: for every (group, talk) cell where the group cast at least `min_members`
    votes, x of its n votes on the talk rate it down against the share q of the talk's other votes that
    do (half a vote added, one to the total): binomial upper tail. The family is every such cell (its n
    is a margin: a cell with fewer votes can never be a finding); Bonferroni or false-discovery
    (step-down, as blocs_signals._threshold). `low`: count scores up to this as down (None: OPPOSE).
    Returns the passing cells (group, talk, x, n, q, log p) and the family size."""
    from scipy.stats import binom

    data = ctx.data
    n_talks = max(1, data.n_talks)
    down = ctx.direction == OPPOSE if low is None else data.vote_score <= low
    g = column[data.vote_voter]
    ok = g >= 0
    key = g[ok].astype(np.int64) * n_talks + data.vote_talk[ok]
    keys, n = np.unique(key, return_counts=True)
    x = np.bincount(np.searchsorted(keys, key), weights=down[ok], minlength=len(keys)).astype(np.int64)
    cand = n >= rule.min_members
    if skip is not None and len(skip):
        cand &= ~np.isin(keys, skip)
    keys, n, x = keys[cand], n[cand], x[cand]
    talk = keys % n_talks
    talk_n = np.bincount(data.vote_talk, minlength=n_talks)
    talk_x = np.bincount(data.vote_talk, weights=down, minlength=n_talks)
    q = (talk_x[talk] - x + 0.5) / (talk_n[talk] - n + 1.0)
    log_p = binom.logsf(x - 1, n, q)
    n_tests = len(keys)
    big = x >= rule.min_members
    if fdr and big.any():
        ranked = np.sort(log_p[big])
        passes = ranked <= np.log(rule.alpha * np.arange(1, len(ranked) + 1) / max(1, n_tests))
        kept = len(ranked) if passes.all() else int(np.argmin(passes))
        bar = np.log(rule.alpha * max(1, kept) / max(1, n_tests))
    else:
        bar = np.log(rule.alpha / max(1, n_tests))
    hit = big & (log_p <= bar)
    return [(int(k // n_talks), int(k % n_talks), int(a), int(b), float(c), float(d))
            for k, a, b, c, d in zip(keys[hit], x[hit], n[hit], q[hit], log_p[hit], strict=True)], n_tests  # fmt: skip


def prototype(world: str, conf, seed: int, rule: BlocRule, fdr: bool, low: int | None, totals: Counter, lines: list):
    """What the lean test would add to detection: planted and honest voters in passing cells who are not
    already in an opposition bloc on that talk."""
    data = conf.data
    report = blocs_detect(data, rule)
    ctx = findings_collect(data, rule)[0]
    orgs = organisations_build(data)
    pos_of_voter = {int(v): i for i, v in enumerate(data.voter_ids)}
    pos_of_talk = {int(t): i for i, t in enumerate(data.talk_ids)}
    n_talks = max(1, data.n_talks)
    in_bloc = set()
    for b in report.blocs:
        if b.direction == "oppose":
            t = pos_of_talk[b.talk_id]
            in_bloc.update((pos_of_voter[v], t) for v in b.member_ids)
    pairs = orgs.speaker_pairs
    coi = np.unique(pairs[:, 1].astype(np.int64) * n_talks + pairs[:, 0]) if len(pairs) else None
    down = ctx.direction == OPPOSE if low is None else data.vote_score <= low
    seen_votes: set[int] = set()
    any_cell = False
    for name, column, skip in (("organisation", orgs.voter_org, coi), ("order", data.voter_order, None)):
        cells, n_tests = lean_cells(ctx, column, skip, rule, fdr, low)
        totals[f"{name} tests"] += n_tests
        for grp, t, x, n, q, log_p in cells:
            votes = np.nonzero((data.vote_talk == t) & (column[data.vote_voter] == grp) & down)[0]
            new = [i for i in votes if (int(data.vote_voter[i]), t) not in in_bloc and i not in seen_votes]
            seen_votes.update(int(i) for i in new)
            new = np.array(new, dtype=np.int64)
            pl = int(conf.planted[new].sum()) if len(new) else 0
            ho = int(conf.honest[new].sum()) if len(new) else 0
            co = int((conf.honest[new] & conf.colleague[new]).sum()) if len(new) else 0
            any_cell = True
            totals[f"{name} cells"] += 1
            totals["planted votes added"] += pl
            totals["honest votes added"] += ho
            totals["of them colleagues"] += co
            kinds = Counter()
            for b in conf.blocs:
                if b.direction == "oppose" and int(data.talk_ids[t]) in b.talk_ids:
                    ids = {pos_of_voter[v] for v in b.member_ids if v in pos_of_voter}
                    kinds[b.kind] += sum(int(data.vote_voter[i]) in ids for i in new)
            for k, c in kinds.items():
                totals[f"planted added: {k}"] += c
            lines.append(f"{world} s{seed} {name} talk {int(data.talk_ids[t])}: {x} of {n} down vs q {q:.3f}, "
                         f"log p {log_p:.1f}; new {len(new)} (planted {pl}, honest {ho}) {dict(kinds)}")  # fmt: skip
    totals["conferences"] += 1
    totals["conferences with a cell"] += int(any_cell)
    totals["honest votes"] += int(conf.honest.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(GENERATORS), default="fresh5")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--prototype", action="store_true", help="the lean test's what-if instead of the table")
    parser.add_argument("--fdr", action="store_true", help="prototype: false-discovery bar (else Bonferroni)")
    parser.add_argument(
        "--low", default=None, help="prototype: scores up to this count as down ('quarter': the scale's lowest quarter)"
    )
    parser.add_argument("--honest-only", action="store_true", help="prototype: the world's honest-only conferences")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="the lean test's findings (rule oppose_lean: tested) on honest-only conferences",
    )
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    if args.calibrate:
        from bench.blocs_calibration import WORLDS, plant_nothing

        lean = BlocRule.from_json({**json.loads(args.rule), "oppose_lean": "tested"})
        hit = []
        for seed in seeds_parse(args.seeds):
            data = WORLDS[args.world](args.size, seed, plant=plant_nothing).data
            found = [f for f in findings_collect(data, lean)[1] if f.raters]
            hit += [seed] * bool(found)
            for f in found:
                where = f"seed {seed}: talk {int(data.talk_ids[f.talk])} {f.signal} {f.label}"
                print(f"{where}: {f.observed} of {f.group_voters} low, {f.expected:.2f} expected, "
                      f"log p {f.log_p:.1f} bar {f.log_bar:.1f}")  # fmt: skip
        n = len(seeds_parse(args.seeds))
        print(
            f"{args.world} {args.size} seeds {args.seeds}: lean findings in {len(hit)} of {n} honest-only conferences"
        )
        return
    if args.prototype:
        from bench.blocs_calibration import WORLDS, plant_nothing

        totals: Counter = Counter()
        lines: list[str] = []
        for seed in seeds_parse(args.seeds):
            conf = (WORLDS[args.world](args.size, seed, plant=plant_nothing) if args.honest_only
                    else GENERATORS[args.world][1](args.size, seed))  # fmt: skip
            scale = conf.data.scale
            low = args.low if args.low in (None, "quarter") else int(args.low)
            low = scale.minimum + (scale.maximum - scale.minimum) // 4 if low == "quarter" else low
            prototype(args.world, conf, seed, rule, args.fdr, low, totals, lines)
        print("\n".join(lines))
        print(dict(totals))
        return
    rows: list[str] = []
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for seed in seeds_parse(args.seeds):
        run(args.world, GENERATORS[args.world][1](args.size, seed), seed, rule, rows, by_kind)
    print("| run | kind | talk | members voting | of them down | found | other raters | groups | pre-merge | reason |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    for kind, c in sorted(by_kind.items()):
        reasons = ", ".join(
            f"{k[8:]} {v} ({c['missed: ' + k[8:]]} down missed)"
            for k, v in sorted(c.items())
            if k.startswith("reason: ")
        )
        print(f"{kind}: members x talks {c['members']}, down {c['down']}, found {c['found']}; {reasons}")


if __name__ == "__main__":
    main()
