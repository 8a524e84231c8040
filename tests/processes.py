"""The archive as separate processes on a data folder of its own: ``manage.py`` commands, gunicorn, generated reports.

Crash, backup and load tests need real processes (a SIGKILL, several writers at once) and a database file they share,
which a test's in-memory database is not. ``bench/load.py`` uses the same helpers.
"""

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
from pathlib import Path

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


class Archive:
    """One data folder (SQLite database, index, uploads) and the commands run on it."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "ARCHIVE_DATA_DIR": str(self.data_dir), "DJANGO_SETTINGS_MODULE": "archive.settings",
                    "PYTHONUNBUFFERED": "1"}
        self.env.pop("DATABASE_URL", None)

    @property
    def database(self) -> Path:
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

    def rows(self, sql: str) -> list[tuple]:
        """Read the database directly (no Django in this process), as an auditor would."""
        with sqlite3.connect(self.database) as db:
            return db.execute(sql).fetchall()

    def is_writing(self) -> bool:
        """Whether some process holds the database's write lock (a transaction is open), asked without waiting."""
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
