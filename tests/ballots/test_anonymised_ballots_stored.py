"""The public anonymised ballots are built once per set of inputs and served as stored bytes, with an
ETag: the same bytes as the document built on every request before, a new document after a bloc
decision, a 304 for a client that has it, and one build for concurrent first requests."""

import pytest
from django.db import connection
from django.http import JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.ballots.models import AnonymisedBallotsDocument, Bloc
from apps.ballots.selectors.export import anonymised_ballots
from apps.ballots.services import vote_cast
from apps.ballots.services.blocs import bloc_decide, tally_publish_with_blocs
from apps.talks.models import Conference
from tests.ballots.test_bloc_spared import _strong_talk_with_an_order_bloc
from tests.ballots.test_vote_races import run_together
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, TicketClaimFactory, UserFactory


def _url(conference) -> str:
    return reverse("ballots:anonymised_ballots", args=[conference.slug])


def _close_and_publish(conference):
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.CLOSED)
    conference.refresh_from_db()
    return tally_publish_with_blocs(conference=conference)


def _small_conference(*, voters: int = 9, talks: int = 5):
    conference = ConferenceFactory()
    talk_list = [TalkFactory(conference=conference) for _ in range(talks)]
    people = [TicketClaimFactory(ticket__conference=conference).user for _ in range(voters - voters // 3)]
    people += [PledgeFactory(conference=conference).user for _ in range(voters // 3)] + [UserFactory()]
    for i, voter in enumerate(people):
        for j, talk in enumerate(talk_list):
            vote_cast(user=voter, conference=conference, talk_id=talk.pk, score=(i + 2 * j) % 4)
    return conference


@pytest.mark.django_db
def test_the_stored_document_is_the_bytes_built_before_and_is_built_once(client):
    conference = _small_conference()
    snapshot = _close_and_publish(conference)
    before = JsonResponse(anonymised_ballots(conference=conference, snapshot=snapshot)).content  # the old view

    first = client.get(_url(conference))
    assert first.status_code == 200 and first.content == before
    assert first["Content-Type"] == "application/json"
    assert first["Content-Disposition"] == f'attachment; filename="{conference.slug}-anonymised-ballots.json"'
    assert first["Cache-Control"] == "public, max-age=300" and first["ETag"] and first["Last-Modified"]
    stored = AnonymisedBallotsDocument.objects.get(conference=conference)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(_url(conference))
    assert second.content == before and second["ETag"] == first["ETag"]
    assert AnonymisedBallotsDocument.objects.get(conference=conference).built_at == stored.built_at  # not rebuilt
    assert not [q for q in queries if "ballots_vote" in q["sql"]]  # no vote was read to serve it


@pytest.mark.django_db
def test_a_conditional_get_is_answered_304():
    conference = _small_conference()
    _close_and_publish(conference)
    client = Client()
    first = client.get(_url(conference))
    again = client.get(_url(conference), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "public, max-age=300"
    since = client.get(_url(conference), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get(_url(conference), HTTP_IF_NONE_MATCH='"not-the-etag"')
    assert other.status_code == 200 and other.content == first.content


@pytest.mark.django_db
def test_a_bloc_decision_gives_a_new_document(client):
    conference, strong, top, _ = _strong_talk_with_an_order_bloc()
    _close_and_publish(conference)
    first = client.get(_url(conference))
    discounted = [w for b in first.json()["ballots"] for t, _, w in b["votes"] if t == strong.pk and w < 1]
    assert len(discounted) == len(top)  # the ballots of this fixture have no receipts: count the votes

    (bloc,) = Bloc.objects.filter(conference=conference, talk=strong, present=True)
    bloc_decide(bloc=bloc, status=Bloc.Status.DISMISSED, reason="A company outing, not a bloc.", by=UserFactory())
    second = client.get(_url(conference))
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert not [w for b in second.json()["ballots"] for t, _, w in b["votes"] if t == strong.pk and w < 1]
    assert client.get(_url(conference), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200  # the old copy is stale
    assert AnonymisedBallotsDocument.objects.filter(conference=conference).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_concurrent_first_requests_build_it_once(postgres):
    """Six requests arrive together before anything is stored: one builds, the others wait for its
    row lock and serve what it stored."""
    conference = _small_conference(voters=60, talks=20)
    _close_and_publish(conference)
    captured = []

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(_url(conference))
        captured.append(list(queries))
        return response

    def together() -> list:
        captured.clear()
        results = run_together([get] * 6)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert {r.status_code for r in results} == {200} and len({r.content for r in results}) == 1
        table = '"ballots_anonymisedballotsdocument"'
        return [q for run in captured for q in run if q["sql"].startswith(f"UPDATE {table}")]

    assert len(together()) == 1  # nothing stored yet
    # A document built from other inputs (as after a bloc decision): the row exists, so only its lock
    # (not the unique conference of a first insert) keeps the six from building it six times.
    AnonymisedBallotsDocument.objects.filter(conference=conference).update(key="0" * 64)
    assert len(together()) == 1


@pytest.mark.django_db
def test_the_admin_shows_the_stored_document_without_its_content(client, staff_client):
    conference = _small_conference()
    _close_and_publish(conference)
    body = client.get(_url(conference)).content
    stored = AnonymisedBallotsDocument.objects.get(conference=conference)
    for url in (
        reverse("admin:ballots_anonymisedballotsdocument_changelist"),
        reverse("admin:ballots_anonymisedballotsdocument_change", args=[stored.pk]),
    ):
        page = staff_client.get(url)
        assert page.status_code == 200 and stored.etag in page.content.decode()
        assert body[:40] not in page.content
