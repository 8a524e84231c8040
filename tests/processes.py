"""The archive as separate processes on a data folder of its own: ``manage.py`` commands, gunicorn, generated reports.

Crash, backup, race and load tests need real processes (a SIGKILL, several writers at once) and a database they
share, which a test's own database (inside the test's transaction) is not: a SQLite file in the data folder, or, when
the suite runs on PostgreSQL (``python -m tests.postgres_server``), a database of its own on the suite's server.
``bench/load.py`` uses the same helpers.
"""

import contextlib
import fcntl
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")
REGIONS = ["Hyesan", "Sinuiju", "Chongjin", "Pyongyang", "Hamhung", "Wonsan", "Kaesong", "Rason"]
SOURCES = ["Daily NK", "Rimjin-gang", "Asia Press", "NK News"]
WORDS = ("market rice prices traders border guards smuggling crackdown harvest factory workers electricity "
         "shortage fuel exchange rate yuan phones inspection officials students mobilization cooperative farm "
         "railway bridge construction rations soldiers checkpoint bribes defectors families letters").split()


def write_reports(path: Path, count: int, prefix: str, seed: int = 0) -> Path:
    """``count`` reports as JSON Lines, the same for the same arguments; every origin (URL) unique per ``prefix``."""
    rng = random.Random(f"{prefix}-{seed}")
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            region = rng.choice(REGIONS)
            words = " ".join(rng.choice(WORDS) for _ in range(60))
            record = {
                "title": f"{prefix} report {n}: {rng.choice(WORDS)} in {region}",
                "body": f"Sources in {region} say {words}.",
                "source": rng.choice(SOURCES),
                "regions": [region],
                "date": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "author": f"Reporter {rng.randint(1, 20)}",
                "url": f"https://example.org/{prefix}/{n}",
            }
            out.write(json.dumps(record) + "\n")
    return path


SUITE = "suite"  # Archive's default database server: the suite's PostgreSQL server if it runs on one, else SQLite


def suite_database_server() -> str | None:
    """The PostgreSQL server the suite runs on (its DATABASE_URL in the PostgreSQL pass), or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql") else None


class Archive:
    """One data folder (index, uploads, the SQLite database) and the commands run on it.

    On a PostgreSQL server (``database_server``, by default the suite's when it runs on PostgreSQL) the archive gets
    a fresh database of its own there instead of the SQLite file, which every process started on it shares; leave
    the ``with`` block (or call ``close``) to drop it."""

    def __init__(self, data_dir: Path, database_server: str | None = SUITE):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "ARCHIVE_DATA_DIR": str(self.data_dir), "DJANGO_SETTINGS_MODULE": "archive.settings",
                    "PYTHONUNBUFFERED": "1"}
        self.database_server = suite_database_server() if database_server == SUITE else database_server
        self.database_url = _create_database(self.database_server) if self.database_server else None
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url
        else:
            self.env.pop("DATABASE_URL", None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Drop the archive's PostgreSQL database, ending any connection a killed or lingering process left."""
        if self.database_url:
            name = urlsplit(self.database_url).path.lstrip("/")
            with psycopg.connect(self.database_server, autocommit=True) as server:
                server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            self.database_url = None

    @property
    def on_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def database(self) -> Path:
        """The SQLite database file (of an archive on SQLite)."""
        return self.data_dir / "archive.sqlite3"

    def manage(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        completed = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                                   text=True, timeout=timeout)
        if check and completed.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} exited {completed.returncode}:\n"
                                 f"{completed.stdout}\n{completed.stderr}")
        return completed

    def start(self, *args: str, **options) -> subprocess.Popen:
        return subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, **options)

    @contextlib.contextmanager
    def worker(self, role: str):
        """A ``tests.change_worker`` process on this archive, ready for its first line; it must end cleanly. Its log
        goes to a file (a pipe nobody reads while it works would fill up and stop it)."""
        log = (self.data_dir / f"worker-{uuid.uuid4().hex[:8]}.log").open("w+")
        process = subprocess.Popen([PYTHON, "-m", "tests.change_worker", role], cwd=ROOT, env=self.env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)

        def logged() -> str:
            log.seek(0)
            return log.read()[-5000:]

        try:
            assert process.stdout.readline() == "ready\n", logged()
            yield process
            process.stdin.close()
            assert process.wait(timeout=120) == 0, logged()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()

    def rows(self, query: str) -> list[tuple]:
        """Read the database directly (no Django in this process), as an auditor would."""
        if self.on_postgres:
            with psycopg.connect(self.database_url) as db:
                return db.execute(query).fetchall()
        with contextlib.closing(sqlite3.connect(self.database)) as db:
            return db.execute(query).fetchall()

    def is_writing(self) -> bool:
        """Whether another process has a transaction open that has written (SQLite: holds the write lock; PostgreSQL:
        has been given a transaction id, which happens at its first write and lasts until it ends), asked without
        waiting."""
        if self.on_postgres:
            return self.rows("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                             "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                             "AND backend_xid IS NOT NULL")[0][0] > 0
        db = sqlite3.connect(self.database, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            db.close()

    def count(self, table: str) -> int:
        return self.rows(f"SELECT COUNT(*) FROM {table}")[0][0]

    @contextlib.contextmanager
    def holding_index_writer_lock(self):
        """Hold the search index's writer lock (``archive.search.writer_lock``: an flock beside the index folder) for
        the block, as a process writing the index would: no other process can write the index meanwhile."""
        with open(self.data_dir / "whoosh.writer.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _create_database(server: str) -> str:
    """A new, empty database on the server (whose URL names a database to connect to); returns its URL."""
    name = f"archive_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlsplit(server)._replace(path=f"/{name}").geturl()


def kill_after_lines(process: subprocess.Popen, lines: int) -> list[str]:
    """SIGKILL the process once it has printed ``lines`` lines (files done): mid-batch, no chance to clean up."""
    seen = []
    while len(seen) < lines:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip("\n"))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return seen


def at_once(*changes: tuple[subprocess.Popen, str]) -> list[str]:
    """A barrier for ``Archive.worker`` processes, each waiting for its line: give every worker its line, then read
    each one's answer."""
    for process, line in changes:
        process.stdin.write(line + "\n")
    for process, _ in changes:
        process.stdin.flush()
    return [process.stdout.readline().rstrip("\n") for process, _ in changes]


def wait_until(condition, within: float = 60, what: str = "the condition"):
    """Ask ``condition`` until it answers something true (returned), for at most ``within`` seconds."""
    deadline = time.monotonic() + within
    while not (answer := condition()):
        assert time.monotonic() < deadline, f"{what} did not hold within {within} s"
        time.sleep(0.1)  # between two questions, not a guess at how long the answer takes
    return answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Gunicorn serving ``archive.wsgi:application`` on the archive's data folder, as in production."""

    def __init__(self, archive: Archive, workers: int = 4, threads: int = 1):
        self.archive, self.port = archive, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), "archive.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(workers), "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env={**archive.env, "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1,localhost"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/healthz")
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {self.process.stderr.read()}") from None
                time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path: str) -> tuple[int, bytes]:
        """Status and body; 4xx/5xx answers are returned, not raised."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
