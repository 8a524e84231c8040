"""A throw-away PostgreSQL server from Debian's packages, and the whole test suite run against it.

``python -m tests.postgres_server [pytest arguments]`` starts a server in a temporary folder (as the ``postgres``
user when run as root: the server refuses to run as root), runs pytest with ``DATABASE_URL`` pointing at it, and
stops the server, whatever pytest's outcome. ``make test`` runs it after the SQLite run. Without the server binaries
it says so and does nothing, except under ``make test`` and in CI (``tests/strictness.py``), where that is a failure.
``tests/test_postgres.py`` uses the same ``running_postgres()``.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from tests.strictness import is_strict, strict_message

MISSING = "PostgreSQL server binaries are missing (apt-get install postgresql; `make deps` installs it)"


def postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Yield the DATABASE_URL of a fresh server (database ``archive``, superuser ``archive``, Unix socket only)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise FileNotFoundError(MISSING)
    workdir = tempfile.mkdtemp(prefix="archive-pg-")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(workdir, "postgres")
    data, port = os.path.join(workdir, "data"), _free_port()

    def run(*args):
        subprocess.run([*as_user, *args], check=True, capture_output=True)

    run(f"{bin_dir}/initdb", "-D", data, "-U", "archive", "--auth=trust", "-E", "UTF8")
    # fsync off: a test server's data need not survive a power cut, and the suite creates many databases.
    run(f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(workdir, "log"), "-o",
        f"-p {port} -k {workdir} -c listen_addresses='' -c fsync=off", "start")
    try:
        run(f"{bin_dir}/createdb", "-h", workdir, "-p", str(port), "-U", "archive", "archive")
        yield f"postgres://archive@{workdir.replace('/', '%2F')}:{port}/archive"
    finally:
        run(f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def main(pytest_args: list[str]) -> int:
    if postgres_bin() is None:
        if is_strict():
            print(f"FAILED: the suite on PostgreSQL: {strict_message(MISSING)}", file=sys.stderr)
            return 1
        print(f"skipped: the suite on PostgreSQL: {MISSING}", file=sys.stderr)
        return 0
    with running_postgres() as url:
        print(f"The suite on PostgreSQL ({postgres_bin()}): DATABASE_URL={url}", flush=True)
        return subprocess.run([sys.executable, "-m", "pytest", *pytest_args],
                              env={**os.environ, "DATABASE_URL": url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
