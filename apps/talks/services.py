"""Writes to conferences."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Conference


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


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, conference: Conference, user, name: str) -> tuple[ApiToken, str]:
    """A new organizer token for one conference. Returns the token and its key; the key is never stored
    and cannot be shown again."""
    if not (user.is_active and user.is_staff):
        raise PermissionDenied("Only organizers (staff accounts) may hold API tokens.")
    name = name.strip()
    if not name:
        raise ValueError("Give the token a name that says what it is for.")
    key = "cv_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        conference=conference, user=user, name=name[:100], key_prefix=key[:8], key_hash=api_token_hash(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
