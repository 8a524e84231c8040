"""ensure_index: the index is rebuilt from the database when it lags, and left alone when it is current."""

import shutil
from pathlib import Path

from django.core.management import call_command

from archive.search.engine import indexed_count
from tests.conftest import SEED_000, SEED_003


def test_a_lagging_index_is_rebuilt_from_the_database(ingest, search_index, capsys):
    ingest(SEED_000, SEED_003)
    search_index.get_backend().clear()
    call_command("ensure_index")
    assert indexed_count() == 2
    assert "index holds 0 of 2 articles: rebuilding" in capsys.readouterr().out


def test_a_current_index_is_left_alone(ingest, capsys):
    ingest(SEED_000, SEED_003)
    call_command("ensure_index")
    assert capsys.readouterr().out.strip() == "index is current: 2 articles"


def test_a_missing_index_is_rebuilt(ingest, search_index, capsys):
    ingest(SEED_000, SEED_003)
    shutil.rmtree(search_index.get_backend().path)
    call_command("ensure_index")
    assert indexed_count() == 2
    assert "index is missing or unreadable: rebuilding it for 2 articles" in capsys.readouterr().out


def test_an_index_built_by_an_older_analysis_is_rebuilt(ingest, search_index, capsys):
    """Its terms were made by other rules (stop words, "U.S" apart from "US"): counts agree, answers would not."""
    ingest(SEED_000, SEED_003)
    folder = Path(search_index.get_backend().path)
    (folder / "ANALYSIS").write_text("1\n")  # as an index made before the analysis had a version says
    call_command("ensure_index")
    assert "index was built by an older analysis: rebuilding it for 2 articles" in capsys.readouterr().out
    assert indexed_count() == 2
    call_command("ensure_index")
    assert capsys.readouterr().out.strip() == "index is current: 2 articles"
