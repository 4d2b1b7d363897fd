"""The blocs as a CSV file, one row a bloc: the admin's "Export selected blocs as CSV" and the API's
`GET …/blocs/export.csv` write the same columns. What the bloc list shows organizers, and nothing more:
the members are never named.

UTF-8, dates in ISO 8601 (UTC), several signals or evidence sentences in one cell on lines of their
own, and text a spreadsheet would run as a formula (a talk title, a company name in a sentence, a
reason) written with a leading apostrophe."""

import csv
import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from confvote.spreadsheet import spreadsheet_text

from .models import Bloc
from .selectors.bloc_review import BLOC_ROW_FIELDS, BlocRow, bloc_rows


def bloc_csv_cell(value) -> str:
    """Numbers as Python writes them (exact, and never taken for a formula: a negative number stays a
    number), yes/no as true/false, an empty cell for nothing, and text made safe for a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, tuple):
        value = "\n".join(value)
    elif hasattr(value, "isoformat"):
        return value.astimezone(dt.UTC).isoformat()
    return spreadsheet_text(str(value))


def bloc_csv_write(rows: Iterable[BlocRow], out) -> None:
    writer = csv.writer(out)
    writer.writerow(BLOC_ROW_FIELDS)
    for row in rows:
        writer.writerow([bloc_csv_cell(getattr(row, name)) for name in BLOC_ROW_FIELDS])


def bloc_csv_response(blocs: QuerySet[Bloc], *, name: str) -> HttpResponse:
    """An attachment named `<name>-<UTC time>.csv` with the blocs of `blocs`, in its order."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    bloc_csv_write(bloc_rows(blocs), response)
    return response
