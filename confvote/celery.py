"""Celery application. Tasks live in apps/<app>/tasks.py and are discovered automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

app = Celery("confvote")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
