"""pretix sync against responses shaped like pretix's documented API, served through a real httpx
client with a mock transport (the remote server is faked, our code is not)."""

import json
from pathlib import Path

import httpx
import pytest

from apps.attendance import services
from apps.attendance.models import PretixConnection, StateChange, Ticket
from tests.factories import ConferenceFactory, TicketClaimFactory, TicketFactory, TicketTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pretix"
TOKEN = "pretix-team-token-do-not-leak"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


class FakePretix:
    """Serves the fixture pages; records what was asked."""

    def __init__(self, pages: dict[str, str], orders: dict[str, str] | None = None, status: int = 200):
        self.pages, self.orders, self.status, self.requests = pages, orders or {}, status, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("Authorization") != f"Token {TOKEN}":
            return httpx.Response(401, json={"detail": "Invalid token."})
        if self.status != 200:
            return httpx.Response(self.status, json={"detail": "nope"})
        path = request.url.path
        if path == "/api/v1/organizers/acme/events/democon/orders/":
            assert request.url.params.get("include_canceled_positions") == "true"
            return httpx.Response(200, json=load(self.pages[request.url.params.get("page", "1")]))
        for code, name in self.orders.items():
            if path == f"/api/v1/organizers/acme/events/democon/orders/{code}/":
                return httpx.Response(200, json=load(name))
        return httpx.Response(404, json={"detail": "Not found."})


@pytest.fixture
def connection():
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference", external_id="11", may_vote=True)
    TicketTypeFactory(conference=conference, name="Stream", external_id="12", may_vote=False)
    return PretixConnection.objects.create(
        conference=conference,
        api_url="https://pretix.example/api/v1/",
        organizer_slug="acme",
        event_slug="democon",
        api_token=TOKEN,
    )


def tickets(conference) -> dict[str, tuple[str, str, str]]:
    return {
        t.external_id: (t.order_code, t.status, t.holder_email)
        for t in Ticket.objects.filter(conference=conference).order_by("external_id")
    }


def test_sync_pages_through_every_order_and_imports_paid_ticket_positions(connection):
    pretix = FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"})
    summary = services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(pretix))
    assert len(pretix.requests) == 2  # followed `next` once
    assert tickets(connection.conference) == {
        "101": ("ABC12", "valid", "ada@example.org"),
        "102": ("ABC12", "valid", "grace@example.org"),
        "301": ("STRM1", "valid", "stream@example.org"),  # no attendee email: the order's
        "401": ("GONE1", "valid", "kim@example.org"),
        "402": ("GONE1", "valid", "pat@example.org"),
    }
    # The T-shirt (unmapped item) and the pending order are not tickets.
    assert summary["created"] == 5 and summary["skipped"] == 2 and summary["orders"] == 4
    connection.refresh_from_db()
    assert connection.last_error == "" and connection.last_result["created"] == 5
    assert StateChange.objects.filter(subject="ticket", to_state="valid").count() == 5


def test_a_second_sync_changes_nothing(connection):
    transport = httpx.MockTransport(FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"}))
    services.pretix_sync_event(connection=connection, transport=transport)
    before = tickets(connection.conference)
    changes = StateChange.objects.count()
    summary = services.pretix_sync_event(connection=connection, transport=transport)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 5)
    assert tickets(connection.conference) == before
    assert StateChange.objects.count() == changes


def test_refunds_and_canceled_positions_revoke_eligibility_at_once(connection):
    services.pretix_sync_event(
        connection=connection,
        transport=httpx.MockTransport(FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"})),
    )
    ada_ticket = Ticket.objects.get(conference=connection.conference, external_id="101")
    claim = TicketClaimFactory(ticket=ada_ticket, user=UserFactory())
    later = FakePretix({"1": "orders_page1_after_refund.json", "2": "orders_page2_after_cancel.json"})
    summary = services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(later))
    assert summary["cancelled"] == 3
    state = tickets(connection.conference)
    assert state["101"][1] == state["102"][1] == state["402"][1] == "cancelled"
    assert state["401"][1] == "valid"
    change = StateChange.objects.get(ticket=ada_ticket, to_state="cancelled")
    assert change.user_id == claim.user_id and change.actor is None
    assert "Order ABC12 is canceled in pretix" in change.reason


def test_a_position_gone_from_pretix_is_revoked(connection):
    transport = httpx.MockTransport(FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"}))
    services.pretix_sync_event(connection=connection, transport=transport)
    # A ticket from an earlier sync that pretix no longer lists at all:
    Ticket.objects.filter(external_id="101").update(external_id="999", secret="s999")
    summary = services.pretix_sync_event(connection=connection, transport=transport)
    assert summary["revoked"] == 1
    assert Ticket.objects.get(external_id="999").status == Ticket.Status.CANCELLED


def test_one_order_sync_for_a_webhook(connection):
    pretix = FakePretix({}, orders={"ABC12": "order_ABC12.json"})
    summary = services.pretix_sync_order(
        connection=connection, order_code="ABC12", transport=httpx.MockTransport(pretix)
    )
    assert summary["created"] == 2
    assert pretix.requests[0].url.params["include_canceled_positions"] == "true"
    assert set(tickets(connection.conference)) == {"101", "102"}


def test_a_verified_holder_is_linked_by_the_sync(connection):
    ada = UserFactory(email="ada@example.org")
    services.pretix_sync_event(
        connection=connection,
        transport=httpx.MockTransport(FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"})),
    )
    assert ada.ticket_claims.get().ticket.external_id == "101"


@pytest.mark.parametrize(
    ("status", "words"),
    [(401, "refused the API token"), (404, "does not exist"), (429, "slow down"), (500, "HTTP 500")],
)
def test_errors_are_explained_recorded_and_never_echo_the_token(connection, status, words):
    transport = httpx.MockTransport(FakePretix({"1": "orders_page1.json"}, status=status))
    with pytest.raises(services.PretixSyncError) as error:
        services.pretix_sync_event(connection=connection, transport=transport)
    assert words in str(error.value) and TOKEN not in str(error.value)
    connection.refresh_from_db()
    assert words in connection.last_error
    assert not Ticket.objects.exists()


def test_the_token_is_never_sent_to_another_host(connection):
    page = load("orders_page1.json")
    page["next"] = "https://evil.example/steal?page=2"
    seen = []

    def handler(request):
        seen.append(request.url.host)
        return httpx.Response(200, json=page)

    with pytest.raises(services.PretixSyncError, match="another host"):
        services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(handler))
    assert seen == ["pretix.example"]
    assert not Ticket.objects.exists()  # all-or-nothing: nothing from the first page was written


def test_unreadable_data_changes_nothing(connection):
    def handler(request):
        return httpx.Response(200, json={"count": 1, "next": None, "results": [{"code": "X1", "status": "?"}]})

    with pytest.raises(services.PretixSyncError, match="unknown status"):
        services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(handler))
    assert not Ticket.objects.exists()


def test_a_position_whose_code_belongs_to_another_ticket_stops_the_sync_and_writes_nothing(connection):
    conference = connection.conference
    TicketFactory(conference=conference, external_id="101", secret="an-older-code")  # position 101, synced before
    TicketFactory(conference=conference, secret="s101ada", order_code="CSV1")  # imported from a file since
    pretix = FakePretix({"1": "orders_page1.json", "2": "orders_page2.json"})
    with pytest.raises(services.PretixSyncError) as error:
        services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(pretix))
    assert str(error.value) == (
        "1 position(s) conflict with existing tickets: This ticket code belongs to another ticket already."
    )
    connection.refresh_from_db()
    assert connection.last_error == str(error.value)
    assert Ticket.objects.filter(conference=conference).count() == 2  # the other positions were rolled back too


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda request: httpx.Response(200, text="<html>maintenance</html>"), "not JSON"),
        (lambda request: httpx.Response(200, json=[{"code": "ABC12"}]), "JSON of an unexpected shape"),
        (_unreachable, "could not be reached: ConnectError"),
    ],
)
def test_an_answer_that_is_not_pretix_data_is_explained_and_recorded(connection, answer, words):
    with pytest.raises(services.PretixSyncError, match=words):
        services.pretix_sync_event(connection=connection, transport=httpx.MockTransport(answer))
    connection.refresh_from_db()
    assert words in connection.last_error and TOKEN not in connection.last_error
    assert not Ticket.objects.exists()
