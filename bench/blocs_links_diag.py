"""Which planted members a rule loses against another, through which finding, and why (docs/blocs.md,
round 33's `speaker_links: registrable` and the fixes measured after it).

    .venv/bin/python bench/blocs_links_diag.py --world fresh8 --size medium --seeds 1-3 \
        --rule '{}' --rule '{"speaker_links": "registrable"}' --cache /tmp/worlds

Per conference and rule: planted members found, collateral (honest votes losing weight) and the same
without real colleagues of the speaker. For every later rule against the first: the planted members
found under the first and not under it (and the reverse), each with its planted kind and, for each
finding that held the member under the first rule on the member's planted talk and way (before the
merge), what became of it under the other rule:

- "kept": the same finding (signal, label, talk, way) is still there and holds the member (then the
  member was lost in the merge: admission or follow-ups);
- "left out": under the other rule the member's vote on the talk is a light colleague's of the speaker,
  which the narrow test leaves out (round 10) or, for a colleague only the wider links make, counts
  without flagging (round 35);
- "now colleagues": the (group, talk) cell is a colleague cell under the other rule;
- "below the bar": the finding is gone; its log p and bar under the first rule, and the bar of the
  signal's first finding under the other.

Also printed: per rule and signal, how many findings and the bar of the first (colleague findings of
the order and affiliation tests share one line); and the honest votes that lose weight under the other
rule and not the first, and the reverse, by whether the generator calls them a real colleague's and
whether only `speaker_links: registrable`'s wider links make them one. A diagnostic: nothing here
changes detection.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_saturation import light_colleague_votes
from apps.ballots.domain.blocs_signals import OPPOSE, SUPPORT, context_build
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS, vote_multipliers


def conference(world: str, size: str, seed: int, cache: Path | None):
    """The generated conference (votes, planted blocs, ground truth), from the cache when it holds it."""
    path = cache / f"conf_{world}_{size}_{seed}.pkl" if cache else None
    if path and path.exists():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - the cache this script wrote itself
    conf = GENERATORS[world][1](size, seed)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            pickle.dump(conf, f)
    return conf


def _way(f) -> str:
    return "top" if f.top_score else {SUPPORT: "up", OPPOSE: "down"}.get(f.direction, "alike")


def _members_found(conf, detected: np.ndarray) -> set[int]:
    return set(np.unique(conf.data.vote_voter[conf.planted & detected]).tolist())


def run(conf, rule: BlocRule):
    """Detection under `rule`: the per-vote multipliers and bloc flags, and the findings before the merge."""
    started = time.perf_counter()
    report = blocs_detect(conf.data, rule)
    seconds = time.perf_counter() - started
    multiplier, detected = vote_multipliers(conf.data, report.blocs, rule)
    _, findings = findings_collect(conf.data, rule)
    return multiplier, detected, findings, seconds


def kind_of(conf) -> dict[int, str]:
    """Per voter position, the kind of the (first) planted bloc they are a member of."""
    index = {int(v): i for i, v in enumerate(conf.data.voter_ids)}
    out: dict[int, str] = {}
    for bloc in conf.blocs:
        for v in bloc.member_ids:
            out.setdefault(index[int(v)], bloc.kind)
    return out


def explain(conf, voter: int, base: list, other: list, rule: BlocRule) -> list[str]:
    """What became, under `rule`, of each finding that held `voter` on one of their planted votes."""
    data = conf.data
    planted = np.nonzero(conf.planted & (data.vote_voter == voter))[0]
    talks = set(data.vote_talk[planted].tolist())
    orgs = organisations_build(data, wide_links=rule.speaker_links == "registrable")
    left_out = light_colleague_votes(context_build(data, rule), orgs.voter_org, orgs.speaker_pairs)  # or unflagged
    coi = set(map(tuple, orgs.speaker_pairs.tolist()))
    lines = []
    by_key = {}
    for f in other:
        by_key.setdefault((f.signal, f.label, f.talk, _way(f)), []).append(f)
    bars = {}
    for f in other:
        bars.setdefault(f.signal, f.log_bar)
    for f in base:
        if f.talk not in talks or voter not in set(f.members.tolist()):
            continue
        key = (f.signal, f.label, f.talk, _way(f))
        head = (
            f"{f.signal} {_way(f)} talk {f.talk} {f.label!r} "
            f"({f.observed} vs {f.expected:.2f}, log p {f.log_p:.2f}, bar {f.log_bar:.2f})"
        )
        again = [g for g in by_key.get(key, []) if voter in set(g.members.tolist())]
        if again:
            lines.append(f"{head}: kept (log p {again[0].log_p:.2f}, bar {again[0].log_bar:.2f})")
            continue
        votes = planted[data.vote_talk[planted] == f.talk]
        if f.signal == "narrow" and left_out[votes].any():
            lines.append(f"{head}: left out (a light colleague of the speaker under the other rule)")
            continue
        org = int(orgs.voter_org[voter])
        if f.signal == "affiliation" and org >= 0 and (f.talk, org) in coi:
            lines.append(f"{head}: now colleagues ({orgs.labels[org]})")
            continue
        lines.append(f"{head}: below the bar (bar under the other rule {bars.get(f.signal, float('nan')):.2f})")
    return lines


def _wide_link_votes(data) -> np.ndarray:
    """Bool per vote: cast by a voter of an organisation that only `speaker_links: registrable` links to
    one of the talk's speakers."""
    wide = organisations_build(data, wide_links=True)
    n_talks = max(1, data.n_talks)
    keys = np.array(sorted({int(g) * n_talks + int(p) for p, g in wide.link_notes}), dtype=np.int64)
    org = wide.voter_org[data.vote_voter].astype(np.int64)
    return (org >= 0) & np.isin(org * n_talks + data.vote_talk, keys)


def collateral_line(conf, before: np.ndarray, after: np.ndarray, wide: np.ndarray) -> str:
    """Honest votes that lose weight under the other rule and not the first, and the reverse, by whether
    the generator calls them a real colleague's and whether only the wider links make them one."""
    honest, colleague = conf.honest, conf.colleague
    parts = []
    for label, votes in (("newly hit", honest & after & ~before), ("no longer hit", honest & before & ~after)):
        parts.append(
            f"{label} {int(votes.sum())} (real colleagues {int((votes & colleague).sum())}, "
            f"on a wider link {int((votes & wide).sum())}, both {int((votes & wide & colleague).sum())})"
        )
    return "honest votes: " + "; ".join(parts)


def bars_line(findings: list) -> str:
    per: dict[str, tuple[float, int]] = {}
    for f in findings:
        bar, n = per.get(f.signal, (f.log_bar, 0))
        per[f.signal] = (bar, n + 1)
    return ", ".join(f"{s} {n} (bar {bar:.2f})" for s, (bar, n) in sorted(per.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(GENERATORS), default="fresh8")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", action="append", help="bloc rule keys as JSON; the first is the base")
    parser.add_argument("--cache", help="directory keeping the generated conferences (pickles)")
    parser.add_argument("--quiet", action="store_true", help="figures only, no member-by-member lines")
    args = parser.parse_args()
    rules = [BlocRule.from_json(json.loads(r)) for r in (args.rule or ["{}", '{"speaker_links": "registrable"}'])]
    names = args.rule or ["{}", '{"speaker_links": "registrable"}']
    cache = Path(args.cache) if args.cache else None
    totals = [Counter() for _ in rules]
    lost_kinds = [Counter() for _ in rules]
    for seed in seeds_parse(args.seeds):
        conf = conference(args.world, args.size, seed, cache)
        kinds = kind_of(conf)
        honest, others = conf.honest, conf.honest & ~conf.colleague
        runs = [run(conf, rule) for rule in rules]
        found = [_members_found(conf, detected) for _, detected, _, _ in runs]
        for i, (multiplier, _detected, findings, seconds) in enumerate(runs):
            hit = multiplier < 1.0
            t = totals[i]
            t["members"] += len(np.unique(conf.data.vote_voter[conf.planted]))
            t["found"] += len(found[i])
            t["honest"] += int(honest.sum())
            t["hit"] += int((hit & honest).sum())
            t["others"] += int(others.sum())
            t["others_hit"] += int((hit & others).sum())
            print(
                f"{args.world} {args.size} seed {seed} {names[i]}: members {len(found[i])}, collateral "
                f"{(hit & honest).sum() / max(1, honest.sum()):.2%}, without colleagues "
                f"{(hit & others).sum() / max(1, others.sum()):.2%}, {seconds:.2f} s; {bars_line(findings)}"
            )
        wide = _wide_link_votes(conf.data)
        for i in range(1, len(rules)):
            print("  " + collateral_line(conf, runs[0][0] < 1.0, runs[i][0] < 1.0, wide))
            lost, gained = sorted(found[0] - found[i]), sorted(found[i] - found[0])
            lost_kinds[i].update(kinds.get(v, "?") for v in lost)
            lost_kinds[i].subtract(kinds.get(v, "?") for v in gained)
            print(f"  {names[i]} against {names[0]}: lost {len(lost)}, gained {len(gained)}")
            if args.quiet:
                continue
            for label, voters, a, b, rule in (
                ("lost", lost, runs[0][2], runs[i][2], rules[i]),
                ("gained", gained, runs[i][2], runs[0][2], rules[0]),
            ):
                for v in voters:
                    print(f"    {label} voter {v} ({kinds.get(v, '?')}):")
                    for line in explain(conf, v, a, b, rule) or ["(no finding on a planted talk held them)"]:
                        print(f"      {line}")
    print()
    print("| rule | members found | collateral | without colleagues | net lost by kind |")
    print("|---|---|---|---|---|")
    for i, t in enumerate(totals):
        kinds = ", ".join(f"{k} {n:+d}" for k, n in sorted(lost_kinds[i].items()) if n) if i else ""
        print(
            f"| {names[i]} | {t['found']:,} of {t['members']:,} | {t['hit'] / max(1, t['honest']):.3%} | "
            f"{t['others_hit'] / max(1, t['others']):.3%} | {kinds} |"
        )


if __name__ == "__main__":
    main()
