"""Shared fixtures: real services (PostgreSQL, Redis, a Celery worker process) and logged-in clients.

A test that needs a service asks for it through these fixtures. Locally a missing service skips the
test; with CONFVOTE_REQUIRE_SERVICES=1 (set by .ci/run) it fails, so CI can never pass by skipping."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import pools as kombu_pools

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The read-only reference data (schedule schemas, real pretalx exports) beside the repository.
SHARED_DATA = Path(os.environ.get("CONFVOTE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def require_service(name: str, problem: str | None) -> None:
    """Skips (locally) or fails (CI) when a service the test needs is not there."""
    if problem is None:
        return
    message = f"{name} is needed for this test: {problem}"
    if settings.REQUIRE_SERVICES:
        pytest.fail(message + " (CONFVOTE_REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: CI always has it; a clone elsewhere can point CONFVOTE_SHARED_DATA at it."""
    require_service(
        "The reference data in ../shared/data", None if SHARED_DATA.is_dir() else f"{SHARED_DATA} is missing"
    )
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres(db):
    """Marks a test that is only meaningful on PostgreSQL (races, locks, constraint behaviour)."""
    require_service("PostgreSQL", None if connection.vendor == "postgresql" else "DATABASE_URL is not PostgreSQL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database reserved for tests (db 15 unless TEST_REDIS_URL says otherwise)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require_service("Redis", f"cannot reach {url}: {exc}")
    return url


def _database_url() -> str:
    """The URL of the database the tests are using right now (the test database), for subprocesses."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """A real `celery worker` process on Redis, sharing the test database."""

    def __init__(self, broker_url: str, log_path: Path, extra_env: dict | None = None):
        self.broker_url = broker_url
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "confvote.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            **self.extra_env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "confvote",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                "test@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a test can kill all of it at once
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL to the whole worker (main process and pool children): no chance to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def celery_workers(transactional_db, redis_url, tmp_path):
    """A factory of real workers (`celery_workers(extra_env)`); within the test, `.delay()` sends
    tasks to them through Redis. Every worker started is stopped afterwards."""
    from confvote.celery import app

    redis.Redis.from_url(redis_url).flushdb()
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    _drop_celery_connections(app)
    started: list[WorkerProcess] = []

    def start(extra_env: dict | None = None) -> WorkerProcess:
        worker = WorkerProcess(redis_url, tmp_path / f"worker-{len(started)}.log", extra_env)
        worker.start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        app.conf.update(previous)
        _drop_celery_connections(app)


@pytest.fixture
def celery_worker_process(celery_workers):
    """One real worker (see celery_workers)."""
    return celery_workers()


def _drop_celery_connections(app) -> None:
    """Celery and kombu cache broker connections (kombu in process-wide pools keyed by URL); forget them
    all, so a changed broker_url takes effect and a later test never gets a pool closed by an earlier one."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry too; a stale entry would hand the next
    # worker test a pool whose connections were just closed ("Acquire on closed pool").
    kombu_pools.reset()


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.2, worker: WorkerProcess | None = None):
    """Polls until predicate() is truthy; fails with the worker's log if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    detail = f"\n--- worker log ---\n{worker.log()[-4000:]}" if worker else ""
    pytest.fail(f"condition not met within {timeout:.0f}s{detail}")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
