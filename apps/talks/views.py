"""Public pages: the conference list and a conference's page."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "talks/home.html", {"conferences": selectors.conference_list_public()})


@require_GET
def conference_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.conference_get_public(slug=slug)
    if conference is None:
        raise Http404("No such conference.")
    talks = selectors.talk_list_for_conference(conference=conference)
    page = Paginator(talks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talks/conference_detail.html",
        {"conference": conference, "page": page, "hide_speakers": conference.blind_voting},
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for the compose healthcheck and load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
