"""``/search/feed/?<the search's parameters>``: an Atom feed of any search (``archive.exports.feed`` decides what it
holds; this class answers the syndication framework's small questions). ``/my/searches/<id>/feed/<token>/``: a
saved search's private feed of new and corrected matches (``archive.watches`` decides)."""

import re
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive import watches
from archive.citation import SITE_NAME
from archive.errors import BadParameter
from archive.exports.feed import FeedEntry, feed_entries
from archive.exports.records import region_names
from archive.models import SavedSearch
from archive.search import SearchParams
from archive.views.search_links import feed_url, search_url

SUMMARY_CHARS = 400
# XML 1.0 forbids these (Django's feed writer refuses them): report text may hold any of them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class FeedItem(NamedTuple):
    entry: FeedEntry
    site: str  # scheme and host, for the entry's id


class FeedSearch:
    def __init__(self, request, params: SearchParams):
        self.params = params
        self.site = request.build_absolute_uri("/").rstrip("/")
        self.entries = feed_entries(params)


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadParameter as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        return FeedSearch(request, SearchParams.from_query(request.GET))

    def title(self, search: FeedSearch) -> str:
        return xml_text(f"{SITE_NAME}: {search.params.q or 'every report'}"
                        + "".join(f", {name} {', '.join(values)}" for name, values in search.params.filters.items()))

    def subtitle(self, search: FeedSearch) -> str:
        return "The newest reports of this search, and those of them withdrawn lately."

    def link(self, search: FeedSearch) -> str:
        return search_url(search.params)

    def feed_url(self, search: FeedSearch) -> str:
        return feed_url(search.params)

    def items(self, search: FeedSearch) -> list[FeedItem]:
        return [FeedItem(entry, search.site) for entry in search.entries]

    def item_title(self, item: FeedItem) -> str:
        return xml_text(("Withdrawn: " if item.entry.is_withdrawn else "") + item.entry.article.title)

    def item_link(self, item: FeedItem) -> str:
        return item.entry.article.get_absolute_url()

    def item_guid(self, item: FeedItem) -> str:
        """The permalink's short form: the key never changes, whatever happens to the title (and so the slug)."""
        return item.site + reverse("article-short", kwargs={"key": item.entry.article.key})

    def item_description(self, item: FeedItem) -> str:
        entry = item.entry
        if entry.is_withdrawn:
            text = f"Withdrawn on {entry.article.withdrawn_at:%d %B %Y}: {entry.article.withdrawal_reason}"
        else:
            text = " ".join(entry.article.body_text[:SUMMARY_CHARS].split()) + "…"
        return escape(xml_text(text))  # plain text in an HTML summary

    def item_author_name(self, item: FeedItem) -> str | None:
        return xml_text(item.entry.article.author) or None

    def item_pubdate(self, item: FeedItem):
        return item.entry.published

    def item_updateddate(self, item: FeedItem):
        return item.entry.updated

    def item_categories(self, item: FeedItem) -> list[str]:
        entry = item.entry
        article = entry.article
        names = [article.source.name] if article.source else []
        names += region_names(article)
        names += ["withdrawn"] if entry.is_withdrawn else []
        return [xml_text(name) for name in names]


class WatchedFeed(NamedTuple):
    saved: SavedSearch
    site: str


class WatchItem(NamedTuple):
    watched: watches.WatchedChange
    site: str


class SavedSearchFeed(Feed):
    """A correction is an entry of its own: its id names the version it made and its ``updated`` is the correction's
    time, so a feed reader that has the report already shows the correction as new."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadParameter as exc:  # a search kept before the parser became stricter
            return HttpResponse(f"This saved search cannot be read: {exc}", status=400,
                                content_type="text/plain; charset=utf-8")
        response["X-Robots-Tag"] = "noindex, nofollow"  # the address is private: search engines keep out
        response["Cache-Control"] = "private, no-cache"
        return response

    def get_object(self, request, pk, token):
        saved = watches.feed_search(pk, token)
        if saved is None:
            raise Http404("No feed has this address (it may have been replaced by a new one).")
        return WatchedFeed(saved, request.build_absolute_uri("/").rstrip("/"))

    def title(self, feed: WatchedFeed) -> str:
        return xml_text(f"{SITE_NAME}: {feed.saved.name}")

    def subtitle(self, feed: WatchedFeed) -> str:
        return (f"Reports new to this saved search, and its reports corrected, in the last {watches.FEED_DAYS} "
                f"days.")

    def link(self, feed: WatchedFeed) -> str:
        return search_url(watches.params_of(feed.saved))

    def feed_url(self, feed: WatchedFeed) -> str:
        return reverse("saved-search-feed", kwargs={"pk": feed.saved.pk, "token": feed.saved.feed_token})

    def feed_guid(self, feed: WatchedFeed) -> str:
        return f"{feed.site}/my/searches/{feed.saved.pk}/feed"

    def items(self, feed: WatchedFeed) -> list[WatchItem]:
        return [WatchItem(watched, feed.site) for watched in watches.feed_changes(feed.saved)]

    def item_title(self, item: WatchItem) -> str:
        prefix = "Corrected: " if item.watched.change.kind == watches.CORRECTED else ""
        return xml_text(prefix + item.watched.article.title)

    def item_link(self, item: WatchItem) -> str:
        """A new report's permalink; for a correction, the history page that shows what changed."""
        article = item.watched.article
        if item.watched.change.kind == watches.CORRECTED:
            return reverse("article-history", kwargs={"key": article.key})
        return article.get_absolute_url()

    def item_guid(self, item: WatchItem) -> str:
        """The URL of the version the change made: one id per version, the same on every fetch."""
        return item.site + reverse("article-version", kwargs={"key": item.watched.article.key,
                                                              "number": item.watched.change.version})

    def item_description(self, item: WatchItem) -> str:
        article = item.watched.article
        return escape(xml_text(" ".join(article.body_text[:SUMMARY_CHARS].split()) + "…"))

    def item_author_name(self, item: WatchItem) -> str | None:
        return xml_text(item.watched.article.author) or None

    def item_pubdate(self, item: WatchItem):
        return item.watched.change.at

    def item_updateddate(self, item: WatchItem):
        return item.watched.change.at

    def item_categories(self, item: WatchItem) -> list[str]:
        article = item.watched.article
        names = [article.source.name] if article.source else []
        return [xml_text(name) for name in [*names, *region_names(article), item.watched.change.kind]]
