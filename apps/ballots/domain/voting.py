"""When a vote may be cast, and what a vote may say.

Votes are taken only while the conference's vote is open: its status is "voting open" and, when the
organizers set a window, the current time is inside it. A score must be a whole number on the
conference's own scale. Each refusal says in words what the person can do about it.
"""

from __future__ import annotations

import datetime as dt


def voting_refusal(
    *, is_open_status: bool, opens_at: dt.datetime | None, closes_at: dt.datetime | None, now: dt.datetime
) -> str | None:
    """None when votes may be cast now; otherwise the reason they may not."""
    if opens_at is not None and now < opens_at:
        return f"Voting has not opened yet; it opens {opens_at:%d %b %Y %H:%M} UTC."
    if closes_at is not None and now >= closes_at:
        return f"Voting closed {closes_at:%d %b %Y %H:%M} UTC; votes can no longer be cast, changed or withdrawn."
    if not is_open_status:
        return "Voting is not open for this conference."
    return None


def score_refusal(*, raw: str | None, scale_min: int, scale_max: int) -> tuple[int | None, str | None]:
    """(score, None) for a valid score, (None, reason) otherwise."""
    message = f"Choose a score from {scale_min} to {scale_max}."
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        return None, message
    if not scale_min <= score <= scale_max:
        return None, message
    return score, None
