"""Test settings: the archive's own settings, with the data folder in a fresh temporary directory."""

import os
import tempfile

os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")

from archive.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
