"""The admin an archivist uses: corrections and deletions reach the search index after commit; the article list
filters by source, region, year, language and status; the body is sanitized on save; key and hash stay read-only;
re-index, withdraw and merge are actions."""

import re

from archive.models import Article, Region, Source
from archive.search import SearchParams, engine, run_search
from archive.search.engine import indexed_count
from archive.search.indexing import wait_for_index
from tests.admin_helpers import edit_in_admin
from tests.conftest import DATA, SEED_000, SEED_003

PAGES_CORPUS = DATA / "pages" / "reports.jsonl"



def test_correcting_an_author_reindexes_the_article(admin_client, ingest, django_capture_on_commit_callbacks):
    ingest(SEED_003)
    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_in_admin(admin_client, article, author="Kim Ji Eun")
    wait_for_index()
    assert response.status_code == 302
    assert [hit.article.key for hit in run_search(SearchParams(author=("kim-ji-eun",))).hits] == [article.key]


def test_deleting_an_article_removes_it_from_the_index(admin_client, ingest, django_capture_on_commit_callbacks):
    ingest(SEED_000, SEED_003)
    article = Article.objects.get(author="Jong So Yong")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/archive/article/{article.pk}/delete/", {"post": "yes"})
    wait_for_index()
    assert response.status_code == 302
    assert (Article.objects.count(), indexed_count()) == (1, 1)


def test_the_article_list_filters_by_source_region_year_language_and_status(admin_client, ingest):
    ingest(PAGES_CORPUS)
    page = admin_client.get("/admin/archive/article/").content.decode()
    for title in ("By source", "By regions", "By year", "By language", "By status"):
        assert title in page
    assert "?published__year=2019" in page  # the date hierarchy
    hyesan = Region.objects.get(slug="hyesan")
    response = admin_client.get(f"/admin/archive/article/?regions__id__exact={hyesan.pk}&year=2019&language=en"
                                "&source__id__exact=" + str(Source.objects.get(name="Daily NK").pk))
    assert response.status_code == 200
    assert sorted(a.title for a in response.context["cl"].result_list) == [
        "Hyesan smuggling networks adapt to new surveillance", "Smuggling crackdown tightens along the Yalu in Hyesan",
        "Traders in Hyesan market report rising rice prices"]
    assert admin_client.get("/admin/archive/article/?year=2017").context["cl"].result_count == 1
    undated = admin_client.get("/admin/archive/article/?year=undated").context["cl"].result_list
    assert [a.published for a in undated] == [None]


def test_the_article_list_searches_titles_authors_and_keys(admin_client, ingest):
    ingest(SEED_000, SEED_003)
    article = Article.objects.get(author="Jong So Yong")
    found = admin_client.get(f"/admin/archive/article/?q={article.key}").context["cl"].result_list
    assert list(found) == [article]


def test_the_change_page_links_to_the_public_page_and_keeps_key_and_hash_read_only(admin_client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    page = admin_client.get(f"/admin/archive/article/{article.pk}/change/").content.decode()
    view_on_site = re.search(r'href="(/admin/r/[^"]+)" class="viewsitelink"', page).group(1)
    assert admin_client.get(view_on_site)["Location"].endswith(article.get_absolute_url())
    assert f'href="/articles/{article.key}/v/"' in page
    assert article.content_hash in page and 'name="content_hash"' not in page and 'name="key"' not in page
    response = edit_in_admin(admin_client, article, key="stolenkey1", content_hash="0" * 64)
    assert response.status_code == 302
    assert Article.objects.filter(key=article.key, content_hash=article.content_hash).exists()


def test_the_list_links_each_article_to_its_public_page(admin_client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    assert f'href="{article.get_absolute_url()}"' in admin_client.get("/admin/archive/article/").content.decode()


def test_regions_are_chosen_by_autocomplete(admin_client, ingest):
    ingest(SEED_003)
    response = admin_client.get("/admin/autocomplete/", {"app_label": "archive", "model_name": "article",
                                                          "field_name": "regions", "term": "Hyes"})
    assert [r["text"] for r in response.json()["results"]] == ["Hyesan"]


def test_the_body_is_sanitized_on_save_and_its_text_derived_from_it(admin_client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    body = ('<p onclick="steal()">Guards <script>alert(1)</script>moved <a href="javascript:alert(2)">goods</a>.</p>'
            '<iframe src="https://evil.example"></iframe><p>Second paragraph.</p>')
    assert edit_in_admin(admin_client, article, body_html=body).status_code == 302
    article.refresh_from_db()
    assert article.body_html == '<p>Guards moved <a rel="nofollow noopener">goods</a>.</p><p>Second paragraph.</p>'
    assert article.body_text == "Guards moved goods.\n\nSecond paragraph."


def test_a_body_with_no_text_left_after_sanitizing_is_refused(admin_client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    response = edit_in_admin(admin_client, article, body_html="<script>alert(1)</script>")
    assert response.status_code == 200
    assert "No text is left once disallowed markup is removed" in response.content.decode()
    assert Article.objects.get().body_html == article.body_html


def test_the_reindex_action_puts_selected_articles_back_in_the_index(admin_client, ingest,
                                                                      django_capture_on_commit_callbacks):
    ingest(SEED_000, SEED_003)
    engine.clear()
    assert indexed_count() == 0
    pks = list(Article.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/archive/article/",
                                     {"action": "reindex_selected", "_selected_action": pks}, follow=True)
    wait_for_index()
    assert "2 articles queued for re-indexing." in response.content.decode()
    assert indexed_count() == 2


def test_withdrawing_asks_for_a_reason_then_withdraws(admin_client, ingest, django_capture_on_commit_callbacks):
    ingest(SEED_000, SEED_003)
    article = Article.objects.get(author="Jong So Yong")
    chosen = {"action": "withdraw_selected", "_selected_action": [article.pk]}
    form = admin_client.post("/admin/archive/article/", chosen)
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    assert not Article.objects.get(pk=article.pk).is_withdrawn
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post("/admin/archive/article/", {**chosen, "apply": "Withdraw", "reason": "Unconfirmed."})
    wait_for_index()
    assert done.status_code == 302
    assert Article.objects.get(pk=article.pk).withdrawal_reason == "Unconfirmed."
    assert indexed_count() == 1


def test_merging_takes_the_survivor_by_key_and_reports_refusals(admin_client, ingest):
    ingest(SEED_000, SEED_003)
    duplicate = Article.objects.get(author="Jong So Yong")
    survivor = Article.objects.exclude(pk=duplicate.pk).get()
    chosen = {"action": "merge_selected", "_selected_action": [duplicate.pk], "apply": "Merge"}
    unknown = admin_client.post("/admin/archive/article/", {**chosen, "survivor": "nosuchkey0"})
    assert "No report has the key nosuchkey0." in unknown.content.decode()
    itself = admin_client.post("/admin/archive/article/", {**chosen, "survivor": duplicate.key}, follow=True)
    assert f"Report {duplicate.key} cannot be merged into itself." in itself.content.decode()
    admin_client.post("/admin/archive/article/", {**chosen, "survivor": survivor.key})
    assert Article.objects.get(pk=duplicate.pk).merged_into == survivor


def test_articles_come_in_through_ingest_not_the_add_form(admin_client):
    assert admin_client.get("/admin/archive/article/add/").status_code == 403


def test_sources_and_regions_have_their_admin_pages(admin_client, ingest):
    ingest(SEED_003)
    assert "Daily NK" in admin_client.get("/admin/archive/source/").content.decode()
    assert "Hyesan" in admin_client.get("/admin/archive/region/?q=hyesan").content.decode()
