"""Celery application. Tasks live in apps/<app>/tasks.py and are discovered automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

app = Celery("confvote")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args, **kwargs) -> bool:
    """Sends a task to the worker; False (and a warning in the log) when the broker cannot be reached.

    Callers tell the person what happened, and work that must not be lost has a way back when the
    broker returns (Celery beat re-queues proposals and settlements; see apps/scheduling/proposals.py)."""
    import logging

    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except (OperationalError, RedisError, OSError) as exc:
        logging.getLogger("confvote.queue").warning("Could not queue %s: %s", task.name, exc)
        return False
    return True
