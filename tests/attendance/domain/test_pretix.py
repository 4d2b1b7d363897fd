"""What a pretix order means: paid and not canceled is a ticket; anything else is not (yet)."""

import json
from pathlib import Path

import pytest

from apps.attendance.domain.pretix import PretixDataError, pretix_order_tickets

ORDER = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "pretix" / "order_ABC12.json").read_text())


def test_a_paid_order_gives_one_ticket_per_position_with_the_attendee_or_order_email():
    tickets = pretix_order_tickets(ORDER)
    assert [(t.external_id, t.item_id, t.valid, t.holder_email) for t in tickets] == [
        ("101", "11", True, "ada@example.org"),
        ("102", "11", True, "grace@example.org"),
        ("103", "99", True, "buyer@example.org"),
    ]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"status": "n"}, "pending payment"),
        ({"status": "e"}, "expired"),
        ({"status": "c"}, "canceled"),
        ({"testmode": True}, "test-mode order"),
    ],
)
def test_unpaid_canceled_expired_or_test_orders_are_not_valid(change, why):
    tickets = pretix_order_tickets(ORDER | change)
    assert not any(t.valid for t in tickets)
    assert why in tickets[0].why


def test_a_canceled_position_alone_is_not_valid():
    order = json.loads(json.dumps(ORDER))
    order["positions"][1]["canceled"] = True
    assert [t.valid for t in pretix_order_tickets(order)] == [True, False, True]


def test_missing_fields_are_reported():
    with pytest.raises(PretixDataError, match="missing a field"):
        pretix_order_tickets({"status": "p"})
    with pytest.raises(PretixDataError, match="position of order ABC12"):
        pretix_order_tickets(ORDER | {"positions": [{"id": 1}]})


def _with_companies(invoice, *position_companies):
    order = json.loads(json.dumps(ORDER))
    order["invoice_address"] = invoice
    for position, company in zip(order["positions"], position_companies, strict=False):
        position["company"] = company
    return order


def test_the_attendee_company_wins_and_a_business_invoice_names_the_rest():
    invoice = {"is_business": True, "company": "  Initech GmbH ", "name": "Bill Lumbergh"}
    tickets = pretix_order_tickets(_with_companies(invoice, "Globex", None, ""))
    assert [t.holder_company for t in tickets] == ["Globex", "Initech GmbH", "Initech GmbH"]


@pytest.mark.parametrize(
    "invoice",
    [
        None,
        {"is_business": False, "company": "My Own Ltd"},  # a private buyer's invoice names no employer
        {"company": "Initech"},  # is_business missing
        "Initech GmbH",  # not an address object: left out, the order still reads
    ],
)
def test_without_a_business_invoice_only_attendee_companies_count(invoice):
    tickets = pretix_order_tickets(_with_companies(invoice, None, "Globex"))
    assert [t.holder_company for t in tickets] == ["", "Globex", ""]
    assert all(t.valid for t in tickets)


def test_a_company_longer_than_the_field_is_cut():
    tickets = pretix_order_tickets(_with_companies(None, "x" * 500))
    assert len(tickets[0].holder_company) == 200
