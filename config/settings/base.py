"""Settings shared by every environment; the differences come from env vars."""

from pathlib import Path

import environ
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
    "rest_framework.authtoken",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "core",
    "services",
    "volunteers",
    "enforcement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AuditContextMiddleware",
    "core.middleware.DomainErrorMiddleware",
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


def database_config(url: str | None) -> dict:
    """Parse ``DATABASE_URL``; without one, start and use the embedded server."""
    if not url:
        from config import embedded_db

        url = embedded_db.url()
    config = environ.Env.db_url_config(url)
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_config(env("DATABASE_URL", default=None))}
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

CACHES = {
    "default": {
        "BACKEND": env(
            "CACHE_BACKEND", default="django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": env("CACHE_LOCATION", default="registry"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated call gets 401 with "WWW-Authenticate: Api-Key".
        "core.api.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
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
    "DEFAULT_THROTTLE_RATES": {
        "public": env("PUBLIC_THROTTLE_RATE", default="60/min"),
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
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
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
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Audit (core.audit.audited): database triggers, so bulk updates are recorded too.
PGHISTORY_ADMIN_ALL_EVENTS = False
