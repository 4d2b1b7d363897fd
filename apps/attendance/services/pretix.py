"""Reading tickets from pretix: the whole event (paged), or one order when a webhook says it changed.

The HTTP transport can be injected (tests serve pretix-shaped JSON through httpx.MockTransport);
the token goes only to the configured API host, never to a host named in a `next` link."""

import logging
from urllib.parse import urlsplit

import httpx
from django.db import transaction
from django.utils import timezone

from ..domain.pretix import PretixDataError, ShopTicket, pretix_order_tickets
from ..models import PretixConnection, Ticket, TicketType
from .tickets import IncomingTicket, UpsertReport, tickets_upsert

logger = logging.getLogger(__name__)
MAX_PAGES = 10_000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class PretixSyncError(Exception):
    """The sync could not run; the message is safe to show organizers (it never contains the token)."""


def pretix_sync_event(*, connection: PretixConnection, transport: httpx.BaseTransport | None = None) -> dict:
    """Reads every order of the event and brings our tickets in line: new paid positions become
    tickets, changed ones are updated, canceled or refunded ones (and ones gone from pretix) are revoked."""
    with _client(connection, transport) as client:
        orders = _recorded(connection, lambda: list(_orders_all(client, connection)))
    return _apply(connection, orders, revoke_unseen_in=None)


def pretix_sync_order(
    *, connection: PretixConnection, order_code: str, transport: httpx.BaseTransport | None = None
) -> dict:
    with _client(connection, transport) as client:
        path = f"{_event_path(connection)}orders/{order_code}/"
        order = _recorded(connection, lambda: _get(client, path, {"include_canceled_positions": "true"}))
    return _apply(connection, [order], revoke_unseen_in=str(order.get("code", order_code)))


def _apply(connection: PretixConnection, orders: list[dict], *, revoke_unseen_in: str | None) -> dict:
    conference = connection.conference
    try:
        shop_tickets = [t for order in orders for t in pretix_order_tickets(order)]
    except PretixDataError as exc:
        _record_failure(connection, str(exc))
        raise PretixSyncError(str(exc)) from exc
    types = dict(
        TicketType.objects.filter(conference=conference).exclude(external_id="").values_list("external_id", "pk")
    )
    mapped = [t for t in shop_tickets if t.item_id in types]
    incoming = [_incoming(t, types[t.item_id]) for t in mapped]
    with transaction.atomic():
        report = tickets_upsert(
            conference=conference, incoming=incoming, by=None, only_matching=revoke_unseen_in is not None
        )
        if report.errors:
            transaction.set_rollback(True)
        else:
            report.revoked = _revoke_unseen(connection, {t.external_id for t in shop_tickets}, revoke_unseen_in)
    report.skipped += len(shop_tickets) - len(mapped)
    if report.errors:
        message = f"{len(report.errors)} position(s) conflict with existing tickets: {report.errors[0].message}"
        _record_failure(connection, message)
        raise PretixSyncError(message)
    summary = report.as_dict() | {"orders": len(orders)}
    PretixConnection.objects.filter(pk=connection.pk).update(
        last_synced_at=timezone.now(), last_result=summary, last_error=""
    )
    from .claims import tickets_autolink_for_conference

    summary["linked"] = tickets_autolink_for_conference(conference=conference)
    return summary


def _incoming(ticket: ShopTicket, ticket_type_id: int) -> IncomingTicket:
    return IncomingTicket(
        order_code=ticket.order_code,
        secret=ticket.secret,
        ticket_type_id=ticket_type_id,
        holder_email=ticket.holder_email,
        holder_name=ticket.holder_name,
        holder_company=ticket.holder_company,
        valid=ticket.valid,
        why=ticket.why,
        external_id=ticket.external_id,
        create_if_invalid=False,
    )


def _revoke_unseen(connection: PretixConnection, seen: set[str], order_code: str | None) -> int:
    """Tickets that came from pretix but are no longer there (a removed position) stop counting."""
    from .tickets import ticket_status_set

    stale = Ticket.objects.filter(conference=connection.conference, status=Ticket.Status.VALID).exclude(external_id="")
    if order_code is not None:
        stale = stale.filter(order_code=order_code)
    revoked = 0
    for ticket in stale.exclude(external_id__in=seen).order_by("id"):
        revoked += ticket_status_set(
            ticket=ticket, status=Ticket.Status.CANCELLED, by=None, reason="Position no longer in pretix."
        )
    return revoked


def _client(connection: PretixConnection, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(
        base_url=connection.api_url.rstrip("/") + "/",
        headers={"Authorization": f"Token {connection.api_token}", "Accept": "application/json"},
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=False,
    )


def _event_path(connection: PretixConnection) -> str:
    return f"organizers/{connection.organizer_slug}/events/{connection.event_slug}/"


def _orders_all(client: httpx.Client, connection: PretixConnection):
    page = _get(client, f"{_event_path(connection)}orders/", {"include_canceled_positions": "true"})
    api = urlsplit(str(client.base_url))
    for _ in range(MAX_PAGES):
        yield from page.get("results") or []
        next_url = page.get("next")
        if not next_url:
            return
        target = urlsplit(next_url)
        if (target.scheme, target.netloc) != (api.scheme, api.netloc):
            raise PretixSyncError(f"pretix sent a next page on another host ({target.netloc}); the sync stopped.")
        page = _get(client, next_url, None)
    raise PretixSyncError(f"More than {MAX_PAGES} pages of orders; the sync stopped.")


def _get(client: httpx.Client, url: str, params: dict | None) -> dict:
    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise PretixSyncError(f"pretix could not be reached: {type(exc).__name__}.") from exc
    if response.status_code in (401, 403):
        raise PretixSyncError("pretix refused the API token: check it has read access to this event's orders.")
    if response.status_code == 404:
        raise PretixSyncError("pretix says the organizer, event or order does not exist: check the slugs.")
    if response.status_code == 429:
        raise PretixSyncError("pretix asks us to slow down (rate limit); the next sync will try again.")
    if response.status_code >= 400:
        raise PretixSyncError(f"pretix answered HTTP {response.status_code}.")
    try:
        body = response.json()
    except ValueError as exc:
        raise PretixSyncError("pretix answered with something that is not JSON.") from exc
    if not isinstance(body, dict):
        raise PretixSyncError("pretix answered with JSON of an unexpected shape.")
    return body


def _recorded(connection: PretixConnection, fetch):
    try:
        return fetch()
    except PretixSyncError as exc:
        _record_failure(connection, str(exc))
        raise


def _record_failure(connection: PretixConnection, message: str) -> None:
    logger.warning("pretix sync for conference %s failed: %s", connection.conference_id, message)
    PretixConnection.objects.filter(pk=connection.pk).update(last_error=message, last_synced_at=timezone.now())


__all__ = ["PretixSyncError", "UpsertReport", "pretix_sync_event", "pretix_sync_order"]
