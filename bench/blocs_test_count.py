"""How the group tests size their families (docs/blocs.md, round 16): per signal and family, the
number of tests the bar divides alpha by under `test_count: voted` (cells a member voted on) and
`testable` (Tarone's count), beside every cell that exists (groups × talks × ways) and the cells
that could produce a finding at all (a group with at least `min_members` voters who voted that way).

    .venv/bin/python bench/blocs_test_count.py --size medium --seeds 1-5
    .venv/bin/python bench/blocs_test_count.py --world fresh --size medium --seeds 1-3
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain import blocs, blocs_signals
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse

RECORD: dict[tuple[str, str], list[float]] = defaultdict(list)
CURRENT = {"signal": ""}
_threshold = blocs_signals._threshold
_group_findings = blocs_signals.group_findings


def _recording_threshold(unit_log_p, rule, n_tests, familywise=False):
    family = "colleagues" if familywise else CURRENT["signal"]
    RECORD[(CURRENT["signal"], family, rule.test_count)].append(n_tests)
    return _threshold(unit_log_p, rule, n_tests, familywise)


def _recording_group_findings(ctx, column, signal, *args, **kwargs):
    CURRENT["signal"] = signal
    if ctx.rule.test_count == "voted":
        n_groups = int(column.max(initial=-1)) + 1
        voters = np.bincount(column[(column >= 0) & (ctx.votes_per_voter > 0)], minlength=n_groups)
        RECORD[(signal, "all cells", "")].append(n_groups * ctx.data.n_talks * len(ctx.tested))
        RECORD[(signal, f"groups of >= {ctx.rule.min_members} voters × talks × ways", "")].append(
            int((voters >= ctx.rule.min_members).sum()) * ctx.data.n_talks * len(ctx.tested)
        )
    return _group_findings(ctx, column, signal, *args, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--world", choices=sorted(WORLDS), default="seen")
    args = parser.parse_args()
    blocs_signals._threshold = _recording_threshold
    blocs.group_findings = _recording_group_findings
    for seed in seeds_parse(args.seeds):
        conf = WORLDS[args.world](args.size, seed, plant=plant_nothing)
        for count in ("voted", "testable"):
            blocs.blocs_detect(conf.data, BlocRule(test_count=count))
    print(f"{args.world} world, {args.size}, seeds {args.seeds}: tests per conference (mean, min–max)")
    print("| signal | family | count | mean | min | max |")
    print("|---|---|---|---|---|---|")
    for (signal, family, count), values in sorted(RECORD.items()):
        v = np.asarray(values, dtype=float)
        print(f"| {signal} | {family} | {count} | {v.mean():,.0f} | {v.min():,.0f} | {v.max():,.0f} |")


if __name__ == "__main__":
    main()
