"""CSV export for admin change lists: an action that writes the selected rows, safe to open in a
spreadsheet (cells that a spreadsheet would run as a formula are quoted).

The rows are read as plain values (exactly the exported columns, no model instances) and streamed in
chunks: "select all" of 75,000 tickets took minutes building three model instances per row and held
the whole file in memory."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from confvote.spreadsheet import spreadsheet_text

CHUNK_ROWS = 2000


class _Line:
    """A file-like object whose write() hands back what csv.writer writes, to stream it."""

    def write(self, text: str) -> str:
        return text


def csv_export_action(columns: list[tuple[str, str]], name: str, annotate: dict | None = None):
    """columns: (header, dotted path) pairs, a path being a field, a field across relations
    ("user.email", empty when the relation is empty) or a name in `annotate` (expressions added to the
    query, for values that are not columns, such as whether a ticket is claimed)."""
    paths = [path.replace(".", "__") for _, path in columns]

    def export(modeladmin, request, queryset):
        rows = queryset.annotate(**(annotate or {})).values_list(*paths)
        response = StreamingHttpResponse(_lines(columns, rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response

    export.columns = columns
    export.short_description = f"Export selected {name} as CSV"
    export.__name__ = f"export_{name.replace('-', '_')}_csv"
    return export


def _lines(columns: list[tuple[str, str]], rows) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow([header for header, _ in columns])
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_ROWS):
        chunk.append(writer.writerow([_cell(value) for value in row]))
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _cell(value) -> str:
    if value is None:
        return ""
    return spreadsheet_text(value.isoformat() if hasattr(value, "isoformat") else str(value))
