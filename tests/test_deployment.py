"""Production settings from the environment: with them set, Django's deployment check finds nothing to warn about."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "ARCHIVE_SECRET_KEY": "kq3-Zl0v9Xw2m7Rj5tYb8Nc4Hs1Pd6Fg0Ae2Ui9Lo3Kx7Vq5Wz1My4Tr8Bn6Gh2",
    "ARCHIVE_ALLOWED_HOSTS": "archive.example.org",
    "ARCHIVE_HTTPS": "1",
    "ARCHIVE_DEBUG": "false",
}


def _check_deploy(tmp_path, env_changes):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "ARCHIVE_DATA_DIR": str(tmp_path),
           **env_changes}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' own, set while their session lasts
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )


def test_the_deployment_check_is_clean_with_the_production_environment(tmp_path):
    result = _check_deploy(tmp_path, PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_deployment_check_warns_about_cookies_and_hsts(tmp_path):
    result = _check_deploy(tmp_path, {**PRODUCTION, "ARCHIVE_HTTPS": "0"})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_debug_on_fails_the_deployment_check(tmp_path):
    result = _check_deploy(tmp_path, {**PRODUCTION, "ARCHIVE_DEBUG": "true"})
    assert "security.W018" in result.stderr


def test_an_upload_limit_below_the_file_limit_is_refused(tmp_path):
    result = _check_deploy(tmp_path, {"ARCHIVE_MAX_UPLOAD_BYTES": "1000"})
    assert "ARCHIVE_MAX_UPLOAD_BYTES must be at least ARCHIVE_MAX_FILE_BYTES" in result.stderr
