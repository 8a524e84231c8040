"""Whether a test that cannot run fails the run: under ``make test`` (``ARCHIVE_STRICT_TESTS=1``) and in CI (``CI=true``).

A plain ``pytest`` skips what this machine cannot run (no Chromium, no PostgreSQL server), with the reason; ``make
test`` and CI must never pass by not running a test. ``tests/conftest.py`` turns every skip into a failure when this
says so, and ``tests/postgres_server.py`` fails instead of skipping the PostgreSQL pass. No Django here: the latter
runs before any settings are loaded.
"""

import os

STRICT_VARIABLES = ("ARCHIVE_STRICT_TESTS", "CI")


def is_strict() -> bool:
    return any(os.environ.get(name, "").lower() in ("1", "true", "yes") for name in STRICT_VARIABLES)


def strict_message(reason: str) -> str:
    return f"{reason} (a test that cannot run is a failure under `make test` and in CI; plain pytest skips it)"
