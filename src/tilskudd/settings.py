"""Django settings, read from the environment (12-factor).

Environment variables:
    DATABASE_URL   database, default SQLite in ./var/tilskudd.sqlite3
    SECRET_KEY     required when DEBUG is off
    DEBUG          "1"/"true" to turn on debug mode (default off)
    ALLOWED_HOSTS  comma-separated host names (default localhost names when DEBUG)
    CALLS_DIR      folder with call definition files (default ./calls)
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("TILSKUDD_HOME", Path.cwd())).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("TILSKUDD_ALLOW_INSECURE_KEY"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",  # background tasks (receipts); see TASKS below
    "django_tasks_db",
    "django_otp",  # two-factor authentication (TOTP and backup codes); see "accounts" below
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # lockout after repeated failed logins
    "csp",  # Content-Security-Policy header (django-csp); see "security headers" below
    "ninja",  # django-ninja's own static Swagger UI for /api/v1/docs (no CDN)
    "tilskudd.core",  # the shared kernel: template tags and partials
    "tilskudd.accounts",
    "tilskudd.audit",
    "tilskudd.calls",
    "tilskudd.orgs",
    "tilskudd.applications",
    "tilskudd.casework",
    "tilskudd.assessment",
    "tilskudd.grants",
    "tilskudd.payments",
    "tilskudd.complaints",
    "tilskudd.reports",
    "tilskudd.amendments",
    "tilskudd.reminders",
    "tilskudd.participants",
    "tilskudd.api",
    "tilskudd.demo",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "tilskudd.middleware.PrivacyHeadersMiddleware",  # Permissions-Policy; no-store for logged-in people
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tilskudd.middleware.ChosenLanguageMiddleware",
    "tilskudd.middleware.RefuseNulMiddleware",  # a NUL byte anywhere: 400, before anything reaches the database
    "tilskudd.middleware.PublicPageCacheMiddleware",  # front and call pages kept for anonymous visitors
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "tilskudd.core.remembered.RememberPerRequestMiddleware",  # roles and memberships read once a request
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # after authentication: request.user.is_verified()
    "tilskudd.accounts.middleware.SessionLifetimeMiddleware",  # a working day idle, 12 hours at most
    "tilskudd.accounts.middleware.EmailVerificationRequiredMiddleware",  # unverified: only the link
    "tilskudd.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "tilskudd.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tilskudd.wsgi.application"

DEFAULT_SQLITE = BASE_DIR / "var" / "tilskudd.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": "tilskudd.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Norwegian bokmål first, English second. Times are stored in UTC and shown in Oslo time.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# WhiteNoise serves from here after collectstatic; with DEBUG it also finds files in place.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("TILSKUDD_TESTING")
WHITENOISE_AUTOREFRESH = DEBUG or env_bool("TILSKUDD_TESTING")
# The site-wide CSS and the vendored Designsystemet files (src/tilskudd/static/).
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("TILSKUDD_TESTING")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps (the API documentation's bundles carry 5 MB of them) are read only by a developer's tools: not
# compressed at collectstatic, which halves its time (brotli of the maps was ~18 of ~32 s of CPU).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

CALLS_DIR = Path(os.environ.get("CALLS_DIR", BASE_DIR / "calls"))

# Security headers; `manage.py check --deploy` passes with DEBUG off and HTTPS on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's own page for a refused form (Django's is styled inline, which the CSP blocks).
CSRF_FAILURE_VIEW = "tilskudd.core.views.csrf_failure"
# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script or
# style, no eval (htmx runs with allowEval off, see base.html), no framing. Inline <script> and
# style="" in our templates are caught by tests/test_production_defaults.py. data: images are the
# Designsystemet CSS icons and Swagger UI's.
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
    },
}
# Browser features no page here uses (tilskudd.middleware.PrivacyHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
# The admin never shows a two-factor secret (TOTP key, QR code, backup codes) of an existing device.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The PDF libraries tell of every font subset and CSS rule they skip: only their warnings (issue #13, point 11).
    "loggers": {name: {"level": "WARNING"} for name in ("fontTools", "weasyprint")},
}


# --- background tasks, receipts and attachments ---
# Background tasks (django-tasks with its database backend): `manage.py task_worker` runs them.
# TASKS_BACKEND: "database" (default), "immediate" (run at once in the request; the default in
# tests) or a backend's dotted path.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if env_bool("TILSKUDD_TESTING") else "database")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND), "QUEUES": ["default"]}}
# A task RUNNING longer than this is taken to have lost its worker and is queued again
# (tilskudd.background.reap; sooner when the worker's process on this machine is gone).
TASKS_LEASE_SECONDS = int(os.environ.get("TASKS_LEASE_SECONDS", "600"))

# E-mail: SMTP (EMAIL_HOST …) unless DEBUG is on, where it is printed to the console. With DEBUG off
# `check --deploy` fails on a backend that does not deliver (console, file, memory, dummy): reset
# links and receipts must never end up in a log (tilskudd/checks.py).
# With DEBUG the default is "folder": each e-mail to var/mail/ and one line on the console (tilskudd.core.dev_mail).
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "folder": "tilskudd.core.dev_mail.FolderEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}.get(
    os.environ.get("EMAIL_BACKEND", "folder" if DEBUG else "smtp"),
    os.environ.get("EMAIL_BACKEND", ""),
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tilskudd <ikke-svar@localhost>")
# The public address of the site, for links in e-mails sent by background tasks (no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Attachments: size limit in bytes (default 25 MB) and the virus scanner (clamd; off when unset).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024)))
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "30"))

# Uploaded files: local disk (MEDIA_ROOT) by default; STORAGE_BACKEND=s3 stores them in an
# S3-compatible object store through django-storages, which is NOT in requirements.txt: install
# `django-storages[s3]` with a pinned version first (docs/deployment.md). Option names as in
# django-storages' storages/backends/s3.py (S3Storage.get_default_settings).
if os.environ.get("STORAGE_BACKEND", "local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("S3_LOCATION", ""),
            "default_acl": None,  # private objects; files are served through the application
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- accounts and authentication ---
# Log in with e-mail and password; django-axes checks every attempt first (its backend must come
# first) and locks a username from one IP address out after 5 failures for 15 minutes. A failed
# attempt while locked does not prolong the lock, so the page can say when to try again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/min-side/"
LOGOUT_REDIRECT_URL = "/"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "tilskudd.accounts.services.attempted_email"
AXES_LOCKOUT_CALLABLE = "tilskudd.accounts.views.locked_out"
AXES_VERBOSE = False  # no start-up banner on every command; lockouts are still logged
# Behind reverse proxies that append to X-Forwarded-For, how many there are; 0 trusts no header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "tilskudd.accounts.services.client_ip"
# Two-factor authentication (django-otp): TOTP apps show "tilskudd" as the issuer.
OTP_TOTP_ISSUER = "tilskudd"
# Sessions end after a working day without use and at most 12 hours after login
# (accounts.middleware.SessionLifetimeMiddleware); the cookie lives as long as the idle time.
SESSION_IDLE_TIMEOUT = datetime.timedelta(hours=float(os.environ.get("SESSION_IDLE_HOURS", "8")))
SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# Rate limits on the account pages (accounts/ratelimit.py), per hour: e-mails to one address
# (sign-up, new password, verification link together), account requests from one client address,
# and failed logins from one client address across all accounts (password spraying).
ACCOUNT_EMAILS_PER_ADDRESS = int(os.environ.get("ACCOUNT_EMAILS_PER_ADDRESS", "5"))
ACCOUNT_REQUESTS_PER_CLIENT = int(os.environ.get("ACCOUNT_REQUESTS_PER_CLIENT", "30"))
LOGIN_FAILURES_PER_CLIENT = int(os.environ.get("LOGIN_FAILURES_PER_CLIENT", "20"))
# The shared cache holds the rate-limit counters, so every worker process counts together: Redis
# when REDIS_URL is set (needs the `redis` package), else a table in the database
# (`manage.py createcachetable`, run by scripts/run and by the test database set-up).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tilskudd_cache"}}

# The public pages re-read the calls' facts at most this often per process (calls.snapshot); 0 in
# tests, which change calls and look at once.
PUBLIC_PAGES_REFRESH_SECONDS = float(
    os.environ.get("PUBLIC_PAGES_REFRESH_SECONDS", "0" if env_bool("TILSKUDD_TESTING") else "2")
)

# --- tests ---
if env_bool("TILSKUDD_TESTING"):
    # Hashing passwords slowly is the point in production and a waste in tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- payments ---
# Who pays each grantor's grants (the debtor of its pain.001 files), by organisation number, as JSON:
# PAYMENT_DEBTORS='{"987879696": {"name": "…", "account": "8601 11 17947", "bic": "DNBANOKK"}}'.
# A grantor without an entry gets no payment file (a clear refusal). With DEBUG or in tests the demo
# grantors (IMDi, Bergen kommune) have made-up accounts unless the variable is set.
PAYMENT_DEBTORS = json.loads(
    os.environ.get("PAYMENT_DEBTORS")
    or (
        '{"987879696": {"name": "Integrerings- og mangfoldsdirektoratet", "account": "8601 11 17947",'
        ' "bic": "DNBANOKK"}, "964338531": {"name": "Bergen kommune", "account": "9710 05 12347", "bic": ""}}'
        if DEBUG or env_bool("TILSKUDD_TESTING")
        else "{}"
    )
)

# --- individual reporting (participants, C0-R12) ---
# Fernet keys for the participants' personal data, comma-separated, newest first (rotation: docs/deployment.md).
# Without one nothing is stored. With DEBUG or in tests a fixed development key, never for production.
PARTICIPANT_DATA_KEYS = env_list("PARTICIPANT_DATA_KEYS") or (
    ["dGlsc2t1ZGQtZGV2LXRlc3QtcGFydGljaXBhbnRzISE="] if DEBUG or env_bool("TILSKUDD_TESTING") else []
)

# --- organisations (orgs) ---
# Enhetsregisteret's open API (Brønnøysundregistrene). Under tests the default points at a closed
# port on loopback, so no test ever asks the real registry; tests start their own server.
BRREG_BASE_URL = os.environ.get(
    "BRREG_BASE_URL", "http://127.0.0.1:9" if env_bool("TILSKUDD_TESTING") else "https://data.brreg.no"
)
BRREG_TIMEOUT = float(os.environ.get("BRREG_TIMEOUT", "3"))
# How long an invitation to an organisation is valid.
ORG_INVITATION_DAYS = int(os.environ.get("ORG_INVITATION_DAYS", "14"))

# --- the statements (issue #13, point 6) ---
# Whom the accessibility and privacy statements name as contact: the grantor that runs the service.
SERVICE_CONTACT = {
    "name": os.environ.get("SERVICE_CONTACT_NAME", "Integrerings- og mangfoldsdirektoratet (IMDi)"),
    "email": os.environ.get("SERVICE_CONTACT_EMAIL", "post@imdi.no"),
    "phone": os.environ.get("SERVICE_CONTACT_PHONE", "24 16 88 00"),
    "address": os.environ.get("SERVICE_CONTACT_ADDRESS", ""),
}
