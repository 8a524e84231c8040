"""Test settings: the archive's own settings, with the data folder in a fresh temporary directory."""

import atexit
import os
import shutil
import tempfile

os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
atexit.register(shutil.rmtree, os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True)  # each process removes its own

from archive.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A database file, not SQLite's shared-cache memory database: the index drainer's and the live server's threads
    # then wait on locks as processes do (WAL, busy timeout) instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["ARCHIVE_DATA_DIR"], "test.sqlite3")}  # noqa: F405
