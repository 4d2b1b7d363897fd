"""CSV import: all-or-nothing, every error with its line, a dry run that writes nothing, idempotent."""

import pytest

from apps.attendance import services
from apps.attendance.models import StateChange, Ticket, TicketClaim
from tests.factories import ConferenceFactory, TicketClaimFactory, TicketFactory, TicketTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "order_code,ticket_code,ticket_type,holder_email,holder_name,status,external_id\n"
    "A1,code-1,Conference,ada@example.org,Ada,valid,p1\n"
    "A1,code-2,Conference,grace@example.org,Grace,,p2\n"
    "B2,code-3,Stream,sam@example.org,Sam,cancelled,\n"
)


@pytest.fixture
def conference():
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference")
    TicketTypeFactory(conference=conference, name="Stream", may_vote=False)
    return conference


def test_preview_writes_nothing_but_says_what_an_import_would_do(conference):
    report = services.tickets_import_csv(conference=conference, data=GOOD.encode(), by=None, commit=False)
    assert (report.created, report.cancelled, report.errors) == (3, 1, [])
    assert not Ticket.objects.exists() and not StateChange.objects.exists()


def test_import_then_reimport_is_idempotent(conference):
    organizer = UserFactory(is_staff=True)
    report = services.tickets_import_csv(conference=conference, data=GOOD.encode(), by=organizer, commit=True)
    assert (report.created, report.updated) == (3, 0)
    assert set(Ticket.objects.values_list("secret", "status")) == {
        ("code-1", "valid"),
        ("code-2", "valid"),
        ("code-3", "cancelled"),
    }
    assert StateChange.objects.filter(actor=organizer, subject="ticket").count() == 3
    again = services.tickets_import_csv(conference=conference, data=GOOD.encode(), by=organizer, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    cancelled = GOOD.replace("Grace,,p2", "Grace,cancelled,p2")
    changed = services.tickets_import_csv(conference=conference, data=cancelled.encode(), by=organizer, commit=True)
    assert (changed.updated, changed.cancelled) == (1, 1)
    assert Ticket.objects.get(secret="code-2").status == "cancelled"


def test_a_bad_file_imports_nothing_and_reports_every_error(conference):
    existing = TicketFactory(conference=conference, secret="keep-me", order_code="OLD")
    bad = (
        "order_code,ticket_code,ticket_type,holder_email\n"
        "A1,code-1,Conference,ada@example.org\n"
        "A2,code-1,Conference,bob@example.org\n"  # duplicate code
        "A3,code-3,Workshop,\n"  # unknown type
        "A4,code-4,Conference,not-an-email\n"  # malformed
    )
    report = services.tickets_import_csv(conference=conference, data=bad.encode(), by=None, commit=True)
    assert [e.line for e in report.errors] == [3, 4, 5]
    assert list(Ticket.objects.all()) == [existing]


def test_a_conflict_with_the_database_is_an_error_with_its_line(conference):
    TicketFactory(conference=conference, secret="taken", external_id="x1")
    clash = "order_code,ticket_code,ticket_type,external_id\nA1,fresh,Conference,\nA2,taken,Conference,x2\n"
    report = services.tickets_import_csv(conference=conference, data=clash.encode(), by=None, commit=True)
    assert [(e.line, "another external_id" in e.message) for e in report.errors] == [(3, True)]
    assert not Ticket.objects.filter(secret="fresh").exists()  # all or nothing


def test_files_that_are_not_utf8_or_too_large_are_refused(conference):
    latin1 = "order_code,ticket_code,ticket_type,holder_name\nA1,c1,Conference,Jürgen\n".encode("latin-1")
    report = services.tickets_import_csv(conference=conference, data=latin1, by=None, commit=True)
    assert "not UTF-8" in report.errors[0].message
    huge = b"x" * (services.tickets.MAX_CSV_BYTES + 1)
    assert (
        "larger than 5 MB"
        in services.tickets_import_csv(conference=conference, data=huge, by=None, commit=True).errors[0].message
    )
    assert not Ticket.objects.exists()


def test_imported_tickets_are_linked_to_verified_holders(conference):
    ada = UserFactory(email="ada@example.org")
    services.tickets_import_csv(conference=conference, data=GOOD.encode(), by=None, commit=True)
    assert TicketClaim.objects.get(user=ada).ticket.secret == "code-1"


def test_cancelling_records_who_and_why_and_keeps_the_link(conference):
    made = TicketClaimFactory(ticket__conference=conference)
    organizer = UserFactory(is_staff=True)
    assert services.ticket_status_set(ticket=made.ticket, status="cancelled", by=organizer, reason="Refunded.")
    assert not services.ticket_status_set(ticket=made.ticket, status="cancelled", by=organizer, reason="Again.")
    change = StateChange.objects.get()
    assert (change.from_state, change.to_state, change.actor, change.user, change.reason) == (
        "valid",
        "cancelled",
        organizer,
        made.user,
        "Refunded.",
    )
    assert TicketClaim.objects.filter(pk=made.pk).exists()


def test_the_import_command(conference, tmp_path):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "tickets.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_tickets", conference.slug, str(path), "--dry-run", stdout=out)
    assert "Would import tickets: created 3" in out.getvalue() and not Ticket.objects.exists()
    call_command("import_tickets", conference.slug, str(path), stdout=io.StringIO())
    assert Ticket.objects.filter(conference=conference).count() == 3
    path.write_text("order_code,ticket_code,ticket_type\nA9,,Conference\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_tickets", conference.slug, str(path), stderr=err)
    assert "line 2" in err.getvalue()
    with pytest.raises(CommandError, match="No conference"):
        call_command("import_tickets", "nope", str(path))


def test_a_company_column_is_stored_and_a_later_change_updates_it_without_a_status_change(conference):
    text = (
        "order_code,ticket_code,ticket_type,holder_company\nA1,code-1,Conference,Initech GmbH\nA1,code-2,Conference,\n"
    )
    services.tickets_import_csv(conference=conference, data=text.encode(), by=None, commit=True)
    assert dict(Ticket.objects.values_list("secret", "holder_company")) == {"code-1": "Initech GmbH", "code-2": ""}
    changes = StateChange.objects.count()
    moved = services.tickets_import_csv(
        conference=conference, data=text.replace("Initech GmbH", "Globex").encode(), by=None, commit=True
    )
    assert (moved.updated, moved.unchanged) == (1, 1)
    assert Ticket.objects.get(secret="code-1").holder_company == "Globex"
    assert StateChange.objects.count() == changes  # the status did not change: nothing to record


def test_a_nul_byte_in_the_file_is_an_error_not_a_500(conference):
    report = services.tickets_import_csv(
        conference=conference, data=GOOD.replace("A1", "A\x001", 1).encode(), by=None, commit=False
    )
    assert [e.line for e in report.errors] == [0] and "NUL byte" in report.errors[0].message
    assert not Ticket.objects.exists()
