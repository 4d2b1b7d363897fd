"""confvote: a conference talk vote that only counts the people who will be in the room."""

from .celery import app as celery_app

__all__ = ("celery_app",)
