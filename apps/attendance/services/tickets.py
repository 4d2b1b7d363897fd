"""Getting tickets in (CSV files, ticket shop sync) and changing their status, every change recorded."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from apps.talks.models import Conference

from ..domain.ticket_csv import RowError, ticket_csv_parse
from ..models import StateChange, Ticket, TicketType
from .changes import state_change_record

MAX_CSV_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class IncomingTicket:
    """One ticket as a source describes it. Matched to ours by external id, else by ticket code."""

    order_code: str
    secret: str
    ticket_type_id: int
    holder_email: str
    holder_name: str
    valid: bool
    why: str  # for the change record
    external_id: str = ""
    line: int = 0  # in the source file, for error messages
    create_if_invalid: bool = True  # a CSV row says what it says; a shop's unpaid order is no ticket yet
    holder_company: str = ""


@dataclass
class UpsertReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0  # of those created or updated, how many now are (or were revoked to) cancelled
    reinstated: int = 0
    revoked: int = 0  # tickets from a shop that are gone from it
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"} | {"errors": len(self.errors)}


class _DryRun(Exception):
    pass


def tickets_import_csv(*, conference: Conference, data: bytes, by, commit: bool) -> UpsertReport:
    """Imports a CSV ticket list all-or-nothing. With commit=False nothing is written, but the report
    says exactly what an import would do (it runs the import and rolls it back)."""
    if len(data) > MAX_CSV_BYTES:
        return UpsertReport(errors=[RowError(0, "The file is larger than 5 MB: split it into several files.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return UpsertReport(
            errors=[RowError(0, f"The file is not UTF-8 text (byte {exc.start}). Save it as CSV UTF-8.")]
        )
    types = {t.name: t.pk for t in TicketType.objects.filter(conference=conference)}
    parsed = ticket_csv_parse(text, ticket_type_names=set(types))
    if parsed.errors:
        return UpsertReport(errors=list(parsed.errors))
    incoming = [
        IncomingTicket(
            order_code=row.order_code,
            secret=row.ticket_code,
            ticket_type_id=types[row.ticket_type],
            holder_email=row.holder_email,
            holder_name=row.holder_name,
            holder_company=row.holder_company,
            valid=row.status == "valid",
            why="imported from a CSV file" if row.status == "valid" else "marked cancelled in a CSV file",
            external_id=row.external_id,
            line=row.line,
        )
        for row in parsed.rows
    ]
    try:
        with transaction.atomic():
            report = tickets_upsert(conference=conference, incoming=incoming, by=by)
            if report.errors or not commit:
                raise _DryRun
    except _DryRun:
        return report
    from .claims import tickets_autolink_for_conference

    tickets_autolink_for_conference(conference=conference)
    return report


def tickets_upsert(
    *, conference: Conference, incoming: list[IncomingTicket], by, only_matching: bool = False
) -> UpsertReport:
    """Creates or updates tickets; call inside a transaction (rows are locked in id order).
    Conflicts (a ticket code that belongs to another ticket) are reported, not raised.

    By default every ticket of the conference is locked, so that an import and a sync never
    interleave; `only_matching` locks just the tickets the incoming ones can match (one order)."""
    report = UpsertReport()
    # One writer at a time per conference, as for vote imports: a ticket not in the database yet has no
    # row to lock, so two imports (or an import and a sync) of the same new tickets both inserted it.
    Conference.objects.select_for_update(no_key=True).filter(pk=conference.pk).exists()
    candidates = Ticket.objects.select_for_update(no_key=True, of=("self",)).filter(conference=conference)
    if only_matching:
        external_ids = [t.external_id for t in incoming if t.external_id]
        candidates = candidates.filter(Q(external_id__in=external_ids) | Q(secret__in=[t.secret for t in incoming]))
    existing = list(candidates.select_related("claim").order_by("id"))
    by_external = {t.external_id: t for t in existing if t.external_id}
    by_secret = {t.secret: t for t in existing}
    changes: list[StateChange] = []
    for item in incoming:
        ticket = by_external.get(item.external_id) if item.external_id else None
        ticket = ticket or by_secret.get(item.secret)
        owner_of_secret = by_secret.get(item.secret)
        if ticket is not None and owner_of_secret is not None and owner_of_secret.pk != ticket.pk:
            report.errors.append(RowError(item.line, "This ticket code belongs to another ticket already."))
            continue
        if ticket is not None and item.external_id and ticket.external_id not in ("", item.external_id):
            report.errors.append(RowError(item.line, "This ticket code belongs to a ticket with another external_id."))
            continue
        status = Ticket.Status.VALID if item.valid else Ticket.Status.CANCELLED
        if ticket is None:
            if not item.valid and not item.create_if_invalid:
                report.skipped += 1
                continue
            ticket = Ticket.objects.create(
                conference=conference,
                ticket_type_id=item.ticket_type_id,
                order_code=item.order_code,
                secret=item.secret,
                holder_email=item.holder_email,
                holder_name=item.holder_name,
                holder_company=item.holder_company,
                status=status,
                external_id=item.external_id,
            )
            by_secret[ticket.secret] = ticket
            if ticket.external_id:
                by_external[ticket.external_id] = ticket
            report.created += 1
            report.cancelled += status == Ticket.Status.CANCELLED
            changes.append(_change(ticket, "", status, f"Created: {item.why}.", by, claimed=False))
            continue
        wanted = {
            "ticket_type_id": item.ticket_type_id,
            "order_code": item.order_code,
            "secret": item.secret,
            "holder_email": item.holder_email,
            "holder_name": item.holder_name,
            "holder_company": item.holder_company,
            "status": status,
            "external_id": item.external_id or ticket.external_id,
        }
        changed = [name for name, value in wanted.items() if getattr(ticket, name) != value]
        if not changed:
            report.unchanged += 1
            continue
        previous_status = ticket.status
        for name in changed:
            setattr(ticket, name, wanted[name])
        ticket.save(update_fields=[*changed, "updated_at"])
        by_secret[ticket.secret] = ticket
        report.updated += 1
        if previous_status != status:
            report.cancelled += status == Ticket.Status.CANCELLED
            report.reinstated += status == Ticket.Status.VALID
            changes.append(_change(ticket, previous_status, status, f"{item.why[:1].upper()}{item.why[1:]}.", by))
    StateChange.objects.bulk_create(changes)
    return report


def ticket_status_set(*, ticket: Ticket, status: str, by, reason: str) -> bool:
    """Cancels or reinstates one ticket. A cancelled ticket's holder stops counting at once (their
    votes are kept). Returns whether anything changed."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update(no_key=True).get(pk=ticket.pk)
        if locked.status == status:
            return False
        previous = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _change(locked, previous, status, reason, by).save()
    ticket.status = status
    return True


def _change(ticket: Ticket, from_state: str, to_state: str, reason: str, by, claimed: bool = True) -> StateChange:
    claim = getattr(ticket, "claim", None) if claimed else None
    return state_change_record(
        subject=StateChange.Subject.TICKET,
        conference_id=ticket.conference_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        actor=by,
        user_id=claim.user_id if claim else None,
        ticket=ticket,
        save=False,
    )
