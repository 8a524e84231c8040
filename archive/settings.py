"""Settings for the archive: the only module that reads the environment.

Every variable has a default that works on a fresh clone (SQLite and a Whoosh index under ``ARCHIVE_DATA_DIR``); a
malformed value raises ``ImproperlyConfigured`` at start-up rather than misbehaving later.

Environment:
  ARCHIVE_DATA_DIR        folder for the database, index, uploads and secret key (default ./var)
  DATABASE_URL            e.g. postgres://user:pass@host/db (default: SQLite in the data folder)
  ARCHIVE_SEARCH_ENGINE   a haystack engine path (default: the archive's own Whoosh engine)
  ARCHIVE_SEARCH_URL      the URL of an Elasticsearch/OpenSearch/Solr server, for such an engine
  ARCHIVE_SEARCH_INDEX    the index name on that server (default "archive")
  ARCHIVE_DEBUG           true/false (default false)
  ARCHIVE_ALLOWED_HOSTS   comma-separated (default localhost,127.0.0.1,[::1])
  ARCHIVE_MAX_FILE_BYTES  largest file ingest accepts (default 10 MB)
  ARCHIVE_SECRET_KEY      default: generated once into the data folder
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
    "haystack",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive.middleware.IndexUnavailableMiddleware",
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
SEARCH_ENGINE = os.environ.get("ARCHIVE_SEARCH_ENGINE") or "archive.search.backend.ArchiveWhooshEngine"
if SEARCH_ENGINE == "archive.search.backend.ArchiveWhooshEngine":
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

ARCHIVE_MAX_FILE_BYTES = _env_int("ARCHIVE_MAX_FILE_BYTES", 10 * 1024 * 1024)
ARCHIVE_UPLOAD_DIR = DATA_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = ARCHIVE_MAX_FILE_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

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
# Serve from the finders when collectstatic has not been run (tests, a first `runserver`).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"archive": {"level": "INFO"}},
}
