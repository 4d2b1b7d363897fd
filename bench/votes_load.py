"""Vote casting under load: simulated voters against gunicorn + PostgreSQL on 127.0.0.1, and the same
client against a bare Django view for the ratio. Records the figures in docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_votes_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/votes_load.py --voters 200 --seconds 30 --workers 4 [--record]

It migrates that database (never the shared demo), creates a conference with --talks talks and
--voters voters with logged-in sessions, starts gunicorn with the production settings (TLS
redirect off, loopback only), and runs --voters concurrent simulated voters for --seconds: each
casts or changes a vote on a random talk (always a score different from its current one, so every
request is a real change), the HTMX way, waits for the answer and goes again. Afterwards it checks
that every answered vote is in the database (one history event per 200 answer, and the Vote rows
equal to the voters' last scores). The bare view is /healthz (one `SELECT 1`), with the same client.
The load generator runs on the same 2 cores; its own CPU use is part of the figure."""

import argparse
import asyncio
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")
# Sessions made here must verify in gunicorn: both sides use this key (bench only, never deployed).
BENCH_SECRET_KEY = "bench-only-" + "x" * 60
os.environ["DJANGO_SECRET_KEY"] = BENCH_SECRET_KEY

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.attendance.models import User  # noqa: E402
from apps.ballots.models import Vote, VoteEvent  # noqa: E402
from apps.talks.models import Conference, Talk  # noqa: E402
from bench.record import record  # noqa: E402

HOST = "127.0.0.1"
SLUG = "votebench"


def prepare(*, voters: int, talks: int) -> tuple[Conference, list[int], list[tuple[int, str]]]:
    """The conference, its talk ids, and (user id, session key) per voter. Old bench votes are removed."""
    assert settings.DATABASES["default"]["NAME"] != "confvote_bench", "use your own database, not the shared demo"
    call_command("migrate", verbosity=0)
    conference, _ = Conference.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Vote benchmark", "start_date": "2027-06-01", "end_date": "2027-06-03", "status": "voting"},
    )
    Vote.objects.filter(talk__conference=conference).delete()
    VoteEvent.objects.filter(talk__conference=conference).delete()
    existing = conference.talks.count()
    Talk.objects.bulk_create(
        [Talk(conference=conference, title=f"Bench talk {i}", abstract="…") for i in range(existing, talks)]
    )
    talk_ids = list(conference.talks.values_list("pk", flat=True)[:talks])
    users = []
    for i in range(voters):
        user, _ = User.objects.get_or_create(email=f"voter{i}@votebench.example")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        users.append((user.pk, session.session_key))
    return conference, talk_ids, users


async def http(method: str, path: str, *, port: int, headers: dict, body: bytes = b"") -> int:
    """One request on a fresh connection (gunicorn's sync workers close it after each answer)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()  # the rest, until the server closes
    writer.close()
    return int(status_line.split()[1]) if status_line else 599


async def run_load(*, port: int, seconds: float, voters, talk_ids, vote: bool, slug: str) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    scores: dict[tuple[int, int], int] = {}
    deadline = time.perf_counter() + seconds
    rng = random.Random(1)

    async def voter(user_id: int, session_key: str) -> None:
        csrf = secrets.token_hex(16)
        headers = {"Cookie": f"sessionid={session_key}; csrftoken={csrf}", "HX-Request": "true"}
        while time.perf_counter() < deadline:
            if vote:
                talk = rng.choice(talk_ids)
                current = scores.get((user_id, talk))
                score = rng.choice([s for s in range(4) if s != current])
                body = f"score={score}&csrfmiddlewaretoken={csrf}".encode()
                path = f"/c/{slug}/vote/{talk}/"
                started = time.perf_counter()
                status = await http("POST", path, port=port, headers=headers, body=body)
                if status == 200:
                    scores[(user_id, talk)] = score
            else:
                started = time.perf_counter()
                status = await http("GET", "/healthz", port=port, headers={})
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(voter(u, s) for u, s in voters))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "statuses": statuses,
        "scores": scores,
    }


def gunicorn(*, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "confvote.settings.prod",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "confvote.wsgi",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            "--backlog=2048",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            if asyncio.run(http("GET", "/healthz", port=port, headers={})) == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--talks", type=int, default=120)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conference, talk_ids, voters = prepare(voters=args.voters, talks=args.talks)
    events_before = VoteEvent.objects.filter(talk__conference=conference).count()
    connection.close()
    server = gunicorn(port=args.port, workers=args.workers)
    try:
        votes = asyncio.run(
            run_load(port=args.port, seconds=args.seconds, voters=voters, talk_ids=talk_ids, vote=True, slug=SLUG)
        )
        bare = asyncio.run(
            run_load(port=args.port, seconds=args.seconds / 3, voters=voters, talk_ids=talk_ids, vote=False, slug=SLUG)
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ok = votes["statuses"].get(200, 0)
    errors = votes["requests"] - ok
    events = VoteEvent.objects.filter(talk__conference=conference).count() - events_before
    rows = Vote.objects.filter(talk__conference=conference).values_list("user_id", "talk_id", "score")
    stored = {(u, t): s for u, t, s in rows}
    persisted = events == ok and stored == votes["scores"]
    line = (
        f"| cast votes (HTMX POST) | {args.voters} voters, {args.talks} talks, {args.workers} gunicorn workers, "
        f"{args.seconds:.0f} s | {votes['rate']:,.0f} votes/s | p50 {votes['p50']:.0f} ms, p95 {votes['p95']:.0f} ms | "
        f"{errors} errors {dict(sorted(votes['statuses'].items()))} | "
        f"{'all' if persisted else 'NOT all'} {ok:,} persisted ({events:,} events) | "
        f"bare view {bare['rate']:,.0f} req/s (p95 {bare['p95']:.0f} ms), ratio {votes['rate'] / bare['rate']:.2f} |"
    )
    print(line)
    if args.record:
        record(
            "Vote casting (issue 4: ≥ 600 votes/s, p95 < 100 ms, 200 voters, 0 errors, all persisted)",
            "| run | setup | throughput | latency | errors | persisted | bare Django view |",
            line,
            key="cast votes (HTMX POST)",
        )


if __name__ == "__main__":
    main()
