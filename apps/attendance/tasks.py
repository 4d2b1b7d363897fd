"""Celery tasks of the attendance app: thin wrappers around services."""

from celery import shared_task

from apps.talks.models import Conference

from . import services
from .models import PretixConnection


@shared_task(name="attendance.pretix_sync_all")
def pretix_sync_all() -> int:
    """Beat runs this every 15 minutes: one sync task per active pretix connection."""
    ids = list(PretixConnection.objects.filter(active=True).values_list("pk", flat=True))
    for connection_id in ids:
        pretix_sync_event.delay(connection_id)
    return len(ids)


@shared_task(name="attendance.pretix_sync_event")
def pretix_sync_event(connection_id: int) -> dict:
    connection = PretixConnection.objects.select_related("conference").get(pk=connection_id)
    try:
        return services.pretix_sync_event(connection=connection)
    except services.PretixSyncError as exc:  # recorded on the connection; the next run tries again
        return {"error": str(exc)}


@shared_task(name="attendance.pretix_sync_order")
def pretix_sync_order(connection_id: int, order_code: str) -> dict:
    connection = PretixConnection.objects.select_related("conference").get(pk=connection_id)
    try:
        return services.pretix_sync_order(connection=connection, order_code=order_code)
    except services.PretixSyncError as exc:
        return {"error": str(exc)}


@shared_task(name="attendance.pledges_settle")
def pledges_settle(conference_id: int, accepted_talk_ids: list[int], by_id: int | None = None) -> dict:
    from .models import User

    conference = Conference.objects.get(pk=conference_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    return services.pledges_settle(conference=conference, accepted_talk_ids=accepted_talk_ids, by=by)


@shared_task(name="attendance.pledges_default_overdue")
def pledges_default_overdue() -> int:
    return services.pledges_default_overdue()
