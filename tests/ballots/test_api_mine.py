"""The attendee API: my ballot, votes, receipts, ticket link and pledge — only ever my own."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.attendance.models import Pledge
from apps.ballots.models import Vote
from apps.talks.services import api_token_create
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    SpeakerFactory,
    TalkFactory,
    TicketFactory,
    TicketTypeFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    conference = ConferenceFactory(slug="apiconf")
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    me, other = UserFactory(), UserFactory()
    VoteFactory(user=other, talk=talks[0], score=3)  # someone else's ballot exists
    client = APIClient()
    client.force_authenticate(me)
    return conference, talks, me, other, client


def test_vote_change_withdraw_and_read_my_ballot(setup):
    conference, talks, _me, other, client = setup
    url = reverse("api-my-vote", args=[conference.slug, talks[0].pk])
    cast = client.put(url, {"score": 2}, format="json")
    assert cast.status_code == 200 and cast.json()["changed"] and cast.json()["receipt"]
    assert client.put(url, {"score": 3}, format="json").json()["score"] == 3
    ballot = client.get(reverse("api-my-ballot", args=[conference.slug])).json()
    assert ballot["votes"] == {str(talks[0].pk): 3} and ballot["rated"] == 1 and ballot["total"] == 3
    assert ballot["weight"]["voter_class"] == "not_eligible" and ballot["weight"]["weight"] == 0
    assert client.delete(url).json()["score"] is None
    receipts = client.get(reverse("api-my-receipts", args=[conference.slug])).json()
    assert [r["sequence"] for r in receipts] == [3, 2, 1]
    assert Vote.objects.get(user=other).score == 3  # untouched


def test_refusals_are_clear_4xx(setup):
    conference, talks, me, _other, client = setup
    assert (
        client.put(reverse("api-my-vote", args=[conference.slug, talks[0].pk]), {"score": 9}, format="json").status_code
        == 400
    )
    foreign = TalkFactory()
    assert (
        client.put(reverse("api-my-vote", args=[conference.slug, foreign.pk]), {"score": 1}, format="json").status_code
        == 404
    )
    own = TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=me)])
    refused = client.put(reverse("api-my-vote", args=[conference.slug, own.pk]), {"score": 1}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["message"]
    closed = ConferenceFactory(status="closed")
    closed_talk = TalkFactory(conference=closed)
    late = client.put(reverse("api-my-vote", args=[closed.slug, closed_talk.pk]), {"score": 1}, format="json")
    assert late.status_code == 409
    assert APIClient().get(reverse("api-my-ballot", args=[conference.slug])).status_code in (401, 403)


def test_ticket_link_and_pledge(setup):
    conference, _talks, _me, _other, client = setup
    assert client.get(reverse("api-my-ticket", args=[conference.slug])).status_code == 404
    pledge = client.post(reverse("api-my-pledge", args=[conference.slug]), {}, format="json")
    assert pledge.status_code == 200 and pledge.json()["status"] == "active"
    looser = client.post(reverse("api-my-pledge", args=[conference.slug]), {"threshold": "0.1"}, format="json")
    assert looser.status_code == 400
    ticket = TicketFactory(
        conference=conference,
        ticket_type=TicketTypeFactory(conference=conference),
        order_code="ORD77",
        holder_email="me@tickets.example",
    )
    wrong = client.post(
        reverse("api-my-ticket", args=[conference.slug]),
        {"order_code": "ORD77", "email": "nope@tickets.example"},
        format="json",
    )
    assert wrong.status_code == 400 and "order_code" in wrong.json()["error"]["fields"]
    linked = client.post(
        reverse("api-my-ticket", args=[conference.slug]),
        {"order_code": "ord77", "email": "ME@tickets.example"},
        format="json",
    )
    assert linked.status_code == 201 and linked.json()["order_code"] == ticket.order_code
    weight = client.get(reverse("api-my-ballot", args=[conference.slug])).json()["weight"]
    assert weight["voter_class"] == "ticket_holder"


def test_i_never_see_another_users_pledge_or_ticket(setup):
    conference, _talks, _me, other, client = setup
    PledgeFactory(conference=conference, user=other)
    assert client.get(reverse("api-my-pledge", args=[conference.slug])).status_code == 404
    assert client.get(reverse("api-my-ticket", args=[conference.slug])).status_code == 404


def test_my_pledge_and_ticket_read_back_and_the_pledge_is_withdrawn_once(setup):
    conference, _talks, _me, _other, client = setup
    pledge_url = reverse("api-my-pledge", args=[conference.slug])
    client.post(pledge_url, {}, format="json")
    assert client.get(pledge_url).json()["status"] == "active"
    withdrawn = client.delete(pledge_url)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = client.delete(pledge_url)
    assert again.status_code == 400
    assert again.json()["error"]["message"] == "You have no active pledge to withdraw."
    assert client.get(pledge_url).json()["status"] == "withdrawn"

    TicketFactory(
        conference=conference,
        ticket_type=TicketTypeFactory(conference=conference, name="Conference pass"),
        order_code="ORD88",
        holder_email="me@tickets.example",
    )
    ticket_url = reverse("api-my-ticket", args=[conference.slug])
    client.post(ticket_url, {"order_code": "ORD88", "email": "me@tickets.example"}, format="json")
    mine = client.get(ticket_url)
    assert mine.status_code == 200
    assert (mine.json()["order_code"], mine.json()["ticket_type"]) == ("ORD88", "Conference pass")


def test_a_settled_pledge_cannot_be_changed_through_the_api(setup):
    conference, _talks, me, _other, client = setup
    PledgeFactory(conference=conference, user=me, status=Pledge.Status.FULFILLED)
    url = reverse("api-my-pledge", args=[conference.slug])
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "Your pledge is fulfilled and cannot change."
    assert Pledge.objects.get(user=me, conference=conference).status == Pledge.Status.FULFILLED


def test_a_null_score_withdraws_my_vote_and_a_refused_withdrawal_says_why(setup):
    conference, talks, me, _other, client = setup
    url = reverse("api-my-vote", args=[conference.slug, talks[1].pk])
    client.put(url, {"score": 2}, format="json")
    withdrawn = client.put(url, {"score": None}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["score"] is None
    assert not Vote.objects.filter(user=me, talk=talks[1], score__isnull=False).exists()
    foreign = TalkFactory()  # a talk of another conference
    missing = client.delete(reverse("api-my-vote", args=[conference.slug, foreign.pk]))
    assert missing.status_code == 404 and missing.json()["error"]["message"]


def test_a_talk_id_beyond_any_database_id_is_a_404_not_a_500(setup):
    conference, _talks, _me, _other, client = setup
    url = reverse("api-my-vote", args=[conference.slug, 10**20])
    for response in (client.put(url, {"score": 1}, format="json"), client.delete(url)):
        assert response.status_code == 404 and "no such talk" in response.json()["error"]["message"]


@pytest.mark.parametrize("token_of", ["this conference", "another conference"])
def test_an_organizer_token_cannot_act_on_its_owners_own_ballot_ticket_or_pledge(setup, token_of):
    """A token is an integration's credential for its conference's organizer operations: it once voted,
    pledged and linked tickets as its staff owner, at any conference (docs/api.md, "Organizer tokens")."""
    conference, talks, _me, _other, _client = setup
    organizer = UserFactory(is_staff=True)
    _, key = api_token_create(
        conference=conference if token_of == "this conference" else ConferenceFactory(), user=organizer, name="app"
    )
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    slug = conference.slug
    calls = [
        ("get", reverse("api-my-ballot", args=[slug]), None),
        ("put", reverse("api-my-vote", args=[slug, talks[0].pk]), {"score": 2}),
        ("delete", reverse("api-my-vote", args=[slug, talks[0].pk]), None),
        ("get", reverse("api-my-receipts", args=[slug]), None),
        ("get", reverse("api-my-ticket", args=[slug]), None),
        ("post", reverse("api-my-ticket", args=[slug]), {"order_code": "ABC12", "email": organizer.email}),
        ("get", reverse("api-my-pledge", args=[slug]), None),
        ("post", reverse("api-my-pledge", args=[slug]), {}),
        ("delete", reverse("api-my-pledge", args=[slug]), None),
    ]
    for method, url, body in calls:
        response = getattr(token, method)(url, body, format="json")
        assert response.status_code == 403, (method, url)
        assert "need you signed in" in response.json()["error"]["message"]
    assert not Vote.objects.filter(user=organizer).exists() and not Pledge.objects.filter(user=organizer).exists()
    session = APIClient()
    session.force_login(organizer)  # the same organizer, signed in, votes as anyone does
    assert session.put(reverse("api-my-vote", args=[slug, talks[0].pk]), {"score": 2}, format="json").status_code == 200
    assert APIClient().get(reverse("api-my-ballot", args=[slug])).status_code == 401  # no credentials at all
