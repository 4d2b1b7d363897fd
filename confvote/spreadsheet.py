"""Text for CSV files that organizers open in a spreadsheet.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula, so a talk title, a company name or a reason typed by anyone could run in an organizer's
spreadsheet ("CSV injection"). Such cells are written with a leading apostrophe, which the spreadsheet
shows as text; every other cell is written as it is."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """`text`, quoted with a leading ' when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
