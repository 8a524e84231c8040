"""Withdrawal and merge: a withdrawn report's permalink answers 410 Gone with the reason and date, a merged
duplicate's answers 301 to its survivor (through any chain), both leave search, and no key is ever reused."""

import pytest

from archive.errors import RefusedChange
from archive.models import Article
from archive.search.engine import indexed_count
from archive.search.indexing import wait_for_index
from archive.withdrawal import merge, withdraw
from tests.history_helpers import write_report
from tests.search_helpers import search, titles


@pytest.fixture
def reports(ingest, tmp_path):
    """Three reports: an original, its duplicate (another URL) and one more."""
    ingest(
        write_report(tmp_path, "original.json"),
        write_report(tmp_path, "duplicate.json", url="https://example.org/copy/hyesan-guards",
                     title="Hyesan border guards told to join smuggling"),
        write_report(tmp_path, "other.json", url="https://example.org/reports/samsu-market",
                     title="Samsu market traders wait for copper", regions=["Samsu"]),
    )
    return {a.url.rsplit("/", 1)[-1] if "copy" not in a.url else "duplicate": a for a in Article.objects.all()}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change with its after-commit indexing, and wait for the index."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = change(*args, **kwargs)
        wait_for_index()
        return result

    return run


def test_a_withdrawn_report_answers_410_with_the_reason_and_date(reports, commit, client):
    article = reports["hyesan-guards"]
    commit(withdraw, article, "The source could not be confirmed.")
    article.refresh_from_db()
    for url in (article.get_absolute_url(), f"/articles/{article.key}/", f"/articles/{article.key}/old-slug/",
                f"/articles/{article.key}/v/", f"/articles/{article.key}/v/1/"):
        response = client.get(url)
        assert response.status_code == 410, url
        page = response.content.decode()
        assert "This report was withdrawn" in page
        assert "The source could not be confirmed." in page
        assert f'<time datetime="{article.withdrawn_at:%Y-%m-%d}">' in page
        assert f"<cite>{article.title}</cite> ({article.published_display})" in page  # what it was, and when


def test_a_withdrawn_report_leaves_search(reports, commit):
    assert "Border guards in Hyesan ordered to join smuggling" in titles(search(q="guards"))
    commit(withdraw, reports["hyesan-guards"], "Duplicate of a wire report.")
    assert "Border guards in Hyesan ordered to join smuggling" not in titles(search(q="guards"))
    assert indexed_count() == 2


def test_a_withdrawal_needs_a_reason(reports):
    with pytest.raises(RefusedChange, match="Give a reason"):
        withdraw(reports["hyesan-guards"], "  ")
    assert not Article.objects.get(pk=reports["hyesan-guards"].pk).is_withdrawn


def test_a_report_is_withdrawn_once(reports):
    withdraw(reports["hyesan-guards"], "Unconfirmed.")
    with pytest.raises(RefusedChange, match="already withdrawn"):
        withdraw(reports["hyesan-guards"], "Again.")


def test_a_merged_duplicate_answers_301_to_its_survivor(reports, commit, client):
    duplicate, survivor = reports["duplicate"], reports["hyesan-guards"]
    commit(merge, duplicate, survivor)
    for url in (duplicate.get_absolute_url(), f"/articles/{duplicate.key}/", f"/articles/{duplicate.key}/stale/",
                f"/articles/{duplicate.key}/v/1/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (301, survivor.get_absolute_url()), url
    response = client.get(f"/articles/{duplicate.key}/v/")
    assert (response.status_code, response["Location"]) == (301, f"/articles/{survivor.key}/v/")


def test_a_merged_duplicate_leaves_search(reports, commit):
    assert "Hyesan border guards told to join smuggling" in titles(search(q="guards"))
    commit(merge, reports["duplicate"], reports["hyesan-guards"])
    assert "Hyesan border guards told to join smuggling" not in titles(search(q="guards"))
    assert indexed_count() == 2


def test_a_chain_of_merges_redirects_in_one_hop_to_the_final_survivor(reports, commit, client):
    commit(merge, reports["duplicate"], reports["hyesan-guards"])
    commit(merge, reports["hyesan-guards"], reports["samsu-market"])
    response = client.get(reports["duplicate"].get_absolute_url())
    assert (response.status_code, response["Location"]) == (301, reports["samsu-market"].get_absolute_url())


def test_a_report_cannot_be_merged_into_itself(reports):
    with pytest.raises(RefusedChange, match="cannot be merged into itself"):
        merge(reports["duplicate"], reports["duplicate"])


def test_a_report_cannot_be_merged_into_a_withdrawn_one(reports):
    withdraw(reports["hyesan-guards"], "Unconfirmed.")
    with pytest.raises(RefusedChange, match="was withdrawn"):
        merge(reports["duplicate"], reports["hyesan-guards"])


def test_merging_into_a_merged_report_names_its_final_survivor(reports):
    merge(reports["hyesan-guards"], reports["samsu-market"])
    with pytest.raises(RefusedChange, match=f"merge into {reports['samsu-market'].key}"):
        merge(reports["duplicate"], reports["hyesan-guards"])


def test_a_withdrawn_or_merged_report_cannot_be_merged_again(reports):
    withdraw(reports["hyesan-guards"], "Unconfirmed.")
    with pytest.raises(RefusedChange, match="already withdrawn"):
        merge(reports["hyesan-guards"], reports["samsu-market"])
    merge(reports["duplicate"], reports["samsu-market"])
    with pytest.raises(RefusedChange, match="was merged into"):
        withdraw(reports["duplicate"], "Now withdraw it.")


def test_reingesting_a_withdrawn_report_does_not_bring_it_back(reports, ingest, tmp_path):
    article = reports["hyesan-guards"]
    withdraw(article, "Unconfirmed.")
    [outcome] = ingest(write_report(tmp_path, "original.json", title="Border guards in Hyesan, revised"))
    assert (outcome.status, outcome.keys) == ("unchanged", [article.key])
    article.refresh_from_db()
    assert article.is_withdrawn and article.title == "Border guards in Hyesan ordered to join smuggling"
    assert Article.objects.count() == 3
    assert "Border guards in Hyesan, revised" not in titles(search(q="guards"))


def test_reingesting_a_merged_duplicate_keeps_it_merged(reports, ingest, tmp_path):
    merge(reports["duplicate"], reports["hyesan-guards"])
    [outcome] = ingest(write_report(tmp_path, "duplicate.json", url="https://example.org/copy/hyesan-guards",
                                    title="Hyesan border guards told to join smuggling, again"))
    assert (outcome.status, outcome.keys) == ("unchanged", [reports["duplicate"].key])
    assert Article.objects.get(pk=reports["duplicate"].pk).merged_into == reports["hyesan-guards"]


def test_withdrawn_and_merged_reports_keep_their_rows_and_keys(reports):
    keys = set(Article.objects.values_list("key", flat=True))
    withdraw(reports["hyesan-guards"], "Unconfirmed.")
    merge(reports["duplicate"], reports["samsu-market"])
    assert set(Article.objects.values_list("key", flat=True)) == keys
    assert list(Article.objects.searchable()) == [reports["samsu-market"]]


def test_a_withdrawn_report_is_not_shown_even_before_the_index_has_caught_up(reports):
    withdraw(reports["hyesan-guards"], "Unconfirmed.")  # in a test transaction: the index update has not run
    assert indexed_count() == 3
    assert "Border guards in Hyesan ordered to join smuggling" not in titles(search(q="guards"))
