"""``/search/feed/?<the search's parameters>``: an Atom feed of any search (``archive.exports.feed`` decides what it
holds; this class answers the syndication framework's small questions)."""

import re
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive.citation import SITE_NAME
from archive.errors import BadParameter
from archive.exports.feed import FeedEntry, feed_entries
from archive.exports.records import region_names
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
