"""What a pretix order means for our tickets.

Each order position whose product (pretix "item") is mapped to one of our ticket types is a ticket.
It counts (is valid) only while its order is paid (status p) and the position itself is not
canceled, and the order is not a test-mode order (a rehearsal purchase). A pending order (n) is not
a ticket yet; an expired (e) or canceled (c) order — which is how
pretix shows a full refund — or a canceled position revokes the ticket. Positions of other products
(merchandise, donations) are ignored.

A ticket's company is the position's attendee company when the shop asks for it, else the company of
the order's invoice address when that invoice is a business one (a company booking for its staff).
Bloc detection uses it to recognise a speaker's colleagues; nobody else sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_MAX = 200  # Ticket.holder_company's length
ORDER_STATUS_WORDS = {"n": "pending payment", "p": "paid", "e": "expired", "c": "canceled"}


class PretixDataError(ValueError):
    """The shop answered with data we cannot read."""


@dataclass(frozen=True)
class ShopTicket:
    external_id: str  # the position's id
    order_code: str
    secret: str
    item_id: str
    holder_email: str
    holder_name: str
    valid: bool
    why: str  # in words, for the change record
    holder_company: str = ""


def pretix_order_tickets(order: dict) -> list[ShopTicket]:
    try:
        code = str(order["code"])
        status = str(order["status"])
        positions = list(order.get("positions") or [])
        order_email = str(order.get("email") or "")
        testmode = bool(order.get("testmode", False))
        invoice = order.get("invoice_address") or {}
        invoice = invoice if isinstance(invoice, dict) else {}  # optional; an unreadable one is left out
        # A business invoice's company stands for every position without an attendee company of its own.
        invoice_company = str(invoice.get("company") or "").strip() if invoice.get("is_business") else ""
    except (KeyError, TypeError) as exc:
        raise PretixDataError(f"An order is missing a field: {exc}") from exc
    if status not in ORDER_STATUS_WORDS:
        raise PretixDataError(f"Order {code} has an unknown status “{status}”.")
    tickets = []
    for position in positions:
        try:
            external_id, secret, item = str(position["id"]), str(position["secret"]), str(position["item"])
        except (KeyError, TypeError) as exc:
            raise PretixDataError(f"A position of order {code} is missing a field: {exc}") from exc
        canceled = bool(position.get("canceled", False))
        valid = status == "p" and not canceled and not testmode
        if testmode:
            why = f"order {code} is a test-mode order in pretix"
        elif canceled:
            why = f"position canceled in pretix (order {code})"
        else:
            why = f"order {code} is {ORDER_STATUS_WORDS[status]} in pretix"
        tickets.append(
            ShopTicket(
                external_id=external_id,
                order_code=code,
                secret=secret,
                item_id=item,
                holder_email=str(position.get("attendee_email") or order_email).strip().lower(),
                holder_name=str(position.get("attendee_name") or "").strip(),
                valid=valid,
                why=why,
                holder_company=(str(position.get("company") or "").strip() or invoice_company)[:COMPANY_MAX],
            )
        )
    return tickets
