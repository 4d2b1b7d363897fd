"""Writes to conferences."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import Conference


def conference_voting_window_apply(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Moves conferences along their voting window: a draft whose voting_opens_at has passed opens,
    and an open vote whose voting_closes_at has passed closes. Returns how many moved each way.

    Safe to run any number of times (Celery beat runs it every minute)."""
    now = now or timezone.now()
    Status = Conference.Status
    with transaction.atomic():
        closed = Conference.objects.filter(status=Status.VOTING, voting_closes_at__lte=now).update(
            status=Status.CLOSED, updated_at=now
        )
        opened = (
            Conference.objects.filter(status=Status.DRAFT, voting_opens_at__lte=now)
            .exclude(voting_closes_at__lte=now)
            .update(status=Status.VOTING, updated_at=now)
        )
    return {"opened": opened, "closed": closed}
