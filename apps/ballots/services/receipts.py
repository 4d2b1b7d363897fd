"""Emailing a receipt to its voter (through a Celery task, after the request's transaction)."""

from __future__ import annotations

from apps.talks.models import Conference

from ..selectors.voting import receipt_latest


def receipt_email_request(*, user, conference: Conference) -> str:
    """Queues an email with the user's newest receipt to their own address.

    Returns "queued", "no receipt" (nothing voted yet) or "unavailable" (the task queue is down: the
    person is asked to try again; nothing else depends on this email)."""
    from confvote.celery import enqueue

    from ..tasks import receipt_email_send  # tasks import services; import here to avoid a cycle

    receipt = receipt_latest(user=user, conference=conference)
    if receipt is None:
        return "no receipt"
    return "queued" if enqueue(receipt_email_send, receipt.pk) else "unavailable"
