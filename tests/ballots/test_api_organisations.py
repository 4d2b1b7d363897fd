"""Declared organisations through the API: an organizer's tool declares, lists, corrects and forgets
the organisations bloc detection joins, with the admin's checks and messages (the service's)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.ballots.models import Organisation
from apps.ballots.services import organisation_declare
from tests.ballots.test_api_promotions import token_client
from tests.factories import ConferenceFactory, UserFactory


def _list(conference) -> str:
    return reverse("api-organisation-list", args=[conference.slug])


def _detail(conference, pk) -> str:
    return reverse("api-organisation-detail", args=[conference.slug, pk])


def _payload(**extra) -> dict:
    return {
        "name": "Darion Group",
        "domains": ["Darion.example", "@darioncloud.example"],
        "company_names": ["Darion Cloud GmbH", "Darion  Group"],
        **extra,
    }


@pytest.fixture
def world(db):
    conference = ConferenceFactory()
    organizer = UserFactory(is_staff=True)
    return conference, organizer, token_client(conference, organizer)


def test_an_organizer_declares_lists_filters_and_deletes_organisations(world):
    conference, organizer, client = world
    created = client.post(_list(conference), _payload(note="Their list of subsidiaries"), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    # Stored as the admin stores them: domains lowercased without @, names tidied, both sorted.
    assert body["name"] == "Darion Group" and body["note"] == "Their list of subsidiaries"
    assert body["domains"] == ["darion.example", "darioncloud.example"]
    assert body["company_names"] == ["Darion Cloud GmbH", "Darion Group"]
    assert body["created_by"] == organizer.email
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.conference == conference and organisation.created_by == organizer
    assert organisation.email_domains == ["darion.example", "darioncloud.example"]

    initech = client.post(
        _list(conference), {"name": "Initech", "domains": ["initech.example", "initech.de"]}, format="json"
    )
    assert initech.status_code == 201, initech.json()
    assert initech.json()["company_names"] == [] and initech.json()["note"] == ""
    elsewhere = ConferenceFactory()
    organisation_declare(conference=elsewhere, name="Darion Group", email_domains=["darion.example", "darion.de"])

    def ids(**params) -> list[int]:
        response = client.get(_list(conference), params)
        assert response.status_code == 200, response.json()
        return [o["id"] for o in response.json()["results"]]

    first, second = body["id"], initech.json()["id"]
    assert ids() == [first, second]  # by name, only this conference's
    assert ids(domain="darioncloud.example") == [first]
    assert ids(domain="@INITECH.de") == [second]
    assert ids(domain="darion") == []  # a whole domain, not a part of one
    assert ids(domain="darion.de") == []  # the other conference's
    assert ids(q="group") == [first] and ids(q="ini") == [second] and ids(q="nobody") == []
    page = client.get(_list(conference), {"page_size": 1}).json()
    assert (page["count"], len(page["results"]), bool(page["next"])) == (2, 1, True)

    assert client.get(_detail(conference, first)).json() == body
    assert client.delete(_detail(conference, first)).status_code == 204
    assert not Organisation.objects.filter(pk=first).exists()
    assert client.get(_detail(conference, first)).status_code == 404
    assert ids() == [second]


def test_the_list_does_not_query_per_organisation(world, django_assert_max_num_queries):
    conference, organizer, client = world
    organisation_declare(conference=conference, name="A", email_domains=["a.example", "a.de"], by=organizer)
    with django_assert_max_num_queries(10) as few:
        assert client.get(_list(conference)).json()["count"] == 1
    for i in range(5):
        organisation_declare(conference=conference, name=f"B{i}", email_domains=[f"b{i}.example", f"b{i}.de"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_list(conference)).json()["count"] == 6


def test_only_the_conferences_organizers_reach_organisations(world):
    conference, _, _ = world
    theirs = organisation_declare(conference=conference, name="Initech", email_domains=["initech.example", "i.de"])
    other = ConferenceFactory()
    elsewhere = token_client(other)
    attendee = APIClient()
    attendee.force_authenticate(UserFactory())
    staff = APIClient()
    staff.force_authenticate(UserFactory(is_staff=True))
    anonymous = APIClient()

    for client, expected in ((anonymous, 401), (attendee, 403), (elsewhere, 403)):
        assert client.get(_list(conference)).status_code == expected
        assert client.post(_list(conference), _payload(), format="json").status_code == expected
        assert client.get(_detail(conference, theirs.pk)).status_code == expected
        assert client.patch(_detail(conference, theirs.pk), {"name": "x"}, format="json").status_code == expected
        assert client.delete(_detail(conference, theirs.pk)).status_code == expected
    # The other conference's token on its own conference does not find this one's organisation.
    assert elsewhere.get(_detail(other, theirs.pk)).status_code == 404
    assert elsewhere.patch(_detail(other, theirs.pk), {"name": "x"}, format="json").status_code == 404
    assert elsewhere.delete(_detail(other, theirs.pk)).status_code == 404
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Initech"]

    assert staff.get(_list(conference)).json()["count"] == 1
    assert staff.post(_list(conference), _payload(), format="json").status_code == 201
    assert staff.get(_list(ConferenceFactory.build(slug="no-such-conference"))).status_code == 404


def test_a_session_write_needs_the_csrf_token(world):
    conference, _, _ = world
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(is_staff=True))
    refused = browser.post(_list(conference), _payload(), content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    assert not Organisation.objects.exists()
    secret = "a" * 32  # the cookie a page of ours would have set, sent back in the header as a page's script does
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        _list(conference), _payload(), content_type="application/json", headers={"x-csrftoken": secret}
    )
    assert accepted.status_code == 201, accepted.json()


TAKEN = "initech.example is already in the organisation “Initech”: a domain belongs to one only."


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"domains": ["gmail.com", "darion.example"]}, "domains", "gmail.com is a free-mail provider"),
        ({"domains": ["not a domain", "darion.example"]}, "domains", "“not a domain” is not an email domain"),
        ({"domains": ["INITECH.example", "darion.example"]}, "domains", TAKEN),
        ({"company_names": ["initech, inc."]}, "company_names", "is already in the organisation “Initech”"),
        (
            {"domains": ["darion.example"], "company_names": []},
            "non_field_errors",
            "An organisation joins at least two members",
        ),
        ({"domains": [], "company_names": ["Darion GmbH", "DARION"]}, "non_field_errors", "at least two members"),
        ({"name": "Initech"}, "name", "This conference already has an organisation named “Initech”."),
        ({"name": "   "}, "name", "Give the organisation a name"),
        ({"name": "x" * 201}, "name", "no more than 200 characters"),
        ({"domains": "darion.example"}, "domains", "Expected a list"),
        ({"domains": [["darion.example"]]}, "domains", "Not a valid string"),
        ({"company_names": ["x" * 201]}, "company_names", "no more than 200 characters"),
        ({"domains": [f"d{i}.example" for i in range(201)]}, "domains", "at most 200 domains"),
        ({"note": "x" * 5001}, "note", "no more than 5000 characters"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field_and_writes_nothing(world, change, field, message):
    conference, _, client = world
    organisation_declare(
        conference=conference, name="Initech", email_domains=["initech.example"], company_names=["Initech GmbH"]
    )
    response = client.post(_list(conference), {**_payload(), **change}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid"
    assert message in str(response.json()["error"]["fields"][field]), response.json()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Initech"]


def test_every_problem_is_named_at_once_with_the_admins_words(world):
    conference, _, client = world
    organisation_declare(
        conference=conference, name="Initech", email_domains=["initech.example"], company_names=["Initech GmbH"]
    )
    response = client.post(
        _list(conference),
        {
            "name": "Darion",
            "domains": ["gmail.com", "Initech.example", "not a domain"],
            "company_names": ["initech, inc."],
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["domains"] == [
        "gmail.com is a free-mail provider: its users share no employer, so it cannot be one organisation's. "
        "Leave it out.",
        "“not a domain” is not an email domain (write the part after @, e.g. darion.example).",
        TAKEN,
    ]
    assert fields["company_names"] == [
        "“initech, inc.” is already in the organisation “Initech” (names are compared without case, punctuation "
        "or legal form): a company belongs to one only."
    ]
    assert Organisation.objects.count() == 1


def test_an_organizer_changes_an_organisation_with_patch(world):
    conference, organizer, client = world
    initech = organisation_declare(conference=conference, name="Initech", email_domains=["initech.example", "i.de"])
    body = client.post(_list(conference), _payload(), format="json").json()
    url = _detail(conference, body["id"])
    changed = client.patch(
        url, {"domains": ["darion.example", "darionlabs.example"], "note": "Annual report"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["domains"] == ["darion.example", "darionlabs.example"]
    assert changed.json()["company_names"] == body["company_names"] and changed.json()["name"] == body["name"]
    assert changed.json()["note"] == "Annual report" and changed.json()["created_by"] == organizer.email
    # Its own members do not collide with itself; a rename keeps the rest.
    assert client.patch(url, {"name": "Darion Holding"}, format="json").json()["domains"] == [
        "darion.example",
        "darionlabs.example",
    ]

    for bad, field in (
        ({"domains": ["i.de"]}, "domains"),  # Initech's
        ({"domains": [], "company_names": []}, "non_field_errors"),
        ({"domains": ["outlook.com", "darion.example"]}, "domains"),
        ({"name": "Initech"}, "name"),
        ({"name": ""}, "name"),
    ):
        response = client.patch(url, bad, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], (bad, response.json())
    stored = Organisation.objects.get(pk=body["id"])
    assert stored.name == "Darion Holding" and stored.email_domains == ["darion.example", "darionlabs.example"]
    assert Organisation.objects.get(pk=initech.pk).email_domains == ["i.de", "initech.example"]
    assert client.put(url, _payload(), format="json").status_code == 405


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_two_organisations_claiming_one_domain_at_once_one_is_declared(postgres):
    """The service locks the conference's row before it checks, so of two POSTs that give one domain to
    two organisations at the same moment, exactly one is declared and the other is told whose it is."""
    from tests.ballots.test_vote_races import run_together

    conference = ConferenceFactory()
    organizer = UserFactory(is_staff=True)

    def post(name: str, other: str):
        def call():
            client = APIClient()
            client.force_authenticate(organizer)
            return client.post(_list(conference), {"name": name, "domains": ["shared.example", other]}, format="json")

        return call

    results = run_together([post("Alpha", "alpha.example"), post("Beta", "beta.example")])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [201, 400], [r.json() for r in results]
    (refused,) = [r for r in results if r.status_code == 400]
    winner = Organisation.objects.get()
    assert "shared.example" in winner.email_domains
    assert refused.json()["error"]["fields"]["domains"] == [
        f"shared.example is already in the organisation “{winner.name}”: a domain belongs to one only."
    ]
