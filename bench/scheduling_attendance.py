"""The attendance objective at three sizes: how many (voter, wanted talk) pairs can be attended.

    .venv/bin/python bench/scheduling_attendance.py --size small
    nice .venv/bin/python bench/scheduling_attendance.py --size medium --reference 600

Instances come from `bench/sched_instances.py` (skewed popularity, topical ballots, speakers with
two talks, one-day speakers). The engine runs with a 55-second budget (the target: under 60 s on
2 cores); `--reference N` then runs the same method for N seconds (the "10-minute reference") and
reports the budgeted result as a share of it. Figures: attendable share of all wanted pairs, the
same against the trivial bound (every voter sees min(wanted, periods)), the greedy baseline (top
talks by vote, periods in order, largest rooms first), clash pairs, overflow, wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.scheduling.domain.engine import schedule_propose
from apps.scheduling.domain.model import Parameters
from apps.scheduling.domain.validate import schedule_violations
from bench.record import record
from bench.sched_instances import instance_make

SIZES = {
    "small": (60, 4, 15, 3_000),
    "medium": (300, 8, 38, 30_000),
    "large": (1_000, 20, 50, 100_000),
}
SECTION = "Scheduling: attendable (voter, wanted talk) pairs (issue 6)"
HEADER = (
    "| instance | run | attendable share of wanted pairs | of the trivial bound | greedy baseline (of bound) "
    "| of the 10-minute reference | clash pairs | people over capacity | wall time |"
)


def run(inp, seconds: float):
    started = time.perf_counter()
    result = schedule_propose(inp, Parameters(time_limit_seconds=seconds, search_rounds=1_000_000, seed=1))
    wall = time.perf_counter() - started
    problems = schedule_violations(inp, result.placements)
    if problems:
        raise SystemExit(f"invalid schedule: {problems[:3]}")
    return result, wall


def row(label: str, run_name: str, result, wall: float, reference: float | None) -> str:
    s = result.satisfaction
    greedy = dict(result.baselines)["greedy"]
    of_ref = f"{100 * s.attendable_pairs / reference:.2f}%" if reference else "—"
    return (
        f"| {label} | {run_name} | {100 * s.share:.2f}% ({s.attendable_pairs:,.0f} of {s.wanted_pairs:,.0f}) "
        f"| {100 * s.attendable_pairs / s.upper_bound_pairs:.2f}% "
        f"| {100 * greedy.attendable_pairs / s.upper_bound_pairs:.2f}% ({greedy.overflow_people:,.0f} over capacity) "
        f"| {of_ref} | {s.clash_pairs:,.0f} | {s.overflow_people:,.0f} in {s.overflowing_talks} talks | {wall:.1f} s |"
    )


def recorded_reference(label: str) -> float | None:
    """The attendable pairs of the reference run recorded for `label` in docs/benchmarks.md."""
    from bench.record import DOC

    for line in DOC.read_text().splitlines():
        if line.startswith(f"| {label} | reference"):
            cell = line.split("|")[3]  # "88.69% (418,167 of 471,470)"
            return float(cell.split("(")[1].split(" of")[0].replace(",", ""))
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seconds", type=float, default=55.0)  # the target is under 60 s, all in
    parser.add_argument("--reference", type=float, default=0.0, help="also run the method this long")
    parser.add_argument(
        "--reference-from-doc", action="store_true", help="compare with the reference row already recorded"
    )
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    talks, rooms, periods, voters = SIZES[args.size]
    started = time.perf_counter()
    inp = instance_make(talks, rooms, periods, voters, seed=1)
    label = f"{talks} talks / {rooms} rooms / {periods} periods / {voters:,} voters"
    print(f"{label}: generated in {time.perf_counter() - started:.0f} s", flush=True)
    result, wall = run(inp, args.seconds)
    print("phases:", [(p.name, round(p.seconds, 1), p.stopped_by) for p in result.phases], flush=True)
    reference = None
    if args.reference:
        ref, ref_wall = run(inp, args.reference)
        reference = ref.satisfaction.attendable_pairs
        name = f"reference ({args.reference:.0f} s budget)"
        line = row(label, name, ref, ref_wall, reference)
        print(line, flush=True)
        if not args.no_record:
            record(SECTION, HEADER, line, key=f"{label} | {name}")
    if args.reference_from_doc:
        reference = recorded_reference(label)
    name = f"{args.seconds:.0f} s budget"
    line = row(label, name, result, wall, reference)
    print(line, flush=True)
    if not args.no_record:
        record(SECTION, HEADER, line, key=f"{label} | {name}")


if __name__ == "__main__":
    main()
