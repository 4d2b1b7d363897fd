"""Times the tally of a seeded demo conference from PostgreSQL, end to end, against just reading the
vote rows, and records both and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench .venv/bin/python bench/tally_demo.py \
        --slug demo --repeat 3 [--record]

"Read only" is the fastest read we have of the rows the tally uses (the same packed read the tally
does, into NumPy arrays), and with --orm, for reference, the same rows through the ORM.
"End to end" is what the Celery task does:
read the votes, the candidate talks and the voter classes, digest the inputs, compute, and store the
snapshot with one row per talk. The snapshot is deleted after each run, so the shared database
keeps none from the benchmark (and the next run really computes). Each figure is the median of --repeat runs."""

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

from django.db import connection  # noqa: E402

from apps.ballots import services  # noqa: E402
from apps.ballots.models import TallyRow, TallySnapshot, Vote  # noqa: E402
from apps.ballots.selectors import vote_arrays  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orm", action="store_true", help="also time the ORM read (slow on a million rows)")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conference = Conference.objects.get(slug=args.slug)
    read, full = [], []
    for _ in range(args.repeat):
        seconds, arrays = timed(lambda: vote_arrays(conference=conference))
        read.append(seconds)
        seconds, votes, talks = tally_end_to_end(conference)
        full.append(seconds)
    assert len(arrays[0]) == votes, "the tally must have read every vote row"
    orm = ""
    if args.orm:
        seconds, _ = timed(
            lambda: list(Vote.objects.filter(talk__conference=conference).values_list("user_id", "talk_id", "score"))
        )
        orm = f" (ORM values_list: {seconds:.2f} s)"
    read_s, full_s = statistics.median(read), statistics.median(full)
    voters = len(set(arrays[0].tolist()))
    line = (
        f"| tally {args.slug} | {connection.vendor} | {votes:,} votes, {voters:,} voters, {talks:,} talks | "
        f"{full_s:.2f} s | {read_s:.2f} s{orm} | {full_s / read_s:.2f}× | median of {args.repeat} |"
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
