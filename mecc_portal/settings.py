"""MECC Portal settings: one file, every value from the environment.

Defaults are the zero-setup developer experience (SQLite, an embedded Celery broker on the
filesystem, mail to the console) only where they are safe; anything that would be unsafe in
production refuses to start instead of guessing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

# Lets admin.ModelAdmin[Model] and similar generic annotations work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

env = environ.Env()


def _secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points at {file_path}, which cannot be read"
            ) from exc
    return str(env.str(name, default=default))


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


DEBUG = _bool("DEBUG", False)

SECRET_KEY = _secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=true for "
            "local development only."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105  # nosec B105  # DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = str(env.str("SITE_URL", default="http://127.0.0.1:8000")).rstrip("/")

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "crispy_forms",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "training",
    "referrals",
    "evaluation",
    # Django's own widget templates, for FORM_RENDERER = TemplatesSetting.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserSessionsMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mecc_portal.urls"
WSGI_APPLICATION = "mecc_portal.wsgi.application"
ASGI_APPLICATION = "mecc_portal.asgi.application"

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
                "core.context_processors.portal",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------


def _server_database(config: dict[str, Any]) -> dict[str, Any]:
    """A database server's connections: kept for reuse, checked before each request's first
    query, with a connect timeout. PostgreSQL through Django's backend with a health check
    that asks the socket before the server (core/postgresql/base.py, ADR 0016)."""
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "core.postgresql"
    config["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("OPTIONS", {})["connect_timeout"] = _int("DB_CONNECT_TIMEOUT", 5)
    return config


DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in the zero-setup mode: take the write lock
    # at BEGIN and wait for it rather than failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    _server_database(DATABASES["default"])
# A read replica for dashboards, the benchmark and reports (ADR 0010): off unless set.
DATABASE_REPLICA_URL = _secret("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _server_database(env.db_url_config(DATABASE_REPLICA_URL))
    DATABASE_ROUTERS = ["core.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Shared by every process (rate limits must count across web workers), unlike LocMem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem://")
if CELERY_BROKER_IS_FILESYSTEM:
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
# Publishing must fail fast when the broker is down: the outbox keeps the message and the
# sweeper delivers it later, so a request never waits on Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = _int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = _int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
OUTBOX_SWEEP_SECONDS = _int("OUTBOX_SWEEP_SECONDS", 30)
# After commit, hand outbox messages to a publisher thread that sends them to the broker in
# batches (core.publisher, ADR 0014) instead of publishing in the request.
OUTBOX_PUBLISH_IN_BACKGROUND = _bool("OUTBOX_PUBLISH_IN_BACKGROUND", True)
HEARTBEAT_SECONDS = _int("HEARTBEAT_SECONDS", 30)
HEARTBEAT_STALE_SECONDS = _int("HEARTBEAT_STALE_SECONDS", 180)
OUTBOX_KEEP_SENT_DAYS = _int("OUTBOX_KEEP_SENT_DAYS", 30)
ROLLUPS_REFRESH_SECONDS = _int("ROLLUPS_REFRESH_SECONDS", 60)
# Dashboard figures are cached until the rollups change, and never longer than this (0: off).
DASHBOARD_CACHE_SECONDS = _int("DASHBOARD_CACHE_SECONDS", 300)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.tasks.outbox_sweep_task", "schedule": OUTBOX_SWEEP_SECONDS},
    "heartbeat": {"task": "core.tasks.heartbeat_task", "schedule": HEARTBEAT_SECONDS},
    "housekeeping": {"task": "core.tasks.housekeeping_task", "schedule": 60 * 60},
    # Each training reminder has its own outbox key, so frequent runs never send one twice.
    "training-reminders": {"task": "training.tasks.reminders_send_task", "schedule": 15 * 60},
    # Reminders are once per listing per month (idempotency key), so daily runs are safe.
    "directory-listing-reminders": {
        "task": "referrals.tasks.listing_reminders_task",
        "schedule": 24 * 60 * 60,
    },
    "referral-reminders": {
        "task": "referrals.tasks.referral_reminders_task",
        "schedule": 60 * 60,
    },
    # Every resident-data retention rule (referrals.services.retention); idempotent.
    "referral-contact-purge": {
        "task": "referrals.tasks.referral_contacts_purge_task",
        "schedule": 60 * 60,
    },
    # One reminder per organisation per period (outbox key), so daily runs are safe.
    "organisation-return-reminders": {
        "task": "evaluation.tasks.return_reminders_task",
        "schedule": 24 * 60 * 60,
    },
    # Each survey invitation and reminder has its own outbox key: hourly runs never resend.
    "survey-invitations": {
        "task": "evaluation.tasks.survey_invitations_send_task",
        "schedule": 60 * 60,
    },
    # Recomputes only the dashboard buckets changed since its watermark.
    "rollups-refresh": {
        "task": "evaluation.tasks.rollups_refresh_task",
        "schedule": ROLLUPS_REFRESH_SECONDS,
    },
    # The change feed's rows the rollups have read are deleted (one row per conversation).
    "change-feed-trim": {
        "task": "evaluation.tasks.change_events_trim_task",
        "schedule": 60 * 60,
    },
    # The monthly commissioner pack: one per commissioner, month and format (unique key).
    "monthly-commissioner-packs": {
        "task": "evaluation.tasks.monthly_packs_task",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    # Reports whose message was lost (broker down) or whose worker died are sent again.
    "reports-sweep": {"task": "evaluation.tasks.reports_sweep_task", "schedule": 10 * 60},
}
# Hours before a session that learners are reminded (comma-separated, e.g. "48,2").
TRAINING_REMINDER_OFFSET_HOURS = env.list(
    "TRAINING_REMINDER_OFFSET_HOURS", cast=int, default=[48, 2]
)
# Hours before a session that its trainers get the register link.
TRAINING_TRAINER_REMINDER_HOURS = _int("TRAINING_TRAINER_REMINDER_HOURS", 24)
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)

# --- Referrals: residents' contact details ----------------------------------------------
# Fernet keys, newest first, separated by commas: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in _secret("FIELD_ENCRYPTION_KEY").split(",") if key.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is not set. Set FIELD_ENCRYPTION_KEY (or "
            "FIELD_ENCRYPTION_KEY_FILE) to a Fernet key, or DEBUG=true for local development only."
        )
    FIELD_ENCRYPTION_KEYS = ["bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1rZXk="]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as _exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes) separated "
            "by commas"
        ) from _exc
REFERRAL_RESPONSE_DAYS = _int("REFERRAL_RESPONSE_DAYS", 5)
REFERRAL_CONTACT_RETENTION_DAYS = _int("REFERRAL_CONTACT_RETENTION_DAYS", 90)
# Contact details on a referral nobody closed are blanked this long after it was made.
REFERRAL_CONTACT_MAX_OPEN_DAYS = _int("REFERRAL_CONTACT_MAX_OPEN_DAYS", 365)
# A conversation's resident profile (age band, sex, ethnic group, postcode district) is
# blanked this long after the conversation; the conversation itself stays for the counts.
RESIDENT_PROFILE_RETENTION_DAYS = _int("RESIDENT_PROFILE_RETENTION_DAYS", 730)

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AdministratorRoleBackend",
    "accounts.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.PortalSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
# Before a second factor changes, people confirm their password or a second factor: never a
# code sent to the mailbox, which is one factor and the one a stolen session can reset.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "MECC Portal: "
# Links in emails use the scheme of the portal's public address.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
LOGIN_FAILURES_ALLOWED = _int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCKOUT_MINUTES = _int("LOGIN_LOCKOUT_MINUTES", 15)
# Whole NHS trusts and councils reach the portal from a few shared addresses: the per-address
# limit stops password spraying without locking a hospital out after a morning of typos.
LOGIN_FAILURES_PER_IP = _int("LOGIN_FAILURES_PER_IP", 100)
# allauth's per-address defaults (30 sign-ins a minute) would turn staff away at shift change.
LOGIN_ATTEMPTS_PER_IP_PER_MINUTE = _int("LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", 300)
ACCOUNT_RATE_LIMITS = {
    "login": f"{LOGIN_ATTEMPTS_PER_IP_PER_MINUTE}/m/ip",
    "signup": "100/m/ip",
    "reset_password": "100/m/ip,5/m/key",  # nosec B105  # a rate limit, not a password
    "reset_password_from_key": "100/m/ip",  # nosec B105  # a rate limit, not a password
    # Per email address: after 5 failures in 15 minutes the account is locked for the rest of
    # that window, and the form says how long to wait (accounts.adapters); per IP address, the
    # same after LOGIN_FAILURES_PER_IP failures for any accounts.
    "login_failed": (
        f"{LOGIN_FAILURES_PER_IP}/{LOGIN_LOCKOUT_MINUTES}m/ip,"
        f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_LOCKOUT_MINUTES}m/key"
    ),
}

MFA_ADAPTER = "accounts.adapters.MFAAdapter"  # TOTP keys and recovery seeds encrypted
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "MECC Portal"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_PASSKEY_LOGIN_ENABLED = False
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: 30 minutes idle and 12 hours at most from sign-in
# (accounts.middleware.SessionLifetimeMiddleware). "Last used" is written at most once every
# SESSION_TOUCH_SECONDS, not on every request; the idle limit allows for that, and the stored
# session outlives the idle limit by two touches so the middleware, not the store, ends it.
SESSION_IDLE_SECONDS = _int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_MAX_AGE_SECONDS = _int("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 2 * SESSION_TOUCH_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
# With Redis: read sessions from Redis, keep them in the database too (accounts.sessions).
SESSION_ENGINE = "accounts.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = _int("SESSION_CACHE_SECONDS", 120)
# The signed-in user and their roles, cached in Redis between requests (accounts.principals);
# without Redis the cache is the database, so caching would only move the query: off.
PRINCIPAL_CACHE_SECONDS = _int("PRINCIPAL_CACHE_SECONDS", 60) if REDIS_URL else 0
# Topics and boroughs a conversation is checked against, likewise (core.reference).
REFERENCE_CACHE_SECONDS = _int("REFERENCE_CACHE_SECONDS", 300) if REDIS_URL else 0
REFERENCE_LOCAL_SECONDS = _int("REFERENCE_LOCAL_SECONDS", 5)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers (check --deploy clean with DEBUG off) -----------------------------
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Strict Content Security Policy: nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if _bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email ------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# For filemail:// (one file per message): note an absolute path needs filemail:////abs/path.
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MECC Portal <no-reply@mecc.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Shown on the accessibility statement and privacy notice as the contact for the service.
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="")
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 10)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Uploads (core/uploads.py) --------------------------------------------------------
# Each import form has its own, smaller limit; nothing larger than this is accepted at all.
UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# A ZIP import (the Open Referral UK CSV package) is refused before unpacking if it holds more
# files, or more unpacked data, than these: a small "zip bomb" cannot fill memory.
IMPORT_ZIP_MAX_MEMBERS = _int("IMPORT_ZIP_MAX_MEMBERS", 50)
IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES = _int("IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
# Form fields other than files (Django's default, stated); larger files spool to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# --- APIs -----------------------------------------------------------------------------
# The authenticated API (conversations, FHIR) uses the portal's session sign-in; the Open
# Referral UK directory API overrides these per view to be public and read-only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MECC Portal API",
    "DESCRIPTION": "Conversations and referrals (FHIR R4 ServiceRequest) for signed-in staff.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the vendored sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Logging: structured enough to grep; never resident data -----------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Console only: Django's default error emails would carry request data (which can be
        # health data) to mailboxes, and /healthz 503s would email on every probe.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
