"""Reading a ticket list exported from any ticket shop.

The file is CSV with a header row. Required columns: order_code, ticket_code, ticket_type (the name of
one of the conference's ticket types). Optional: holder_email, holder_name, holder_company,
status (valid or cancelled; empty means valid), external_id. Every problem is reported with its line number, and a
file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

REQUIRED_COLUMNS = ("order_code", "ticket_code", "ticket_type")
OPTIONAL_COLUMNS = ("holder_email", "holder_name", "holder_company", "status", "external_id")
COLUMN_ALIASES = {"secret": "ticket_code", "email": "holder_email", "name": "holder_name", "company": "holder_company"}
STATUS_WORDS = {"": "valid", "valid": "valid", "paid": "valid", "cancelled": "cancelled", "canceled": "cancelled"}
MAX_ROWS = 50_000
# Deliberately simple: one @, no spaces, a dot in the domain. The shop validated the address already.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {
    "order_code": 64,
    "ticket_code": 128,
    "holder_name": 200,
    "holder_company": 200,
    "external_id": 100,
    "holder_email": 254,
}


@dataclass(frozen=True)
class TicketRow:
    line: int
    order_code: str
    ticket_code: str
    ticket_type: str  # as the conference spells it
    holder_email: str
    holder_name: str
    status: str  # "valid" or "cancelled"
    external_id: str
    holder_company: str = ""


@dataclass(frozen=True)
class RowError:
    line: int  # 0 for problems with the whole file
    message: str


@dataclass(frozen=True)
class ParsedTickets:
    rows: tuple[TicketRow, ...]
    errors: tuple[RowError, ...]


def ticket_csv_parse(text: str, *, ticket_type_names: set[str] | frozenset[str]) -> ParsedTickets:
    """Rows and errors of a CSV text; `ticket_type_names` are the conference's types (matched ignoring case)."""
    if "\x00" in text:  # a spreadsheet's binary format, say; and PostgreSQL text cannot hold one
        message = "The file holds a NUL byte, so it is not CSV text. Save it as CSV UTF-8 and retry."
        return ParsedTickets((), (RowError(0, message),))
    types_by_key = {name.casefold(): name for name in ticket_type_names}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return ParsedTickets((), (RowError(0, "The file is empty: expected a header row and one row per ticket."),))
    except csv.Error as exc:
        return ParsedTickets((), (RowError(1, f"The header row is not valid CSV: {exc}."),))
    columns = [COLUMN_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        message = (
            f"Missing column(s): {', '.join(missing)}. The header row must name at least {', '.join(REQUIRED_COLUMNS)}."
        )
        return ParsedTickets((), (RowError(1, message),))
    unknown = [c for c in columns if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors: list[RowError] = []
    if unknown:
        errors.append(
            RowError(
                1, f"Unknown column(s): {', '.join(unknown)}. Known: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
            )
        )
    if len(set(columns)) != len(columns):
        errors.append(RowError(1, "A column is named twice in the header row."))
    rows: list[TicketRow] = []
    first_line_of_code: dict[str, int] = {}
    first_line_of_external_id: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines are harmless
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(RowError(line, f"Too many rows: import at most {MAX_ROWS:,} tickets per file."))
                break
            row, row_errors = _row_read(line, columns, values, types_by_key)
            errors.extend(row_errors)
            if row is None:
                continue
            if row.ticket_code in first_line_of_code:
                errors.append(
                    RowError(line, f"Ticket code already used on line {first_line_of_code[row.ticket_code]}.")
                )
                continue
            first_line_of_code[row.ticket_code] = line
            if row.external_id:
                if row.external_id in first_line_of_external_id:
                    first = first_line_of_external_id[row.external_id]
                    errors.append(RowError(line, f"external_id already used on line {first}."))
                    continue
                first_line_of_external_id[row.external_id] = line
            rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"Not valid CSV here: {exc}."))
    if not rows and not errors:
        errors.append(RowError(0, "The file has a header row but no tickets."))
    return ParsedTickets(tuple(rows), tuple(errors))


def _row_read(
    line: int, columns: list[str], values: list[str], types_by_key: dict[str, str]
) -> tuple[TicketRow | None, list[RowError]]:
    if len(values) != len(columns):
        return None, [RowError(line, f"Expected {len(columns)} values, found {len(values)}.")]
    cells = {c: v.strip() for c, v in zip(columns, values, strict=True)}
    errors = [RowError(line, f"{c} is empty.") for c in REQUIRED_COLUMNS if not cells.get(c)]
    for column, limit in LIMITS.items():
        if len(cells.get(column, "")) > limit:
            errors.append(RowError(line, f"{column} is longer than {limit} characters."))
    email = cells.get("holder_email", "").lower()
    if email and not EMAIL.match(email):
        errors.append(RowError(line, f"holder_email “{email}” is not an email address."))
    status = STATUS_WORDS.get(cells.get("status", "").lower())
    if status is None:
        errors.append(RowError(line, f"status “{cells['status']}” is unknown: use valid or cancelled."))
    type_name = types_by_key.get(cells.get("ticket_type", "").casefold())
    if cells.get("ticket_type") and type_name is None:
        known = ", ".join(sorted(types_by_key.values())) or "none yet: add them in the admin first"
        errors.append(RowError(line, f"Unknown ticket type “{cells['ticket_type']}” (known: {known})."))
    if errors:
        return None, errors
    row = TicketRow(
        line=line,
        order_code=cells["order_code"],
        ticket_code=cells["ticket_code"],
        ticket_type=type_name or "",
        holder_email=email,
        holder_name=cells.get("holder_name", ""),
        status=status or "valid",
        external_id=cells.get("external_id", ""),
        holder_company=cells.get("holder_company", ""),
    )
    return row, []
