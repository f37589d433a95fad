"""Settings shared by every environment; the differences come from env vars."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "core",
    "services",
    "volunteers",
    "enforcement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.DistrictLocaleMiddleware",  # LocaleMiddleware for /api/ only
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.RequestSanityMiddleware",
    "core.middleware.AuditContextMiddleware",
    "core.middleware.DomainErrorMiddleware",
    # Last: turns a request flagged as locked out into the 429 page or API error.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.district",
            ],
        },
    },
]


def _rate_or_off(rate: str | None) -> str | None:
    """A DRF throttle rate from the environment; "off" (or empty) switches it off."""
    return None if not rate or rate.strip().lower() == "off" else rate


def database_config(url: str | None, *, embedded: bool = True) -> dict:
    """Parse ``DATABASE_URL``; without one, start and use the embedded server.

    The embedded server is for one machine (``local`` and ``test``): production
    passes ``embedded=False`` and refuses to start without a URL, since each app
    server of a deployment would otherwise get a database of its own.
    """
    if not url:
        if not embedded:
            raise ImproperlyConfigured(
                "DATABASE_URL must be set in the environment: production never "
                "starts the embedded PostgreSQL (each app server would get a "
                "database of its own). Example: "
                "DATABASE_URL=postgres://registry@db.example:5432/registry"
            )
        from config import embedded_db

        url = embedded_db.url()
    config = environ.Env.db_url_config(url)
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    config["CONN_HEALTH_CHECKS"] = True
    return config


# ``local`` and ``test`` set DATABASES (embedded server allowed); ``production``
# requires DATABASE_URL. Nothing here starts a server at import.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff sessions for a government office: at most SESSION_MAX_AGE_HOURS after
# sign-in (a working day), ended after SESSION_IDLE_MINUTES without a request
# (core.middleware.SessionTimeoutMiddleware), and gone when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_HOURS", default=8) * 3600
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool(
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True
)

# Content-Security-Policy (django-csp): scripts and styles from our own static
# files only, never inline; nothing framed, no plugins. The API docs pages widen
# it for what Swagger UI and ReDoc need (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of ours uses (core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, as a language switcher shows it.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]  # i18n: data
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# Enough form fields for the largest bulk form (the hours sheet: four a row).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5 * env.int("BULK_MAX_ROWS", default=500) + 100

# Rate limits (core.ratelimit) are counted in PostgreSQL, in a table every
# worker and server shares, so the embedded setup needs nothing more; with
# `CACHE_URL=redis://host:6379/0` they are counted in that Redis instead. Without
# CACHE_URL the cache is per process: nothing that must be shared is kept in it.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://registry")}

# Reverse proxies in front of the app that append to X-Forwarded-For. The client
# address (core.net.client_ip) is the entry this many places from the right; with
# 0 only REMOTE_ADDR counts. Never more than the proxies really there: the client
# writes the entries further left.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes, core.lockout): failures per account and per client
# address, in the database every server shares; the staff login, the admin login,
# staff tokens and partner keys all count. `login_unlock` lifts a lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = "core.lockout.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False

# Staff API tokens (core.StaffToken): valid this many days unless the owner
# chooses fewer, never more than the maximum.
STAFF_TOKEN_DAYS = env.int("STAFF_TOKEN_DAYS", default=90)
STAFF_TOKEN_MAX_DAYS = env.int("STAFF_TOKEN_MAX_DAYS", default=365)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated call gets 401 with "WWW-Authenticate: Api-Key".
        "core.api.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "core.api.authentication.StaffTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.StaffModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON only (shared/API.md); an upload action names MultiPartParser itself.
    # A form-encoded body would have every value read loosely from text ("0" as
    # false, a number for a string), which the schema does not allow.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        # The public catalogue and 通办 lists for callers not signed in, per
        # client address; one query per such request (core.ratelimit). An
        # operator whose proxy limits floods may set it to "off".
        "public": _rate_or_off(env("PUBLIC_THROTTLE_RATE", default="120/min")),
        "progress_lookup": env("PROGRESS_LOOKUP_RATE", default="10/min"),
    },
    "UNICODE_JSON": True,
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": _("Development Zone Service Matters Registry API"),
    "DESCRIPTION": _(
        "Cross-region service matters and applications, party-member "
        "volunteering, comprehensive administrative enforcement. See README for "
        "conventions."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Error answers, If-Match and Idempotency-Key added to every operation from
    # one place (core/api/schema.py), so the schema tells what the server does.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess",
    ],
    # Several models share field names ("status", "kind"): each choice set is
    # named once so the schema has no ambiguous enums.
    "ENUM_NAME_OVERRIDES": {
        "MatterKindEnum": "services.choices.MatterKind",
        "LiaisonSideEnum": "services.choices.LiaisonSide",
        "ApplicationStatusEnum": "services.choices.ApplicationStatus",
        "ApplicationMaterialStatusEnum": "services.choices.MaterialStatus",
        "FollowUpStatusEnum": "services.choices.FollowUpStatus",
        "ApplicantKindEnum": "services.choices.ApplicantKind",
        "DeliveryMethodEnum": "services.choices.DeliveryMethod",
        "SubjectKindEnum": "enforcement.choices.SubjectKind",
        "DisposalKindEnum": "enforcement.choices.DisposalKind",
        "ReinspectionOutcomeEnum": "enforcement.choices.ReinspectionOutcome",
        "FollowUpOutcomeEnum": "services.choices.FollowUpOutcome",
    },
}

# The district this instance serves; `load_reference_data` creates it.
LOCAL_DISTRICT_CODE = env("LOCAL_DISTRICT_CODE", default="370871")
# i18n: data (the district's own name)
LOCAL_DISTRICT_NAME = env("LOCAL_DISTRICT_NAME", default="济宁经济技术开发区")
# Working days a 差评 follow-up must be answered within (国办发〔2019〕51号 leaves it local).
EVALUATION_FOLLOWUP_WORKING_DAYS = env.int(
    "EVALUATION_FOLLOWUP_WORKING_DAYS", default=5
)
# 行政许可法 art. 32: correction must be requested within this many working days.
CORRECTION_WINDOW_WORKING_DAYS = env.int("CORRECTION_WINDOW_WORKING_DAYS", default=5)
# Deepest nesting a JSON body may have (core.api.parsers); ours need under ten.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Largest image accepted (flags, logos, photos, materials), read from its header
# before anything decodes it; Pillow refuses to decode twice this (core.apps).
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=50_000_000)
# Rows one request may carry in a bulk write (the hours sheet, page and API),
# and items in any one JSON array or object of an API body (core.api.parsers).
BULK_MAX_ROWS = env.int("BULK_MAX_ROWS", default=500)
API_JSON_MAX_ITEMS = env.int("API_JSON_MAX_ITEMS", default=2000)
# Federation: the Fernet key encrypting the keys we present to partners (see
# core/crypto.py), and how long a partner's old key keeps working after rotation.
PARTNER_KEY_ENCRYPTION_KEY = env("PARTNER_KEY_ENCRYPTION_KEY", default="")
PARTNER_KEY_GRACE_HOURS = env.int("PARTNER_KEY_GRACE_HOURS", default=72)
# Idempotency-Key: how long answers are kept for replays (purge_idempotency_keys),
# and after how long a claim left "in progress" by a dead request may be taken over.
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=72)
IDEMPOTENCY_IN_PROGRESS_TIMEOUT_SECONDS = env.int(
    "IDEMPOTENCY_IN_PROGRESS_TIMEOUT_SECONDS", default=300
)
# The outbox worker (deliver_outbox): attempts before a message goes to the
# dead-letter state, exponential backoff with jitter, and the HTTP timeout.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_BACKOFF_BASE_SECONDS = env.float("OUTBOX_BACKOFF_BASE_SECONDS", default=5.0)
OUTBOX_BACKOFF_MAX_SECONDS = env.float("OUTBOX_BACKOFF_MAX_SECONDS", default=3600.0)
OUTBOX_HTTP_TIMEOUT_SECONDS = env.float("OUTBOX_HTTP_TIMEOUT_SECONDS", default=10.0)
# A font file with CJK glyphs to embed in PDFs; empty means search the usual places.
PDF_CJK_FONT = env("PDF_CJK_FONT", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # ID and mobile numbers masked in every line written (a query string, an
    # error's text): core.logs.ScrubbingFormatter; error reports are masked by
    # DEFAULT_EXCEPTION_REPORTER.
    "formatters": {"scrubbed": {"()": "core.logs.ScrubbingFormatter"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "scrubbed"},
        "mail_admins": {
            "class": "core.logs.ScrubbingAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "formatter": "scrubbed",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per security event (core.logs.security_event): failed sign-in,
        # lockout, throttled request, refused token or key, sensitive reveal.
        "security": {"level": "INFO"},
        # Django's own handlers replaced by the scrubbed ones (its records reach
        # the console through the root).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
DEFAULT_EXCEPTION_REPORTER = "core.logs.ScrubbingExceptionReporter"

# Audit (core.audit.audited): database triggers, so bulk updates are recorded too.
PGHISTORY_ADMIN_ALL_EVENTS = False
