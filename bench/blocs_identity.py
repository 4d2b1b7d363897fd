"""Identity dumps of bloc detection: for speed work that must not change a single finding.

    .venv/bin/python bench/blocs_identity.py --out /tmp/dump-branch --cache /tmp/worlds
    (in a checkout of the base commit, e.g. `git worktree add --detach /tmp/base main`:)
    .venv/bin/python bench/blocs_identity.py --out /tmp/dump-base --cache /tmp/worlds
    .venv/bin/python bench/blocs_identity.py --only small   # cases whose name contains "small"
    .venv/bin/python bench/blocs_identity.py --case fresh10:large:1 --case fresh4:large:1   # these only

For every case — every world in bench/blocs_quality.py's GENERATORS (the seen generator, the held-out
patterns, fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, fresh10, fresh11); small seeds 1–2 and
medium seed 1 under the default rule; small seeds 1–2 under `{"ring_scores": "exact"}`; large seed 1 of seen and
fresh2 — it writes the complete report to OUT/<case>.txt: every bloc's key, talk,
direction, members, weight, fair share, signals, p-value and strength, every evidence sentence with
its observed, expected and p-value (floats by repr, so exact), the discounts (voter, talk,
multiplier, bloc key, reason), and the multiplier of every vote after discount. It prints each
case's SHA-256; two checkouts agree when every line agrees. `--cache DIR` keeps each generated
conference's BlocInput as a pickle, so that a second checkout reads the same votes without
generating them again (the large worlds take about 30 s each to generate); it must only be shared
between checkouts whose generators are the same. `--case PATTERNS:SIZE:SEED` (repeatable) dumps those
conferences under the default rule instead of the list above: the other large worlds, which speed work
on the largest size must leave unchanged too. `--rule JSON` sets rule keys over every case's own rule, so two
runs into two directories (one with, one without) show which cases a rule value touches at all (round 41).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect
from apps.ballots.domain.blocs_input import BlocInput, BlocRule
from bench.blocs_quality import GENERATORS

EXACT = '{"ring_scores": "exact"}'
CASES = [
    *[(p, size, seed, "{}") for p in GENERATORS for size, seed in (("small", 1), ("small", 2), ("medium", 1))],
    *[(p, "small", seed, EXACT) for p in GENERATORS for seed in (1, 2)],
    ("seen", "large", 1, "{}"),
    ("fresh2", "large", 1, "{}"),
]


def conference(patterns: str, size: str, seed: int, cache: Path | None) -> BlocInput:
    """The generated conference's votes, from the cache when it holds them."""
    path = cache / f"{patterns}_{size}_{seed}.pkl" if cache else None
    if path and path.exists():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - the cache this script wrote itself
    data = GENERATORS[patterns][1](size, seed).data
    if path:
        with path.with_suffix(".tmp").open("wb") as f:
            pickle.dump(data, f, protocol=5)
        os.replace(path.with_suffix(".tmp"), path)
    return data


def report_text(data: BlocInput, rule: BlocRule) -> str:
    """Everything detection and the discounts decide, one line per bloc, evidence and table."""
    report = blocs_detect(data, rule)
    lines = []
    for b in report.blocs:
        lines.append(
            repr(
                (b.key, b.talk_id, b.direction, b.member_ids, b.weight, b.fair_share, b.signals, b.p_value, b.strength)
            )
        )
        lines += ["  " + repr((e.signal, e.sentence, e.observed, e.expected, e.p_value)) for e in b.evidence]
    d = bloc_discounts(report.blocs, rule)
    lines.append(repr((d.voter_ids.tolist(), d.talk_ids.tolist(), d.multipliers.tolist(), d.bloc_keys, d.reasons)))
    by_vote = dict(
        zip(zip(d.voter_ids.tolist(), d.talk_ids.tolist(), strict=True), d.multipliers.tolist(), strict=True)
    )
    voters, talks = data.voter_ids[data.vote_voter].tolist(), data.talk_ids[data.vote_talk].tolist()
    per_vote = np.array([by_vote.get(pair, 1.0) for pair in zip(voters, talks, strict=True)])
    lines.append("per-vote multipliers sha256 " + hashlib.sha256(per_vote.tobytes()).hexdigest())
    lines.append(repr(per_vote[per_vote < 1].tolist()))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="directory for one text file per case")
    parser.add_argument("--cache", help="directory keeping the generated conferences (pickles)")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--case", action="append", help="PATTERNS:SIZE:SEED under the default rule, instead of CASES")
    parser.add_argument("--rule", default="{}", help="rule keys (JSON) set over every case's own rule")
    args = parser.parse_args()
    out, cache = Path(args.out), Path(args.cache) if args.cache else None
    out.mkdir(parents=True, exist_ok=True)
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    cases = CASES
    if args.case:
        cases = [(p, size, int(seed), "{}") for p, size, seed in (c.split(":") for c in args.case)]
    for patterns, size, seed, rule_json in cases:
        name = f"{patterns}_{size}_{seed}_{'exact' if rule_json == EXACT else 'default'}"
        if args.only not in name:
            continue
        rule = BlocRule.from_json({**json.loads(rule_json), **json.loads(args.rule)})
        text = report_text(conference(patterns, size, seed, cache), rule)
        (out / f"{name}.txt").write_text(text)
        print(name, hashlib.sha256(text.encode()).hexdigest(), flush=True)


if __name__ == "__main__":
    main()
