"""One settings module, driven by the environment (django-environ).

Defaults are production-safe: DEBUG is off and SECRET_KEY must be given unless DEBUG is on.
`make demo` sets what the embedded demo needs (DEBUG, SQLite, eager Celery).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-only-key" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "staffing",
    "staffing.api",
    "students",
    "allocations",
    "allocations.api",
    "axes",
    "django_celery_beat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language a parent chose (the language cookie), else the browser's (allocations/portal).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a sign-in refused by the throttle into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
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
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttle (django-axes, docs/security.md): SIGNIN_FAILURE_LIMIT wrong passwords for one
# account, from any address, or from one address, for any accounts, refuse sign-in there for
# SIGNIN_COOLOFF_MINUTES after the last failure.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success would also clear its address's count, so one valid account would let an attacker
# go on guessing the others' passwords from that address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "config.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.signin.client_address"
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Attempts hold other districts' usernames: operators clear them with `axes_reset_username`.
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "en"
# What families read (the portal, sign-in, the page frame) in English and Spanish; a choice is
# kept for a year in the language cookie. Staff pages are written in English.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development static files are served from the apps, so no collectstatic run is needed.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Every read of a student's records writes an access-log row (allocations.access; FERPA 34 CFR
# 99.32). Only the access-log benchmark turns it off, to measure what it costs.
STUDENT_ACCESS_LOG = True

# import_district refuses a bundle file larger than this (docs/data-format.md).
BUNDLE_MAX_FILE_BYTES = env.int("BUNDLE_MAX_FILE_BYTES", default=512 * 1024 * 1024)

# Dates typed or imported (absences, closures, contracts, mandates, qualifications) must fall in
# whole school years (July to June) around today's: this many before the current one and this
# many after it; start dates may go back to INPUT_DATE_EARLIEST (staffing/validators.py).
INPUT_DATE_SCHOOL_YEARS_BACK = env.int("INPUT_DATE_SCHOOL_YEARS_BACK", default=2)
INPUT_DATE_SCHOOL_YEARS_AHEAD = env.int("INPUT_DATE_SCHOOL_YEARS_AHEAD", default=2)
INPUT_DATE_EARLIEST = env.str("INPUT_DATE_EARLIEST", default="2000-07-01")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="paracover@localhost")
# An invitation link (staffing.invitations) works once, for this many days.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=7)

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redis hands a message taken by a worker that died to another worker after the visibility
# timeout. It must exceed the longest task plus its wait in a worker (docs/operations.md: 180 s);
# the unacked list is scanned every `unacked_restore_interval` seconds (throttle 1: every scan
# runs), so a lost task is redelivered within the timeout plus that interval.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=180),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 60,
}
# The watchdog (allocations.watch, below): a run silent this long is stuck; it is re-queued
# this many times, then failed with its reason; a re-plan not done this long is re-queued.
ALLOCATION_RUN_STUCK_SECONDS = env.int("ALLOCATION_RUN_STUCK_SECONDS", default=90)
ALLOCATION_RUN_REQUEUES = env.int("ALLOCATION_RUN_REQUEUES", default=1)
ALLOCATION_WATCH_SECONDS = env.float("ALLOCATION_WATCH_SECONDS", default=30.0)
REPLAN_STUCK_SECONDS = env.int("REPLAN_STUCK_SECONDS", default=60)
CELERY_TIMEZONE = TIME_ZONE
# One beat process only (docs/operations.md); every task below is idempotent.
CELERY_BEAT_SCHEDULE = {
    "close-school-days": {
        "task": "students.close_school_days",
        "schedule": crontab(hour=5, minute=15),
    },
    "look-ahead-alerts": {"task": "allocations.look_ahead", "schedule": crontab(hour=5, minute=0)},
    "send-digests": {"task": "staffing.send_digests", "schedule": crontab(hour=6, minute=30)},
    "retry-notifications": {"task": "staffing.send_notifications", "schedule": 600.0},
    "watch-runs-and-replans": {"task": "allocations.watch", "schedule": ALLOCATION_WATCH_SECONDS},
    "report-schedules": {"task": "allocations.report_schedules", "schedule": 3600.0},
}
# Each district's weekly shortfall report is a database schedule (allocations.reports.schedule).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The REST API (docs/api.md): people sign in with a session, district systems with a token;
# rates per person and per token ("N/second|minute|hour|day").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "staffing.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["staffing.api.policy.StaffOnly"],
    "DEFAULT_PAGINATION_CLASS": "staffing.api.policy.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "staffing.api.policy.PersonThrottle",
        "staffing.api.policy.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "person": env.str("API_RATE_PERSON", default="120/minute"),
        "token": env.str("API_RATE_TOKEN", default="600/minute"),
    },
    "EXCEPTION_HANDLER": "staffing.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ParaCover API",
    "DESCRIPTION": "A district's para staffing: see docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The description of the API is public; every endpoint it describes is not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "allocations.models.AllocationRun.Status",
        "AlertStatusEnum": "allocations.models.Alert.Status",
        "ReportStatusEnum": "allocations.reports.models.ShortfallReport.Status",
        "ImportStatusEnum": "allocations.api.models.ImportJob.Status",
    },
}
# A bundle zip sent to the API: at most this many bytes, and this many files in it.
API_IMPORT_MAX_BYTES = env.int("API_IMPORT_MAX_BYTES", default=256 * 1024 * 1024)
API_IMPORT_MAX_FILES = env.int("API_IMPORT_MAX_FILES", default=32)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
