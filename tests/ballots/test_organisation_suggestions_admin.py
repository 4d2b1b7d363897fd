"""Suggested organisations read from a conference's voters and speakers, and the admin page that
lists them with a "Declare" link filling in the add (or change) form."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.attendance.models import TicketClaim
from apps.ballots.selectors.organisations import organisation_suggestions_of
from apps.ballots.services import organisation_declare
from tests.factories import (
    ConferenceFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db
PAGE = "admin:ballots_organisation_suggestions"


def _voter(conference, talk, *, email: str, company: str, holder_email: str = ""):
    user = UserFactory(email=email)
    VoteFactory(user=user, talk=talk)
    ticket = TicketFactory(conference=conference, holder_company=company, holder_email=holder_email or email)
    TicketClaimFactory(user=user, conference=conference, ticket=ticket)
    return user


def _darion(conference, talk, *, cloud: int = 2, prefix: str = ""):
    for i in range(3):
        _voter(conference, talk, email=f"{prefix}d{i}@darion.example", company="Darion Group")
    for i in range(cloud):
        _voter(conference, talk, email=f"{prefix}c{i}@darioncloud.example", company="Darion Group GmbH")


def test_the_selector_reads_voters_as_detection_does_in_a_few_queries():
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    _darion(conference, talk, cloud=1)
    # Free mail on the account, the work address on their own ticket: at darioncloud.example.
    _voter(conference, talk, email="x@gmail.com", company="Darion Group", holder_email="x@darioncloud.example")
    other = ConferenceFactory()  # the same people elsewhere say nothing here
    _darion(other, TalkFactory(conference=other), cloud=5, prefix="other-")
    with CaptureQueriesContext(connection) as few:
        (suggestion,) = organisation_suggestions_of(conference=conference)
    assert suggestion.email_domains == ("darion.example", "darioncloud.example")
    assert suggestion.people == 5
    for i in range(4):
        _voter(conference, talk, email=f"e{i}@elsewhere.example", company=f"Elsewhere {i}")
    SpeakerFactory(conference=conference, email="s@darionlabs.example", company="Darion Group")
    with CaptureQueriesContext(connection) as more:
        (suggestion,) = organisation_suggestions_of(conference=conference)
    assert suggestion.email_domains == ("darion.example", "darioncloud.example", "darionlabs.example")
    assert len(more) == len(few) <= 6


def test_the_page_lists_a_suggestion_and_declare_fills_in_the_add_form(admin_client):
    conference = ConferenceFactory(name="Darion Conf")
    _darion(conference, TalkFactory(conference=conference))
    listing = admin_client.get(reverse("admin:ballots_organisation_changelist")).content.decode()
    assert reverse(PAGE) in listing  # reachable from the organisations' list
    page = admin_client.get(reverse(PAGE), {"conference": conference.pk})
    assert page.status_code == 200
    ((suggestion, link),) = page.context["rows"]
    text = page.content.decode()
    assert "3 voters at darion.example (of 3 there naming a company) and 2 voters at darioncloud.example" in text
    assert suggestion.name == "Darion Group"
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "conference": [str(conference.pk)],
        "name": ["Darion Group"],
        "email_domains": ["darion.example\ndarioncloud.example"],
        "company_names": ["Darion Group"],
    }
    form = admin_client.get(link).context["adminform"].form
    assert form.initial["name"] == "Darion Group"
    assert form.initial["email_domains"] == "darion.example\ndarioncloud.example"
    assert str(form.initial["conference"]) == str(conference.pk)
    # Saved as it stands, it goes through organisation_save and the suggestion is gone.
    data = {k: v[0] for k, v in query.items()} | {"note": ""}
    assert admin_client.post(reverse("admin:ballots_organisation_add"), data).status_code == 302
    again = admin_client.get(reverse(PAGE), {"conference": conference.pk})
    assert again.context["rows"] == []


def test_an_add_to_suggestion_opens_the_organisations_change_form_with_the_new_members(admin_client):
    conference = ConferenceFactory()
    _darion(conference, TalkFactory(conference=conference))
    declared = organisation_declare(
        conference=conference, name="Darion", email_domains=["darion.example"], company_names=["Darion Labs"]
    )
    page = admin_client.get(reverse(PAGE), {"conference": conference.pk})
    ((suggestion, link),) = page.context["rows"]
    assert suggestion.add_to == "Darion"
    assert "Add to Darion" in page.content.decode()
    assert link.startswith(reverse("admin:ballots_organisation_change", args=[declared.pk]) + "?")
    form = admin_client.get(link).context["adminform"].form
    assert form.initial["email_domains"] == "darion.example\ndarioncloud.example"
    assert form.initial["company_names"] == "Darion Labs\nDarion Group"


def test_the_empty_state_and_no_conference_chosen(admin_client):
    conference = ConferenceFactory()
    _darion(conference, TalkFactory(conference=conference), cloud=1)  # one stray person suggests nothing
    page = admin_client.get(reverse(PAGE), {"conference": conference.pk}).content.decode()
    assert (
        "No suggestions: no company name is written from two work domains, and no work domain writes two names." in page
    )
    chooser = admin_client.get(reverse(PAGE), {"conference": "not-a-number"})
    assert chooser.status_code == 200 and chooser.context["conference"] is None
    assert "No suggestions" not in chooser.content.decode()


def test_the_page_needs_the_organisation_permission(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(PAGE)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse(PAGE)).status_code == 302  # to the admin's login


def test_a_voter_with_several_votes_is_one_person():
    """The selector lists each voter once, however many talks they rated (a DISTINCT over the votes'
    default ordering listed a voter once per vote): one voter at darioncloud.example who rated three
    talks is one person, not enough to suggest the domain."""
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    for i in range(3):
        _voter(conference, talks[0], email=f"d{i}@darion.example", company="Darion Group")
    keen = _voter(conference, talks[0], email="c0@darioncloud.example", company="Darion Group GmbH")
    for talk in talks[1:]:
        VoteFactory(user=keen, talk=talk)
    assert organisation_suggestions_of(conference=conference) == []
    _voter(conference, talks[1], email="c1@darioncloud.example", company="Darion Group GmbH")
    (suggestion,) = organisation_suggestions_of(conference=conference)
    assert suggestion.people == 5


def test_only_voters_of_the_conference_with_a_valid_ticket_count_and_a_bookers_address_is_not_theirs():
    """The selector reads ticket holders who voted here, each once, with their domain as detection takes
    it: a free-mail account whose own ticket carries a work address is at that domain, unless the
    address is on another ticket of the same order too (in any case): then it is the booker's."""
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    _darion(conference, talk, cloud=2)
    # Two free-mail voters whose tickets both carry their booker's address at darionlabs.example.
    for i, booker in enumerate(("booker@darionlabs.example", "Booker@DarionLabs.example")):
        user = UserFactory(email=f"booked{i}@gmail.com")
        VoteFactory(user=user, talk=talk)
        ticket = TicketFactory(conference=conference, order_code="GROUP1", holder_company="Darion Group")
        ticket.holder_email = booker
        ticket.save(update_fields=["holder_email"])
        TicketClaimFactory(user=user, conference=conference, ticket=ticket)
    # Ticket holders at darionlabs.example who did not vote here (one votes at another conference), and
    # one who voted on a ticket no longer valid: none of them counts.
    other = ConferenceFactory()
    for i, status in enumerate(("valid", "valid", "cancelled")):
        user = UserFactory(email=f"l{i}@darionlabs.example")
        ticket = TicketFactory(conference=conference, holder_company="Darion Group", status=status)
        TicketClaimFactory(user=user, conference=conference, ticket=ticket)
        VoteFactory(user=user, talk=talk if status == "cancelled" else TalkFactory(conference=other))
    (suggestion,) = organisation_suggestions_of(conference=conference)
    assert suggestion.email_domains == ("darion.example", "darioncloud.example")
    assert suggestion.people == 5
    # The booker's address on one ticket only is the voter's own: then they are at darionlabs.example.
    ticket = TicketClaim.objects.get(user__email="booked1@gmail.com").ticket
    ticket.order_code = "GROUP2"
    ticket.save(update_fields=["order_code"])
    TicketClaim.objects.filter(user__email="booked0@gmail.com").delete()
    user = UserFactory(email="booked2@gmail.com")
    VoteFactory(user=user, talk=talk)
    ticket = TicketFactory(conference=conference, order_code="GROUP3", holder_company="Darion Group")
    ticket.holder_email = "own@darionlabs.example"
    ticket.save(update_fields=["holder_email"])
    TicketClaimFactory(user=user, conference=conference, ticket=ticket)
    (suggestion,) = organisation_suggestions_of(conference=conference)
    assert suggestion.email_domains == ("darion.example", "darioncloud.example", "darionlabs.example")
    assert suggestion.people == 7


def test_the_page_makes_as_many_queries_for_many_voters_and_suggestions_as_for_one(
    admin_client, django_assert_max_num_queries
):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    _darion(conference, talk)
    with django_assert_max_num_queries(20) as few:
        assert len(admin_client.get(reverse(PAGE), {"conference": conference.pk}).context["rows"]) == 1
    _darion(conference, TalkFactory(conference=conference), cloud=6, prefix="more-")
    for i in range(3):
        _voter(conference, talk, email=f"p{i}@tu-porto.example", company="TU Porto")
        _voter(conference, talk, email=f"l{i}@tu-porto.example", company="Technische Universität Porto")
    SpeakerFactory(conference=conference, email="s@darionlabs.example", company="Darion Group")
    organisation_declare(
        conference=conference, name="Porto", email_domains=["tu-porto.example"], company_names=["TU Porto"]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = admin_client.get(reverse(PAGE), {"conference": conference.pk}).context["rows"]
    assert [(s.name, s.people) for s, _ in rows] == [("Darion Group GmbH", 15), ("Porto", 6)]
