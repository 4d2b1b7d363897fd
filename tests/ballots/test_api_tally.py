"""Organizer tally and imports through the API; the public bulletin board and transparency report."""

import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.ballots.models import TallySnapshot
from apps.ballots.services import vote_cast
from apps.ballots.services.blocs import tally_publish_with_blocs, tally_with_blocs
from apps.scheduling import proposals
from apps.talks.models import Conference
from apps.talks.services import api_token_create
from tests.factories import ConferenceFactory, TalkFactory, TicketClaimFactory, TicketTypeFactory, UserFactory
from tests.scheduling.test_proposals import small_conference

pytestmark = pytest.mark.django_db


def organizer_client(conference) -> APIClient:
    _, key = api_token_create(conference=conference, user=UserFactory(is_staff=True), name="t")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_tally_read_and_recompute(settings):
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    for score, talk in enumerate(talks):
        vote_cast(
            user=TicketClaimFactory(ticket__conference=conference).user,
            conference=conference,
            talk_id=talk.pk,
            score=score,
        )
    client = organizer_client(conference)
    assert client.get(reverse("api-tally", args=[conference.slug])).status_code == 404
    assert client.post(reverse("api-tally-recompute", args=[conference.slug])).status_code == 202  # eager in tests
    tally = client.get(reverse("api-tally", args=[conference.slug])).json()
    assert [row["talk"] for row in tally["rows"]] == [talks[2].pk, talks[1].pk, talks[0].pk]
    assert tally["vote_count"] == 3 and tally["policy_version"] == 1
    assert APIClient().get(reverse("api-tally", args=[conference.slug])).status_code == 401


def test_vote_and_ticket_imports_through_the_api():
    conference = ConferenceFactory()
    TalkFactory(conference=conference, external_id="T1")
    TicketTypeFactory(conference=conference, name="Conference")
    client = organizer_client(conference)
    votes = b"talk,voter,score\nT1,ann@example.org,2\n"
    dry = client.post(
        reverse("api-vote-import", args=[conference.slug]), {"file": io.BytesIO(votes)}, format="multipart"
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1 and dry.json()["dry_run"]
    done = client.post(
        reverse("api-vote-import", args=[conference.slug]),
        {"file": io.BytesIO(votes), "dry_run": "false"},
        format="multipart",
    )
    assert done.status_code == 201
    bad_map = client.post(
        reverse("api-vote-import", args=[conference.slug]),
        {"file": io.BytesIO(votes), "score_map": "x"},
        format="multipart",
    )
    assert bad_map.status_code == 400 and "score_map" in bad_map.json()["error"]["fields"]
    tickets = b"order_code,ticket_code,ticket_type,holder_email\nA1,c1,Conference,ann@example.org\n"
    imported = client.post(
        reverse("api-ticket-import", args=[conference.slug]),
        {"file": io.BytesIO(tickets), "dry_run": "false"},
        format="multipart",
    )
    assert imported.status_code == 201 and imported.json()["created"] == 1
    broken = client.post(
        reverse("api-ticket-import", args=[conference.slug]),
        {"file": io.BytesIO(b"order_code,ticket_code,ticket_type\nA2,,Conference\n")},
        format="multipart",
    )
    assert broken.status_code == 400 and broken.json()["errors"][0]["line"] == 2


def test_public_bulletin_and_transparency(client, django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    api = APIClient()
    assert api.get(reverse("api-bulletin", args=[conference.slug])).status_code == 404
    voter = TicketClaimFactory(ticket__conference=conference).user
    Conference.objects.filter(pk=conference.pk).update(status="voting")
    conference.refresh_from_db()
    outcome = vote_cast(user=voter, conference=conference, talk_id=talks[0].pk, score=3)
    Conference.objects.filter(pk=conference.pk).update(status="closed")
    tally_with_blocs(conference=conference)
    tally_publish_with_blocs(conference=conference)
    board = api.get(reverse("api-bulletin", args=[conference.slug]), {"receipt": outcome.receipt.code}).json()
    assert board["count"] == 1 and board["results"][0]["status"] == "counted"
    code = outcome.receipt.code
    nul = api.get(reverse("api-bulletin", args=[conference.slug]), {"receipt": code[:8] + "\x00" + code[8:]})
    assert nul.status_code == 200 and nul.json()["count"] == 1  # PostgreSQL text has no NUL: dropped, not a 500
    first = api.get(reverse("api-bulletin", args=[conference.slug]))
    assert (
        first["ETag"]
        and api.get(
            reverse("api-bulletin", args=[conference.slug]), headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )

    assert api.get(reverse("api-transparency", args=[conference.slug])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        proposal, _ = proposals.proposal_start(conference=conference, parameters={"time_limit_seconds": 20})
    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_publish(proposal=proposal)
    report = api.get(reverse("api-transparency", args=[conference.slug])).json()
    assert report["version"] == 1 and len(report["talks"]) == len(talks)
    accepted = [t for t in report["talks"] if t["status"] == "accepted"]
    assert len(accepted) == 4 and all(t["room"] and t["why"] for t in accepted)
    assert report["overall"]["satisfaction"]["share"] > 0
    published = TallySnapshot.objects.get(conference=conference, published_at__isnull=False)
    assert report["published_tally"]["bulletin_head"] == published.bulletin_head == board["board"]["head"]
    assert published.bulletin_head in client.get(reverse("transparency", args=[conference.slug])).content.decode()
