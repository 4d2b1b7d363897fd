"""The public transparency report is stored per release and served from the store: the same bytes as
the report built on every request before, built again after anything it shows changes (a pledge that
settles, a bloc decision, a title edit, a renamed room, a committee override, a new release), a 304
for a client that has it, and one build for concurrent first requests."""

import re
import zoneinfo
from urllib.parse import urlencode

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from apps.attendance.services import pledges_settle
from apps.ballots.models import Bloc
from apps.ballots.services.blocs import bloc_decide
from apps.scheduling import proposals
from apps.scheduling.models import Room, ScheduleOverride, TransparencyReportDocument
from apps.scheduling.pages import transparency_report
from apps.scheduling.transparency import api_document
from apps.scheduling.views import TRANSPARENCY_PAGE_SIZE
from tests.ballots.test_vote_races import run_together
from tests.factories import PledgeFactory, UserFactory
from tests.scheduling.test_proposals import small_conference

TABLE = '"scheduling_transparencyreportdocument"'


def _publish(conference, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal, _ = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 30})
    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        return proposals.proposal_publish(proposal=proposal, changelog="v")


def _published(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    return conference, talks, _publish(conference, django_capture_on_commit_callbacks)


def _api(conference) -> str:
    return reverse("api-transparency", args=[conference.slug])


def _page(conference) -> str:
    return reverse("transparency", args=[conference.slug])


def _talk_columns(sql: str) -> set[str]:
    return set(re.findall(r'"talks_talk"\."(\w+)"', sql))


def _built(queries) -> int:
    return len([q for q in queries if q["sql"].startswith(f"UPDATE {TABLE}")])


@pytest.mark.django_db
def test_the_stored_document_is_the_report_built_now(client, django_capture_on_commit_callbacks):
    conference, _, release = _published(django_capture_on_commit_callbacks)
    response = client.get(_api(conference), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    built = JSONRenderer().render(api_document(release=release, report=transparency_report(release=release)))
    assert response.content == built
    stored = TransparencyReportDocument.objects.get(release=release)
    assert bytes(stored.content) == built and response["ETag"] == f'"{stored.etag}"'
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_stored_page_draws_what_the_report_built_now_draws(client, django_capture_on_commit_callbacks):
    """The page from the stored report is the page the template drew from the report built per request."""
    conference, talks, release = _published(django_capture_on_commit_callbacks)
    PledgeFactory(conference=conference, user=UserFactory())
    for query in ({}, {"q": talks[2].title}, {"page": 2}):
        response = client.get(_page(conference), query)
        report = transparency_report(release=release)
        if query.get("q"):
            report["decisions"] = [d for d in report["decisions"] if query["q"].lower() in d["talk"].title.lower()]
        page = Paginator(report["decisions"], TRANSPARENCY_PAGE_SIZE).get_page(query.get("page"))
        timezone.activate(zoneinfo.ZoneInfo(conference.timezone))
        context = {"conference": conference, "report": report, "q": query.get("q", ""), "page": page}
        context["filter_query"] = urlencode({"q": query["q"]}) if query.get("q") else ""
        drawn = render_to_string("scheduling/transparency.html", context, request=response.wsgi_request)
        assert response.content.decode() == drawn
        assert "Pledges: 1 active" in drawn


@pytest.mark.django_db
def test_a_second_request_reads_the_store(client, django_capture_on_commit_callbacks):
    conference, talks, _ = _published(django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as first:
        body = client.get(_api(conference)).content
    assert _built(first) == 1
    for url in (_api(conference), _page(conference)):
        with CaptureQueriesContext(connection) as again:
            response = client.get(url)
        assert response.status_code == 200 and _built(again) == 0
        sql = " ".join(q["sql"] for q in again)
        # Neither the proposal's result nor the tally rows are read; the talks' titles are, for the key
        # (tests/scheduling/test_transparency_key.py says why), and nothing else of the talks.
        assert '"result"' not in sql and "ballots_tallyrow" not in sql
        talk_columns = {c for q in again if '"talks_talk"' in q["sql"] for c in _talk_columns(q["sql"])}
        assert talk_columns <= {"id", "title", "conference_id"}, talk_columns
        assert len(again) <= 12
    assert client.get(_api(conference)).content == body
    page = client.get(_page(conference)).content.decode()
    assert all(t.title in page for t in talks) and "How the votes were used" in page


@pytest.mark.django_db
def test_etag_round_trip(client, django_capture_on_commit_callbacks):
    conference, _, _ = _published(django_capture_on_commit_callbacks)
    first = client.get(_api(conference))
    assert first.status_code == 200 and first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_api(conference), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert "max-age" in again["Cache-Control"]
    assert not [q for q in queries if '"content"' in q["sql"]]  # the stored bytes are not read for a 304
    assert client.get(_api(conference), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def _settle_a_pledge(conference, talks):
    """A pledge made before the release settles after it (settling runs after publication, on the queue)."""
    pledges_settle(conference=conference, accepted_talk_ids=[], by=None)


def _decide_a_bloc(conference, talks):
    bloc = Bloc.objects.filter(conference=conference, present=True).exclude(status="dismissed").first()
    bloc_decide(bloc=bloc, status="dismissed", reason="They are a real fan club", by=None)


def _edit_a_title(conference, talks):
    talks[0].title = "A better title"
    talks[0].save()


def _rename_a_room(conference, talks):
    room = Room.objects.filter(conference=conference).first()
    room.name = "The Great Hall"
    room.save()


def _override(conference, talks):
    ScheduleOverride.objects.create(conference=conference, talk=talks[1], kind="pin", reason="Local hero")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, seen",
    [
        (_settle_a_pledge, lambda r: "active" not in r["overall"]["pledges"]),
        (_decide_a_bloc, lambda r: r["overall"]["blocs"] == r["_before"]["overall"]["blocs"] - 1),
        (_edit_a_title, lambda r: "A better title" in [t["title"] for t in r["talks"]]),
        (_rename_a_room, lambda r: "The Great Hall" in [t["room"] for t in r["talks"]]),
        (_override, lambda r: r["overall"]["overrides"] == 1),
    ],
    ids=["pledge settles", "bloc decision", "title edit", "room renamed", "override"],
)
def test_each_live_input_changes_the_next_answer(client, django_capture_on_commit_callbacks, change, seen):
    conference, talks, release = _published(django_capture_on_commit_callbacks)
    PledgeFactory(conference=conference, user=UserFactory())
    before = client.get(_api(conference))
    assert Bloc.objects.filter(conference=conference, present=True).exclude(status="dismissed").exists()
    change(conference, talks)
    after = client.get(_api(conference), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert seen({**after.json(), "_before": before.json()}) and not seen({**before.json(), "_before": before.json()})
    # What the API answers is what a build from the current state gives, and the page follows too.
    assert after.content == JSONRenderer().render(
        api_document(release=release, report=transparency_report(release=release))
    )
    if change is _edit_a_title:
        assert "A better title" in client.get(_page(conference), {"q": "better"}).content.decode()


@pytest.mark.django_db
def test_a_new_release_is_the_next_answer_and_old_versions_stay(client, django_capture_on_commit_callbacks):
    conference, _, _ = _published(django_capture_on_commit_callbacks)
    first = client.get(_api(conference)).json()
    _publish(conference, django_capture_on_commit_callbacks)
    assert first["version"] == 1 and client.get(_api(conference)).json()["version"] == 2
    assert "version 2" in client.get(_page(conference)).content.decode()
    assert client.get(_api(conference), {"version": 1}).json() == first
    assert TransparencyReportDocument.objects.filter(release__conference=conference).count() == 2
    assert client.get(_api(conference), {"version": "x"}).status_code == 400
    assert client.get(_api(conference), {"version": 9}).status_code == 404


@pytest.mark.django_db
def test_the_admin_shows_the_stored_report_without_its_content(
    client, staff_client, django_capture_on_commit_callbacks
):
    conference, _, _ = _published(django_capture_on_commit_callbacks)
    client.get(_api(conference))
    stored = TransparencyReportDocument.objects.get(release__conference=conference)
    for url in (
        reverse("admin:scheduling_transparencyreportdocument_changelist"),
        reverse("admin:scheduling_transparencyreportdocument_change", args=[stored.pk]),
    ):
        page = staff_client.get(url)
        assert page.status_code == 200 and stored.etag in page.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_concurrent_first_requests_build_it_once(postgres, django_capture_on_commit_callbacks):
    """Six requests arrive together before anything is stored: one builds, the others wait for the
    release's document row and serve what it stored."""
    conference, talks, _ = _published(django_capture_on_commit_callbacks)
    captured = []

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(_api(conference))
        captured.append(list(queries))
        return response

    def together() -> int:
        captured.clear()
        results = run_together([get] * 6)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert {r.status_code for r in results} == {200} and len({r.content for r in results}) == 1
        return sum(_built(run) for run in captured)

    assert together() == 1  # no row yet: the first insert, then the lock
    _edit_a_title(conference, talks)
    assert together() == 1  # the row exists: only its lock keeps the six from building it six times
    assert together() == 0
