"""Django settings, read from the environment (see README, section Configuration)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from jeugdhulp import envconfig
from jeugdhulp.private_files import private_dir, private_file, private_sqlite_database

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent
# Local state is the platform account's alone: var/ 0700, the files in it 0600 (private_files).
VAR_DIR = private_dir(envconfig.var_dir(ENV))
JEUGDHULP_ENV = envconfig.environment(ENV)
PRODUCTION = JEUGDHULP_ENV == "production"

SECRET_KEY = envconfig.secret_key(ENV, VAR_DIR, PRODUCTION)
DEBUG = envconfig.boolean(ENV, "JEUGDHULP_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise envconfig.ConfigurationError("JEUGDHULP_DEBUG cannot be on in production.")
ALLOWED_HOSTS = envconfig.csv_list(
    ENV, "JEUGDHULP_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = envconfig.csv_list(ENV, "JEUGDHULP_CSRF_TRUSTED_ORIGINS", [])
# A refused form: a Dutch page in the platform's layout, with a way back.
CSRF_FAILURE_VIEW = "jeugdhulp.core.errors.csrf_failure"

INSTALLED_APPS = [
    # Ours first, so our templates (login, admin tweaks) win.
    "jeugdhulp.core",
    "jeugdhulp.accounts",
    "jeugdhulp.audit",
    "jeugdhulp.reference",
    "jeugdhulp.rounds",
    "jeugdhulp.results",
    "jeugdhulp.aanmeldingen",
    "jeugdhulp.triage",
    "jeugdhulp.api",
    "jeugdhulp.demo",
    "jeugdhulp.core.admin_site.JeugdhulpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on answers to signed-in users and the API (personal data).
    "jeugdhulp.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jeugdhulp.audit.middleware.AuditContextMiddleware",
    "jeugdhulp.core.middleware.LoginRequiredMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jeugdhulp.urls"
WSGI_APPLICATION = "jeugdhulp.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "jeugdhulp.core.context_processors.platform",
            ],
        },
    }
]

DATABASES = {"default": envconfig.database(ENV, VAR_DIR)}
private_sqlite_database(DATABASES["default"])
# The dashboard's figures are cached (aanmeldingen.figures_cache): Redis when REDIS_URL is set.
CACHES = {"default": envconfig.cache(ENV, VAR_DIR, str(DATABASES["default"]["NAME"]))}
# How far (seconds) the dashboard may lag behind new registrations and workflow steps.
JEUGDHULP_DASHBOARD_MAX_LAG = envconfig.integer(ENV, "JEUGDHULP_DASHBOARD_MAX_LAG", 60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Dutch (Belgium) by default, English available.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries come from installed packages (Leaflet from django-leaflet), served by the
# app; django-leaflet is not an installed app since it needs GeoDjango.
STATICFILES_DIRS = [
    ("vendor/leaflet", envconfig.package_path("leaflet") / "static" / "leaflet"),
]
MEDIA_ROOT = private_dir(Path(ENV.get("JEUGDHULP_MEDIA_DIR", VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Static files are served by the app itself (WhiteNoise), also without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = envconfig.email_backend(ENV)
EMAIL_HOST = ENV.get("JEUGDHULP_EMAIL_HOST", "localhost")
EMAIL_PORT = envconfig.integer(ENV, "JEUGDHULP_EMAIL_PORT", 25)
EMAIL_HOST_USER = ENV.get("JEUGDHULP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("JEUGDHULP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envconfig.boolean(ENV, "JEUGDHULP_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = ENV.get("JEUGDHULP_FROM_EMAIL", "jeugdhulp@localhost")
EMAIL_FILE_PATH = VAR_DIR / "mail"
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    private_dir(EMAIL_FILE_PATH)

# Sessions and cookies.
SESSION_COOKIE_AGE = envconfig.integer(ENV, "JEUGDHULP_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envconfig.boolean(ENV, "JEUGDHULP_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = envconfig.integer(ENV, "JEUGDHULP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "strict-origin"

# Content-Security-Policy: everything from this host only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling and lock-out (django-axes).
AXES_FAILURE_LIMIT = envconfig.integer(ENV, "JEUGDHULP_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = envconfig.integer(ENV, "JEUGDHULP_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client address, one rule for the lock-out, the audit log and the API: the connection's own
# address, or behind these reverse proxies the last X-Forwarded-For hop that is not one of them.
JEUGDHULP_TRUSTED_PROXIES = envconfig.trusted_proxies(ENV)
AXES_CLIENT_IP_CALLABLE = "jeugdhulp.audit.client_ip.client_ip"
# The audit log refuses DELETE and TRUNCATE; only the test suite's flush between tests may empty
# it, with this switch that conftest.py turns on (never read from the environment).
JEUGDHULP_AUDIT_FLUSH_IN_TESTS = False

# REST API (request monitor, uploads): token authentication, one permission layer. Tokens are
# django-rest-knox's: stored as a SHA-512 digest, valid JEUGDHULP_API_TOKEN_DAYS, revoked when the
# user's password changes, the user is deactivated or loses every role (api.signals).
JEUGDHULP_API_TOKEN_DAYS = envconfig.api_token_days(ENV)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=JEUGDHULP_API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jeugdhulp.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jeugdhulp API",
    "DESCRIPTION": "REST API of the jeugdhulp request monitor (1G1P), version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two models have a field named "status" with different choices.
    "ENUM_NAME_OVERRIDES": {
        "AanmeldingStatusEnum": "jeugdhulp.aanmeldingen.models.Status",
        "AanleveringStatusEnum": "jeugdhulp.rounds.models.UploadStatus",
    },
}

# Background jobs (huey): Redis in production, SQLite for the embedded default.
QUEUE = ENV.get("JEUGDHULP_QUEUE", "redis" if ENV.get("REDIS_URL") else "sqlite").lower()
if QUEUE == "redis":
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": ENV.get("JEUGDHULP_QUEUE_NAME", "jeugdhulp"),
        "url": ENV.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "immediate": False,
        "consumer": {"workers": envconfig.integer(ENV, "JEUGDHULP_WORKERS", 2)},
    }
elif QUEUE == "sqlite":
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "jeugdhulp",
        "filename": str(
            private_file(Path(ENV.get("JEUGDHULP_QUEUE_FILE", VAR_DIR / "queue.sqlite3")))
        ),
        "immediate": False,
        "consumer": {"workers": envconfig.integer(ENV, "JEUGDHULP_WORKERS", 2)},
    }
elif QUEUE == "immediate":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "jeugdhulp", "immediate": True}
else:
    raise envconfig.ConfigurationError(
        f"JEUGDHULP_QUEUE={QUEUE!r}: use 'redis', 'sqlite' or 'immediate'."
    )

# Request monitor: contact details are encrypted with this key (Fernet, urlsafe base64, 32 bytes).
JEUGDHULP_FIELD_KEYS = envconfig.csv_list(ENV, "JEUGDHULP_FIELD_KEYS", [])
JEUGDHULP_RETENTION_MONTHS = envconfig.integer(ENV, "JEUGDHULP_RETENTION_MONTHS", 24)
# Disclosure control: counts below this are suppressed.
JEUGDHULP_DISCLOSURE_THRESHOLD = envconfig.integer(ENV, "JEUGDHULP_DISCLOSURE_THRESHOLD", 5)
# Upload limits (docs/en/snapshot.md, "Upload limits"): bytes of a file, its data rows (a
# workbook may unpack to 1 MiB + 2,000 bytes per allowed row), and what reading one may use in
# its child process: address space beyond the child's own (default 512 MB + 3 MB per 1,000
# allowed rows; 250,000 rows read and checked take about 1.6 KB a row) and seconds.
JEUGDHULP_MAX_UPLOAD_BYTES = envconfig.integer(ENV, "JEUGDHULP_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
JEUGDHULP_MAX_UPLOAD_ROWS = envconfig.integer(ENV, "JEUGDHULP_MAX_UPLOAD_ROWS", 1_000_000)
JEUGDHULP_UPLOAD_MEMORY_MB = envconfig.integer(
    ENV, "JEUGDHULP_UPLOAD_MEMORY_MB", 512 + 3 * JEUGDHULP_MAX_UPLOAD_ROWS // 1000
)
JEUGDHULP_UPLOAD_SECONDS = envconfig.integer(ENV, "JEUGDHULP_UPLOAD_SECONDS", 300)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Password reset: requests honoured per e-mail address and per client address in a window
# (core.password_reset).
JEUGDHULP_PASSWORD_RESET_LIMITS = envconfig.password_reset_limits(ENV)
# Every uploaded file stops at JEUGDHULP_MAX_UPLOAD_BYTES while the request is read.
FILE_UPLOAD_HANDLERS = [
    "jeugdhulp.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("JEUGDHULP_LOG_LEVEL", "WARNING")},
}
