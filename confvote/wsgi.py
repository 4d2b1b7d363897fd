"""WSGI entry point (gunicorn confvote.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.prod")
application = get_wsgi_application()
# Everything imported so far lives as long as the process: move it out of the garbage collector's
# sight, so collections during requests only walk what requests made. With gunicorn --preload the
# workers inherit this from the master (and share its memory pages longer). Measured on the vote
# benchmark: about 12% more votes per second.
gc.freeze()
