"""Kinerja settings: one module, configured from the environment (see docs/configuration.md).

With nothing set, Kinerja runs as a development install on an embedded SQLite database.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kinerja.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KINERJA_VAR_DIR", str(BASE_DIR / "var")))

_secret = env_str("KINERJA_SECRET_KEY")
# Without a configured secret this is a development install: debug on unless told otherwise.
DEBUG = env_bool("KINERJA_DEBUG", default=_secret is None)
if _secret:
    SECRET_KEY = _secret
elif DEBUG:
    SECRET_KEY = "dev-only-kinerja-key-not-for-production-use-0123456789abcdefghij"
else:
    raise ImproperlyConfigured("KINERJA_SECRET_KEY wajib diisi bila KINERJA_DEBUG mati.")

ALLOWED_HOSTS = env_list(
    "KINERJA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("KINERJA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kinerja.core",
    "kinerja.organizations",
    "kinerja.indicators",
    "kinerja.planning",
    "kinerja.imports",
    "kinerja.reporting",
    "kinerja.documents",
    "kinerja.measurement",
    "kinerja.budget",
    "kinerja.review",
    "kinerja.evaluation",
    "kinerja.dashboards",
    "kinerja.notifications",
    "kinerja.publication",
    "kinerja.api",
    "kinerja.administration",
    "kinerja.site",
    # django-ninja: installed so that /api/v1/docs serves its own Swagger UI files (no CDN)
    "ninja",
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
    "csp.middleware.CSPMiddleware",
    "kinerja.core.middleware.SessionIdleTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kinerja.organizations.middleware.UnitTimeZoneMiddleware",
    "kinerja.core.locks.LockMessageMiddleware",
    "kinerja.core.middleware.MissingStoredFileMiddleware",
    "kinerja.core.middleware.BoundedPathNumbers",
    # Last, as django-axes asks: it turns a refused (locked-out) login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# History is read-only in the admin: reverting to an old version would be a write around the
# services and their checks.
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "kinerja.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kinerja" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.notifications.context.unread_notifications",
            ],
        },
    },
]

# Persistent connections in production save a connection set-up per request; health checks replace
# a connection the server dropped instead of failing the request on it. Development reconnects.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}",
        conn_max_age=env_int("KINERJA_DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The embedded database must survive several people saving at once: WAL lets readers run beside
    # the one writer; IMMEDIATE takes the write lock when a transaction begins, so a second writer
    # waits for it (up to the timeout) instead of failing with "database is locked" when its read
    # turns into a write; synchronous=NORMAL is safe with WAL and spares a disk sync per commit.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("KINERJA_SQLITE_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Django's SQLite backend, except that a stored decimal wider than its column is read, not a 500.
    DATABASES["default"]["ENGINE"] = "kinerja.core.sqlite3"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes sees every login first and refuses one that is locked out; ModelBackend then checks
# the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = env_str("KINERJA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("KINERJA_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("KINERJA_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security. Behind HTTPS (production) set KINERJA_HTTPS=1.
HTTPS = env_bool("KINERJA_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("KINERJA_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("KINERJA_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Achievement cap applied nationally unless a PK sets its own (empty: no cap). Reports show raw and capped.
KINERJA_ACHIEVEMENT_CAP = env_str("KINERJA_ACHIEVEMENT_CAP") or None

# How a realisation becomes its two-decimal reported figure (see kinerja.calc.Rounding): "down" cuts,
# as the ministry's reports do (73/78×100 → 93,58), "half-up" rounds (93,59).
KINERJA_REALISATION_ROUNDING = env_str("KINERJA_REALISATION_ROUNDING", "down")
if KINERJA_REALISATION_ROUNDING not in ("down", "half-up"):
    raise ImproperlyConfigured(
        "KINERJA_REALISATION_ROUNDING harus 'down' atau 'half-up', "
        f"bukan {KINERJA_REALISATION_ROUNDING!r}."
    )

# Status colours of achievement on pages: at or above "good" green, at or above "warning" amber, else red.
KINERJA_ACHIEVEMENT_THRESHOLDS = {
    "good": env_str("KINERJA_THRESHOLD_GOOD", "100"),
    "warning": env_str("KINERJA_THRESHOLD_WARNING", "80"),
}

KINERJA_EVIDENCE_MAX_BYTES = env_int("KINERJA_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
# Uploads (kinerja/core/uploads.py): an upload is refused as its first part arrives when the
# request's length is over the limit of its page, and while it streams otherwise; never read whole.
KINERJA_IMPORT_MAX_BYTES = env_int("KINERJA_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# A workbook is checked before it is parsed: its uncompressed size (XLSX is a zip) and the extent
# of every sheet. A Rencana Aksi has about 30 indicators x 5 rows and 15 columns.
KINERJA_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "KINERJA_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024
)
KINERJA_IMPORT_MAX_ROWS = env_int("KINERJA_IMPORT_MAX_ROWS", 5000)
KINERJA_IMPORT_MAX_COLUMNS = env_int("KINERJA_IMPORT_MAX_COLUMNS", 60)
# rows x columns of the rectangle openpyxl builds (the furthest row times the furthest column)
KINERJA_IMPORT_MAX_CELLS = env_int("KINERJA_IMPORT_MAX_CELLS", 100_000)
KINERJA_IMPORT_MAX_LINE_CHARS = env_int("KINERJA_IMPORT_MAX_LINE_CHARS", 50000)
# Evidence images larger than this are refused as decompression bombs (Pillow's own limit is 89M).
KINERJA_IMAGE_MAX_PIXELS = env_int("KINERJA_IMAGE_MAX_PIXELS", 50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Files above this go to a temporary file on disk, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "kinerja.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINERJA_LOG_LEVEL", "WARNING")},
}


# Background jobs (document generation) through Django's tasks API (the django-tasks backport).
# The database backend needs no extra service: `kinerja start` runs a worker beside the web server;
# in production run `kinerja db_worker` as its own process. KINERJA_TASKS_IMMEDIATE=1 runs each job
# inside the request instead (no worker at all).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("KINERJA_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}


# Login throttling (django-axes): after KINERJA_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked for KINERJA_LOGIN_COOLOFF_MINUTES. A successful login
# clears the count. Unlock early: `kinerja axes_reset` (all) or `kinerja axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("KINERJA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("KINERJA_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinerja.core.views.lockout"
AXES_USERNAME_FORM_FIELD = "username"
if env_bool("KINERJA_BEHIND_PROXY", default=False):
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the client is the address it appended.
    AXES_CLIENT_IP_CALLABLE = "kinerja.core.middleware.client_ip_behind_proxy"

# Sessions: signed out after KINERJA_SESSION_IDLE_MINUTES without a request, and at the latest
# KINERJA_SESSION_MAX_HOURS after logging in, whatever the activity.
SESSION_IDLE_MINUTES = env_int("KINERJA_SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = env_int("KINERJA_SESSION_MAX_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Mail (password reset). Development prints mails on the console; production sets SMTP.
EMAIL_BACKEND = env_str(
    "KINERJA_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("KINERJA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KINERJA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KINERJA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("KINERJA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KINERJA_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("KINERJA_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("KINERJA_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("KINERJA_DEFAULT_FROM_EMAIL", "kinerja@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address users open Kinerja at: links in notification e-mails (sent also by `kinerja remind`,
# outside any request) start with it.
KINERJA_BASE_URL = env_str("KINERJA_BASE_URL", "http://localhost:8000")
PASSWORD_RESET_TIMEOUT = env_int("KINERJA_PASSWORD_RESET_HOURS", 24) * 3600

# Content-Security-Policy on every response (django-csp): scripts, styles, images and forms only
# from this site, nothing inline. Pages keep no inline script or style attribute; htmx is told not
# to inject its indicator style (meta htmx-config in base.html). A view that sets its own header
# (evidence downloads: a sandbox) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The REST API (/api/v1/): at most this many requests per token, or per user for the browser's
# session, as "N/s", "N/m", "N/h" or "N/d".
KINERJA_API_RATE = env_str("KINERJA_API_RATE", "600/m")
if not re.fullmatch(r"[1-9]\d{0,6}/[smhd]", KINERJA_API_RATE):
    raise ImproperlyConfigured(
        f"KINERJA_API_RATE {KINERJA_API_RATE!r} tidak dikenal: tulis misalnya 600/m (N/s, N/m, N/h "
        "atau N/d)."
    )
