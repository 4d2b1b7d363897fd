"""Attendee pages, the pledge dashboard and the pretix webhook through the browser's eyes:
permissions scoped to the requester, clear empty states and errors, CSRF, no N+1 queries."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from apps.attendance.models import Pledge, PretixConnection, TicketClaim
from apps.attendance.services import throttle
from apps.scheduling.models import ScheduleProposal
from apps.talks.models import Conference
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_pages_need_a_login(client):
    conference = ConferenceFactory()
    for url in (
        reverse("attendance:my_overview"),
        reverse("attendance:my_ticket", args=[conference.slug]),
        reverse("attendance:my_pledge", args=[conference.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_from_sign_up_to_a_verified_ticket(client):
    """The path an attendee takes: sign up with the ticket's email, click the verification link,
    and the ticket is theirs — nothing else to type."""
    from django.core import mail

    from tests.factories import PASSWORD

    ticket = TicketFactory(holder_email="newcomer@example.org", ticket_type__name="Full pass")
    client.post(
        reverse("account_signup"), {"email": "Newcomer@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert not TicketClaim.objects.exists()  # not before the email is verified
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    page = text(client.get(reverse("attendance:my_ticket", args=[ticket.conference.slug])))
    assert "Full pass" in page and "count in full" in page
    assert TicketClaim.objects.get().method == TicketClaim.Method.EMAIL


def test_my_ticket_empty_state_then_link_in_the_browser(user_client, user):
    ticket = TicketFactory(order_code="ABC12", holder_email="me@example.org", ticket_type__name="Full pass")
    url = reverse("attendance:my_ticket", args=[ticket.conference.slug])
    page = text(user_client.get(url))
    assert "You have not linked a ticket" in page and "Order code" in page and "Ticket email" in page
    response = user_client.post(url, {"order_code": "abc12", "email": "me@example.org"}, follow=True)
    page = text(response)
    assert "Your ticket is linked" in page and "Full pass" in page and "count in full" in page
    assert TicketClaim.objects.get().user == user


def test_my_ticket_failures_are_400_with_a_message_and_no_500(user_client, user):
    ticket = TicketFactory()
    url = reverse("attendance:my_ticket", args=[ticket.conference.slug])
    response = user_client.post(url, {"order_code": "WRONG", "email": ticket.holder_email})
    assert response.status_code == 400 and "could not link a ticket" in text(response)
    response = user_client.post(url, {"order_code": "", "email": "not-an-email"})
    assert response.status_code == 400 and "Enter a valid email address" in text(response)
    TicketClaimFactory(
        ticket=TicketFactory(conference=ticket.conference, order_code="TAKEN", holder_email="t@example.org")
    )
    response = user_client.post(url, {"order_code": "TAKEN", "email": "t@example.org"})
    assert response.status_code == 400 and "already linked to another account" in text(response)


def test_brute_force_through_the_page_is_throttled_per_ip(client):
    ticket = TicketFactory()
    url = reverse("attendance:my_ticket", args=[ticket.conference.slug])
    for n in range(throttle.PER_IP.attempts):
        client.force_login(UserFactory())
        client.post(url, {"order_code": f"G{n}", "email": ticket.holder_email}, REMOTE_ADDR="198.51.100.9")
    client.force_login(UserFactory())
    response = client.post(
        url, {"order_code": ticket.order_code, "email": ticket.holder_email}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 400 and "Too many unsuccessful attempts" in text(response)
    assert not TicketClaim.objects.exists()


def test_no_one_sees_another_users_ticket_or_pledge(client):
    conference = ConferenceFactory()
    theirs = TicketClaimFactory(ticket__conference=conference, ticket__order_code="SECRET9", ticket__holder_name="Zed")
    PledgeFactory(conference=conference, threshold=Decimal("0.9"))
    me = UserFactory()
    client.force_login(me)
    ticket_page = text(client.get(reverse("attendance:my_ticket", args=[conference.slug])))
    pledge_page = text(client.get(reverse("attendance:my_pledge", args=[conference.slug])))
    assert "SECRET9" not in ticket_page and "Zed" not in ticket_page and theirs.ticket.secret not in ticket_page
    assert "You have not pledged" in pledge_page and "90%" not in pledge_page
    overview = text(client.get(reverse("attendance:my_overview")))
    assert "Link a ticket" in overview and "Pledge to attend" in overview


def test_ticket_secrets_are_never_shown_even_to_their_holder(client):
    made = TicketClaimFactory()
    client.force_login(made.user)
    page = text(client.get(reverse("attendance:my_ticket", args=[made.conference.slug])))
    assert made.ticket.order_code in page and made.ticket.secret not in page


def test_forms_need_csrf(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    ticket = TicketFactory()
    response = client.post(
        reverse("attendance:my_ticket", args=[ticket.conference.slug]),
        {"order_code": ticket.order_code, "email": ticket.holder_email},
    )
    assert response.status_code == 403
    assert not TicketClaim.objects.exists()


def test_pledge_page_explains_terms_weight_and_lets_you_pledge_and_withdraw(user_client, user):
    conference = ConferenceFactory(pledge_threshold=Decimal("0.5"))
    url = reverse("attendance:my_pledge", args=[conference.slug])
    page = text(user_client.get(url))
    assert "want to see</strong> or higher" in page  # the plain meaning of "talks I vote for"
    assert "Your weight now: 0" in page and "You have not pledged" in page
    response = user_client.post(url, {"action": "pledge", "threshold_percent": "40"})
    assert response.status_code == 400 and "never a looser one" in text(response)
    assert not Pledge.objects.exists()
    page = text(user_client.post(url, {"action": "pledge", "threshold_percent": "75"}, follow=True))
    assert "Your pledge is recorded" in page and "at least <strong>75%</strong>" in page
    assert "Your weight now: 0.5" in page and "pledge weight" in page
    page = text(user_client.post(url, {"action": "withdraw"}, follow=True))
    assert "withdrawn" in page and Pledge.objects.get(user=user).status == "withdrawn"


def test_pledge_page_says_why_a_pledge_cannot_be_withdrawn_or_changed(user_client, user):
    conference = ConferenceFactory(pledge_threshold=Decimal("0.5"))
    url = reverse("attendance:my_pledge", args=[conference.slug])
    nothing = user_client.post(url, {"action": "withdraw"})
    assert nothing.status_code == 400 and "You have no active pledge to withdraw." in text(nothing)
    PledgeFactory(user=user, conference=conference, status=Pledge.Status.FULFILLED)
    settled = user_client.post(url, {"action": "pledge", "threshold_percent": "75"})
    assert settled.status_code == 400 and "Your pledge is fulfilled and cannot change." in text(settled)
    assert Pledge.objects.get(user=user).status == Pledge.Status.FULFILLED
    # A page opened while voting was open and sent after it closed: the pledge stands, and the page says so.
    closed = ConferenceFactory(status=Conference.Status.CLOSED)
    PledgeFactory(user=user, conference=closed)
    late = user_client.post(reverse("attendance:my_pledge", args=[closed.slug]), {"action": "withdraw"})
    assert late.status_code == 400
    assert "Voting has closed, so the pledge stands until the schedule is published." in text(late)
    assert text(late).count('id="form-errors"') == 1
    assert Pledge.objects.get(user=user, conference=closed).status == Pledge.Status.ACTIVE


def test_pledge_page_after_publication_shows_the_computed_fraction(user_client, user):
    conference = ConferenceFactory(status=Conference.Status.PUBLISHED, ticket_shop_url="https://shop.example/")
    pledge = PledgeFactory(user=user, conference=conference)
    Pledge.objects.filter(pk=pledge.pk).update(
        status="triggered",
        accepted_fraction=Decimal("0.666"),
        wanted_count=3,
        accepted_count=2,
        settled_at="2026-11-01T10:00Z",
        due_date="2026-11-15",
    )
    page = text(user_client.get(reverse("attendance:my_pledge", args=[conference.slug])))
    assert "2 of 3 (66.6%)" in page and "15 Nov 2026" in page and "https://shop.example/" in page
    assert "Withdraw" not in page


def test_my_overview_does_not_query_per_conference(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        conference = ConferenceFactory()
        TicketClaimFactory(ticket__conference=conference, user=user)
        PledgeFactory(conference=conference)
    client.get(reverse("attendance:my_overview"))  # warm up session/auth queries
    with django_assert_max_num_queries(6):
        response = client.get(reverse("attendance:my_overview"))
    for _ in range(5):
        ConferenceFactory()
    with django_assert_max_num_queries(6):
        assert client.get(reverse("attendance:my_overview")).status_code == 200
    assert text(response).count(">My ticket<") == 3


def test_one_time_link_page_shows_then_links_on_the_button(client):
    from apps.attendance import services

    ticket = TicketFactory(ticket_type__name="Full pass")
    links = []
    services.ticket_invitations_send(
        tickets=type(ticket).objects.filter(pk=ticket.pk), by=None, link_for=lambda t: links.append(t) or t
    )
    user = UserFactory()
    client.force_login(user)
    url = reverse("attendance:ticket_link", args=[links[0]])
    page = client.get(url)
    assert page.status_code == 200 and "Full pass" in text(page) and ticket.secret not in text(page)
    assert not TicketClaim.objects.exists()  # GET never links (mail scanners open links)
    response = client.post(url)
    assert response.status_code == 302 and TicketClaim.objects.get().user == user
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 400


def test_pledge_dashboard_is_for_organizers_only(staff_client):
    conference = ConferenceFactory()
    url = reverse("attendance:pledge_dashboard", args=[conference.slug])
    client = Client()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # to the admin login
    page = text(staff_client.get(url))
    assert "Nobody has pledged yet" in page and "No schedule proposal has finished yet" in page


def test_pledge_dashboard_funnel_and_forecast(staff_client):
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(2)]
    for _ in range(3):
        VoteFactory(user=PledgeFactory(conference=conference).user, talk=talks[0], score=3)
    VoteFactory(user=PledgeFactory(conference=conference).user, talk=talks[1], score=3)
    ScheduleProposal.objects.create(
        conference=conference, status="succeeded", result={"accepted_talk_ids": [talks[0].pk]}
    )
    ScheduleProposal.objects.create(conference=conference, status="failed", result={})
    page = text(staff_client.get(reverse("attendance:pledge_dashboard", args=[conference.slug])))
    assert "<strong>3</strong> of the 4 active pledges would be triggered" in page


def test_pretix_webhook_runs_a_sync_of_one_order(client, django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    # Port 9 on loopback refuses at once: the eager task really runs and records that pretix is unreachable.
    connection = PretixConnection.objects.create(
        conference=conference,
        api_url="http://127.0.0.1:9/api/v1/",
        organizer_slug="acme",
        event_slug="democon",
        api_token="tok",
    )
    url = reverse("attendance:pretix_webhook", args=[connection.webhook_token])
    body = {
        "notification_id": 1,
        "organizer": "acme",
        "event": "democon",
        "code": "ABC12",
        "action": "pretix.event.order.paid",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 202 and response.json() == {"status": "queued"}
    connection.refresh_from_db()
    assert connection.last_error.startswith("pretix could not be reached") and "tok" not in connection.last_error
    wrong = client.post(reverse("attendance:pretix_webhook", args=["wrong"]), "{}", content_type="application/json")
    assert wrong.status_code == 404
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert client.post(url, json.dumps(body | {"code": "../x"}), content_type="application/json").status_code == 400
    assert client.get(url).status_code == 405
    other = client.post(url, json.dumps(body | {"event": "other"}), content_type="application/json")
    assert other.json()["status"] == "ignored"


def test_pledge_dashboard_funnel_after_publication(staff_client, django_capture_on_commit_callbacks):
    from apps.attendance import services

    conference = ConferenceFactory(status=Conference.Status.PUBLISHED)
    talk = TalkFactory(conference=conference)
    pledges = [PledgeFactory(conference=conference) for _ in range(4)]
    for pledge in pledges[:3]:
        VoteFactory(user=pledge.user, talk=talk, score=3)
    services.pledges_settle(conference=conference, accepted_talk_ids=[talk.pk])  # 3 triggered, 1 released
    ticket = TicketFactory(conference=conference)
    services.ticket_claim_by_order_code(
        user=pledges[0].user, conference=conference, order_code=ticket.order_code, email=ticket.holder_email, ip=None
    )
    url = reverse("attendance:pledge_dashboard", args=[conference.slug])
    page = text(staff_client.get(url))
    assert "3 pledges triggered at publication; 1 fulfilled (33%), 2 still waiting for a ticket, 0 defaulted" in page
    assert "Forecast" not in page  # published: nothing left to forecast


def test_a_ticket_holder_is_told_there_is_nothing_to_pledge(client):
    made = TicketClaimFactory()
    client.force_login(made.user)
    page = text(client.get(reverse("attendance:my_pledge", args=[made.conference.slug])))
    assert "nothing to pledge" in page and "Your weight now: 1" in page and 'name="threshold_percent"' not in page


def test_pretix_webhook_with_a_nul_byte_in_its_token_is_unknown_not_a_500(client):
    # PostgreSQL text cannot hold a NUL byte: looking the token up raised a DataError.
    url = reverse("attendance:pretix_webhook", args=["tok\x00en"])
    response = client.post(url, "{}", content_type="application/json")
    assert response.status_code == 404 and response.json() == {"error": "Unknown webhook."}


def test_pretix_webhook_refuses_an_order_code_with_non_ascii_digits(client):
    connection = PretixConnection.objects.create(
        conference=ConferenceFactory(), organizer_slug="acme", event_slug="democon", api_token="tok"
    )
    url = reverse("attendance:pretix_webhook", args=[connection.webhook_token])
    for code in ("ABC²", "ABC١٢"):  # alphanumeric to str.isalnum, never a pretix order code
        body = {"organizer": "acme", "event": "democon", "code": code}
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 400 and response.json() == {"error": "The order code is not valid."}


def test_pretix_webhook_with_json_nested_too_deeply_is_a_400(client):
    connection = PretixConnection.objects.create(
        conference=ConferenceFactory(), organizer_slug="acme", event_slug="democon", api_token="tok"
    )
    url = reverse("attendance:pretix_webhook", args=[connection.webhook_token])
    response = client.post(url, "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "Expected a JSON body with organizer, event and code."}
