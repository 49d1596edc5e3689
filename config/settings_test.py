"""Test settings: PostgreSQL and Redis, as in production (see the Makefile's `test` target)."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/paracover")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# `Client.login` authenticates without a request, which the sign-in throttle refuses; the
# throttle's own tests (tests/test_signin_throttle.py) switch it back on.
AXES_ENABLED = False
