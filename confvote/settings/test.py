"""Test settings: fast password hashing, in-memory email outbox, eager Celery unless a test starts a
real worker. DATABASE_URL / REDIS_URL select PostgreSQL and Redis exactly as in production."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# A real Celery worker started by a test runs in another process, so the SQLite test database must
# be a file that both processes can open (PostgreSQL test databases are shared anyway).
# CONFVOTE_TEST_DB names another file, so that several checkouts' test runs never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / env("CONFVOTE_TEST_DB", default=".pytest-db.sqlite3"))}

# Tasks run in-process unless a test starts a real worker (tests/conftest.py: celery_worker_process).
CELERY_TASK_ALWAYS_EAGER = True

# Tests that need PostgreSQL or Redis fail instead of skipping when this is set (CI sets it).
REQUIRE_SERVICES = env.bool("CONFVOTE_REQUIRE_SERVICES", default=False)

# Static files straight from the app folders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
