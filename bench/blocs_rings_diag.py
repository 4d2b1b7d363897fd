"""Where small planted rings are lost by the puppet-ring test (`similar`, round 23).

    .venv/bin/python bench/blocs_rings_diag.py --patterns fresh3 --size small --seeds 1-3
    .venv/bin/python bench/blocs_rings_diag.py --patterns seen --size medium --rule '{"ring_candidates": "pairs"}'

For every planted bloc of a ring kind (sockpuppets; held-out puppet_opposition; fresh account_farm,
whole farms), measured from outside the detector (the detector is run
as is; its first exact step is observed to see what hashing handed it):
- wide: members with at least `similar_min_talks` ratings (the others cannot be in a ring at all);
- pairs ≥ θ: the share of pairs of wide members whose ballots (talk and way, as the detector
  compares them) have Jaccard at least `similar_min_jaccard`;
- hashed: the most wide members that one candidate ring (a bucket or a linked group) held;
- found: members in a `similar` finding (the exact test passed for them, or they joined a ring).
A ring is "hashed" when one candidate held at least `min_members` of them, "found" when at least
`min_members` of them are in `similar` findings. Printed per ring and pooled by ring size.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apps.ballots.domain.blocs_signals as signals
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS

RING_KINDS = {"sockpuppets", "puppet_opposition", "account_farm"}


def _observe():
    """Run `similar_findings` as is, recording the candidate rings of its first exact step."""
    seen: list[tuple[np.ndarray, np.ndarray]] = []
    original = signals._ring_check

    def spy(item, run_start, run_len, group, member, *rest):
        if not seen:
            seen.append((group.copy(), member.copy()))
        return original(item, run_start, run_len, group, member, *rest)

    return seen, spy, original


def ring_rows(conf, rule: BlocRule):
    data = conf.data
    ctx = signals.unexplained(signals.context_build(data, rule))
    seen, spy, original = _observe()
    signals._ring_check = spy
    try:
        findings = signals.similar_findings(signals.context_build(data, rule))
    finally:
        signals._ring_check = original
    group, member = seen[0] if seen else (np.empty(0, np.int64), np.empty(0, np.int64))
    flagged = set()
    for f in findings:
        flagged.update(int(m) for m in f.members)
    index = {int(v): i for i, v in enumerate(data.voter_ids)}
    items = ctx.data.vote_talk.astype(np.int64) * 3 + ctx.direction + 1
    ballots = defaultdict(set)
    for v, it in zip(ctx.data.vote_voter.tolist(), items.tolist(), strict=True):
        ballots[v].add(it)
    rows = []
    for bloc in conf.blocs:
        if bloc.kind not in RING_KINDS:
            continue
        for part in [bloc.member_ids]:
            members = [index[int(m)] for m in part if int(m) in index]
            wide = [m for m in members if ctx.votes_per_voter[m] >= rule.similar_min_talks]
            pairs = [(a, b) for i, a in enumerate(wide) for b in wide[i + 1 :]]
            jac = [len(ballots[a] & ballots[b]) / max(1, len(ballots[a] | ballots[b])) for a, b in pairs]
            close = sum(j >= rule.similar_min_jaccard for j in jac)
            inside = np.isin(member, wide)
            hashed = int(np.bincount(group[inside]).max()) if inside.any() else 0
            found = sum(m in flagged for m in members)
            rows.append((bloc.kind, len(members), len(wide), close, len(pairs), hashed, found))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patterns", default="seen", choices=sorted(GENERATORS))
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--rule", default="{}")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    generate = GENERATORS[args.patterns][1]
    pooled = defaultdict(lambda: np.zeros(8, dtype=np.int64))
    for seed in seeds_parse(args.seeds):
        conf = generate(args.size, seed)
        for kind, n, wide, close, pairs, hashed, found in ring_rows(conf, rule):
            print(
                f"seed {seed} {kind}: {n} members, {wide} wide, pairs ≥ θ {close}/{pairs}, "
                f"most in one candidate {hashed}, found {found}"
            )
            band = "3-5" if n <= 5 else "6+"
            hit = hashed >= rule.min_members
            got = found >= rule.min_members
            pooled[(kind, band)] += np.array([1, n, close, pairs, hit, got, found, hit and not got])
    print(f"\n{args.patterns} {args.size} seeds {args.seeds} rule {args.rule}")
    print("| kind | ring size | rings | members | pairs with J ≥ θ | hashed together | test passed | members found |")
    print("|---|---|---|---|---|---|---|---|")
    for (kind, band), (rings, n, close, pairs, hit, got, found, lost) in sorted(pooled.items()):
        print(
            f"| {kind} | {band} | {rings} | {n} | {close}/{pairs} ({close / max(1, pairs):.2f}) | "
            f"{hit}/{rings} | {got}/{rings} (hashed, not passed: {lost}) | {found}/{n} |"
        )


if __name__ == "__main__":
    main()
