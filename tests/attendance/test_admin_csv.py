"""The admin's CSV exports read plain values and stream them: the same bytes as the attribute walk over
model instances they replaced, with formula-like cells quoted, in a number of queries that does not
grow with the rows."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.attendance.models import Pledge, StateChange, Ticket, TicketClaim, TicketClaimFailure
from confvote.spreadsheet import spreadsheet_text
from tests.factories import PledgeFactory, TicketClaimFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORTS = [
    (Ticket, "export_tickets_csv"),
    (TicketClaim, "export_ticket_links_csv"),
    (Pledge, "export_pledges_csv"),
    (TicketClaimFailure, "export_failed_ticket_links_csv"),
    (StateChange, "export_state_changes_csv"),
]
# Before, "claimed" was the ticket's property; now it is an annotation of the same name.
OLD_PATHS = {"claimed": "is_claimed"}


def _columns(model, action) -> list[tuple[str, str]]:
    (export,) = [a for a in admin.site._registry[model].actions if getattr(a, "__name__", "") == action]
    return [(header, OLD_PATHS.get(path, path)) for header, path in export.columns]


def _old_csv(model, action) -> bytes:
    """What the export wrote before: each row a model instance, each cell an attribute walk."""

    def value(obj, path):
        for part in path.split("."):
            if obj is None:
                return ""
            obj = getattr(obj, part)
        return "" if obj is None else obj

    def cell(v):
        return spreadsheet_text(v.isoformat() if hasattr(v, "isoformat") else str(v))

    columns = _columns(model, action)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for header, _ in columns])
    for obj in model.objects.all():
        writer.writerow([cell(value(obj, path)) for _, path in columns])
    return out.getvalue().encode()


def _rows(n: int, tag: str = "a"):
    """n claimed tickets (some with a formula for a name), n unclaimed, n pledges, failures, changes."""
    staff = UserFactory(email=f"-staff-{tag}@example.org")
    for i in range(n):
        claim = TicketClaimFactory(ticket__holder_name="=HYPERLINK(evil)" if i % 2 else f"Ada {i}")
        TicketFactory(conference=claim.conference, holder_company="+49 company", holder_name="")
        pledge = PledgeFactory(conference=claim.conference)
        if i % 2:
            Pledge.objects.filter(pk=pledge.pk).update(
                status="triggered",
                wanted_count=7,
                accepted_count=4,
                accepted_fraction=Decimal("0.571"),
                due_date=dt.date(2026, 12, 24),
                settled_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
            )
        TicketClaimFailure.objects.create(
            conference=claim.conference, user=None if i % 2 else claim.user, kind="no_match", order_code="@SUM(1)"
        )
        StateChange.objects.create(
            conference=claim.conference,
            subject="ticket",
            ticket=claim.ticket,
            actor=staff if i % 2 else None,
            from_state="valid",
            to_state="cancelled",
            reason='-1 refund, said "no",\nthen yes',
        )


def _export(staff_client, model, action) -> tuple[bytes, int]:
    url = reverse(f"admin:attendance_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        form = {"action": action, "select_across": "1", "index": "0", "_selected_action": [model.objects.first().pk]}
        response = staff_client.post(url, form)
        assert response.status_code == 200 and response.streaming, (model, response.status_code)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        body = b"".join(response.streaming_content)
    return body, len(queries)


@pytest.mark.parametrize(("model", "action"), EXPORTS, ids=[e[1] for e in EXPORTS])
def test_the_streamed_csv_is_the_csv_of_before(staff_client, model, action):
    _rows(3)
    body, _ = _export(staff_client, model, action)
    assert body == _old_csv(model, action)
    assert body.count(b"\r\n") >= 4  # header and rows, not an empty file equal to an empty file


def test_formula_cells_are_quoted(staff_client):
    _rows(2)
    tickets, _ = _export(staff_client, Ticket, "export_tickets_csv")
    assert b"'=HYPERLINK(evil)" in tickets and b"'+49 company" in tickets and b",True," in tickets
    failures, _ = _export(staff_client, TicketClaimFailure, "export_failed_ticket_links_csv")
    assert b"'@SUM(1)" in failures
    changes, _ = _export(staff_client, StateChange, "export_state_changes_csv")
    assert b"'-staff-a@example.org" in changes and b"'-1 refund" in changes


@pytest.mark.parametrize(("model", "action"), EXPORTS, ids=[e[1] for e in EXPORTS])
def test_queries_do_not_grow_with_the_rows(staff_client, model, action):
    _rows(2)
    _, few = _export(staff_client, model, action)
    _rows(12, tag="b")
    body, many = _export(staff_client, model, action)
    assert body.count(b"\n") > 14 and many == few, (few, many)
