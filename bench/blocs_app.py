"""Bloc detection through the app's own path, as the Celery task runs it: the selector
(apps/ballots/selectors/blocs.py, Django ORM and the packed vote query on PostgreSQL) builds the input,
then detection and the discounts.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench
    .venv/bin/python bench/blocs_app.py [--slug demo] [--record]
    .venv/bin/python bench/blocs_app.py --rule '{"lone_votes": "isolated"}' --blocs  # another rule, every bloc

`bench/blocs_postgres.py` measures the same work in plain SQL without Django; this script says what an
organizer waits for. Read-only: nothing is written to the database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect  # noqa: E402
from apps.ballots.domain.blocs_input import BlocRule  # noqa: E402
from apps.ballots.selectors.blocs import bloc_input  # noqa: E402
from apps.ballots.selectors.policies import weight_policy_current  # noqa: E402
from apps.talks.models import Conference  # noqa: E402
from bench.record import record  # noqa: E402

SECTION = "Bloc detection from PostgreSQL (bench/blocs_postgres.py)"
HEADER = "| run | votes | result | steps | total | memory |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON (default: today's default rule)")
    parser.add_argument("--blocs", action="store_true", help="print every bloc: talk, way, members, evidence")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    if args.record and rule != BlocRule():
        parser.error("--record measures the default rule only")
    conference = Conference.objects.get(slug=args.slug)
    policy = weight_policy_current(conference=conference)
    started = time.perf_counter()
    data = bloc_input(conference=conference, policy=policy)
    built = time.perf_counter()
    # Today's default unless --rule says otherwise, as bench/blocs_postgres.py (the demo's stored policy may be older).
    report = blocs_detect(data, rule)
    discounts = bloc_discounts(report.blocs, rule)
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (
        f"| the app's selector, then detection ({args.slug}, {connection.vendor}) | {len(data.vote_at):,} | "
        f"{len(report.blocs)} blocs, {int((discounts.multipliers < 1).sum()):,} votes discounted | "
        f"selector {built - started:.1f} s, detect and discount {done - built:.1f} s | {done - started:.1f} s | "
        f"peak RSS {peak_mb:,.0f} MB |"
    )
    if args.blocs:
        for bloc in report.blocs:
            print(f"talk {bloc.talk_id} {bloc.direction}, {bloc.size} members, signals {', '.join(bloc.signals)}")
            for evidence in bloc.evidence:
                print("   ", evidence.sentence)
    print(HEADER)
    print(line)
    if args.record:
        record(SECTION, HEADER, line, key=line.split(" | ")[0][2:])


if __name__ == "__main__":
    main()
