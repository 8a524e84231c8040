"""Progress of long commands: on a terminal, records done, rate and time left; elsewhere (a log, CI), nothing."""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from archive.models import Article, PendingIndexUpdate
from archive.progress import Progress
from archive.search.indexing import enqueue, join_drainer
from tests.conftest import SEEDS


@pytest.fixture(autouse=True)
def niced(monkeypatch) -> list[int]:
    """What ``drain_index`` adds to its nice value (it yields the CPU to the servers), without lowering the tests'."""
    increments: list[int] = []
    monkeypatch.setattr(os, "nice", increments.append)
    return increments


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_on_a_terminal_it_shows_records_done_rate_and_time_left():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, "articles", total=1000, clock=clock)
    clock.now += 2
    progress.update(500)
    progress.finish()
    assert stream.getvalue() == "\r500 of 1,000 articles, 250/s, 2 s left\x1b[K\n"


def test_it_redraws_at_most_twice_a_second_but_always_shows_the_end():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, "articles", total=3, clock=clock)
    clock.now += 1
    progress.update(1)
    progress.update(2)  # no time has passed: not drawn
    progress.update(3)  # the last: drawn
    assert stream.getvalue().count("\r") == 2 and "3 of 3 articles" in stream.getvalue()


def test_without_a_total_it_shows_records_and_rate():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, "reports stored", clock=clock)
    clock.now += 4
    progress.update(2000)
    assert stream.getvalue() == "\r2,000 reports stored, 500/s\x1b[K"


def test_a_stream_that_is_not_a_terminal_gets_nothing():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, "articles", total=10, clock=clock)
    clock.now += 1
    progress.update(10)
    progress.finish()
    assert stream.getvalue() == ""


def test_commands_stay_quiet_when_their_output_is_not_a_terminal(db):
    out = io.StringIO()
    call_command("ingest", str(SEEDS), stdout=out)
    call_command("rebuild_index", stdout=out)
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_rebuild_index_shows_progress_on_a_terminal(ingest):
    ingest(SEEDS)
    out = Terminal()
    call_command("rebuild_index", stdout=out)
    assert "\r" in out.getvalue() and "articles, " in out.getvalue()


def test_ingest_shows_reports_stored_on_a_terminal(db):
    out = Terminal()
    call_command("ingest", str(SEEDS), stdout=out)
    assert "reports stored, " in out.getvalue()


def test_update_index_shows_progress_on_a_terminal(ingest):
    ingest(SEEDS)
    out = Terminal()
    call_command("update_index", stdout=out)
    assert "\r" in out.getvalue() and "articles, " in out.getvalue()


def test_drain_index_shows_the_updates_it_writes_on_a_terminal(ingest, niced):
    ingest(SEEDS)
    enqueue(Article.objects.values_list("pk", flat=True))
    out = Terminal()
    call_command("drain_index", stdout=out)
    assert "\r2 of 2 index updates, " in out.getvalue() and "wrote 2 index update(s)" in out.getvalue()
    assert not PendingIndexUpdate.objects.exists()
    assert niced == [10]


def refused_on_postgres(back_up) -> bool:
    """``backup`` copies SQLite only: on PostgreSQL (the suite's second pass) it must refuse, naming pg_dump."""
    if connection.vendor != "postgresql":
        back_up()
        return False
    with pytest.raises(CommandError, match="pg_dump"):
        back_up()
    return True


def test_backup_shows_the_database_pages_it_copies_on_a_terminal(transactional_db, tmp_path):
    """Outside a test transaction: SQLite's backup waits for a connection's own open write to end."""
    call_command("ingest", str(SEEDS), stdout=io.StringIO())
    join_drainer()
    out = Terminal()
    if refused_on_postgres(lambda: call_command("backup", str(tmp_path / "backup"), stdout=out)):
        return
    pages = re.search(r"\r([\d,]+) of ([\d,]+) database pages, ", out.getvalue())
    assert pages and pages.group(1) == pages.group(2)
    assert (tmp_path / "backup" / "archive.sqlite3").is_file()


def test_drain_index_and_backup_stay_quiet_when_their_output_is_not_a_terminal(transactional_db, tmp_path):
    call_command("ingest", str(SEEDS), stdout=io.StringIO())
    join_drainer()
    enqueue(Article.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("drain_index", stdout=out)
    refused_on_postgres(lambda: call_command("backup", str(tmp_path / "backup"), stdout=out))
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
