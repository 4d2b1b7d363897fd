"""Side by side with PyCon UK's conference-scheduler (PuLP + CBC) on its equity objective.

    .venv/bin/python bench/scheduling_equity.py                 # every instance, records the rows
    .venv/bin/python bench/scheduling_equity.py --only 100x5x20 --no-record

Both libraries get the same instance (its own tutorial, then generated ones); both answers are
checked by one independent checker, which also computes the objective both minimise: the worst
room overflow (expected audience − seats). conference-scheduler runs with CBC and a 60-second
limit, and is not run where the issue measured that it returns nothing in 60 s (from 150 × 6 × 25
on) beyond the first such size; ours (`worst_overflow_minimise`) has 60 seconds too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.scheduling.domain.worst_overflow import worst_overflow_minimise
from bench.record import record
from bench.sched_equity_instances import (
    equity_check,
    generated_instance,
    to_conference_scheduler,
    tutorial_instance,
)

SIZES = [(30, 3, 10), (60, 4, 15), (100, 5, 20), (150, 6, 25), (200, 8, 25), (400, 10, 40), (1000, 20, 50)]
CBC_SIZES = {(30, 3, 10), (60, 4, 15), (100, 5, 20), (150, 6, 25)}
LIMIT = 60.0
SECTION = "Scheduling: worst room overflow, side by side with conference-scheduler (issue 6)"
HEADER = (
    "| instance | conference-scheduler (CBC) worst overflow | its wall time | ours worst overflow | ours proven bound "
    "| ours wall time | speed-up | both valid |"
)


def cbc_run(instance) -> tuple[str, float, int | None]:
    import pulp
    from conference_scheduler import scheduler
    from conference_scheduler.lp_problem import objective_functions

    events, slots = to_conference_scheduler(instance)
    started = time.perf_counter()
    try:
        solution = scheduler.solution(
            events,
            slots,
            objective_function=objective_functions.equity_capacity_demand_difference,
            solver=pulp.PULP_CBC_CMD(msg=False, timeLimit=LIMIT, threads=1),
        )
    except ValueError:
        return "no solution", time.perf_counter() - started, None
    seconds = time.perf_counter() - started
    pairs = [(instance.events[e].id, instance.slots[s].id) for e, s in solution]
    problems, worst = equity_check(instance, pairs)
    return ("valid" if not problems else f"INVALID: {problems[0]}"), seconds, worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="e.g. tutorial or 100x5x20")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    cases = [("tutorial", None)] + [(f"{n}x{r}x{p}", (n, r, p)) for n, r, p in SIZES]
    for key, size in cases:
        if args.only and args.only != key:
            continue
        instance = tutorial_instance() if size is None else generated_instance(*size)
        if size is None or size in CBC_SIZES:
            cbc_status, cbc_seconds, cbc_worst = cbc_run(instance)
        else:
            cbc_status, cbc_seconds, cbc_worst = "not run", None, None
        started = time.perf_counter()
        ours = worst_overflow_minimise(instance.events, instance.slots, time_limit=LIMIT, seed=0, workers=2)
        ours_seconds = time.perf_counter() - started
        problems, ours_worst = equity_check(instance, list(ours.assignment)) if ours.assignment else (["none"], None)
        if ours.assignment and ours_worst != ours.worst_overflow:
            problems.append(f"reported {ours.worst_overflow}, checked {ours_worst}")
        cbc_cell = (
            "not run (the issue: no answer in 60 s from 150 × 6 × 25 on)"
            if cbc_status == "not run"
            else f"{cbc_worst if cbc_worst is not None else '—'} ({cbc_status})"
        )
        cbc_time = "—" if cbc_seconds is None else f"{cbc_seconds:.1f} s" + (" (limit)" if cbc_seconds >= LIMIT else "")
        speed = f"{cbc_seconds / ours_seconds:.0f}×" if cbc_seconds and cbc_worst is not None else "—"
        ours_cell = (
            f"{ours_worst} ({'optimal' if ours.optimal else ours.stopped_by})" if ours_worst is not None else "none"
        )
        valid = (
            "yes"
            if not problems and cbc_status in ("valid", "not run", "no solution")
            else "NO: " + "; ".join(problems)
        )
        label = instance.name
        row = f"| {label} | {cbc_cell} | {cbc_time} | {ours_cell} | {ours.bound} | {ours_seconds:.2f} s | {speed} | "
        row += f"{valid} |"
        print(row, flush=True)
        print("   ours phases:", ours.phases, flush=True)
        if not args.no_record:
            record(SECTION, HEADER, row, key=label)


if __name__ == "__main__":
    main()
