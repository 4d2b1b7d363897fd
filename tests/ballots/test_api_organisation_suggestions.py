"""Suggested organisations through the API: what the admin's "Suggested organisations" page lists, for
an organizer's tool, read-only; declaring one is the ordinary POST (or a PATCH of the organisation it
adds to), after which it is no longer suggested."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from apps.ballots.domain.organisation_suggestions import RULE_DOMAIN, RULE_NAME
from apps.ballots.selectors.organisations import organisation_suggestions_of
from apps.ballots.services import organisation_declare
from tests.ballots.test_api_promotions import token_client
from tests.ballots.test_organisation_suggestions_admin import _darion, _voter
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

DARION_EVIDENCE = (
    "3 voters at darion.example (of 3 there naming a company) and 2 voters at darioncloud.example "
    "(of 2 there naming a company) write the company “Darion Group”."
)


def _suggestions(conference) -> str:
    return reverse("api-organisation-suggestion-list", args=[conference.slug])


def _organisations(conference) -> str:
    return reverse("api-organisation-list", args=[conference.slug])


def _organisation(conference, pk) -> str:
    return reverse("api-organisation-detail", args=[conference.slug, pk])


def _porto(conference, talk, *, long: int = 2, prefix: str = ""):
    for i in range(3):
        _voter(conference, talk, email=f"{prefix}p{i}@tu-porto.example", company="TU Porto")
    for i in range(long):
        _voter(conference, talk, email=f"{prefix}l{i}@tu-porto.example", company="Technische Universität Porto")


@pytest.fixture
def world(db):
    conference = ConferenceFactory()
    return conference, TalkFactory(conference=conference), token_client(conference)


def test_an_organizer_reads_the_suggestions_of_their_conference_only(world):
    conference, talk, client = world
    _darion(conference, talk)
    other = ConferenceFactory()
    _porto(other, TalkFactory(conference=other))  # suggested there, not here
    _darion(other, TalkFactory(conference=other), cloud=4, prefix="other-")

    response = client.get(_suggestions(conference))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert body["results"] == [
        {
            "name": "Darion Group",
            "add_to": None,
            "add_to_id": None,
            "domains": ["darion.example", "darioncloud.example"],
            "company_names": ["Darion Group"],
            "people": 5,
            "rules": [RULE_NAME],
            "counts": [
                {"company_name": "Darion Group", "domain": "darion.example", "voters": 3, "speakers": 0},
                {"company_name": "Darion Group", "domain": "darioncloud.example", "voters": 2, "speakers": 0},
            ],
            "evidence": DARION_EVIDENCE,
        }
    ]
    # The sentence is the one the admin page shows (the same selector).
    assert body["results"][0]["evidence"] == organisation_suggestions_of(conference=conference)[0].evidence
    # The other conference's own organizer reads its own suggestions.
    theirs = token_client(other).get(_suggestions(other)).json()["results"]
    assert [(s["name"], s["people"]) for s in theirs] == [("Darion Group GmbH", 7), ("TU Porto", 5)]
    assert theirs[1]["rules"] == [RULE_DOMAIN]


def test_an_empty_conference_suggests_nothing(world):
    conference, talk, client = world
    response = client.get(_suggestions(conference))
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    _darion(conference, talk, cloud=1)  # one stray person at the second domain suggests nothing either
    assert client.get(_suggestions(conference)).json()["count"] == 0


def test_only_the_conferences_organizers_read_the_suggestions(world):
    conference, talk, _ = world
    _darion(conference, talk)
    elsewhere = token_client(ConferenceFactory())
    attendee = APIClient()
    attendee.force_authenticate(UserFactory())
    staff = APIClient()
    staff.force_authenticate(UserFactory(is_staff=True))

    for client, expected in ((APIClient(), 401), (attendee, 403), (elsewhere, 403)):
        response = client.get(_suggestions(conference))
        assert response.status_code == expected
        assert "Darion" not in response.content.decode()
    assert staff.get(_suggestions(conference)).json()["count"] == 1  # a staff session: any conference
    assert staff.get(_suggestions(ConferenceFactory.build(slug="no-such-conference"))).status_code == 404


def test_the_list_is_read_only(world):
    conference, talk, client = world
    _darion(conference, talk)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(_suggestions(conference), {}, format="json").status_code == 405
    assert client.get(_suggestions(conference)).json()["count"] == 1


def test_a_suggestion_declared_through_the_api_is_no_longer_suggested(world):
    conference, talk, client = world
    _darion(conference, talk)
    _porto(conference, talk)
    darion, porto = client.get(_suggestions(conference)).json()["results"]
    assert darion["name"] == "Darion Group" and porto["name"] == "TU Porto"
    declared = client.post(
        _organisations(conference),
        {"name": darion["name"], "domains": darion["domains"], "company_names": darion["company_names"]},
        format="json",
    )
    assert declared.status_code == 201, declared.json()
    assert client.get(_suggestions(conference)).json()["results"] == [porto]


def test_an_add_to_suggestion_names_the_organisation_to_patch(world):
    conference, talk, client = world
    _darion(conference, talk)
    organisation = organisation_declare(
        conference=conference, name="Darion", email_domains=["darion.example"], company_names=["Darion Labs"]
    )
    (suggestion,) = client.get(_suggestions(conference)).json()["results"]
    assert (suggestion["name"], suggestion["add_to"], suggestion["add_to_id"]) == ("Darion", "Darion", organisation.pk)
    assert suggestion["domains"] == ["darioncloud.example"] and suggestion["company_names"] == ["Darion Group"]
    assert suggestion["evidence"].endswith("Already declared in Darion: darion.example.")
    patched = client.patch(
        _organisation(conference, organisation.pk),
        {
            "domains": organisation.email_domains + suggestion["domains"],
            "company_names": organisation.company_names + suggestion["company_names"],
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert client.get(_suggestions(conference)).json()["count"] == 0


def test_pages_in_a_stable_order_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    conference, talk, client = world
    _darion(conference, talk)
    with django_assert_max_num_queries(20) as few:
        assert client.get(_suggestions(conference)).json()["count"] == 1
    _porto(conference, talk, long=3)
    _darion(conference, talk, cloud=4, prefix="more-")
    with django_assert_max_num_queries(len(few.captured_queries)):
        everything = client.get(_suggestions(conference)).json()
    assert [(s["name"], s["people"]) for s in everything["results"]] == [("Darion Group", 12), ("TU Porto", 6)]
    first = client.get(_suggestions(conference), {"page_size": 1}).json()
    second = client.get(first["next"]).json()
    assert (first["count"], second["previous"] is not None, second["next"]) == (2, True, None)
    assert first["results"] + second["results"] == everything["results"]


def test_reads_count_against_the_signed_in_rate_as_the_bloc_list_does(world, monkeypatch):
    """Each answer reads every voter of the conference, so it counts against the signed-in rate like
    every read (1,200 a minute by default, here 3)."""
    conference, talk, client = world
    _darion(conference, talk)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    assert [client.get(_suggestions(conference)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(reverse("api-bloc-list", args=[conference.slug])).status_code == 429  # one budget
