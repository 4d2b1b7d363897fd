"""The voting form of one talk and the progress line, as HTML built in Python.

They are the answer to every vote (the busiest request of the site): built here with Django's
escaping helpers they take 0.02 ms, against 0.16 ms from the cached templates, about 15% of a vote's
Python time (docs/voting.md, "The write path"). The voting page draws the same HTML through the
template tags in templatetags/voting.py, so there is one source for both."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def vote_form_html(
    *,
    vote_url: str,
    csrf_token: str,
    return_query: str,
    title: str,
    scale: list[tuple[int, str]],
    my_score: int | None,
    closed: bool,
    error: str = "",
    saved: bool = False,
    receipt_code: str = "",
) -> SafeString:
    """One talk's form: a button per scale point (the voter's score pressed), withdraw when there is
    a vote, and the status line (an error, or "Saved." / "Vote withdrawn." with the receipt's start).
    Buttons carry data-key 1…n and x for the keyboard shortcuts."""
    title = escape(title)
    buttons = "".join(
        f'<button type="submit" name="score" value="{value}" class="score-button" '
        f'aria-pressed="{"true" if my_score == value else "false"}" data-key="{number}">'
        f'<span class="key-hint" aria-hidden="true">{number}</span> {escape(label)}</button>'
        for number, (value, label) in enumerate(scale, start=1)
    )
    if my_score is not None:
        buttons += (
            '<button type="submit" name="withdraw" value="1" class="withdraw-button" data-key="x">'
            f'Withdraw<span class="visually-hidden"> my vote on “{title}”</span></button>'
        )
    if error:
        status = escape(error)
    elif saved:
        status = "Vote withdrawn." if my_score is None else "Saved."
        if receipt_code:
            status += f" Receipt <code>{escape(receipt_code[:16])}…</code>"
    else:
        status = ""
    url = escape(vote_url)
    return mark_safe(  # noqa: S308 — every value above is escaped or a number we made
        f'<form method="post" action="{url}" class="vote-form" hx-post="{url}" hx-target="this" '
        'hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="return" value="{escape(return_query)}">'
        f"<fieldset{' disabled' if closed else ''}>"
        f'<legend class="visually-hidden">Your vote on “{title}”</legend>'
        f'<div class="score-buttons">{buttons}</div></fieldset>'
        f'<p class="vote-status{" vote-error" if error else ""}" role="status" aria-live="polite">{status}</p>'
        "</form>"
    )


def vote_progress_html(*, rated: int, total: int, oob: bool = False) -> SafeString:
    """ "37 of 120 rated", with a progress bar; `oob` for htmx's out-of-band swap of the page's line."""
    return format_html(
        '<p id="vote-progress" class="vote-progress" role="status" aria-live="polite"{}>'
        "<strong>{} of {}</strong> rated "
        '<progress max="{}" value="{}" aria-hidden="true">{}/{}</progress></p>',
        mark_safe(' hx-swap-oob="true"') if oob else "",
        int(rated),
        int(total),
        int(total) or 1,
        int(rated),
        int(rated),
        int(total),
    )
