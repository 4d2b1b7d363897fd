"""The public anonymised ballots are built when a tally is published, from the inputs it published, and
served as stored bytes with an ETag: the same bytes as the document built on every request before, the
same document after a ticket claimed late or a bloc decision until the next publication, a 304 for a
client that has it, and one build for concurrent first requests of a tally published before documents
were stored with it."""

import json

import pytest
from django.db import connection
from django.http import JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.ballots.domain.verify import tally_verify
from apps.ballots.models import AnonymisedBallotsDocument, BallotReceipt, Bloc, BulletinEntry
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
    assert AnonymisedBallotsDocument.objects.get(conference=conference).built_at is not None  # at publication

    with CaptureQueriesContext(connection) as queries:
        first = client.get(_url(conference))
    assert first.status_code == 200 and first.content == before
    assert not [q for q in queries if "ballots_vote" in q["sql"]]  # stored by publishing: not built here
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
def test_a_bloc_decision_changes_the_document_at_the_next_publication_only(client):
    """The document is the published tally's: a dismissal after publication does not reach it (the
    published scores were computed with the discount, and the file must recompute them); publishing again,
    which applies the decision, gives a new document."""
    conference, strong, top, _ = _strong_talk_with_an_order_bloc()
    _close_and_publish(conference)
    first = client.get(_url(conference))
    discounted = [w for b in first.json()["ballots"] for t, _, w in b["votes"] if t == strong.pk and w < 1]
    assert len(discounted) == len(top)  # the ballots of this fixture have no receipts: count the votes

    (bloc,) = Bloc.objects.filter(conference=conference, talk=strong, present=True)
    bloc_decide(bloc=bloc, status=Bloc.Status.DISMISSED, reason="A company outing, not a bloc.", by=UserFactory())
    same = client.get(_url(conference))
    assert same.content == first.content and same["ETag"] == first["ETag"]
    assert client.get(_url(conference), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert tally_verify(same.json())[1] == []

    republished = _close_and_publish(conference)
    second = client.get(_url(conference))
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert second.json()["tally"]["input_digest"] == republished.input_digest
    assert not [w for b in second.json()["ballots"] for t, _, w in b["votes"] if t == strong.pk and w < 1]
    assert tally_verify(second.json())[1] == []
    assert AnonymisedBallotsDocument.objects.filter(conference=conference).count() == 1


@pytest.mark.django_db
def test_a_ticket_claimed_after_publication_does_not_change_the_published_document(client):
    """A voter with neither ticket nor pledge counts at weight 0 in the published tally. They claim a
    ticket after publication: the served document still gives their votes weight 0, as published, and
    still recomputes the published scores; one built from the current classes would not."""
    conference = _small_conference()
    late = UserFactory()
    talks = list(conference.talks.order_by("pk"))
    for j, talk in enumerate(talks):
        vote_cast(user=late, conference=conference, talk_id=talk.pk, score=3 if j == 0 else 0)
    snapshot = _close_and_publish(conference)
    published = JsonResponse(anonymised_ballots(conference=conference, snapshot=snapshot)).content
    receipt = BallotReceipt.objects.filter(ballot__user=late).order_by("-sequence").values_list("code", flat=True)[0]
    assert BulletinEntry.objects.get(snapshot=snapshot, receipt__code=receipt).weight == 0.0

    TicketClaimFactory(ticket__conference=conference, user=late)
    now = JsonResponse(anonymised_ballots(conference=conference, snapshot=snapshot)).content
    assert now != published  # the late claim moves the current classes, so a build now would differ

    served = client.get(_url(conference))
    assert served.status_code == 200 and served.content == published
    (ballot,) = [b for b in served.json()["ballots"] if b["receipt"] == receipt]
    assert [w for _, _, w in ballot["votes"]] == [0.0] * len(talks)
    assert served.json()["tally"]["input_digest"] == snapshot.input_digest
    checked, differences = tally_verify(served.json())
    assert checked == len(talks) and differences == []
    # Recomputed from the current classes, the first talk's score moves: the published one does not.
    assert tally_verify(json.loads(now))[1] != []


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

    assert len(together()) == 0  # publishing stored it
    # A tally published before documents were stored with it: the row holds another tally's document.
    AnonymisedBallotsDocument.objects.filter(conference=conference).update(key="1" * 64)
    assert len(together()) == 1
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
