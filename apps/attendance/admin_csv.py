"""CSV export for admin change lists: an action that writes the selected rows, safe to open in a
spreadsheet (cells that a spreadsheet would run as a formula are quoted)."""

import csv

from django.http import HttpResponse
from django.utils import timezone

from confvote.spreadsheet import spreadsheet_text


def csv_export_action(columns: list[tuple[str, str]], name: str, select: tuple[str, ...] = ()):
    """columns: (header, dotted attribute path) pairs; select: relations to join (no query per row)."""

    def export(modeladmin, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow([header for header, _ in columns])
        for obj in queryset.select_related(*select).iterator(chunk_size=2000):
            writer.writerow([_cell(_value(obj, path)) for _, path in columns])
        return response

    export.short_description = f"Export selected {name} as CSV"
    export.__name__ = f"export_{name.replace('-', '_')}_csv"
    return export


def _value(obj, path: str):
    for part in path.split("."):
        if obj is None:
            return ""
        obj = getattr(obj, part)
        if callable(obj):
            obj = obj()
    return "" if obj is None else obj


def _cell(value) -> str:
    return spreadsheet_text(value.isoformat() if hasattr(value, "isoformat") else str(value))
