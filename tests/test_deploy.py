"""Production settings refuse unsafe configurations, and docker-compose.yml matches what settings read."""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "confvote.settings.prod",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-tests-only",
    "DJANGO_ALLOWED_HOSTS": "confvote.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "CACHE_", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prod_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_prod_refuses_a_missing_or_weak_secret_key():
    env = {k: v for k, v in GOOD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    assert "DJANGO_SECRET_KEY" in manage("check", **env).stderr
    weak = manage("check", **{**GOOD_ENV, "DJANGO_SECRET_KEY": "short"})
    assert weak.returncode != 0
    assert "at least 50 characters" in weak.stderr


def test_prod_refuses_to_run_without_a_shared_cache():
    env = {k: v for k, v in GOOD_ENV.items() if k != "REDIS_URL"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "shared cache" in result.stderr


def test_compose_file_has_the_full_stack_and_only_variables_settings_read():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= set(services)
    settings_source = "".join(p.read_text() for p in (ROOT / "confvote" / "settings").glob("*.py"))
    read_by_settings = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', settings_source))
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        unknown = set(env) - read_by_settings - {"DJANGO_SETTINGS_MODULE"}
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert env["DJANGO_SETTINGS_MODULE"] == "confvote.settings.prod"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert "redis:6379" in env["REDIS_URL"] and "redis:6379" in env["CELERY_BROKER_URL"]
        assert "mailpit:1025" in env["EMAIL_URL"]
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "granian --interface wsgi" in services["web"]["command"]
    assert "celery -A confvote worker" in services["worker"]["command"]
    assert "celery -A confvote beat" in services["beat"]["command"]
    # The postgres service's credentials are the ones the app connects with.
    pg = services["postgres"]["environment"]
    assert (
        f"{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}@postgres:5432/{pg['POSTGRES_DB']}"
        in (services["web"]["environment"]["DATABASE_URL"])
    )


def _web_commands() -> dict[str, list[str]]:
    """The web server command of docker-compose.yml (after its migrate) and of the Dockerfile's CMD."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    shell = shlex.split(compose["services"]["web"]["command"])[2]  # sh -c "<migrate> && <server>"
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", "")
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, flags=re.M)
    return {"compose": shlex.split(shell.split("&&")[-1]), "dockerfile": json.loads(cmd)}


@pytest.mark.parametrize("source", ["compose", "dockerfile"])
def test_the_deployed_web_command_serves_the_app_with_its_security_headers(source, tmp_path):
    """The exact server command the images run (flags and all), on a free loopback port, answers."""
    command = _web_commands()[source]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / command[0]), *command[1:]]
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))},
        **GOOD_ENV,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    output: list[str] = []  # read all along, so the pipe never fills and the failure message can show it
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)
    reader.start()
    workers = int(command[command.index("--workers") + 1])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    break
            except OSError:
                assert server.poll() is None, "".join(output)
                assert time.monotonic() < deadline, "the server did not answer within 30 s"
                time.sleep(0.2)
        assert answer.status == 200
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src" in answer.headers["Content-Security-Policy"]
        # granian 2.8.9 never stops a worker that is still booting when SIGTERM arrives (seen here about
        # one start in eight: the first worker answers while the second imports the app), so the stop
        # below is asked for once every worker has started, as it is in a running deployment.
        while sum("Started worker" in line for line in output) < workers:
            assert time.monotonic() < deadline, "not every worker started within 30 s:\n" + "".join(output)
            time.sleep(0.1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its workers too
            server.wait()
            pytest.fail("the server did not stop within 30 s of SIGTERM:\n" + "".join(output))
