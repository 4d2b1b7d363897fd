"""Times the public schedule feeds of a seeded demo with a published schedule: a full answer (200) and
a conditional one with the validators that answer carried (304), for schedule.json, schedule.xml,
schedule.ics, one talk's .ics and the API's schedule document. Prints a Markdown table: median and
best of --runs requests, SQL queries and bytes, through Django's test client in this process (no web
server in front). Reads only: run bench/pages_scale.py --prepare (or publish a schedule) first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench DJANGO_ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/feeds_conditional.py --slug demo [--runs 20]"""

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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from apps.scheduling.models import ScheduledTalk  # noqa: E402


def conditional_headers(response) -> dict[str, str]:
    headers = {}
    if response.has_header("ETag"):
        headers["if-none-match"] = response["ETag"]
    if response.has_header("Last-Modified"):
        headers["if-modified-since"] = response["Last-Modified"]
    return headers


def timed(client: Client, url: str, headers: dict[str, str], runs: int) -> tuple[int, list[float], int, int]:
    seconds, status, queries, size = [], 0, 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            seconds.append(time.perf_counter() - started)
        status, queries, size = response.status_code, len(captured), len(response.content)
    return status, seconds, queries, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    talk_id = (
        ScheduledTalk.objects.filter(release__conference__slug=args.slug)
        .order_by("-release__version", "talk_id")
        .values_list("talk_id", flat=True)
        .first()
    )
    urls = [reverse("schedule_export", args=[args.slug, f]) for f in ("schedule.json", "schedule.xml", "schedule.ics")]
    urls.append(reverse("talk_ical", args=[args.slug, talk_id]))
    urls.append(reverse("api-schedule", args=[args.slug]) + "?format=json")
    client = Client()
    print("| feed | answer | median s | best s | queries | bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code)
        for label, headers in (("full", {}), ("conditional", conditional_headers(first))):
            status, seconds, queries, size = timed(client, url, headers, args.runs)
            median, best = statistics.median(seconds), min(seconds)
            print(f"| `{url}` | {label}: {status} | {median:.4f} | {best:.4f} | {queries} | {size:,} |", flush=True)


if __name__ == "__main__":
    main()
