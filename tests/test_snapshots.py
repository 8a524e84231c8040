"""Result-set snapshots: an analyst freezes a search's results (query, time, count, each report at its version then)
under a short permanent URL; the list, its exports and its digest stay the same whatever happens to the archive after,
"run it again" shows what changed, and only its owner or staff can delete it (410 after); nobody can edit it."""

import csv
import datetime
import hashlib
import io
import json
import re

import pytest
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import get_resolver

from archive.accounts import analysts_group
from archive.errors import SnapshotLimitReached
from archive.models import Article, ResultSnapshot
from archive.search import SearchParams, matching_ids
from archive.search.indexing import wait_for_index
from archive.snapshots import ID_ALPHABET, ID_LENGTH, save_snapshot
from archive.withdrawal import merge, withdraw
from tests.conftest import PASSWORD
from tests.history_helpers import correct, write_report
from tests.search_helpers import REPORTS

QUERY = "q=smuggling"


@pytest.fixture
def reports(ingest):
    ingest(REPORTS)
    return Article.objects.all()


@pytest.fixture
def analyst(django_user_model):
    user = django_user_model.objects.create_user("analyst", password=PASSWORD)
    user.groups.add(analysts_group())
    return user


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A change with its after-commit indexing run, and the index caught up."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = change(*args, **kwargs)
        wait_for_index()
        return result

    return run


def save(client, query=QUERY, **form) -> ResultSnapshot:
    response = client.post("/snapshots/", {"query": query, **form})
    assert response.status_code == 302, response.content.decode()[:2000]
    snapshot_id = re.fullmatch(r"/snapshots/([a-z0-9]+)/", response["Location"]).group(1)
    return ResultSnapshot.objects.get(pk=snapshot_id)


def keys_of(query: str) -> list[str]:
    ids = matching_ids(SearchParams.from_query(dict(pair.split("=") for pair in query.split("&"))))
    found = Article.objects.in_bulk(ids)
    return [found[pk].key for pk in ids]


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def frozen_list(client, snapshot) -> str:
    """The snapshot page's list of results, as HTML."""
    return client.get(snapshot.get_absolute_url()).content.decode().split('<ol class="results-list')[1].split("</ol>")[0]


def exports(client, snapshot) -> dict[str, bytes]:
    return {suffix: download(client, f"/snapshots/{snapshot.id}/export.{suffix}") for suffix in ("csv", "jsonl", "ris")}


# Saving -----------------------------------------------------------------------------------------------------------


def test_an_analyst_saves_every_result_of_a_search_in_order_each_at_its_version(reports, analyst_client, analyst):
    expected = keys_of(QUERY)
    assert len(expected) >= 3
    snapshot = save(analyst_client, f"{QUERY}&page=2&size=1", title="Smuggling reports", note="For the brief")
    assert snapshot.query == QUERY  # the whole result set: page and size are not part of it
    assert snapshot.count == len(expected)
    assert list(snapshot.items.values_list("key", "version")) == [(key, 1) for key in expected]
    assert (snapshot.owner, snapshot.title, snapshot.note) == (analyst, "Smuggling reports", "For the brief")
    assert snapshot.created_at.microsecond == 0


def test_a_corrected_report_is_frozen_at_its_current_version(reports, analyst_client, commit):
    article = reports.get(url="https://example.org/reports/1")
    commit(correct, article, "Date fixed", title="Smuggling crackdown in Hyesan city")
    snapshot = save(analyst_client)
    assert snapshot.items.get(key=article.key).version == 2


def test_a_snapshot_gets_a_short_random_id_not_a_sequence(reports, analyst_client):
    ids = [save(analyst_client).id for _ in range(3)]
    assert len(set(ids)) == 3
    assert all(len(i) == ID_LENGTH and set(i) <= set(ID_ALPHABET) for i in ids)
    assert not any(i.isdigit() for i in ids)


def test_the_search_page_offers_save_this_result_set_to_analysts_only(reports, client, analyst, django_user_model):
    assert "Save this result set" not in client.get("/search/?q=smuggling").content.decode()
    client.force_login(django_user_model.objects.create_user("reader", password=PASSWORD))
    assert "Save this result set" not in client.get("/search/?q=smuggling").content.decode()
    client.force_login(analyst)
    page = client.get("/search/?q=smuggling&page=1&size=5").content.decode()
    assert "Save this result set" in page
    assert '<input type="hidden" name="query" value="q=smuggling">' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_anonymous_visitors_are_sent_to_sign_in_and_other_users_refused(reports, client, django_user_model):
    response = client.post("/snapshots/", {"query": QUERY})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    client.force_login(django_user_model.objects.create_user("reader", password=PASSWORD))
    response = client.post("/snapshots/", {"query": QUERY})
    assert response.status_code == 403
    assert "Saving result sets is for analysts." in response.content.decode()
    assert not ResultSnapshot.objects.exists()


def test_saving_needs_the_csrf_token(reports, analyst):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(analyst)
    assert browser.post("/snapshots/", {"query": QUERY}).status_code == 403
    assert not ResultSnapshot.objects.exists()


def test_a_malformed_search_is_refused_with_its_message(reports, analyst_client):
    response = analyst_client.post("/snapshots/", {"query": "from=yesterday"})
    assert response.status_code == 400
    assert "from" in response.content.decode() and "yesterday" in response.content.decode()
    assert not ResultSnapshot.objects.exists()


@override_settings(ARCHIVE_SNAPSHOT_MAX_RESULTS=5)
def test_a_result_set_over_the_bound_is_refused_with_a_message_and_the_form_kept(reports, analyst_client):
    response = analyst_client.post("/snapshots/", {"query": "", "title": "Everything", "note": "All of it"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"This search has {Article.objects.count()} results; a snapshot holds at most 5." in page
    assert 'value="Everything"' in page and ">All of it</textarea>" in page
    assert not ResultSnapshot.objects.exists()


def test_the_default_bound_is_ten_thousand_results(settings):
    assert settings.ARCHIVE_SNAPSHOT_MAX_RESULTS == 10_000


@override_settings(ARCHIVE_SNAPSHOTS_PER_DAY=2)
def test_a_user_may_save_so_many_a_day_and_deleting_does_not_give_one_back(reports, analyst_client, analyst):
    first = save(analyst_client)
    save(analyst_client)
    analyst_client.post(f"/snapshots/{first.id}/delete/")
    response = analyst_client.post("/snapshots/", {"query": QUERY, "title": "Third"})
    assert response.status_code == 429
    assert "You have saved 2 snapshots in the last 24 hours, the most a day allows (2)." in response.content.decode()
    assert ResultSnapshot.objects.count() == 2
    with pytest.raises(SnapshotLimitReached):
        save_snapshot(analyst, SearchParams(q="smuggling"))
    tomorrow = first.created_at + datetime.timedelta(days=1, seconds=1)
    assert save_snapshot(analyst, SearchParams(q="smuggling"), now=tomorrow).count == first.count


def test_hostile_titles_and_notes_are_kept_as_text_and_shown_escaped(reports, analyst_client, client):
    snapshot = save(analyst_client, title="<script>alert('t')</script>\x07 Grain",
                    note="<img src=x onerror=alert(1)>\nsecond line\x00")
    assert snapshot.title == "<script>alert('t')</script> Grain"
    assert snapshot.note == "<img src=x onerror=alert(1)>\nsecond line"
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; Grain" in page
    assert "&lt;img src=x onerror=alert(1)&gt;<br>second line" in page


@pytest.mark.parametrize("field,length,message", [
    ("title", 201, "The title is 201 characters; at most 200 are kept."),
    ("note", 2001, "The note is 2,001 characters; at most 2,000 are kept."),
])
def test_a_title_or_note_too_long_is_refused_with_a_message_and_loses_nothing(reports, analyst_client, field, length,
                                                                              message):
    typed = "x" * length
    response = analyst_client.post("/snapshots/", {"query": QUERY, field: typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert typed in page
    assert not ResultSnapshot.objects.exists()


# Reading it as it was ---------------------------------------------------------------------------------------------


def test_the_page_lists_the_titles_and_versions_of_then_linking_to_those_versions(reports, analyst_client, client,
                                                                                 commit):
    snapshot = save(analyst_client, title="Smuggling")
    article = reports.get(url="https://example.org/reports/1")
    commit(correct, article, "Retitled", title="Copper seized at the Yalu")
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "Smuggling crackdown in Hyesan" in page and "Copper seized at the Yalu" not in page
    assert f'href="/articles/{article.key}/v/1/"' in page
    assert f"{snapshot.count} reports" in page
    assert client.get(f"/articles/{article.key}/v/1/").status_code == 200


def test_anyone_with_the_link_reads_another_users_snapshot_and_its_exports(reports, analyst_client, client,
                                                                          django_user_model):
    snapshot = save(analyst_client)
    client.logout()
    assert client.get(snapshot.get_absolute_url()).status_code == 200
    client.force_login(django_user_model.objects.create_user("other", password=PASSWORD))
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert snapshot.digest in page
    assert "Delete this snapshot" not in page
    assert set(exports(client, snapshot)) == {"csv", "jsonl", "ris"}


def test_an_unknown_snapshot_is_404(db, client):
    assert client.get("/snapshots/zzzzzzzzzz/").status_code == 404
    assert client.get("/snapshots/zzzzzzzzzz/export.csv").status_code == 404


def test_the_exports_are_a_searchs_formats_from_the_versions_of_then(reports, analyst_client, client, commit):
    snapshot = save(analyst_client)
    article = reports.get(url="https://example.org/reports/1")
    commit(correct, article, "Retitled", title="Copper seized at the Yalu",
           body_html="<p>Entirely new text.</p>")
    files = exports(client, snapshot)
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8")[1:], newline="")))
    assert [row["key"] for row in rows] == list(snapshot.items.values_list("key", flat=True))
    first = next(row for row in rows if row["key"] == article.key)
    assert first["title"] == "Smuggling crackdown in Hyesan"
    assert first["permalink"] == f"http://testserver/articles/{article.key}/v/1/"
    assert (first["date"], first["source"], first["author"]) == ("2019-03-04", "Daily NK", "Jong So Yong")
    assert first["regions"] == "Ryanggang; Hyesan"  # provinces first, as a search's export has them
    record = next(json.loads(line) for line in files["jsonl"].decode().splitlines() if article.key in line)
    assert record["text"].startswith("Border guards in the city arrested")
    assert (record["author_family"], record["author_given"], record["date_precision"]) == ("Jong", "So Yong", "day")
    assert files["ris"].decode().count("ER  - ") == snapshot.count
    assert "TI  - Smuggling crackdown in Hyesan\r\n" in files["ris"].decode()


def test_a_snapshots_exports_are_a_searchs_export_of_the_same_moment(reports, analyst_client, client):
    """Before anything changes, the frozen JSONL holds what the search's own export holds (permalinks aside)."""
    snapshot = save(analyst_client)
    frozen = [json.loads(line) for line in exports(client, snapshot)["jsonl"].decode().splitlines()]
    live = [json.loads(line) for line in download(client, f"/search/export.jsonl?{QUERY}").decode().splitlines()]
    for record in frozen + live:
        record.pop("permalink")
    assert frozen == live


def test_the_list_exports_and_digest_are_unchanged_by_corrections_withdrawals_merges_and_new_reports(
        reports, analyst_client, client, commit, ingest, tmp_path):
    snapshot = save(analyst_client)
    before = {**exports(client, snapshot), "canonical": download(client, f"/snapshots/{snapshot.id}/canonical.json")}
    listed = frozen_list(client, snapshot)

    keys = list(snapshot.items.values_list("key", flat=True))
    commit(correct, Article.objects.get(key=keys[0]), "Retitled", title="Copper seized", regions=["sinuiju"])
    commit(withdraw, Article.objects.get(key=keys[1]), "Could not be confirmed.")
    commit(merge, Article.objects.get(key=keys[2]), Article.objects.get(url="https://example.org/reports/9"))
    ingest(write_report(tmp_path, title="Smuggling of copper grows", url="https://example.org/new/1"))

    after = {**exports(client, snapshot), "canonical": download(client, f"/snapshots/{snapshot.id}/canonical.json")}
    assert after == before
    assert frozen_list(client, snapshot) == listed
    assert hashlib.sha256(after["canonical"]).hexdigest() == ResultSnapshot.objects.get(pk=snapshot.pk).digest


# The digest -------------------------------------------------------------------------------------------------------


def test_the_digest_is_the_sha256_of_the_documented_canonical_form(reports, analyst_client, client):
    snapshot = save(analyst_client)
    results = [[key, version] for key, version in snapshot.items.values_list("key", "version")]
    created = snapshot.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    canonical = json.dumps({"count": snapshot.count, "created": created, "query": QUERY, "results": results},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert canonical.startswith(b'{"count":') and b" " not in canonical
    assert hashlib.sha256(canonical).hexdigest() == snapshot.digest
    assert download(client, f"/snapshots/{snapshot.id}/canonical.json") == canonical
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert f'<code class="digest">{snapshot.digest}</code>' in page
    assert "matches the contents" in page and "sha256sum" in page


def test_a_copy_with_one_result_changed_does_not_match_the_digest(reports, analyst_client, client):
    snapshot = save(analyst_client)
    copy = json.loads(download(client, f"/snapshots/{snapshot.id}/canonical.json"))
    copy["results"][0][1] = 2
    altered = json.dumps(copy, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert hashlib.sha256(altered).hexdigest() != snapshot.digest


def test_the_page_says_when_the_contents_no_longer_give_the_digest(reports, analyst_client, client):
    """Nothing in the archive changes a snapshot's items; a change behind its back (the database edited by hand)
    shows."""
    snapshot = save(analyst_client)
    assert "matches the contents" in client.get(snapshot.get_absolute_url()).content.decode()
    snapshot.items.filter(position=1).update(key="tampered00")
    assert "does not match the contents" in client.get(snapshot.get_absolute_url()).content.decode()


def test_the_owner_is_not_named_to_other_readers(reports, analyst_client, client):
    snapshot = save(analyst_client)
    assert "by you" in analyst_client.get(snapshot.get_absolute_url()).content.decode()
    client.logout()
    assert "analyst" not in client.get(snapshot.get_absolute_url()).content.decode().split("<main")[1]


# Running it again -------------------------------------------------------------------------------------------------


def test_run_it_again_shows_new_corrected_withdrawn_merged_and_no_longer_matching_reports(
        reports, analyst_client, client, commit, ingest, tmp_path):
    snapshot = save(analyst_client)
    keys = list(snapshot.items.values_list("key", flat=True))
    assert len(keys) >= 4
    corrected, withdrawn, merged, gone = (Article.objects.get(key=key) for key in keys[:4])
    survivor = Article.objects.get(url="https://example.org/reports/9")
    commit(correct, corrected, "Title fixed", title=f"{corrected.title}, sources say")
    commit(withdraw, withdrawn, "Could not be confirmed.")
    commit(merge, merged, survivor)
    commit(correct, gone, "Rewritten", title="Copper seized", body_html="<p>Guards seized copper.</p>")
    ingest(write_report(tmp_path, title="Smuggling of copper grows", url="https://example.org/new/1"))

    response = client.get(f"/snapshots/{snapshot.id}/again/")
    assert response.status_code == 200
    page = response.content.decode()
    section = {kind: page.split(f'class="changes changes-{kind}"')[1].split("</section>")[0]
               for kind in ("new", "corrected", "withdrawn", "merged", "gone")}
    new = Article.objects.get(url="https://example.org/new/1")
    assert "New matches (1)" in section["new"] and f'href="{new.get_absolute_url()}"' in section["new"]
    assert "Corrected since (1)" in section["corrected"]
    assert f'href="/articles/{corrected.key}/v/"' in section["corrected"]  # the history, with its diff
    assert "version 1 then, 2 now" in section["corrected"]
    assert "Withdrawn (1)" in section["withdrawn"] and "Could not be confirmed." in section["withdrawn"]
    assert "Merged into another report (1)" in section["merged"]
    assert f'href="{survivor.get_absolute_url()}"' in section["merged"]
    assert "No longer matching (1)" in section["gone"] and "Copper seized" in section["gone"]
    assert f'href="/articles/{gone.key}/v/"' in section["gone"]
    assert f">{snapshot.count - 2}</strong>" in page  # now: less the withdrawn, merged, gone; plus the new


def test_run_it_again_with_nothing_changed_says_so(reports, analyst_client, client):
    snapshot = save(analyst_client)
    page = client.get(f"/snapshots/{snapshot.id}/again/").content.decode()
    assert "Nothing changed" in page
    assert f"{snapshot.count} of the snapshot's reports still match, uncorrected." in page


# Deleting, and no editing -----------------------------------------------------------------------------------------


def test_nobody_but_its_owner_or_staff_may_delete_a_snapshot(reports, analyst_client, client, django_user_model):
    snapshot = save(analyst_client)
    client.logout()
    assert client.post(f"/snapshots/{snapshot.id}/delete/").status_code == 403
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    other.groups.add(analysts_group())
    client.force_login(other)
    response = client.post(f"/snapshots/{snapshot.id}/delete/")
    assert response.status_code == 403
    assert "Only the analyst who saved this snapshot, or staff, may delete it." in response.content.decode()
    assert client.get(snapshot.get_absolute_url()).status_code == 200


def test_its_owner_deletes_it_and_its_link_then_answers_410_saying_when(reports, analyst_client, client):
    snapshot = save(analyst_client, title="Private thoughts")
    page = analyst_client.get(snapshot.get_absolute_url()).content.decode()
    assert "Delete this snapshot" in page
    assert analyst_client.post(f"/snapshots/{snapshot.id}/delete/").status_code == 302
    deleted = ResultSnapshot.objects.get(pk=snapshot.pk)
    assert deleted.deleted_at is not None and deleted.title == "" and not deleted.items.exists()
    for path in ("/", "/export.csv", "/export.jsonl", "/export.ris", "/canonical.json", "/again/"):
        response = client.get(f"/snapshots/{snapshot.id}{path}")
        assert response.status_code == 410, path
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "This snapshot was deleted" in page and f"{deleted.deleted_at:%-d %B %Y}" in page
    assert "Private thoughts" not in page


def test_staff_may_delete_another_users_snapshot(reports, analyst_client, client, staff_user):
    snapshot = save(analyst_client)
    client.force_login(staff_user)
    assert "Delete this snapshot" in client.get(snapshot.get_absolute_url()).content.decode()
    assert client.post(f"/snapshots/{snapshot.id}/delete/").status_code == 302
    assert client.get(snapshot.get_absolute_url()).status_code == 410
    assert ResultSnapshot.objects.get(pk=snapshot.pk).deleted_by == staff_user


def test_there_is_no_way_to_edit_a_snapshot(reports, analyst_client, admin_client):
    snapshot = save(analyst_client, title="As saved")
    routes = [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern).startswith("snapshots/")]
    assert routes == ["snapshots/", "snapshots/<str:snapshot_id>/", "snapshots/<str:snapshot_id>/export.<str:suffix>",
                      "snapshots/<str:snapshot_id>/canonical.json", "snapshots/<str:snapshot_id>/again/",
                      "snapshots/<str:snapshot_id>/delete/"]
    change = f"/admin/archive/resultsnapshot/{snapshot.id}/change/"
    assert admin_client.get(change).status_code == 200  # read-only
    admin_client.post(change, {"title": "Edited", "note": "Edited", "query": "q=x", "count": 1})
    assert admin_client.get("/admin/archive/resultsnapshot/add/").status_code == 403
    assert admin_client.post(f"/admin/archive/resultsnapshot/{snapshot.id}/delete/").status_code == 403
    assert ResultSnapshot.objects.get(pk=snapshot.pk).title == "As saved"
    assert snapshot.get_absolute_url() in admin_client.get("/admin/archive/resultsnapshot/").content.decode()


def test_a_report_a_snapshot_cites_can_be_withdrawn_but_not_deleted(reports, analyst_client, commit):
    snapshot = save(analyst_client)
    article = Article.objects.get(key=snapshot.items.first().key)
    with pytest.raises(ProtectedError):
        article.delete()
    commit(withdraw, article, "Could not be confirmed.")
