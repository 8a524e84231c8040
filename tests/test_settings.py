"""Settings: working defaults, and a clear failure for a malformed value."""

import os
import subprocess
import sys

from django.conf import settings


def _check(env_changes):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", **env_changes}
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check"], env=env, capture_output=True, text=True
    )


def test_a_fresh_data_folder_needs_no_configuration(tmp_path):
    result = _check({"ARCHIVE_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret_key").exists()


def test_a_malformed_boolean_is_refused(tmp_path):
    result = _check({"ARCHIVE_DATA_DIR": str(tmp_path), "ARCHIVE_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "ARCHIVE_DEBUG must be true or false, not 'maybe'" in result.stderr


def test_a_malformed_size_limit_is_refused(tmp_path):
    result = _check({"ARCHIVE_DATA_DIR": str(tmp_path), "ARCHIVE_MAX_FILE_BYTES": "ten"})
    assert "ARCHIVE_MAX_FILE_BYTES must be a whole number" in result.stderr


def test_database_url_switches_the_database_engine(tmp_path):
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "ARCHIVE_DATA_DIR": str(tmp_path),
           "DATABASE_URL": "postgres://archive:secret@localhost:5432/archive"}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script], env=env,
                         capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert out.stdout.strip() == "django.db.backends.postgresql"


def test_a_site_url_without_a_scheme_is_refused(tmp_path):
    result = _check({"ARCHIVE_DATA_DIR": str(tmp_path), "ARCHIVE_SITE_URL": "archive.example.org"})
    assert "ARCHIVE_SITE_URL must start with http:// or https://" in result.stderr


def test_the_email_backend_is_read_from_the_environment(tmp_path):
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_PORT)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "ARCHIVE_DATA_DIR": str(tmp_path),
           "ARCHIVE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "ARCHIVE_EMAIL_PORT": "587"}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script], env=env,
                         capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert out.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "587"]
