"""CPU time of bloc detection under several rules on one generated conference, the rules interleaved.

Wall-clock time on a shared 2-core machine swings with the neighbours, and running rule A's repeats
before rule B's lets a change of load pass for a difference between the rules. This script generates
the conference once, then runs detection once per rule in turn, `--repeats` times, and reports each
rule's median CPU seconds (time.process_time) beside the wall-clock median and the number of blocs.
Round 24 (docs/blocs.md) used it for the cost of longer burst windows:

    python bench/blocs_rule_cpu.py --patterns fresh3 --size large --seed 1 \\
        --rule '{}' --rule '{"burst_window_hours": [1, 2, 4, 8, 24, 72]}'
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_quality import GENERATORS


def timed(data, rule: BlocRule) -> tuple[float, float, int]:
    """CPU seconds, wall seconds and blocs of one detection."""
    cpu, wall = time.process_time(), time.perf_counter()
    report = blocs_detect(data, rule)
    return time.process_time() - cpu, time.perf_counter() - wall, len(report.blocs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patterns", choices=sorted(GENERATORS), default="seen")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rule", action="append", help="bloc rule keys as JSON; repeat for each rule compared")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts = args.rule or ["{}"]
    rules = [BlocRule.from_json(json.loads(text)) for text in texts]
    label, generate = GENERATORS[args.patterns]
    data = generate(args.size, args.seed).data
    runs: list[list[tuple[float, float, int]]] = [[] for _ in rules]
    for _ in range(args.repeats):
        for i, rule in enumerate(rules):
            runs[i].append(timed(data, rule))
    for text, rows in zip(texts, runs, strict=True):
        cpu = [r[0] for r in rows]
        wall = [r[1] for r in rows]
        print(
            f"{label} {args.size} (seed {args.seed}) rule {text}: CPU median {statistics.median(cpu):.2f} s "
            f"(min {min(cpu):.2f}, max {max(cpu):.2f}); wall median {statistics.median(wall):.2f} s; "
            f"blocs {rows[0][2]}"
        )


if __name__ == "__main__":
    main()
