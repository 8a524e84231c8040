"""A common word scored by one server process is read back by the others, for the same contents of the index only.

The server's processes share a word's scores through Django's ``scores`` cache (``archive/search/whoosh/
shared_scores.py``). A second process is played here by a fresh catalog on the same searcher: its scores kept are
empty, as another process's are.
"""

import pytest
from django.core.cache import caches
from haystack import connections

from archive.search.whoosh import phrases, shared_scores
from archive.search.whoosh.catalog import Catalog
from tests.search_helpers import search, write_reports


@pytest.fixture(autouse=True)
def common_from_ten(monkeypatch):
    """The test's words are in 30-60 reports: shared from 10 postings, not 5,000."""
    monkeypatch.setattr(shared_scores, "SHARED_AT_LEAST", 10)


def scores(word: str, catalog=None) -> dict[int, float]:
    """The word's scores in the text field, by this catalog, or by a fresh one: another process's."""
    shared = connections["default"].get_backend().shared
    with shared.searching() as (searcher, _catalog):
        return dict(phrases.word_scores_of(catalog or Catalog(searcher, {}), "text", word))


def postings_read(monkeypatch) -> list:
    """The words whose postings are read from here on."""
    read = []
    reading = phrases.word_scores
    monkeypatch.setattr(phrases, "word_scores", lambda *args: read.append(args[3]) or reading(*args))
    return read


def test_a_process_reads_the_scores_another_left_and_no_postings(ingest, tmp_path, monkeypatch):
    ingest(write_reports(tmp_path / "reports.jsonl", 30))
    first = scores("maiz")  # scored here, and left in the cache
    read = postings_read(monkeypatch)
    assert scores("maiz") == first and len(first) == 30
    assert read == []


def test_after_the_index_changes_the_scores_left_for_its_old_contents_are_not_read(ingest, tmp_path, monkeypatch):
    ingest(write_reports(tmp_path / "first.jsonl", 30))
    before = scores("maiz")
    ingest(write_reports(tmp_path / "second.jsonl", 30, first=30))
    read = postings_read(monkeypatch)
    after = scores("maiz")
    assert read == [b"maiz", b"maiz"]  # both segments' postings: the new contents were not scored by anyone
    assert len(after) == 60 and after != before  # 30 more reports: another IDF and average length
    caches[shared_scores.CACHE].clear()
    monkeypatch.undo()
    assert scores("maiz") == after  # as scored from the postings alone
    assert search(q="maize").count == 60


def test_a_rare_word_is_not_shared(ingest, tmp_path, monkeypatch):
    ingest(write_reports(tmp_path / "reports.jsonl", 30))
    monkeypatch.setattr(shared_scores, "SHARED_AT_LEAST", 31)
    scores("maiz")
    read = postings_read(monkeypatch)
    monkeypatch.setattr(caches[shared_scores.CACHE], "get", lambda *args, **kwargs: pytest.fail("cache asked"))
    scores("maiz")
    assert read == [b"maiz"]


def test_a_cache_that_fails_leaves_the_word_to_be_scored_here(ingest, tmp_path, monkeypatch, caplog):
    ingest(write_reports(tmp_path / "reports.jsonl", 30))
    expected = scores("maiz")
    caches[shared_scores.CACHE].clear()

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(caches[shared_scores.CACHE], "get", broken)
    monkeypatch.setattr(caches[shared_scores.CACHE], "set", broken)
    assert scores("maiz") == expected
    assert "shared scores could not be read" in caplog.text and "could not be written" in caplog.text
