"""WSGI entry point (gunicorn confvote.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.prod")
application = get_wsgi_application()
