"""Mixed load against granian (or gunicorn) + PostgreSQL (+ Redis cache): voters, browsers and exporters, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_load_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/load_mixed.py --users 300 --ramp 60 --steady 600 [--record]

The server is granian (--workers processes × --threads threads, keep-alive: every user keeps one
connection open, as a browser tab does); --server gunicorn runs gunicorn's 8 sync workers instead, a
new connection per request.

A spike from 0 to --users simulated users in --ramp seconds, then --steady seconds at that number.
Users are 60% voters (cast or change a vote, the HTMX way), 30% browsers (home, conference page, the
voting page, the talk list in the API) and 10% exporters (schedule.json, schedule.xml, schedule.ics of
a published conference). Each user waits for its answer and goes again (closed loop), so the server
sets the pace. Afterwards: every acknowledged vote must be in the database with the acknowledged score,
and the published tally must equal the recount from its anonymised ballots (verify_tally). Figures per
endpoint go to docs/benchmarks.md with --record. Request loops are bounded by the deadline."""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

from bench.votes_load import (  # noqa: I001  (sets up Django first)
    BENCH_SECRET_KEY,
    SLUG,
    Connection,
    http,
    prepare,
    server_arguments,
    server_command,
    server_defaults,
    server_described,
    server_start,
)
from django.db import connection

from apps.ballots.domain.verify import tally_verify
from apps.ballots.models import AnonymisedBallotsDocument, Vote
from apps.ballots.services.blocs import tally_publish_with_blocs
from apps.scheduling.models import Room
from apps.scheduling.services import Placement, release_publish
from apps.talks.models import Conference, Talk
from bench.record import record

EXPORT_SLUG = "exportbench"


def export_conference() -> None:
    """A small published conference for the exporters (made once)."""
    if Conference.objects.filter(slug=EXPORT_SLUG).exists():
        return
    conference = Conference.objects.create(
        slug=EXPORT_SLUG,
        name="Export benchmark",
        start_date=dt.date(2027, 6, 1),
        end_date=dt.date(2027, 6, 2),
        status="voting",
    )
    rooms = [Room.objects.create(conference=conference, name=f"Room {i}", capacity=100 * (i + 1)) for i in range(4)]
    talks = Talk.objects.bulk_create(Talk(conference=conference, title=f"Exported talk {i}") for i in range(40))
    start = dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC)
    placements = [
        Placement(
            t.pk, rooms[i % 4].pk, start + dt.timedelta(hours=i // 4), start + dt.timedelta(hours=i // 4, minutes=45)
        )
        for i, t in enumerate(talks)
    ]
    release_publish(conference=conference, placements=placements, changelog="benchmark")


async def run(*, port: int, users, talk_ids, ramp: float, steady: float, keep: bool) -> tuple[dict, dict]:
    """With `keep`, every user keeps one connection open between requests, as a browser tab does."""
    stats: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    scores: dict[tuple[int, int], int] = {}
    rng = random.Random(7)
    deadline = time.perf_counter() + ramp + steady

    async def call(name, method, path, headers, body=b"", *, tab: Connection):
        started = time.perf_counter()
        status = await http(method, path, port=port, headers=headers, body=body, connection=tab)
        stats[name].append(time.perf_counter() - started)
        statuses[name][status] += 1
        return status

    async def user(index: int, user_id: int, session_key: str) -> None:
        await asyncio.sleep(ramp * index / len(users))  # the spike: users arrive over the ramp
        csrf = secrets.token_hex(16)
        headers = {"Cookie": f"sessionid={session_key}; csrftoken={csrf}"}
        kind = "voter" if index % 10 < 6 else "browser" if index % 10 < 9 else "exporter"
        tab = Connection(port, keep=keep)
        while time.perf_counter() < deadline:
            if kind == "voter":
                talk = rng.choice(talk_ids)
                score = rng.choice([s for s in range(4) if s != scores.get((user_id, talk))])
                body = f"score={score}&csrfmiddlewaretoken={csrf}".encode()
                if (
                    await call(
                        "POST vote", "POST", f"/c/{SLUG}/vote/{talk}/", {**headers, "HX-Request": "true"}, body, tab=tab
                    )
                    == 200
                ):
                    scores[(user_id, talk)] = score
            elif kind == "browser":
                name, path = rng.choice(
                    [
                        ("GET home", "/"),
                        ("GET conference", f"/c/{SLUG}/"),
                        ("GET voting page", f"/c/{SLUG}/vote/"),
                        ("GET API talks", f"/api/v1/conferences/{SLUG}/talks/"),
                    ]
                )
                await call(name, "GET", path, headers, tab=tab)
            else:
                fmt = rng.choice(["schedule.json", "schedule.xml", "schedule.ics"])
                await call(f"GET {fmt}", "GET", f"/c/{EXPORT_SLUG}/{fmt}", {}, tab=tab)
        tab.close()

    started = time.perf_counter()
    await asyncio.gather(*(user(i, u, s) for i, (u, s) in enumerate(users)))
    elapsed = time.perf_counter() - started
    report = {}

    def quantile(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] * 1000

    for name, latencies in sorted(stats.items()):
        latencies.sort()
        ok = sum(n for s, n in statuses[name].items() if s < 400)
        report[name] = {
            "requests": len(latencies),
            "rate": len(latencies) / elapsed,
            "p50": statistics.median(latencies) * 1000,
            "p95": quantile(latencies, 0.95),
            "p99": quantile(latencies, 0.99),
            "errors": len(latencies) - ok,
            "statuses": dict(statuses[name]),
        }
    return report, scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--talks", type=int, default=120)
    parser.add_argument("--ramp", type=float, default=60)
    parser.add_argument("--steady", type=float, default=600)
    parser.add_argument("--port", type=int, default=8766)
    server_arguments(parser)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    server_defaults(args)
    conference, talk_ids, users = prepare(voters=args.users, talks=args.talks)
    Conference.objects.filter(pk=conference.pk).update(status="voting")
    export_conference()
    connection.close()
    # Production settings serve hashed static files from the collectstatic manifest, as a deployment would.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "confvote.settings.prod",
            "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        },
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    command = server_command(server=args.server, port=args.port, workers=args.workers, threads=args.threads)
    server = server_start(command, port=args.port)
    try:
        report, scores = asyncio.run(
            run(
                port=args.port,
                users=users,
                talk_ids=talk_ids,
                ramp=args.ramp,
                steady=args.steady,
                keep=args.keep,
            )
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stored = {
        (u, t): s
        for u, t, s in Vote.objects.filter(talk__conference=conference).values_list("user_id", "talk_id", "score")
    }
    lost = sum(1 for key, score in scores.items() if stored.get(key) != score)
    Conference.objects.filter(pk=conference.pk).update(status="closed")
    conference.refresh_from_db()
    tally_publish_with_blocs(conference=conference)
    # The document publishing stored, as the public endpoint serves it (built in the publication's transaction).
    published = json.loads(bytes(AnonymisedBallotsDocument.objects.get(conference=conference).content))
    checked, differences = tally_verify(published)
    _, server_setup = server_described(server=args.server, workers=args.workers, threads=args.threads)
    setup = (
        f"{args.users} users (60% voters, 30% browsers, 10% exporters), 0→{args.users} in {args.ramp:.0f} s, "
        f"{args.steady:.0f} s steady, {server_setup}"
    )
    for name, r in report.items():
        codes = dict(sorted(r["statuses"].items()))
        line = (
            f"| {name} | {setup} | {r['rate']:,.1f} req/s ({r['requests']:,}) | p50 {r['p50']:.0f} ms, "
            f"p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms | {r['errors']} errors {codes} |"
        )
        print(line)
        if args.record:
            record(
                "Mixed load (issue 8: spike to 300 users, 10 minutes steady)",
                "| endpoint | setup | throughput | latency | errors |",
                line,
                key=name,
            )
    summary = (
        f"| after the run | {setup} | {len(scores):,} acknowledged (voter, talk) votes | lost: {lost} | "
        f"tally vs verify_tally recount: {'equal' if not differences else f'{len(differences)} differences'} "
        f"({checked} talks) |"
    )
    print(summary)
    if args.record:
        record(
            "Mixed load (issue 8: spike to 300 users, 10 minutes steady)",
            "| endpoint | setup | throughput | latency | errors |",
            summary,
            key="after the run",
        )


if __name__ == "__main__":
    main()
