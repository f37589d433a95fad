"""Test run: the same PostgreSQL as local (or DATABASE_URL), fast hashing."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, database_config, env

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Several checkouts may share one server: TEST_DB_NAME keeps their test databases apart.
DATABASES = {"default": database_config(env("DATABASE_URL", default=None))}
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME", default="test_registry")}
# A low progress look-up limit, so the tests of it are short; the public
# catalogue's limit is off, as by default (tests/core/test_rate_limits.py sets it).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "progress_lookup": "5/min",
}
# Static files come from the finders in tests; whitenoise wants its root to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
