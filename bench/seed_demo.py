"""Times `seed_demo` at a scale against the configured database and records the figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench .venv/bin/python bench/seed_demo.py --scale medium

The database is migrated and the demo rebuilt (--reset); the result goes into docs/benchmarks.md."""

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.record import record  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--reset", "--scale", args.scale, "--seed", str(args.seed), "--no-progress")
    seconds = time.perf_counter() - started
    from apps.ballots.models import Vote

    votes = Vote.objects.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (
        f"| seed_demo --scale {args.scale} | {connection.vendor} | {votes:,} votes | {seconds:.1f} s | "
        f"{votes / seconds:,.0f} votes/s | peak RSS {peak_mb:,.0f} MB |"
    )
    print(line)
    record(
        "Demo data (seed_demo)",
        "| run | database | size | wall time | rate | memory |",
        line,
        key=f"seed_demo --scale {args.scale} | {connection.vendor}",
    )
    print(f"python {platform.python_version()}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
