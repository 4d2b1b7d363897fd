"""Celery tasks of the talks app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="talks.conference_voting_window_apply")
def conference_voting_window_apply() -> dict[str, int]:
    return services.conference_voting_window_apply()
