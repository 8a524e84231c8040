"""Settings for the archive: the only module that reads the environment.

Every variable has a default that works on a fresh clone (SQLite and a Whoosh index under ``ARCHIVE_DATA_DIR``); a
malformed value raises ``ImproperlyConfigured`` at start-up rather than misbehaving later.

Environment:
  ARCHIVE_DATA_DIR        folder for the database, index, uploads and secret key (default ./var)
  DATABASE_URL            e.g. postgres://user:pass@host/db (default: SQLite in the data folder)
  ARCHIVE_SEARCH_ENGINE   a haystack engine path (default: the archive's own Whoosh engine)
  ARCHIVE_SEARCH_URL      the URL of an Elasticsearch/OpenSearch/Solr server, for such an engine
  ARCHIVE_SEARCH_INDEX    the index name on that server (default "archive")
  ARCHIVE_DEBUG           true/false (default false; `make run` turns it on)
  ARCHIVE_ALLOWED_HOSTS   comma-separated (default localhost,127.0.0.1,[::1])
  ARCHIVE_MAX_FILE_BYTES  largest file ingest accepts, in bytes (default 10 MiB)
  ARCHIVE_INDEXING_PROCESSES  processes analysing a large index write or rebuild (default: the cores, at most 4)
  ARCHIVE_MAX_UPLOAD_BYTES  largest request body in bytes, refused with 413 unread (default 256 MiB)
  ARCHIVE_MAX_UPLOAD_FILES  most files in one request (default 500)
  ARCHIVE_SECRET_KEY      default: generated once into the data folder
  ARCHIVE_SNAPSHOT_MAX_RESULTS  most results a result-set snapshot holds (default 10000)
  ARCHIVE_SNAPSHOTS_PER_DAY     most snapshots one user may save in 24 hours (default 50)
  ARCHIVE_SITE_URL        the archive's address for links in e-mails (default http://localhost:8000)
  ARCHIVE_SAVED_SEARCHES_PER_USER  most saved searches an analyst may keep (default 50)
  ARCHIVE_EMAIL_BACKEND   Django's e-mail backend (default: the console, which prints each message)
  ARCHIVE_EMAIL_HOST, ARCHIVE_EMAIL_PORT, ARCHIVE_EMAIL_HOST_USER, ARCHIVE_EMAIL_HOST_PASSWORD,
  ARCHIVE_EMAIL_USE_TLS, ARCHIVE_EMAIL_FROM   the SMTP server and sender of the digests (defaults: localhost, 25,
                          none, none, false, archive@localhost)
  ARCHIVE_HTTPS           true when served over HTTPS by a reverse proxy that terminates TLS and sets
                          X-Forwarded-Proto and X-Forwarded-For (default false): secure cookies, HSTS, redirect to
                          HTTPS, and the client address (for login throttling) read from X-Forwarded-For
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be positive, not {raw!r}")
    return value


def _secret_key(data_dir: Path) -> str:
    """Generated once and kept in the data folder, so sessions survive restarts without configuration."""
    if os.environ.get("ARCHIVE_SECRET_KEY"):
        return os.environ["ARCHIVE_SECRET_KEY"]
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _env_bool("ARCHIVE_DEBUG", False)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ARCHIVE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "archive",  # before haystack: its rebuild_index/update_index replace haystack's (bulk, swapped atomically)
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.http.middleware.SecurityHeadersMiddleware",
    "archive.http.middleware.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive.http.middleware.LoginThrottleMiddleware",
    "archive.http.middleware.IndexUnavailableMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
            # intcomma (1,234) in every template without a {% load %}: counts run to the tens of thousands; and the
            # words for missing metadata, the same in every list.
            "builtins": ["archive.templatetags.numbers", "archive.templatetags.metadata"],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}", conn_max_age=60
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while ingest writes; the timeout waits out a writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # Writers take the write lock when their transaction begins, so concurrent writers (ingest runs, the index
        # drainer, uploads) queue on the timeout instead of failing to upgrade a read lock ("database is locked").
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Search: the embedded Whoosh index by default; another haystack engine by configuration alone.
SEARCH_ENGINE = os.environ.get("ARCHIVE_SEARCH_ENGINE") or "archive.search.whoosh.ArchiveWhooshEngine"
if SEARCH_ENGINE == "archive.search.whoosh.ArchiveWhooshEngine":
    _search_connection = {"ENGINE": SEARCH_ENGINE, "PATH": str(DATA_DIR / "whoosh")}
else:
    if not os.environ.get("ARCHIVE_SEARCH_URL"):
        raise ImproperlyConfigured("ARCHIVE_SEARCH_ENGINE other than Whoosh needs ARCHIVE_SEARCH_URL")
    _search_connection = {
        "ENGINE": SEARCH_ENGINE,
        "URL": os.environ["ARCHIVE_SEARCH_URL"],
        "INDEX_NAME": os.environ.get("ARCHIVE_SEARCH_INDEX", "archive"),
    }
_search_connection["SILENTLY_FAIL"] = False
HAYSTACK_CONNECTIONS = {"default": _search_connection}
# The archive indexes in transaction.on_commit itself (archive.search.indexing), not through signals.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# What a search keeps for the requests that follow it (the results around a page, for the article page's previous and
# next: archive.search.run.page_neighbourhood), in files of the data folder, so every server process finds it; at most
# MAX_ENTRIES (each write lists the folder to cull it: 2 ms a search at 300 entries, 5 ms at 1,000). Servers on
# several machines share Django's Redis cache instead.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    # A common word's scores, left by the server process that scored it first for the others (archive/search/whoosh
    # /shared_scores.py): up to 12 bytes a report each, 1.2 MB for a word in all of 100,000 reports.
    "scores": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache-scores"),
        "OPTIONS": {"MAX_ENTRIES": 256},
    },
}

ARCHIVE_MAX_FILE_BYTES = _env_int("ARCHIVE_MAX_FILE_BYTES", 10 * 1024 * 1024)
ARCHIVE_INDEXING_PROCESSES = max(1, _env_int("ARCHIVE_INDEXING_PROCESSES", min(os.cpu_count() or 1, 4)))
# Nothing serves this folder (no MEDIA_ROOT, no static() route): an upload is only ever shown as the sanitized
# article made from it.
ARCHIVE_UPLOAD_DIR = DATA_DIR / "uploads"
# A request body larger than this is refused with 413 from its Content-Length, before any of it is read
# (archive.http.middleware.UploadLimitMiddleware); the count is Django's own limit, checked while parsing.
ARCHIVE_MAX_UPLOAD_BYTES = _env_int("ARCHIVE_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
ARCHIVE_MAX_UPLOAD_FILES = _env_int("ARCHIVE_MAX_UPLOAD_FILES", 500)
if ARCHIVE_MAX_UPLOAD_BYTES < ARCHIVE_MAX_FILE_BYTES:
    raise ImproperlyConfigured("ARCHIVE_MAX_UPLOAD_BYTES must be at least ARCHIVE_MAX_FILE_BYTES")
DATA_UPLOAD_MAX_NUMBER_FILES = ARCHIVE_MAX_UPLOAD_FILES
# Form fields other than files (a pasted text, the options) are held in memory: this bounds them.
DATA_UPLOAD_MAX_MEMORY_SIZE = ARCHIVE_MAX_FILE_BYTES + 1024 * 1024
# Files larger than this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Login throttling (archive.http.login_throttle): this many failures from one client within the window lock it out for
# the cool-down. The counts are database rows, counted under a row lock by every gunicorn worker.
ARCHIVE_LOGIN_FAILURE_LIMIT = 5
ARCHIVE_LOGIN_WINDOW_SECONDS = 15 * 60
ARCHIVE_LOGIN_COOLDOWN_SECONDS = 15 * 60
# Analysts (and staff) sign in at the archive's own page; staff-only pages send anonymous visitors to the admin's
# (archive.http.decorators.staff_only). Both are throttled.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Result-set snapshots (archive.snapshots): a larger result set is refused with a message, and so is a user's save
# beyond the day's allowance (deleted snapshots count).
ARCHIVE_SNAPSHOT_MAX_RESULTS = _env_int("ARCHIVE_SNAPSHOT_MAX_RESULTS", 10_000)
ARCHIVE_SNAPSHOTS_PER_DAY = _env_int("ARCHIVE_SNAPSHOTS_PER_DAY", 50)

# Saved searches (archive.watches): how many an analyst may keep; digests link to the archive at this address.
ARCHIVE_SAVED_SEARCHES_PER_USER = _env_int("ARCHIVE_SAVED_SEARCHES_PER_USER", 50)
ARCHIVE_SITE_URL = (os.environ.get("ARCHIVE_SITE_URL") or "http://localhost:8000").rstrip("/")
if not ARCHIVE_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"ARCHIVE_SITE_URL must start with http:// or https://, not {ARCHIVE_SITE_URL!r}")

# E-mail (the digests of `manage.py send_digests`): printed to the console until a backend is configured.
EMAIL_BACKEND = os.environ.get("ARCHIVE_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("ARCHIVE_EMAIL_HOST") or "localhost"
EMAIL_PORT = _env_int("ARCHIVE_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("ARCHIVE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ARCHIVE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("ARCHIVE_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10  # a hung mail server fails one digest, and holds the SQLite write lock less than its 20 s timeout
DEFAULT_FROM_EMAIL = os.environ.get("ARCHIVE_EMAIL_FROM") or "archive@localhost"

# Browsers: no framing, no sniffing, no referrer to other sites, a window of our own; the Content-Security-Policy
# (archive.http.middleware) allows no inline script or style.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Behind a TLS-terminating proxy: cookies only over HTTPS, HSTS for a year with subdomains, plain HTTP redirected.
# The proxy must set X-Forwarded-Proto (and overwrite any a client sent); otherwise leave ARCHIVE_HTTPS off.
ARCHIVE_HTTPS = _env_bool("ARCHIVE_HTTPS", False)
if ARCHIVE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # /healthz answers the proxy's or orchestrator's plain-HTTP probe instead of redirecting it.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# HSTS preloading puts the domain into browsers' built-in lists, which is hard to undo: a decision for the domain's
# owner (hstspreload.org), so not a default, and `check --deploy` is told so instead of warning about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# The collected (and compressed) files once collectstatic has run, as `make serve` does; the sources themselves in
# debug mode and before any collectstatic (tests, a first `runserver`), so they are never stale there.
WHITENOISE_USE_FINDERS = DEBUG or next(STATIC_ROOT.iterdir(), None) is None
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"archive": {"level": "INFO"}},
}
