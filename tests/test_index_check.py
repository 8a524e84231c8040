"""``manage.py index_check [--repair]``: the index compared with the database by article id, and drift repaired."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.models import Article
from archive.search import SearchParams, run_search
from tests.conftest import DATA

REPORTS = DATA / "pages" / "reports.jsonl"  # 12 reports


def index_check(*args) -> tuple[int, str]:
    """Run the command; its exit status and output."""
    out = StringIO()
    try:
        call_command("index_check", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


@pytest.fixture
def drifted(ingest, search_index):
    """Three kinds of drift made behind the queue's back, as a lost update would leave them: one article missing
    from the index, one deleted from the database but still indexed, one retitled without re-indexing."""
    ingest(REPORTS)
    missing, extra, stale = Article.objects.order_by("pk")[:3]
    search_index.get_backend().remove(missing)
    Article.objects.filter(pk=extra.pk).delete()
    Article.objects.filter(pk=stale.pk).update(title="Zucchini smugglers")
    return missing, extra, stale


def test_an_index_in_step_with_the_database_passes(ingest):
    ingest(REPORTS)
    status, output = index_check()
    assert status == 0
    assert "articles to index: 12, documents in the index: 12" in output
    assert "missing: 0, extra: 0, stale: 0" in output


def test_missing_extra_and_stale_documents_are_counted_and_fail_the_check(drifted):
    status, output = index_check()
    assert status == 1
    assert "articles to index: 11, documents in the index: 11" in output
    assert "missing: 1, extra: 1, stale: 1" in output
    assert "run index_check --repair" in output


def test_repair_brings_the_index_back_in_step(drifted):
    missing, extra, stale = drifted
    status, output = index_check("--repair")
    assert status == 0
    assert "repaired 3 article(s)" in output
    status, output = index_check()
    assert status == 0 and "missing: 0, extra: 0, stale: 0" in output
    assert [hit.article.key for hit in run_search(SearchParams(q="zucchini")).hits] == [stale.key]
    keys = {hit.article.key for hit in run_search(SearchParams(page_size=100)).hits}
    assert missing.key in keys and extra.key not in keys


def test_a_lost_index_is_reported_as_such(ingest, search_index):
    ingest(REPORTS)
    shutil.rmtree(search_index.get_backend().path)
    status, output = index_check()
    assert status == 2
    assert "rebuild_index" in output
