"""Saved searches that watch: an analyst saves a search under a name; "My searches" counts what is new and corrected
since the last visit; a private Atom feed (an unguessable, revocable address) lists new and corrected matches, a
correction as an entry of its own; ``send_digests`` e-mails each analyst once per run and never sends a change
twice. All of it is private to its owner."""

import datetime
from io import StringIO

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from archive.digests import send_digests
from archive.models import Article, SavedSearch
from archive.search import SearchParams
from archive.watches import save_search
from tests.conftest import PASSWORD
from tests.history_helpers import correct, write_report
from tests.search_helpers import REPORTS

NEW_TITLE = "Border guards in Hyesan ordered to join smuggling"


@pytest.fixture
def corpus(ingest):
    """The search corpus, arrived two months ago: older than a feed's window and any saved search here."""
    ingest(REPORTS)
    Article.objects.update(ingested_at=timezone.now() - datetime.timedelta(days=60))


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user("analyst", email="analyst@example.org", password=PASSWORD)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _watch(owner, name="Smuggling", **query) -> SavedSearch:
    return save_search(owner, name, SearchParams.from_query(query or {"q": "smuggling"}))


def _news(ingest, tmp_path):
    """A matching report arrives, another matching one is corrected, and one the search does not find is corrected."""
    ingest(write_report(tmp_path))
    corrected = Article.objects.get(title="Smuggling crackdown in Hyesan")
    correct(corrected, title="Smuggling crackdown in Hyesan ends", reason="The crackdown ended.")
    correct(Article.objects.get(title="Fishing boats return empty"), title="Fishing boats return half empty")
    from archive.search.indexing import wait_for_index

    wait_for_index()
    return Article.objects.get(title=NEW_TITLE), corrected


def _feed(client, saved: SavedSearch, token: str | None = None):
    response = client.get(f"/my/searches/{saved.pk}/feed/{token or saved.feed_token}/")
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


# Saving and listing -------------------------------------------------------------------------------------------------


def test_a_signed_in_analyst_watches_a_search_from_the_search_page(analyst_client, analyst, corpus):
    page = BeautifulSoup(analyst_client.get("/search/", {"q": "smuggling", "region": "hyesan", "page": "1"}).content,
                         "html.parser")
    form = page.find("form", class_="watch-form")
    assert form.find("input", attrs={"name": "query"})["value"] == "q=smuggling&region=hyesan"
    response = analyst_client.post("/my/searches/save/", {"query": "q=smuggling&region=hyesan&page=3",
                                                         "name": "  Hyesan   smuggling "})
    assert response.status_code == 302 and response["Location"] == "/my/searches/"
    saved = SavedSearch.objects.get(owner=analyst)
    assert (saved.name, saved.query) == ("Hyesan smuggling", "q=smuggling&region=hyesan")  # the page is not kept
    listing = analyst_client.get("/my/searches/").content.decode()
    assert "Saved “Hyesan smuggling”" in listing and "“smuggling” · region hyesan" in listing


def test_the_watch_form_is_shown_only_to_signed_in_users(client, corpus):
    page = BeautifulSoup(client.get("/search/", {"q": "smuggling"}).content, "html.parser")
    assert page.find("form", class_="watch-form") is None
    assert client.get("/my/searches/")["Location"].startswith("/accounts/login/?next=/my/searches/")
    assert client.post("/my/searches/save/", {"query": "q=rice", "name": "Rice"}).status_code == 302
    assert not SavedSearch.objects.exists()


def test_my_searches_counts_reports_new_and_corrected_since_the_last_visit(analyst_client, analyst, corpus, ingest,
                                                                           tmp_path):
    saved = _watch(analyst)
    assert "Nothing new since your last visit" in analyst_client.get("/my/searches/").content.decode()
    _news(ingest, tmp_path)
    item = BeautifulSoup(analyst_client.get("/my/searches/").content, "html.parser").find(id=f"saved-{saved.pk}")
    assert " ".join(item.find(class_="saved-search-news").text.split()).startswith(
        "1 new, 1 corrected since your last visit")

    response = analyst_client.get(f"/my/searches/{saved.pk}/")  # opening it through the list
    assert response.status_code == 302 and response["Location"] == "/search/?q=smuggling"
    assert "Nothing new since your last visit" in analyst_client.get("/my/searches/").content.decode()


def test_a_saved_search_is_renamed_its_digest_set_and_deleted(analyst_client, analyst, db):
    saved = _watch(analyst)
    assert analyst_client.post(f"/my/searches/{saved.pk}/rename/", {"name": "Yalu smuggling"}).status_code == 302
    assert analyst_client.post(f"/my/searches/{saved.pk}/digest/", {"digest": "weekly"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.digest) == ("Yalu smuggling", "weekly")
    response = analyst_client.post(f"/my/searches/{saved.pk}/digest/", {"digest": "hourly"})
    assert response.status_code == 400 and "The digest is one of none, daily, weekly" in response.content.decode()
    assert analyst_client.post(f"/my/searches/{saved.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_changing_a_saved_search_needs_its_csrf_token(analyst, db):
    saved = _watch(analyst)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    assert strict.post(f"/my/searches/{saved.pk}/delete/").status_code == 403
    assert strict.post("/my/searches/save/", {"query": "q=rice", "name": "Rice"}).status_code == 403
    assert SavedSearch.objects.count() == 1


# Limits -------------------------------------------------------------------------------------------------------------


def test_an_analyst_keeps_at_most_the_configured_number_of_saved_searches(analyst_client, analyst, settings, db):
    settings.ARCHIVE_SAVED_SEARCHES_PER_USER = 2
    for name in ("One", "Two"):
        assert analyst_client.post("/my/searches/save/", {"query": f"q={name}", "name": name}).status_code == 302
    response = analyst_client.post("/my/searches/save/", {"query": "q=three", "name": "Three"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "You can keep at most 2 saved searches; delete one to save another." in text
    assert 'href="/search/?q=three"' in text  # the search is not lost: a link back to it
    assert SavedSearch.objects.count() == 2


@pytest.mark.parametrize("name,message", [
    ("", "Give the search a name."),
    ("x" * 101, "A name is at most 100 characters; this one has 101."),
    ("Smuggling", "You already have a saved search named “Smuggling”."),
])
def test_a_name_that_cannot_be_kept_is_refused_with_a_clear_message(analyst_client, analyst, name, message):
    _watch(analyst)
    response = analyst_client.post("/my/searches/save/", {"query": "q=rice", "name": name})
    assert response.status_code == 400 and message in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_a_malformed_search_is_refused_with_the_parsers_message(analyst_client, db):
    response = analyst_client.post("/my/searches/save/", {"query": "to=soon", "name": "Soon"})
    assert response.status_code == 400
    assert "This search cannot be saved: to must be a date" in response.content.decode()


def test_another_analyst_with_the_same_name_is_not_a_clash(analyst, django_user_model, db):
    _watch(analyst)
    _watch(django_user_model.objects.create_user("other", password=PASSWORD))
    assert SavedSearch.objects.filter(name="Smuggling").count() == 2


# The private feed ---------------------------------------------------------------------------------------------------


def test_the_feed_lists_a_newly_added_and_a_newly_corrected_report(client, analyst, corpus, ingest, tmp_path):
    saved = _watch(analyst)
    assert _feed(client, saved).entries == []  # the corpus arrived before the feed's window
    new, corrected = _news(ingest, tmp_path)
    feed = _feed(client, saved)  # no sign-in: the address is the key
    entries = {entry.id: entry for entry in feed.entries}
    new_id = f"http://testserver/articles/{new.key}/v/1/"
    corrected_id = f"http://testserver/articles/{corrected.key}/v/2/"
    assert set(entries) == {new_id, corrected_id}  # not the correction of a report the search does not find
    assert entries[new_id].title == NEW_TITLE
    assert entries[new_id].link == f"http://testserver{new.get_absolute_url()}"
    assert entries[corrected_id].title == "Corrected: Smuggling crackdown in Hyesan ends"
    assert entries[corrected_id].link == f"http://testserver/articles/{corrected.key}/v/"  # what changed
    correction_time = corrected.versions.get(number=2).edited_at.replace(microsecond=0)
    assert datetime.datetime(*entries[corrected_id].updated_parsed[:6], tzinfo=datetime.UTC) == correction_time
    assert feed.feed.title == "North Korea Reports Archive: Smuggling"


def test_a_second_correction_is_a_new_entry_beside_the_first(client, analyst, corpus, ingest, tmp_path):
    saved = _watch(analyst)
    _, corrected = _news(ingest, tmp_path)
    correct(corrected, title="Smuggling crackdown in Hyesan ends in March")
    ids = [entry.id for entry in _feed(client, saved).entries]
    assert ids[:2] == [f"http://testserver/articles/{corrected.key}/v/3/",
                       f"http://testserver/articles/{corrected.key}/v/2/"]  # newest first


def test_a_wrong_feed_token_is_a_404(client, analyst, db):
    saved = _watch(analyst)
    assert client.get(f"/my/searches/{saved.pk}/feed/{saved.feed_token[:-1]}x/").status_code == 404
    assert client.get(f"/my/searches/{saved.pk + 1}/feed/{saved.feed_token}/").status_code == 404
    assert len(saved.feed_token) >= 43  # 32 random bytes


def test_a_new_feed_address_revokes_the_old_one(analyst_client, analyst, db):
    saved = _watch(analyst)
    old = saved.feed_token
    assert analyst_client.post(f"/my/searches/{saved.pk}/feed-address/").status_code == 302
    saved.refresh_from_db()
    assert saved.feed_token != old
    assert analyst_client.get(f"/my/searches/{saved.pk}/feed/{old}/").status_code == 404
    assert analyst_client.get(f"/my/searches/{saved.pk}/feed/{saved.feed_token}/").status_code == 200
    assert saved.feed_token in analyst_client.get("/my/searches/").content.decode()


def test_the_feed_asks_search_engines_to_keep_out(client, analyst, db):
    saved = _watch(analyst)
    response = client.get(f"/my/searches/{saved.pk}/feed/{saved.feed_token}/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


# Privacy ------------------------------------------------------------------------------------------------------------


def test_saved_searches_and_their_feeds_are_private_to_their_owner(client, analyst, django_user_model, db):
    mine = _watch(analyst, "Mine")
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    theirs = _watch(other, "Theirs")
    client.force_login(analyst)
    listing = client.get("/my/searches/").content.decode()
    assert "Mine" in listing and "Theirs" not in listing and theirs.feed_token not in listing
    assert client.get(f"/my/searches/{theirs.pk}/").status_code == 404
    for action, data in (("rename", {"name": "Taken"}), ("digest", {"digest": "daily"}), ("feed-address", {}),
                         ("delete", {})):
        assert client.post(f"/my/searches/{theirs.pk}/{action}/", data).status_code == 404, action
    unchanged = SavedSearch.objects.get(pk=theirs.pk)
    assert (unchanged.name, unchanged.digest, unchanged.feed_token) == ("Theirs", "none", theirs.feed_token)
    # One's own token does not open another's feed.
    assert client.get(f"/my/searches/{theirs.pk}/feed/{mine.feed_token}/").status_code == 404


# Digests ------------------------------------------------------------------------------------------------------------


def _digest_on(saved: SavedSearch, digest="daily") -> SavedSearch:
    from archive.watches import set_digest

    return set_digest(saved, digest)


def test_the_digest_sends_one_email_per_analyst_and_nothing_twice(analyst, django_user_model, corpus, ingest,
                                                                  tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _digest_on(_watch(analyst))
    _digest_on(_watch(analyst, "Hyesan", region="hyesan"), "weekly")
    other = django_user_model.objects.create_user("other", email="other@example.org", password=PASSWORD)
    _digest_on(_watch(other, "Rice", q="rice"))  # nothing new in it
    silent = django_user_model.objects.create_user("silent", password=PASSWORD)  # no e-mail address
    _digest_on(_watch(silent))
    new, corrected = _news(ingest, tmp_path)
    later = timezone.now() + datetime.timedelta(hours=1)  # past the settling time

    run = send_digests(now=later)
    assert [message.to for message in mail.outbox] == [["analyst@example.org"]]
    [message] = mail.outbox
    assert "2 new or corrected reports in Hyesan, Smuggling" in message.subject
    assert f"New: {NEW_TITLE}\n  http://localhost:8000{new.get_absolute_url()}" in message.body
    assert f"Corrected {timezone.now():%d %b %Y}: Smuggling crackdown in Hyesan ends\n" \
           f"  http://localhost:8000/articles/{corrected.key}/v/" in message.body
    assert "Fishing boats" not in message.body
    assert "skipped silent: no e-mail address (1 saved searches due)" in run.lines()

    assert send_digests(now=later).sent == []  # the same run again
    assert send_digests(now=later + datetime.timedelta(days=8)).sent == []  # due again, nothing new since
    assert len(mail.outbox) == 1


def test_a_change_after_a_digest_is_in_the_next_one_alone(analyst, corpus, ingest, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _digest_on(_watch(analyst))
    _, corrected = _news(ingest, tmp_path)
    send_digests(now=timezone.now() + datetime.timedelta(hours=1))
    SavedSearch.objects.update(digest_through=timezone.now())  # as if the run had been an hour from now
    correct(corrected, title="Smuggling crackdown in Hyesan ends in March")
    assert send_digests(now=timezone.now() + datetime.timedelta(hours=2)).sent == []  # not due yet: daily
    send_digests(now=timezone.now() + datetime.timedelta(days=1, hours=2))
    assert len(mail.outbox) == 2
    assert "Corrected" in mail.outbox[1].body and NEW_TITLE not in mail.outbox[1].body
    assert "ends in March" in mail.outbox[1].body


def test_a_run_killed_before_it_marked_what_it_sent_sends_it_again(analyst, corpus, ingest, tmp_path, settings,
                                                                   monkeypatch):
    """At least once: the marks move in the transaction that sent, so a run that dies before committing them leaves
    the digest to the next run."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _digest_on(_watch(analyst))
    _news(ingest, tmp_path)
    later = timezone.now() + datetime.timedelta(hours=1)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process killed while marking

    monkeypatch.setattr("archive.digests.SavedSearch.objects.filter", killed)
    with pytest.raises(KeyboardInterrupt):
        send_digests(now=later)
    monkeypatch.undo()
    assert len(mail.outbox) == 1
    send_digests(now=later)
    assert len(mail.outbox) == 2 and mail.outbox[0].body == mail.outbox[1].body
    assert send_digests(now=later).sent == []


def test_the_command_prints_a_summary(analyst, corpus, ingest, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _digest_on(_watch(analyst))
    _news(ingest, tmp_path)
    SavedSearch.objects.update(digest_through=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(title=NEW_TITLE).update(ingested_at=timezone.now() - datetime.timedelta(days=1))
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().splitlines() == [
        "sent analyst <analyst@example.org>: “Smuggling” 1",
        "1 digest sent, 0 with nothing new, 0 skipped, 0 failed",
    ]


def test_a_saved_search_the_parser_no_longer_reads_says_so_and_keeps_its_place(analyst_client, analyst, db):
    saved = _watch(analyst)
    SavedSearch.objects.filter(pk=saved.pk).update(query="q=smuggling&sort=loudest")  # as if the parser had changed
    listing = analyst_client.get("/my/searches/").content.decode()
    assert "sort must be one of relevance, newest, oldest" in listing and "Smuggling" in listing
    response = analyst_client.get(f"/my/searches/{saved.pk}/feed/{saved.feed_token}/")
    assert response.status_code == 400 and "This saved search cannot be read" in response.content.decode()
    assert analyst_client.get(f"/my/searches/{saved.pk}/").status_code == 400
