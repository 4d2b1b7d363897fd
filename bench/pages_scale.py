"""Crawls every organizer, integrator and attendee screen of a seeded demo conference and prints, for
each, its status, time, number of SQL queries and response size (a Markdown table).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_scale DJANGO_ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/pages_scale.py --slug demo [--prepare] [--only admin|api|pages] [--match TEXT]

--prepare first brings the demo to the state an organizer sees late in a conference's life: a
receipt per vote (as bench/bulletin_publish.py makes them), a tally snapshot with bloc detection,
the tally published (the bulletin board), a schedule proposal run and published, an organizer token.
The crawl goes through Django's test client in this process, so every query of a page (its view,
its template, its widgets) is counted; times are the client's, without a web server in front.

Admin: every registered model's change list (as opened, searched, with "Show counts", and filtered
by the conference where it has that filter), its newest row's change page, its add page, every
autocomplete its forms use, and each admin's own screens (tally, decide, run a proposal...). API:
every list and detail of docs/api.md, with the organizer token, and the attendee's own. Pages: the
attendee's voting, receipts, ticket and pledge pages, the bulletin board, the schedule, its feeds
and the transparency report."""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from apps.attendance.models import User  # noqa: E402
from apps.talks.models import Conference  # noqa: E402

ADMIN_EMAIL = "scale-admin@confvote.example"
ATTENDEE_EMAIL = "attendee@confvote.example"
STANDARD = ("_changelist", "_add", "_change", "_delete", "_history")


def prepare(conference: Conference) -> None:
    from apps.ballots.models import TallySnapshot
    from apps.ballots.services.blocs import tally_publish_with_blocs
    from apps.ballots.tasks import tally_snapshot_compute
    from apps.scheduling.models import ScheduleProposal, ScheduleRelease
    from apps.scheduling.proposals import proposal_publish, proposal_run, proposal_start
    from bench.bulletin_publish import receipts_ensure

    admin_user = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin_user is None:
        admin_user = User.objects.create_superuser(email=ADMIN_EMAIL, password="scale-admin-pass")  # noqa: S106
    started = time.perf_counter()
    print(f"receipts: {receipts_ensure(conference):,} in {time.perf_counter() - started:.0f} s", flush=True)
    if not TallySnapshot.objects.filter(conference=conference).exists():
        started = time.perf_counter()
        tally_snapshot_compute(conference.pk)
        print(f"tally snapshot in {time.perf_counter() - started:.0f} s", flush=True)
    if not TallySnapshot.objects.filter(conference=conference, published_at__isnull=False).exists():
        started = time.perf_counter()
        tally_publish_with_blocs(conference=conference)
        print(f"tally published in {time.perf_counter() - started:.0f} s", flush=True)
    if not ScheduleRelease.objects.filter(conference=conference).exists():
        started = time.perf_counter()
        proposal, _ = proposal_start(conference=conference, parameters={"time_limit_seconds": 60}, by=admin_user)
        proposal_run(proposal_id=proposal.pk)
        proposal = ScheduleProposal.objects.get(pk=proposal.pk)
        print(f"proposal {proposal.status} in {time.perf_counter() - started:.0f} s", flush=True)
        proposal_publish(proposal=proposal, changelog="scale audit", by=admin_user)


def organizer_token(conference: Conference, user) -> str:
    from apps.talks.models import ApiToken
    from apps.talks.services import api_token_create

    ApiToken.objects.filter(conference=conference, user=user, name="scale audit").delete()
    _, key = api_token_create(conference=conference, user=user, name="scale audit")
    return key


class Crawl:
    def __init__(self, match: str | None) -> None:
        self.rows: list[dict] = []
        self.match = match

    def get(self, who: str, client: Client, url: str, **extra) -> None:
        if self.match and self.match not in url:
            return
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **extra)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seconds = time.perf_counter() - started
        row = {
            "who": who,
            "url": url,
            "status": response.status_code,
            "seconds": seconds,
            "queries": len(queries),
            "bytes": len(body),
        }
        self.rows.append(row)
        flag = " !" if seconds > 2 or len(queries) > 50 or response.status_code >= 500 else ""
        print(
            f"| {who} | `{url}` | {row['status']} | {seconds:.2f} | {row['queries']} | {row['bytes']:,} |{flag}",
            flush=True,
        )


def newest_pk(model, conference: Conference):
    manager = model._default_manager
    for path in (
        "conference",
        "talk__conference",
        "ballot__conference",
        "snapshot__conference",
        "release__conference",
        "ticket__conference",
        "speaker__conference",
        "bloc__conference",
    ):
        try:
            pk = manager.filter(**{path: conference}).order_by("-pk").values_list("pk", flat=True).first()
        except Exception:  # noqa: S112 - the model has no such path
            continue
        if pk is not None:
            return pk
    return manager.order_by("-pk").values_list("pk", flat=True).first()


def conference_filter(model_admin) -> str | None:
    for item in model_admin.list_filter:
        name = item if isinstance(item, str) else item[0] if isinstance(item, tuple) else None
        if name and name.split("__")[-1] == "conference":
            return f"{name}__id__exact"
    return None


def crawl_admin(crawl: Crawl, client: Client, conference: Conference) -> None:
    registry = sorted(admin.site._registry.items(), key=lambda kv: (kv[0]._meta.app_label, kv[0]._meta.model_name))
    for model, model_admin in registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"admin:{info}_changelist")
        crawl.get("admin", client, changelist)
        if model_admin.search_fields:
            crawl.get("admin", client, changelist + "?q=ann")
        crawl.get("admin", client, changelist + "?_facets=True")
        by_conference = conference_filter(model_admin)
        if by_conference:
            crawl.get("admin", client, f"{changelist}?{by_conference}={conference.pk}")
        crawl.get("admin", client, reverse(f"admin:{info}_add"))
        pk = newest_pk(model, conference)
        if pk is not None:
            crawl.get("admin", client, reverse(f"admin:{info}_change", args=[pk]))
        for field in model_admin.autocomplete_fields:
            query = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={field}"
            crawl.get("admin", client, f"{reverse('admin:autocomplete')}?{query}&term=a")
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if not name or name.endswith(STANDARD) or name == f"{info}_changelist":
                continue
            route = str(pattern.pattern)
            if "<path:object_id>" in route:
                continue
            args_needed = len(re.findall(r"<[^>]+>", route))
            if args_needed > 1:
                continue  # compare: done below with two real proposals
            try:
                url = reverse(f"admin:{name}", args=[pk] if args_needed else [])
            except NoReverseMatch:
                continue
            crawl.get("admin", client, url)
    from apps.scheduling.models import ScheduleProposal

    pks = list(ScheduleProposal.objects.filter(conference=conference).order_by("pk").values_list("pk", flat=True))
    if pks:
        crawl.get("admin", client, reverse("admin:scheduling_scheduleproposal_compare", args=[pks[0], pks[-1]]))
    # The suggestion pages with the conference chosen (without it they only offer the choice).
    for name in ("ballots_organisation_suggestions", "ballots_promotion_suggestions"):
        crawl.get("admin", client, f"{reverse(f'admin:{name}')}?conference={conference.pk}")
    crawl.get("admin", client, reverse("admin:index"))


def crawl_api(crawl: Crawl, organizer: Client, attendee: Client, token: str, conference: Conference) -> None:
    from apps.ballots.models import Bloc, BlocDetectionRun, Organisation, Promotion
    from apps.scheduling.models import ScheduleOverride, ScheduleProposal

    slug = conference.slug
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    base = f"/api/v1/conferences/{slug}"
    for url in (
        "/api/v1/conferences/",
        f"{base}/",
        f"{base}/talks/",
        f"{base}/talks/?page_size=200",
        f"{base}/talks/?page=25",
        f"{base}/releases/",
        f"{base}/schedule/",
        f"{base}/transparency/",
        f"{base}/overrides/",
        f"{base}/proposals/",
        f"{base}/blocs/",
        f"{base}/blocs/export.csv",
        f"{base}/blocs/runs/",
        f"{base}/promotions/",
        f"{base}/promotions/suggestions/",
        f"{base}/organisations/",
        f"{base}/organisations/suggestions/",
        f"{base}/tally/",
        f"{base}/tally/?page_size=200",
        f"{base}/bulletin/",
        f"{base}/bulletin/?page=100",
        "/api/v1/schema/",
    ):
        crawl.get("token", organizer, url, **auth)
    for model, route in (
        (ScheduleOverride, "overrides"),
        (ScheduleProposal, "proposals"),
        (BlocDetectionRun, "blocs/runs"),
        (Promotion, "promotions"),
        (Organisation, "organisations"),
    ):
        pk = model.objects.filter(conference=conference).order_by("-pk").values_list("pk", flat=True).first()
        if pk is not None:
            crawl.get("token", organizer, f"{base}/{route}/{pk}/", **auth)
    pks = list(ScheduleProposal.objects.filter(conference=conference).order_by("pk").values_list("pk", flat=True))
    if pks:
        crawl.get("token", organizer, f"{base}/proposals/compare/?a={pks[0]}&b={pks[-1]}", **auth)
    if not Bloc.objects.filter(conference=conference).exists():
        print("(no blocs)")
    for url in (f"{base}/me/ballot/", f"{base}/me/receipts/", f"{base}/me/ticket/", f"{base}/me/pledge/"):
        crawl.get("attendee", attendee, url)


def crawl_pages(crawl: Crawl, organizer: Client, attendee: Client, conference: Conference) -> None:
    from apps.scheduling.models import ScheduledTalk

    slug = conference.slug
    for url in (
        "/",
        f"/c/{slug}/",
        f"/c/{slug}/vote/",
        f"/c/{slug}/vote/receipts/",
        "/my/",
        f"/c/{slug}/my-ticket/",
        f"/c/{slug}/my-pledge/",
        f"/c/{slug}/bulletin/",
        f"/c/{slug}/bulletin/?page=200",
        f"/c/{slug}/schedule/",
        f"/c/{slug}/transparency/",
        f"/c/{slug}/schedule.json",
        f"/c/{slug}/schedule.xml",
        f"/c/{slug}/schedule.ics",
        f"/c/{slug}/v/1/schedule.json",
        f"/c/{slug}/anonymised-ballots.json",
    ):
        crawl.get("attendee", attendee, url)
    talk = ScheduledTalk.objects.filter(release__conference=conference).values_list("talk_id", flat=True).first()
    if talk:
        crawl.get("attendee", attendee, f"/c/{slug}/talk/{talk}.ics")
    crawl.get("organizer", organizer, f"/c/{slug}/organizer/pledges/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--only", choices=("admin", "api", "pages"))
    parser.add_argument("--match")
    args = parser.parse_args()
    conference = Conference.objects.get(slug=args.slug)
    if args.prepare:
        prepare(conference)
    organizer_user = User.objects.get(email=ADMIN_EMAIL)
    organizer = Client(raise_request_exception=False)
    organizer.force_login(organizer_user)
    attendee = Client(raise_request_exception=False)
    attendee.force_login(User.objects.get(email=ATTENDEE_EMAIL))
    crawl = Crawl(args.match)
    print("| who | URL | status | seconds | queries | bytes |\n|---|---|---|---|---|---|")
    if args.only in (None, "pages"):
        crawl_pages(crawl, organizer, attendee, conference)
    if args.only in (None, "api"):
        crawl_api(crawl, organizer, attendee, organizer_token(conference, organizer_user), conference)
    if args.only in (None, "admin"):
        crawl_admin(crawl, organizer, conference)
    worst = [r for r in crawl.rows if r["seconds"] > 2 or r["queries"] > 50 or r["status"] >= 500]
    print(f"\n{len(crawl.rows)} requests; over 2 s, over 50 queries or 5xx: {len(worst)}")


if __name__ == "__main__":
    main()
