"""Times the tally of a seeded demo conference from PostgreSQL, end to end, against just reading the
vote rows, and records both and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench .venv/bin/python bench/tally_demo.py \
        --slug demo --repeat 3 [--record]

"Read only" is the fastest read we have of the rows the tally uses (the same packed read the tally
does, into NumPy arrays), and with --orm, for reference, the same rows through the ORM.
"End to end" is what the Celery task does:
read the votes, the candidate talks and the voter classes, digest the inputs, compute, and store the
snapshot with one row per talk. The snapshot is deleted after each run, so the shared database
keeps none from the benchmark (and the next run really computes). Each figure is the median of --repeat runs.
With --steps, each step of the tally is also timed on its own (the same calls the service makes, one
after the other), to show where the time beyond the read goes."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from apps.ballots import services  # noqa: E402
from apps.ballots.domain.tally import tally_compute, tally_input_digest  # noqa: E402
from apps.ballots.models import TallyRow, TallySnapshot, Vote  # noqa: E402
from apps.ballots.selectors import tally_input, vote_arrays  # noqa: E402
from apps.ballots.services.tallies import tally_snapshot_store  # noqa: E402
from apps.talks.models import Conference  # noqa: E402
from bench.record import record  # noqa: E402


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def tally_end_to_end(conference) -> tuple[float, int, int]:
    """Seconds for one tally as the Celery task runs it; the snapshot is deleted afterwards, so the
    next run computes again (a snapshot of the same inputs would otherwise be found and reused)."""
    before = set(TallySnapshot.objects.filter(conference=conference).values_list("pk", flat=True))
    started = time.perf_counter()
    snapshot = services.tally_snapshot_compute(conference=conference)
    seconds = time.perf_counter() - started
    assert snapshot.pk not in before, "an existing snapshot was reused: nothing was computed"
    counts = snapshot.vote_count, TallyRow.objects.filter(snapshot=snapshot).count()
    snapshot.delete()
    return seconds, *counts


def tally_steps(conference) -> dict[str, float]:
    """Seconds per step of one tally, each step timed on its own: what the service does, in order."""
    seconds = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name], started = now - started, now

    policy = services.weight_policy_ensure(conference=conference)
    data = tally_input(conference=conference, policy=policy)
    lap("read votes, classes, talks")
    digest = tally_input_digest(data, policy_version=policy.version)
    lap("digest")
    TallySnapshot.objects.filter(conference=conference, policy=policy, input_digest=digest).exists()
    lap("look for the snapshot")
    result = tally_compute(data)
    lap("compute")
    with transaction.atomic():  # the service's own transaction becomes a savepoint: the commit is timed apart
        snapshot = tally_snapshot_store(conference=conference, policy=policy, digest=digest, result=result)
        lap("store snapshot and rows")
    lap("commit")
    snapshot.delete()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orm", action="store_true", help="also time the ORM read (slow on a million rows)")
    parser.add_argument("--steps", action="store_true", help="also time each step of the tally on its own")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conference = Conference.objects.get(slug=args.slug)
    read, full, steps = [], [], []
    for _ in range(args.repeat):
        seconds, arrays = timed(lambda: vote_arrays(conference=conference))
        read.append(seconds)
        seconds, votes, talks = tally_end_to_end(conference)
        full.append(seconds)
        if args.steps:
            steps.append(tally_steps(conference))
    assert len(arrays[0]) == votes, "the tally must have read every vote row"
    orm = ""
    if args.orm:
        seconds, _ = timed(
            lambda: list(Vote.objects.filter(talk__conference=conference).values_list("user_id", "talk_id", "score"))
        )
        orm = f" (ORM values_list: {seconds:.2f} s)"
    read_s, full_s = statistics.median(read), statistics.median(full)
    runs = f"median of {args.repeat}"
    if steps:  # statistics.median of a generator needs a list
        medians = {name: statistics.median([s[name] for s in steps]) for name in steps[0]}
        runs += "; steps timed apart: " + ", ".join(f"{name} {ms * 1000:.0f} ms" for name, ms in medians.items())
    voters = len(set(arrays[0].tolist()))
    line = (
        f"| tally {args.slug} | {connection.vendor} | {votes:,} votes, {voters:,} voters, {talks:,} talks | "
        f"{full_s:.2f} s | {read_s:.2f} s{orm} | {full_s / read_s:.2f}× | {runs} |"
    )
    print(line)
    print("end to end runs:", ", ".join(f"{s:.2f}" for s in full), "· read runs:", ", ".join(f"{s:.2f}" for s in read))
    if args.record:
        record(
            "Tally (issue 4: ≤ 3 s end to end, ≤ 2× reading the vote rows)",
            "| run | database | size | tally end to end | read vote rows only | ratio | runs |",
            line,
            key=f"tally {args.slug} | {connection.vendor}",
        )


if __name__ == "__main__":
    main()
