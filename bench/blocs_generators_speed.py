"""Time and memory of the bench worlds' generators: how long each world takes to make, and how much memory.

    nice -n 10 .venv/bin/python bench/blocs_generators_speed.py --size small
    nice -n 10 .venv/bin/python bench/blocs_generators_speed.py --size medium --worlds fresh7,fresh8
    nice -n 10 .venv/bin/python bench/blocs_generators_speed.py --size small --record  # rows in docs/benchmarks.md

Every quality and calibration run starts by generating its world, so a slow generator makes every
comparison slow; the target is under 10 s per world at small (it was once a timed test of each fresh
generator, and tests assert behaviour, not wall-clock time). Each world is generated in a fresh child
process, one after another, so that one world's memory does not count towards the next and the
figures are that world's alone; `--repeats` times each (3 unless told), the median time printed.
Printed per world: the votes and planted blocs made, wall seconds, CPU seconds of the generation
(user + system: less sensitive to neighbours on a shared machine), peak resident memory of the child
(ru_maxrss) and how much of it the generation added over the process after its imports. Run it alone
on the machine (`nice -n 10`, no other benchmark at the same time).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.blocs_quality import GENERATORS

WORLDS = tuple(GENERATORS)  # every world blocs_quality measures, a new one included as it is registered
SECTION = "Bench worlds' generators (bench/blocs_generators_speed.py)"
HEADER = (
    "| world | size | seed | votes | planted blocs | wall time (median) | CPU time (median) | peak RSS "
    "| of which generation |"
)
TARGET_SMALL_SECONDS = 10.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def generate_one(world: str, size: str, seed: int) -> dict:
    """Runs in the child: imports, then one generation, measured."""
    _, generate = GENERATORS[world]
    before_mb = peak_rss_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    conf = generate(size, seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = peak_rss_mb()
    return {
        "world": world,
        "votes": len(conf.data.vote_score),
        "blocs": len(conf.blocs),
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak_mb,
        "generation_mb": peak_mb - before_mb,
    }


def measured(world: str, size: str, seed: int, repeats: int) -> dict:
    """One world generated `repeats` times, each in a child process of its own: the median wall and CPU
    seconds (a neighbour's burst on a shared machine moves one run, not the median), the largest memory."""
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, __file__, "--child", world, "--size", size, "--seed", str(seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    figures = dict(runs[0])
    for name in ("wall", "cpu"):
        figures[name] = statistics.median(r[name] for r in runs)
    for name in ("peak_mb", "generation_mb"):
        figures[name] = max(r[name] for r in runs)
    return figures


def row(figures: dict, size: str, seed: int) -> str:
    return (
        f"| {figures['world']} | {size} | {seed} | {figures['votes']:,} | {figures['blocs']} | "
        f"{figures['wall']:.2f} s | {figures['cpu']:.2f} s | {figures['peak_mb']:.0f} MB | "
        f"{figures['generation_mb']:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "medium", "large"], required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="runs per world; the median time is printed")
    parser.add_argument("--worlds", default=",".join(WORLDS), help=f"comma-separated, of {', '.join(WORLDS)}")
    parser.add_argument("--record", action="store_true", help="write the rows into docs/benchmarks.md")
    parser.add_argument("--child", choices=WORLDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(generate_one(args.child, args.size, args.seed)))
        return
    worlds = [w.strip() for w in args.worlds.split(",") if w.strip()]
    unknown = sorted(set(worlds) - set(WORLDS))
    if unknown:
        parser.error(f"unknown worlds: {', '.join(unknown)}")
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    lines, slow = [], []
    for world in worlds:
        figures = measured(world, args.size, args.seed, args.repeats)
        line = row(figures, args.size, args.seed)
        print(line, flush=True)
        lines.append(line)
        if args.size == "small" and figures["wall"] >= TARGET_SMALL_SECONDS:
            slow.append(world)
    if slow:
        print(f"over the {TARGET_SMALL_SECONDS:.0f} s target at small: {', '.join(slow)}")
    if args.record:
        from bench.record import record

        for line in lines:
            record(SECTION, HEADER, line, key=" | ".join(line.split(" | ")[:2])[2:])


if __name__ == "__main__":
    main()
