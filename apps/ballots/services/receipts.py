"""Emailing a receipt to its voter (through a Celery task, after the request's transaction)."""

from __future__ import annotations

from django.db import transaction

from apps.talks.models import Conference

from ..selectors.voting import receipt_latest


def receipt_email_request(*, user, conference: Conference) -> bool:
    """Queues an email with the user's newest receipt to their own address. False when they have none."""
    from ..tasks import receipt_email_send  # tasks import services; import here to avoid a cycle

    receipt = receipt_latest(user=user, conference=conference)
    if receipt is None:
        return False
    transaction.on_commit(lambda: receipt_email_send.delay(receipt.pk))
    return True
