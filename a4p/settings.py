"""Settings for A4P+ Monitor, read from A4P_* environment variables (see README, "Configuration").

The embedded default needs no variable at all: SQLite file, inline background work, e-mail to the
console. Production sets A4P_DATABASE_URL, A4P_SECRET_KEY, A4P_ALLOWED_HOSTS and A4P_DEBUG=false.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from a4p.env import envbool, envchoice, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("A4P_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("A4P_DEBUG", False)
HTTPS = envbool("A4P_HTTPS", False)
# A demo install: `a4p demo` (users with a published password) runs only here; `make run` sets it.
A4P_DEMO = envbool("A4P_DEMO", False)


def _secret_key() -> str:
    """A4P_SECRET_KEY, or a key made once and kept in the data folder (single-host installs)."""
    key = envstr("A4P_SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
    except OSError as exc:
        raise ImproperlyConfigured(
            f"A4P_SECRET_KEY is not set and {path} cannot be read: {exc}"
        ) from exc


SECRET_KEY = _secret_key()


def _file_keys() -> list[str]:
    """A4P_FILE_KEYS (Fernet keys, the first encrypts), or keys kept one a line in the data
    folder's `file_keys`, made once (single-host installs). Confidential files are encrypted with
    them (core/storage.py); back them up apart from the backups."""
    keys = envlist("A4P_FILE_KEYS", [])
    source = "A4P_FILE_KEYS"
    if not keys:
        path = DATA_DIR / "file_keys"
        source = str(path)
        try:
            keys = path.read_text().split()
        except FileNotFoundError:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            keys = [Fernet.generate_key().decode()]
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(keys[0] + "\n")
        except OSError as exc:
            raise ImproperlyConfigured(
                f"A4P_FILE_KEYS is not set and {path} cannot be read: {exc}"
            ) from exc
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{source}: key {number} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)"
            ) from None
    return keys


A4P_FILE_KEYS = _file_keys()

ALLOWED_HOSTS = envlist("A4P_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("A4P_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "a4p.apps.AdminConfig",  # django.contrib.admin with the site's sign-in rules
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "core",
    "accounts",
    "plans",
    "reporting",
    "indicators",
    "registers",
    "reports",
    "dashboards",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.TrustedProxyMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SensitiveResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: an idle session is ended before anything else looks
    # at the user; then a signed-in user who owes a second factor or a new password reaches
    # only the pages that settle it.
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.AccountGateMiddleware",
]

ROOT_URLCONF = "a4p.urls"
WSGI_APPLICATION = "a4p.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.notifications",
                "registers.context_processors.registers",
                "accounts.context_processors.audit",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("A4P_DATABASE_URL", f"sqlite:///{DATA_DIR / 'a4p.sqlite3'}"),
        conn_max_age=envint("A4P_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: one writer at a time, so wait instead of failing on a busy file.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not envbool(
    "A4P_PG_JIT", False
):
    # The dashboards' aggregate queries run in tens of milliseconds; PostgreSQL's JIT spends
    # longer compiling them than it saves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in (django-allauth, docs/accounts.md): by username, no public sign-up, password reset by
# e-mail; a second factor (TOTP with recovery codes, or a WebAuthn security key) is mandatory
# for the roles in accounts.mfa.MFA_ROLES.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[A4P+ Monitor] "
# Sensitive actions (publishing, register records, users, API tokens) need a sign-in this recent.
A4P_REAUTH_MINUTES = envint("A4P_REAUTH_MINUTES", 15)
ACCOUNT_REAUTHENTICATION_TIMEOUT = A4P_REAUTH_MINUTES * 60
ACCOUNT_RATE_LIMITS = {
    # Password-reset requests, per address and per e-mail address; log-in failures are
    # throttled by accounts.throttle (allauth's per-username limit would lock accounts).
    "reset_password": (
        f"{envint('A4P_RESET_PER_IP_HOUR', 20)}/h/ip,{envint('A4P_RESET_PER_EMAIL_HOUR', 3)}/h/key"
    ),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "A4P+ Monitor"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: phone clocks drift
# Browsers allow WebAuthn on http://localhost; the library must be told so when not on HTTPS.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS

# Idle sessions end after this many minutes without a request (Member State delegates sooner),
# on top of the absolute lifetime SESSION_COOKIE_AGE.
A4P_IDLE_MINUTES = envint("A4P_IDLE_MINUTES", 60)
A4P_IDLE_MINUTES_DELEGATE = envint("A4P_IDLE_MINUTES_DELEGATE", 30)

# Log-in throttling (accounts.throttle). django-axes locks a (username, address) pair; a whole
# address is locked at a higher count; a username alone is only slowed down, never locked, so
# nobody can lock someone else out from elsewhere.
AXES_FAILURE_LIMIT = envint("A4P_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address is REMOTE_ADDR as core.middleware.TrustedProxyMiddleware left it.
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
A4P_LOGIN_IP_FAILURE_LIMIT = envint("A4P_LOGIN_IP_FAILURE_LIMIT", 50)
A4P_LOGIN_IP_LOCK_MINUTES = envint("A4P_LOGIN_IP_LOCK_MINUTES", 60)
A4P_LOGIN_USERNAME_SLOWDOWN_AFTER = envint("A4P_LOGIN_USERNAME_SLOWDOWN_AFTER", 10)
A4P_LOGIN_USERNAME_DELAY_SECONDS = envint("A4P_LOGIN_USERNAME_DELAY_SECONDS", 30)
A4P_LOGIN_USERNAME_DELAY_MAX_SECONDS = envint("A4P_LOGIN_USERNAME_DELAY_MAX_SECONDS", 15 * 60)

# The cache holds rate-limit counters and used one-time codes: Redis when A4P_CACHE_URL is set
# (several workers must share it), memory of the one process otherwise.
A4P_CACHE_URL = envstr("A4P_CACHE_URL", "")
if A4P_CACHE_URL:
    if not A4P_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"A4P_CACHE_URL={A4P_CACHE_URL!r} is not a Redis address (redis://host:port/db)"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": A4P_CACHE_URL,
            "KEY_PREFIX": "a4p",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence, registers' documents, report job files: encrypted over the default storage.
    "confidential": {"BACKEND": "core.storage.EncryptedStorage", "OPTIONS": {"base": "default"}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = envstr("A4P_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("A4P_DEFAULT_FROM_EMAIL", "a4p-monitor@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Forwarding headers (scheme, client address) are believed from these peers only
# (core.middleware.TrustedProxyMiddleware).
A4P_TRUSTED_PROXIES = envlist("A4P_TRUSTED_PROXIES", [])
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("A4P_HSTS_PRELOAD", False)
SESSION_COOKIE_AGE = envint("A4P_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything is served from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("A4P_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The PDF engine and its font subsetter narrate every page and glyph at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

A4P_PLAN_FILE = BASE_DIR / "plans" / "data" / "a4p-plus-2021-2023.yaml"

# Reporting
A4P_EVIDENCE_MAX_BYTES = envint("A4P_EVIDENCE_MAX_BYTES", 10_000_000)
# The largest YAML text read (plan files, reference data): core.yamlsafe.
A4P_YAML_MAX_BYTES = envint("A4P_YAML_MAX_BYTES", 5_000_000)
A4P_REMIND_DAYS_BEFORE = envint("A4P_REMIND_DAYS_BEFORE", 7)
A4P_SITE_URL = envstr("A4P_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 12_000_000

# Background work (report generation, see docs/operations.md): on Celery workers when a broker is
# configured, e.g. A4P_BROKER_URL=redis://127.0.0.1:6379/0; otherwise in a background thread of the
# web process, after the request's commit. "sync" runs a job inside the call (the test suite).
CELERY_BROKER_URL = envstr("A4P_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
A4P_TASKS_MODE = envchoice(
    "A4P_TASKS_MODE", "celery" if CELERY_BROKER_URL else "thread", ["celery", "thread", "sync"]
)
if A4P_TASKS_MODE == "celery" and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("A4P_TASKS_MODE=celery needs A4P_BROKER_URL")
# A running job whose heartbeat is older than this is taken for dead (its worker stopped).
A4P_JOB_STALE_MINUTES = envint("A4P_JOB_STALE_MINUTES", 10)
if A4P_JOB_STALE_MINUTES < 1:
    raise ImproperlyConfigured("A4P_JOB_STALE_MINUTES must be at least 1")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5_000_000

# The REST API (`/api/v1/`, docs/api.md): tokens or the session, page-number pagination, problem
# documents for errors, throttles per token and per address on the default cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.authentication.TokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.authentication.PerTokenThrottle",
        "api.authentication.PerAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": envstr("A4P_API_RATE", "1200/hour"),
        "address": envstr("A4P_API_RATE_ADDRESS", "3600/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.openapi.ProblemsAutoSchema",
    "EXCEPTION_HANDLER": "api.conventions.problem_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Paths whose errors are RFC 7807 problem documents, even those answered before any view.
A4P_PROBLEM_PATHS = ["/api/"]
SPECTACULAR_SETTINGS = {
    "TITLE": "A4P+ Monitor API",
    "DESCRIPTION": "The Action for Peacekeeping+ plan, its progress and its registers, scoped "
    "exactly as the pages are. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name, each named for its model.
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStatusEnum": "plans.models.Milestone.Status",
        "CaseStatusEnum": "registers.models.Case.Status",
        "PlanVersionStateEnum": "plans.models.PlanVersion.State",
        "CycleStateEnum": "reporting.models.Cycle.State",
        "UpdateStateEnum": "reporting.models.ProgressUpdate.State",
        "ReportJobStateEnum": "reports.models.ReportJob.State",
    },
}
