"""Emailing a receipt to its voter (through a Celery task, after the request's transaction)."""

from __future__ import annotations

from django.core.cache import cache

from apps.talks.models import Conference

from ..selectors.voting import receipt_latest

# Each request sends a mail: without a limit a script could send thousands, and the site's mail
# reputation (and quota) would pay for it.
EMAILS_PER_HOUR = 5


def receipt_email_request(*, user, conference: Conference) -> str:
    """Queues an email with the user's newest receipt to their own address.

    Returns "queued", "no receipt" (nothing voted yet), "throttled" (EMAILS_PER_HOUR sent already) or
    "unavailable" (the task queue is down: the person is asked to try again; nothing else depends on
    this email)."""
    from confvote.celery import enqueue

    from ..tasks import receipt_email_send  # tasks import services; import here to avoid a cycle

    receipt = receipt_latest(user=user, conference=conference)
    if receipt is None:
        return "no receipt"
    key = f"ballots:receipt-email:{user.pk}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, sent := 1, timeout=60 * 60)
    if sent > EMAILS_PER_HOUR:
        return "throttled"
    return "queued" if enqueue(receipt_email_send, receipt.pk) else "unavailable"
