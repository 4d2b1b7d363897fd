"""Organizer screens: CSV import with preview, CSV exports without secrets, actions that go through
services (and are recorded), the pretix connection that never shows its token."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.attendance.models import PretixConnection, StateChange, Ticket, TicketClaim
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    TicketClaimFactory,
    TicketFactory,
    TicketTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
IMPORT = "admin:attendance_ticket_import"


def upload(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("tickets.csv", content.encode(), content_type="text/csv")


def test_csv_import_preview_then_import(staff_client):
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference")
    csv = "order_code,ticket_code,ticket_type\nA1,c1,Conference\nA2,c2,Conference\n"
    page = staff_client.get(reverse(IMPORT))
    assert page.status_code == 200 and "ticket_code" in page.content.decode()
    preview = staff_client.post(reverse(IMPORT), {"conference": conference.pk, "file": upload(csv), "preview": "1"})
    assert preview.status_code == 200 and "nothing was written yet" in preview.content.decode()
    assert not Ticket.objects.exists()
    token = re.search(r'name="previewed" value="([^"]+)"', preview.content.decode()).group(1)
    done = staff_client.post(reverse(IMPORT), {"conference": conference.pk, "previewed": token, "import": "1"})
    assert done.status_code == 200 and "Imported" in done.content.decode()
    assert Ticket.objects.count() == 2
    again = staff_client.post(reverse(IMPORT), {"conference": conference.pk, "file": upload(csv), "import": "1"})
    assert "0 new tickets, 0 updated, 2 unchanged" in re.sub(r"\s+", " ", again.content.decode())


def test_a_preview_is_only_usable_by_the_organizer_who_made_it(staff_client, client):
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference")
    csv = "order_code,ticket_code,ticket_type\nA1,c1,Conference\n"
    preview = staff_client.post(reverse(IMPORT), {"conference": conference.pk, "file": upload(csv), "preview": "1"})
    token = re.search(r'name="previewed" value="([^"]+)"', preview.content.decode()).group(1)
    other = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other)
    response = client.post(reverse(IMPORT), {"conference": conference.pk, "previewed": token, "import": "1"})
    assert response.status_code == 400 and "Choose the CSV file" in response.content.decode()
    assert not Ticket.objects.exists()


def test_csv_import_shows_each_error_line_and_imports_nothing(staff_client):
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference")
    csv = "order_code,ticket_code,ticket_type\nA1,c1,Conference\nA2,c1,Conference\nA3,c3,Nope\n"
    response = staff_client.post(reverse(IMPORT), {"conference": conference.pk, "file": upload(csv), "import": "1"})
    body = re.sub(r"\s+", " ", response.content.decode())
    assert response.status_code == 400
    assert "<td>3</td><td>Ticket code already used on line 2.</td>" in body
    assert "<td>4</td><td>Unknown ticket type “Nope”" in body
    assert not Ticket.objects.exists()


def test_import_is_for_staff_with_add_permission_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse(IMPORT)).status_code == 302


def test_csv_exports_never_contain_ticket_secrets(staff_client):
    made = TicketClaimFactory(ticket__holder_name="=HYPERLINK(evil)")
    PledgeFactory()
    for model, action in (
        ("ticket", "export_tickets_csv"),
        ("ticketclaim", "export_ticket_links_csv"),
        ("pledge", "export_pledges_csv"),
    ):
        response = staff_client.post(
            reverse(f"admin:attendance_{model}_changelist"),
            {"action": action, "_selected_action": [obj.pk for obj in type_of(model).objects.all()]},
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), model
        content = b"".join(response.streaming_content).decode()
        assert made.ticket.secret not in content
        assert len(content.strip().splitlines()) == 2, model
    tickets_csv = b"".join(
        staff_client.post(
            reverse("admin:attendance_ticket_changelist"),
            {"action": "export_tickets_csv", "_selected_action": [made.ticket_id]},
        ).streaming_content
    ).decode()
    assert "'=HYPERLINK(evil)" in tickets_csv  # a spreadsheet will not run it


def type_of(model):
    from django.apps import apps

    return apps.get_model("attendance", model)


def test_send_links_and_cancel_actions_go_through_services(staff_client, staff_user):
    ticket = TicketFactory()
    changelist = reverse("admin:attendance_ticket_changelist")
    staff_client.post(changelist, {"action": "send_links", "_selected_action": [ticket.pk]})
    assert len(mail.outbox) == 1 and "/ticket-link/" in mail.outbox[0].body
    staff_client.post(changelist, {"action": "cancel_tickets", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.status == "cancelled"
    assert StateChange.objects.get(ticket=ticket).actor == staff_user


def test_unlink_action_records_and_delete_is_not_offered(staff_client):
    made = TicketClaimFactory()
    changelist = reverse("admin:attendance_ticketclaim_changelist")
    staff_client.post(changelist, {"action": "unlink", "_selected_action": [made.pk]})
    assert not TicketClaim.objects.exists()
    assert StateChange.objects.get(to_state="unlinked").reason == "Unlinked by an organizer in the admin."
    other = TicketClaimFactory()
    delete = reverse("admin:attendance_ticketclaim_delete", args=[other.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403


def test_organizer_links_a_ticket_in_the_admin_with_clear_refusals(staff_client):
    ticket = TicketFactory()
    user = UserFactory()
    add = reverse("admin:attendance_ticketclaim_add")
    assert staff_client.post(add, {"ticket": ticket.pk, "user": user.pk}).status_code == 302
    claim = TicketClaim.objects.get()
    assert (claim.user, claim.method) == (user, TicketClaim.Method.ORGANIZER)
    second = TicketFactory(conference=ticket.conference)
    response = staff_client.post(add, {"ticket": second.pk, "user": user.pk})
    assert response.status_code == 200 and "already holds a ticket" in response.content.decode()


def test_pretix_token_is_never_shown_and_kept_when_left_empty(staff_client):
    conference = ConferenceFactory()
    add = reverse("admin:attendance_pretixconnection_add")
    data = {
        "conference": conference.pk,
        "api_url": "https://pretix.example/api/v1/",
        "organizer_slug": "acme",
        "event_slug": "democon",
        "api_token": "super-secret-token",
        "active": "on",
    }
    assert staff_client.post(add, data).status_code == 302
    connection = PretixConnection.objects.get()
    change = reverse("admin:attendance_pretixconnection_change", args=[connection.pk])
    page = staff_client.get(change).content.decode()
    assert "super-secret-token" not in page
    assert connection.webhook_token in page  # the webhook URL organizers paste into pretix
    staff_client.post(change, data | {"api_token": "", "event_slug": "democon2"})
    connection.refresh_from_db()
    assert (connection.api_token, connection.event_slug) == ("super-secret-token", "democon2")


def test_tickets_and_pledges_made_in_the_admin_are_recorded_and_status_is_not_editable(staff_client, staff_user):
    conference = ConferenceFactory()
    ticket_type = TicketTypeFactory(conference=conference)
    add = reverse("admin:attendance_ticket_add")
    data = {
        "conference": conference.pk,
        "ticket_type": ticket_type.pk,
        "order_code": "HAND1",
        "secret": "hand-made",
        "status": "valid",
    }
    assert staff_client.post(add, data).status_code == 302
    ticket = Ticket.objects.get()
    assert StateChange.objects.get(ticket=ticket).actor == staff_user
    change = reverse("admin:attendance_ticket_change", args=[ticket.pk])
    staff_client.post(change, data | {"status": "cancelled", "holder_name": "Renamed"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.holder_name) == ("valid", "Renamed")  # status only through the actions

    user = UserFactory()
    pledge_add = reverse("admin:attendance_pledge_add")
    looser = staff_client.post(pledge_add, {"user": user.pk, "conference": conference.pk, "threshold": "0.2"})
    assert looser.status_code == 200 and "cannot be looser" in looser.content.decode()
    assert (
        staff_client.post(pledge_add, {"user": user.pk, "conference": conference.pk, "threshold": "0.6"}).status_code
        == 302
    )
    assert StateChange.objects.get(subject="pledge").to_state == "active"


@pytest.mark.parametrize("model", ["ticket", "ticketclaim", "pledge", "ticketclaimfailure", "statechange"])
def test_change_lists_do_not_query_per_row(staff_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.attendance import services

    def add_rows():
        made = TicketClaimFactory()
        PledgeFactory(conference=made.conference)
        services.ticket_status_set(ticket=made.ticket, status="cancelled", by=None, reason="Refunded.")
        with pytest.raises(services.ClaimRefused):
            services.ticket_claim_by_order_code(
                user=UserFactory(), conference=made.conference, order_code="NOPE", email="x@example.org", ip="192.0.2.1"
            )

    url = reverse(f"admin:attendance_{model}_changelist")
    add_rows()
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(3):
        add_rows()
    with CaptureQueriesContext(connection) as four:
        assert staff_client.get(url).status_code == 200
    assert len(four) == len(one), model


@pytest.mark.parametrize("term", ["Searched", "searchedconf", "acme", "democon"])
def test_pretix_connections_are_found_by_conference_organizer_or_event_but_not_by_token(staff_client, term):
    found = PretixConnection.objects.create(
        conference=ConferenceFactory(name="Searched Conference", slug="searchedconf"),
        organizer_slug="acme",
        event_slug="democon",
        api_token="tok-secret-1",
    )
    PretixConnection.objects.create(
        conference=ConferenceFactory(), organizer_slug="other", event_slug="event", api_token="tok-secret-2"
    )
    url = reverse("admin:attendance_pretixconnection_changelist")
    assert list(staff_client.get(url, {"q": term}).context["cl"].result_list) == [found]
    assert list(staff_client.get(url, {"q": "tok-secret"}).context["cl"].result_list) == []
    assert list(staff_client.get(url, {"q": found.webhook_token}).context["cl"].result_list) == []
