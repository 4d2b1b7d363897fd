"""Public schedule feeds: schedule.json, schedule.xml and iCalendar, for every published release."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from apps.ballots.models import Vote
from apps.talks.models import Conference

from . import pages, selectors
from .exports import exporter_for
from .exports.ical import ICalExporter
from .models import ScheduleRelease
from .transparency import transparency_decision, transparency_document, transparency_page

FEED_SALT = "confvote.my-schedule-feed"
PUBLIC_MAX_AGE = 300
TRANSPARENCY_PAGE_SIZE = 100  # talks on a page of the transparency report


def _release(slug: str, version: int | None) -> ScheduleRelease:
    conference = get_object_or_404(Conference.objects.exclude(status=Conference.Status.DRAFT), slug=slug)
    release = selectors.release_get(conference=conference, version=version)
    if release is None:
        raise Http404("No schedule has been published yet." if version is None else "No such schedule version.")
    return release


def _release_source(request, slug: str, version: int | None):
    """(release, its feed rows) or None, read once per request: the ETag and the view both need them."""
    memo = request.__dict__.setdefault("_release_source", {})
    if (slug, version) not in memo:
        try:
            release = _release(slug, version)
        except Http404:
            memo[(slug, version)] = None
        else:
            memo[(slug, version)] = (release, selectors.schedule_source(release=release))
    return memo[(slug, version)]


def _release_memo(request, slug: str, version: int | None) -> tuple[ScheduleRelease, selectors.ScheduleSource]:
    found = _release_source(request, slug, version)
    if found is None:
        _release(slug, version)  # raises the 404 with its message
    return found


def _etag(request, slug: str, version: int | None = None, **kwargs):
    """A digest of everything the feed shows (selectors.ScheduleSource), and which feed it is. No
    Last-Modified: when a speaker's name or a room's changed is not recorded, and a talk's `updated_at`
    is stamped before its transaction commits, so no date here would be honest."""
    found = _release_source(request, slug, version)
    if found is None:
        return None
    digest = found[1].digest(base_url=request.build_absolute_uri("/"))
    return f"{digest}-{kwargs.get('fmt') or kwargs.get('talk_id')}"


def _respond(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # conference apps read feeds from anywhere
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
@condition(etag_func=_etag)
def schedule_export(request: HttpRequest, slug: str, fmt: str, version: int | None = None) -> HttpResponse:
    release, source = _release_memo(request, slug, version)
    exporter = exporter_for(fmt)
    schedule = selectors.published_schedule(release=release, base_url=request.build_absolute_uri("/"), source=source)
    return _respond(exporter.render(schedule), exporter.content_type, fmt)


@require_GET
@condition(etag_func=_etag)
def talk_ical(request: HttpRequest, slug: str, talk_id: int, version: int | None = None) -> HttpResponse:
    release, source = _release_memo(request, slug, version)
    schedule = selectors.published_schedule(release=release, base_url=request.build_absolute_uri("/"), source=source)
    items = tuple(i for i in schedule.items if i.talk_id == talk_id)
    if not items:
        raise Http404("That talk is not on the published schedule.")
    return _respond(
        ICalExporter.render(schedule, items=items, title=items[0].title),
        ICalExporter.content_type,
        f"talk-{talk_id}.ics",
    )


def my_schedule_token(*, user, conference: Conference) -> str:
    """The secret part of a person's feed URL. It reveals nothing and cannot be guessed or altered."""
    return signing.dumps({"u": user.pk, "c": conference.pk}, salt=FEED_SALT, compress=True)


def my_schedule_url(*, user, conference: Conference) -> str:
    return reverse("my_schedule_ical", args=[conference.slug, my_schedule_token(user=user, conference=conference)])


@require_GET
def my_schedule_ical(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The talks this person wanted (scored at or above the conference's "want to see") that made the
    schedule. Calendar apps fetch it without cookies, so the URL itself is the credential."""
    release = _release(slug, None)
    try:
        payload = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        raise Http404("This feed address is not valid.") from None
    if payload.get("c") != release.conference_id:
        raise Http404("This feed address is not valid.")
    wanted = set(
        Vote.objects.filter(
            user_id=payload.get("u"),
            talk__conference_id=release.conference_id,
            score__gte=release.conference.wanted_min_score,
        ).values_list("talk_id", flat=True)
    )
    schedule = selectors.published_schedule(release=release, base_url=request.build_absolute_uri("/"))
    items = tuple(i for i in schedule.items if i.talk_id in wanted)
    response = HttpResponse(
        ICalExporter.render(schedule, items=items, title=f"{schedule.title}: my schedule"),
        content_type=ICalExporter.content_type,
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def schedule_grid(request: HttpRequest, slug: str) -> HttpResponse:
    release = _release(slug, None)
    grid = pages.schedule_grid(release=release, user=request.user)
    feed = my_schedule_url(user=request.user, conference=release.conference) if request.user.is_authenticated else ""
    timezone.activate(zoneinfo.ZoneInfo(release.conference.timezone))  # times as the attendees will live them
    return render(
        request,
        "scheduling/grid.html",
        {"release": release, "conference": release.conference, "grid": grid, "my_feed": feed},
    )


@require_GET
def transparency(request: HttpRequest, slug: str) -> HttpResponse:
    release = _release(slug, None)
    report = transparency_page(document=transparency_document(release=release), release=release)
    timezone.activate(zoneinfo.ZoneInfo(release.conference.timezone))
    q = request.GET.get("q", "").strip().lower()
    if q:
        report["decisions"] = [
            d for d, title in zip(report["decisions"], report["titles"], strict=True) if q in title.lower()
        ]
    # A page of talks at a time: the large demo's 5,000 made a 2.7 MB page that took 8 s to draw.
    page = Paginator(report["decisions"], TRANSPARENCY_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [transparency_decision(d) for d in page.object_list]
    return render(
        request,
        "scheduling/transparency.html",
        {
            "conference": release.conference,
            "report": report,
            "q": request.GET.get("q", ""),
            "page": page,
            "filter_query": urlencode({"q": request.GET["q"]}) if request.GET.get("q") else "",
        },
    )
