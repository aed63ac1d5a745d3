"""Hilfenetz settings, read from the environment.

Development works with no variables at all (SQLite in ./var, mail on the console).
``HILFENETZ_ENV=production`` switches to production, which refuses to start with a default
secret key, DEBUG on, no allowed hosts, no DATABASE_URL or no EMAIL_HOST (deploy/env.example
lists what each process needs).

Variables: HILFENETZ_ENV, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, DATABASE_URL,
REDIS_URL (shared cache; the database otherwise), TRUSTED_PROXIES (reverse proxies in front),
CONSENT_RETENTION_DAYS, SMS_GATEWAY_URL, SMS_GATEWAY_KEY, SMS_SENDER,
SLIP_DAYS_AFTER_CLOSING, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, SITE_URL, STORAGE_BUCKET (S3-compatible uploads),
STORAGE_ENDPOINT_URL, STORAGE_PUBLIC_ORIGIN (where browsers fetch stored files, if not the
endpoint), MEDIA_ROOT, STATIC_ROOT, LOG_LEVEL, MEDIA_MAX_DOCUMENT_MB, MEDIA_MAX_AV_MB (media
centre upload limits), PAGE_CACHE_SECONDS (pages kept for visitors without a session, and the
parts of pages that are the same for everyone; 0: off),
DATABASE_CONN_MAX_AGE, TASK_MAX_ATTEMPTS (tries of a failing background task), METRICS_TOKEN
(bearer token of /metrics), BACKUP_DIR (where backups are written; var/backups by default),
PROMETHEUS_MULTIPROC_DIR (set by scripts/serve: where the web workers keep their counters),
FILES_ACCEL, FILES_ACCEL_LOCATION, FILES_URL_SECONDS, FILES_PUBLIC_MAX_AGE
(how stored files are handed out, see core/files.py), BACKUP_DAILY and BACKUP_KEEP (the
daily backup, core/backup.py).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("HILFENETZ_VAR_DIR", PROJECT_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105

ENVIRONMENT = os.environ.get("HILFENETZ_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("HILFENETZ_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    problems = []
    # deploy/env.example's placeholder is long enough to pass Django's own check
    if (
        SECRET_KEY == DEVELOPMENT_SECRET_KEY
        or len(SECRET_KEY) < 50
        or SECRET_KEY.startswith("replace-with-")
    ):
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the host names the platform is served under")
    # Without them production would quietly keep its data in a SQLite file in var/ and write
    # mails, confirmation links included, into the worker's log.
    if not os.environ.get("DATABASE_URL"):
        problems.append("DATABASE_URL must name the database (e.g. postgres://user@host/hilfenetz)")
    if not os.environ.get("EMAIL_HOST"):
        problems.append("EMAIL_HOST must name the SMTP server that delivers mail")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "axes",
    "django_tasks_db",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not from a CDN
    "hilfenetz.core",
    "hilfenetz.regions",
    "hilfenetz.accounts",
    "hilfenetz.directory",
    "hilfenetz.exchange",
    "hilfenetz.network",
    "hilfenetz.media",
    "hilfenetz.engagement",
    "hilfenetz.figures",
    "hilfenetz.crisis",
    "hilfenetz.slips",
]

MIDDLEWARE = [
    "hilfenetz.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # outside the outage middleware, so that its maintenance page gets the policy and its nonce
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # outside the session and authentication middleware: a database that is away while they
    # load the session or the user is answered with the maintenance page (core/outage.py)
    "hilfenetz.core.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "hilfenetz.core.middleware.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hilfenetz.core.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hilfenetz.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hilfenetz.core.middleware.DraftConfirmationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hilfenetz.accounts.second_factor.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hilfenetz.urls"
WSGI_APPLICATION = "hilfenetz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hilfenetz.core.context_processors.platform",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hilfenetz.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without "database is locked". The file is
    # read through memory mapping (up to 1 GiB of address space, the operating system's page
    # cache shared by every connection): through SQLite's own cache of 2,000 pages a
    # connection, a search at 100,000 listings read most listings' pages anew.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept open like PostgreSQL's: a new connection reads the schema again, about 6 ms a request.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", "")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Shared by every web worker and server (a per-process cache would multiply each rate limit
# by the number of workers); the table is created by core's migration 0003.
DATABASE_CACHE = {
    "BACKEND": "hilfenetz.core.cache.DatabaseCache",
    "LOCATION": "hilfenetz_cache",
    # culling at the default 300 entries would forget rate-limit counts under load
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
if REDIS_URL:
    # Redis, and the database's table while Redis is away (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "hilfenetz.core.cache.RedisWithDatabaseFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "FALLBACK": "database",
                # a host that does not answer must not hold up every request for long
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
            },
        },
        "database": DATABASE_CACHE,
    }
else:
    CACHES = {"default": DATABASE_CACHE}

# Pages for visitors without a session and the parts of pages that are the same for every viewer,
# kept per worker (core/page_cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))


def _in_process(location: str, max_entries: int) -> dict:
    """A store in each worker's own memory (page_cache.STORES), emptied least recently used
    first: reading what it keeps from Redis or the database would cost a round trip each."""
    return {
        "BACKEND": "hilfenetz.core.cache.InProcessCache",
        "LOCATION": location,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


# Whole pages and parts of pages by path: a list page is 20-40 KB, at most about 40 MB a worker.
CACHES["pages"] = _in_process("pages", 1000)
# Rendered fragments that many pages and people share (the frame, search and filter forms, the
# navigation), kept by {% keep %} by the data versions of what they read; nothing
# person-specific is kept here.
CACHES["fragments"] = _in_process("hilfenetz-fragments", 5000)
# What the filters of a list find, kept for every page of them (the keys of the first matches,
# up to 1,001, and the rendered filter fields; up to about 45 KB each): apart from the pages, whose
# many paths pushed them out although finding them again costs several pages' rendering.
CACHES["matches"] = _in_process("hilfenetz-matches", 1000)
# Items of lists, each kept on its own (a listing's or an office's card, about 0.4 KB each): many,
# each shown on few pages; apart from the fragments that many pages show, which they pushed out.
CACHES["items"] = _in_process("hilfenetz-items", 20000)
# Facts about one person that each of their pages asks for (their roles, their second factor),
# kept under their id by the data versions of what they read (core/page_cache.py, per_person):
# apart from the fragments, so that many people at once do not push those out.
CACHES["people"] = _in_process("hilfenetz-people", 10000)

# Reverse proxies in front of the platform that append to X-Forwarded-For (core/client_ip.py);
# 0 ignores the header, so nobody can pose as another address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hilfenetz.accounts.backends.ModelBackend",
    "hilfenetz.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "engagement:start"  # the welcome until it is over, then the profile

# django-allauth: e-mail address and display name only, confirmed by mail.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "hilfenetz.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "hilfenetz.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Accounts are protected one by one (five wrong passwords lock that account, see axes below);
# an address only gets limits an office of 50 people behind one NAT never reaches, so one
# person's typos in a town hall do not lock out their colleagues.
ACCOUNT_RATE_LIMITS = {
    "login": "300/10m/ip",
    "login_failed": "100/10m/ip,10/15m/key",  # axes locks the account at five
    "signup": "20/h/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hilfenetz] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hilfenetz"

# django-axes: five wrong passwords within 15 minutes lock that account for 15 minutes, from
# whatever addresses they came (accounts/locked_out.html says so); other accounts are unaffected.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "hilfenetz.accounts.security.login_identifier"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "hilfenetz.core.client_ip.client_ip"

LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    # easy German for the public pages, a variant of German (BCP 47 private use): every text it
    # has no own translation for comes from the German catalogues
    ("de-x-ls", "Leichte Sprache"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("uk", "Українська"),
    ("tr", "Türkçe"),
    ("prs", "دری"),
    ("ps", "پښتو"),
    ("ru", "Русский"),
    ("kmr", "Kurmancî"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("fr", "Français"),
]
# Written right to left: Django's list and Dari and Pashto (core/locales.py names them for Django).
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ug", "ur", "prs", "ps"]
USE_I18N = True
# Our catalogues win over those of Django, its admin and django-allauth ("Speichern", not the
# admin's "Sichern"; "Sie", not allauth's "du"): Django consults LOCALE_PATHS last and lets
# them override every app's catalogue. All apps of ours agree on each msgid (a test checks).
LOCALE_PATHS = [
    BASE_DIR / app.removeprefix("hilfenetz.") / "locale"
    for app in INSTALLED_APPS
    if app.startswith("hilfenetz.")
]
TIME_ZONE = "Europe/Berlin"
# One date order per language for every date shown or typed (see core/formats).
FORMAT_MODULE_PATH = ["hilfenetz.core.formats"]
USE_TZ = True
LANGUAGE_COOKIE_NAME = "hilfenetz_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    # whitenoise expects the folder even before the first collectstatic.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("STORAGE_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Stored files are handed out only by views that check access (core/files.py), never under
# MEDIA_URL. FILES_ACCEL lets the web server in front send local files: "nginx"
# (X-Accel-Redirect to the internal location FILES_ACCEL_LOCATION) or "sendfile" (X-Sendfile).
FILES_ACCEL = os.environ.get("FILES_ACCEL", "").strip().lower()
if FILES_ACCEL not in {"", "nginx", "sendfile"}:
    raise ImproperlyConfigured("FILES_ACCEL must be empty, 'nginx' or 'sendfile'")
FILES_ACCEL_LOCATION = os.environ.get("FILES_ACCEL_LOCATION", "/_files/")
# How long a signed address of the S3-compatible store stays valid, and how long caches may
# keep files anyone may see.
FILES_URL_SECONDS = int(os.environ.get("FILES_URL_SECONDS", "300"))
FILES_PUBLIC_MAX_AGE = int(os.environ.get("FILES_PUBLIC_MAX_AGE", "3600"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Media centre uploads: PDFs and images, and audio and video (told before upload, enforced after).
MEDIA_MAX_DOCUMENT_MB = int(os.environ.get("MEDIA_MAX_DOCUMENT_MB", "30"))
MEDIA_MAX_AV_MB = int(os.environ.get("MEDIA_MAX_AV_MB", "300"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail: real SMTP when EMAIL_HOST is set, the console otherwise.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hilfenetz <hilfenetz@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Consent records (name and phone of a person a coordinator posts for) are erased this many
# days after their listing closed (exchange/privacy.py, a daily job).
CONSENT_RETENTION_DAYS = int(os.environ.get("CONSENT_RETENTION_DAYS", "90"))
# Text messages to people with a slip (slips/sms.py, seven.io's HTTP protocol): nothing is
# sent without SMS_GATEWAY_URL and SMS_GATEWAY_KEY. A slip ends this many days after its last
# listing closed.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "Hilfenetz")
SLIP_DAYS_AFTER_CLOSING = int(os.environ.get("SLIP_DAYS_AFTER_CLOSING", "14"))

# Background work runs in `manage.py worker`, one process per queue (scripts/serve): mail on
# its own queue, so that bulk work (similarity, previews, imports, alerts) never delays it.
TASK_QUEUES = ["default", "mail"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A failed task is tried again after 1, 2, 4, … minutes, this many times in all; then it is
# listed for the administrator (admin: "Failed tasks"). core/task_retries.py
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))
# Seconds a task may run before it counts as interrupted (its worker or the database went away)
# and is re-queued: longer than the slowest task of the queue (mail: the SMTP timeout, 20 s;
# default: previews, up to a minute each).
TASK_RUNNING_TIMEOUTS = {"mail": 120, "default": 1800}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    # External videos of the media centre, embedded only after the person agreed (two clicks).
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
}
if os.environ.get("STORAGE_BUCKET"):
    # Media files are fetched from the store with signed addresses.
    _store = os.environ.get("STORAGE_PUBLIC_ORIGIN") or (
        os.environ.get("STORAGE_ENDPOINT_URL") or "https://*.amazonaws.com"
    )
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _store]
    SECURE_CSP["media-src"] = [CSP.SELF, _store]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# in the database, read through the shared cache with the request's data versions
SESSION_ENGINE = "hilfenetz.core.sessions"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed by the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Credentials (DATABASE_URL, REDIS_URL, any user:password@ address, names like secret, token,
# password, key) are masked on the DEBUG page, in error mails and in the log (core/reporting.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "hilfenetz.core.reporting.CredentialsFilter"
DEFAULT_EXCEPTION_REPORTER = "hilfenetz.core.reporting.CredentialsReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "filters": {"mask_credentials": {"()": "hilfenetz.core.reporting.MaskCredentialsLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_credentials"]},
        # one JSON object per line (core/request_log.py), nothing around it
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "hilfenetz.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}

# /metrics (Prometheus text format) answers requests with "Authorization: Bearer METRICS_TOKEN"
# and logged-in administrators; without a token only the latter.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
SILENCED_SYSTEM_CHECKS: list[str] = [
    # axes counts per account only (one limit for every parameter: five per address would lock
    # out a whole town hall behind one NAT); allauth limits each address (ACCOUNT_RATE_LIMITS).
    "axes.W006",
]

HILFENETZ_PLATFORM_NAME = _("Hilfenetz")

# The daily backup (core/backup.py): where archives are written (the status page shows the
# newest) and how many are kept; a periodic job writes it unless BACKUP_DAILY is off (a systemd timer does it instead).
BACKUP_DAILY = env_bool("BACKUP_DAILY", True)
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))

NINJA_PAGINATION_CLASS = "hilfenetz.core.pagination.BoundedLimitOffsetPagination"
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
