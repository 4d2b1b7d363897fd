"""Vote casting under load: simulated voters against granian (or gunicorn) + PostgreSQL on 127.0.0.1, and
the same client against a bare Django view for the ratio. Records the figures in docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_votes_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/votes_load.py [--rate 600 --seconds 60 --voters 200] [--server gunicorn] [--record]

It migrates that database (never the shared demo), creates a conference with --talks talks and
--voters voters with signed-in sessions, and starts the web server with the production settings (TLS
redirect off, loopback only): granian with 2 workers × 4 threads, as the Dockerfile runs it, or with
--server gunicorn 8 sync workers with --preload. Every request casts or changes a vote on a random
talk, the HTMX way, always to a score different from the current one, so every request is a real
change. After a 3 s warm-up it measures three phases:

- capacity: every voter votes again as soon as the last vote is answered (a closed loop);
- bare view: the same client and voters on /healthz (one `SELECT 1`), for the ratio the issue asks;
- sustained: the voters together offer --rate votes/s at random (Poisson) moments for --seconds,
  the way people voting after a reminder email arrive; latency counts from the moment each vote was
  due, so a voter held up by a slow answer is not hidden. This is the issue's target: at least 600
  votes/s with p95 under 100 ms. (A closed loop of 200 voters cannot show it: by Little's law its
  latency is 200 / throughput, i.e. 333 ms at 600 votes/s, whatever the server does.)

Afterwards it checks that every acknowledged vote is in the database: one history event per 200
answer, and the Vote rows equal to the scores the voters were told were saved. The load generator
runs on the same 2 cores; its own CPU use is part of the figure.

On granian every voter keeps one connection open, as a browser tab does. On gunicorn, --threads N
runs gthread workers (N threads each) with keep-alive instead of sync workers (measured in session 4
and again in session 13: no better than sync workers here, see docs/voting.md). Each server and kind
of worker gets rows of its own; --seconds 300 or more gets its own row too (the 10-minute steady run
of issue 8)."""

import argparse
import asyncio
import os
import random
import secrets
import signal
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

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.attendance.models import User  # noqa: E402
from apps.ballots.models import Vote, VoteEvent  # noqa: E402
from apps.talks.models import Conference, Speaker, Talk  # noqa: E402
from bench.cpu import CpuMeter, per_request  # noqa: E402
from bench.record import record  # noqa: E402
from confvote.sessions import SessionStore  # noqa: E402

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
    # Every talk has a speaker with an email, as at a real conference: the write path's "not one of
    # the voter's own talks" then has speakers to look through (none of them is a voter here).
    unspoken = list(Talk.objects.filter(pk__in=talk_ids, speakers=None))
    speakers = Speaker.objects.bulk_create(
        [Speaker(conference=conference, name=f"Speaker {t.pk}", email=f"speaker{t.pk}@talks.example") for t in unspoken]
    )
    Talk.speakers.through.objects.bulk_create(
        [Talk.speakers.through(talk=t, speaker=s) for t, s in zip(unspoken, speakers, strict=True)]
    )
    users = []
    for i in range(voters):
        user, _ = User.objects.get_or_create(email=f"voter{i}@votebench.example")
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        users.append((user.pk, session.session_key))
    return conference, talk_ids, users


class Connection:
    """A voter's browser tab: with `keep`, one HTTP/1.1 connection reused for every request (what a
    browser does with a server that keeps connections open); without, a fresh one per request."""

    def __init__(self, port: int, *, keep: bool) -> None:
        self.port = port
        self.keep = keep
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(HOST, self.port)
        return self.streams

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def http(
    method: str, path: str, *, port: int, headers: dict, body: bytes = b"", connection: Connection | None = None
) -> int:
    """One request: on `connection` if given (kept open when it keeps connections), otherwise on a
    fresh connection that is closed after the answer (gunicorn's sync workers close it anyway)."""
    connection = connection or Connection(port, keep=False)
    reader, writer = await connection.open()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [] if connection.keep else ["Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        connection.close()
        return 599
    length, server_closes = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        if name.strip().lower() == b"connection" and value.strip().lower() == b"close":
            server_closes = True
    await reader.readexactly(length)
    # Without keep-alive, close at once, as a browser that got the whole answer would: gunicorn
    # waits for our side of the close before its worker takes the next request.
    if server_closes or not connection.keep:
        connection.close()
    return int(head.split(b" ", 2)[1])


class Load:
    """What the simulated voters sent and what came back; `scores` is every ballot as the server
    acknowledged it (the persistence check compares it with the database afterwards)."""

    def __init__(self) -> None:
        self.scores: dict[tuple[int, int], int] = {}
        self.reset()

    def reset(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.elapsed = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies)

        def pct(q: float) -> float:
            return lat[min(int(q * len(lat)), len(lat) - 1)] * 1000 if lat else float("nan")

        return {
            "requests": len(lat),
            "ok": self.statuses.get(200, 0),
            "rate": len(lat) / self.elapsed if self.elapsed else 0.0,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "statuses": dict(sorted(self.statuses.items())),
        }


async def run_load(
    load: Load,
    *,
    port: int,
    seconds: float,
    voters,
    talk_ids,
    vote: bool,
    slug: str,
    keep: bool,
    rate: float | None = None,
) -> dict:
    """`voters` simulated voters for `seconds`. Without `rate` each sends its next request as soon as
    the last one is answered (the capacity); with `rate` (requests/s over all voters) each sends at
    random (Poisson) moments, and a request's latency counts from the moment it was due, so a slow
    answer that delays the voter's next vote is not hidden (no coordinated omission)."""
    load.reset()
    rng = random.Random(1)
    started = time.perf_counter()
    deadline = started + seconds

    async def voter(user_id: int, session_key: str) -> None:
        csrf = secrets.token_hex(16)
        tab = Connection(port, keep=keep)
        headers = {"Cookie": f"sessionid={session_key}; csrftoken={csrf}", "HX-Request": "true"}
        due = time.perf_counter() + (rng.expovariate(rate / len(voters)) if rate else 0)
        while due < deadline:
            if rate:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            else:
                due = time.perf_counter()
            if vote:
                talk = rng.choice(talk_ids)
                current = load.scores.get((user_id, talk))
                score = rng.choice([s for s in range(4) if s != current])
                body = f"score={score}&csrfmiddlewaretoken={csrf}".encode()
                status = await http(
                    "POST", f"/c/{slug}/vote/{talk}/", port=port, headers=headers, body=body, connection=tab
                )
                if status == 200:
                    load.scores[(user_id, talk)] = score
            else:
                status = await http("GET", "/healthz", port=port, headers={}, connection=tab)
            load.latencies.append(time.perf_counter() - due)
            load.statuses[status] = load.statuses.get(status, 0) + 1
            if rate:
                due += rng.expovariate(rate / len(voters))
        tab.close()

    await asyncio.gather(*(voter(u, s) for u, s in voters))
    load.elapsed = time.perf_counter() - started
    return load.summary()


def server_command(*, server: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn: sync workers (one request at a time, connection closed after it) when `threads` is
    0, otherwise gthread workers with that many threads each, keeping connections open between
    requests (75 s: longer than any pause of a simulated voter). granian: `workers` processes, each
    running the WSGI app in `threads` threads behind its Rust HTTP server, which keeps connections
    open (HTTP/1.1 keep-alive, as browsers use it)."""
    if server == "granian":
        return [
            str(ROOT / ".venv/bin/granian"),
            "--interface=wsgi",
            f"--host={HOST}",
            f"--port={port}",
            f"--workers={workers}",
            f"--blocking-threads={max(threads, 1)}",
            "--no-ws",
            "--backlog=2048",
            "--log-level=warning",
            "confvote.wsgi:application",
        ]
    workers_class = ["--worker-class=sync"]
    if threads:
        workers_class = ["--worker-class=gthread", f"--threads={threads}", "--keep-alive=75"]
    return [
        str(ROOT / ".venv/bin/gunicorn"),
        "confvote.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        *workers_class,
        "--preload",  # import the app once in the master: workers start at once, sharing its memory
        "--backlog=2048",
        "--log-level=warning",
    ]


def server_start(command: list[str], *, port: int) -> subprocess.Popen:
    """The server with the production settings (TLS redirect off, loopback only), once it answers."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "confvote.settings.prod",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if asyncio.run(http("GET", "/healthz", port=port, headers={})) == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise SystemExit(f"{Path(command[0]).name} did not start")


def server_arguments(parser: argparse.ArgumentParser) -> None:
    """--server, --workers and --threads, shared with bench/load_mixed.py; read with server_defaults."""
    parser.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default="granian",
        help="granian (production's): a Rust HTTP server running the WSGI app in --threads threads per "
        "worker, keep-alive; gunicorn: for the comparison",
    )
    parser.add_argument("--workers", type=int, help="default: 2 on granian, 8 on gunicorn")
    parser.add_argument(
        "--threads",
        type=int,
        help="granian: threads per worker (default 4); gunicorn: 0 (default) for sync workers, a new "
        "connection per request, N for gthread workers with N threads each and keep-alive, every voter "
        "keeping one connection open like a browser tab",
    )


def server_defaults(args) -> None:
    """--workers and --threads as measured best for each server on 2 cores (docs/voting.md), and
    `args.keep`: whether the server keeps connections open, so the simulated users keep theirs."""
    granian = args.server == "granian"
    args.workers = args.workers if args.workers is not None else 2 if granian else 8
    args.threads = args.threads if args.threads is not None else 4 if granian else 0
    args.keep = granian or bool(args.threads)


def server_described(*, server: str, workers: int, threads: int) -> tuple[str, str]:
    """(what the run's key says, what its setup column says) for the docs/benchmarks.md row."""
    if server == "granian":
        return ", granian", f"granian {workers} workers × {max(threads, 1)} threads, keep-alive"
    if threads:
        return ", gthread keep-alive", f"gunicorn {workers} gthread workers × {threads} threads, keep-alive (--preload)"
    return "", f"gunicorn {workers} sync workers (--preload)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--talks", type=int, default=120)
    parser.add_argument("--rate", type=float, default=600, help="the sustained phase's target, votes/s")
    parser.add_argument("--seconds", type=float, default=60, help="length of the sustained phase")
    parser.add_argument("--capacity-seconds", type=float, default=20)
    server_arguments(parser)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    server_defaults(args)
    conference, talk_ids, voters = prepare(voters=args.voters, talks=args.talks)
    connection.close()
    command = server_command(server=args.server, port=args.port, workers=args.workers, threads=args.threads)
    server = server_start(command, port=args.port)
    load = Load()
    common = {"port": args.port, "voters": voters, "talk_ids": talk_ids, "slug": SLUG, "keep": args.keep}
    try:
        asyncio.run(run_load(load, seconds=3, vote=True, **common))  # warm-up: connections, caches
        events_before = VoteEvent.objects.filter(talk__conference=conference).count()
        connection.close()
        meter = CpuMeter(server_pid=server.pid, database=settings.DATABASES["default"]["NAME"])
        before = meter.reading()
        capacity = asyncio.run(run_load(load, seconds=args.capacity_seconds, vote=True, **common))
        print("capacity:", capacity, "\n ", per_request(meter.since(before), capacity["requests"]), flush=True)
        before = meter.reading()
        bare = asyncio.run(run_load(load, seconds=args.capacity_seconds, vote=False, **common))
        print("bare view:", bare, "\n ", per_request(meter.since(before), bare["requests"]), flush=True)
        sustained = asyncio.run(run_load(load, seconds=args.seconds, vote=True, rate=args.rate, **common))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ok = capacity["ok"] + sustained["ok"]
    events = VoteEvent.objects.filter(talk__conference=conference).count() - events_before
    rows = Vote.objects.filter(talk__conference=conference).values_list("user_id", "talk_id", "score")
    persisted = events == ok and {(u, t): s for u, t, s in rows} == load.scores
    errors = sustained["requests"] - sustained["ok"] + capacity["requests"] - capacity["ok"]
    # One row per rate and server; longer runs get rows of their own.
    run_kind, setup = server_described(server=args.server, workers=args.workers, threads=args.threads)
    run = f"cast votes (HTMX POST), {args.rate:.0f}/s offered"
    run += f" for {args.seconds / 60:.0f} min" if args.seconds >= 300 else ""
    run += run_kind
    line = (
        f"| {run} | {args.voters} voters, {args.talks} talks, {setup}, "
        f"PostgreSQL, Redis sessions | {args.rate:.0f} votes/s offered for {args.seconds:.0f} s: "
        f"{sustained['rate']:,.0f} votes/s answered, p50 {sustained['p50']:.0f} ms, p95 {sustained['p95']:.0f} ms, "
        f"p99 {sustained['p99']:.0f} ms | {capacity['rate']:,.0f} votes/s (p95 {capacity['p95']:.0f} ms) | "
        f"{bare['rate']:,.0f} req/s; votes at {capacity['rate'] / bare['rate']:.2f}× | "
        f"{errors} errors {sustained['statuses']} | {'all' if persisted else 'NOT all'} {ok:,} acknowledged votes "
        f"in the database ({events:,} history events) |"
    )
    print(line)
    if args.record:
        record(
            "Vote casting (issue 4: ≥ 600 votes/s sustained, p95 < 100 ms, 200 voters, 0 errors, all persisted)",
            "| run | setup | sustained (open loop) | capacity (closed loop) | bare Django view, same client | "
            "errors | persisted |",
            line,
            key=run,
        )


if __name__ == "__main__":
    main()
