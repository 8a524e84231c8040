"""Previous and next in the search an analyst came from.

A result link carries its search in ``?from_search=<query string>`` (see ``search_links.result_url``), page
included; the article page reads the ids of that page's results and one more on each side (``listed_ids``: one
search, no highlights, facets or snippets) and finds the article's neighbours there, crossing page boundaries.
Nothing is kept on the server, so the trail survives a reload, a new tab and a pasted link.
"""

from dataclasses import dataclass

from django.http import QueryDict

from archive.errors import BadParameter
from archive.models import Article
from archive.search import SearchParams, listed_ids
from archive.views.search_links import result_url, search_url


@dataclass
class Neighbour:
    article: Article
    url: str  # its permalink, carrying the search page it is on


@dataclass
class SearchTrail:
    back_url: str
    position: int  # 1-based rank of the article in the search, 0 when it is no longer in it
    count: int
    previous: Neighbour | None = None
    next: Neighbour | None = None


def follow_trail(from_search: str, article: Article) -> SearchTrail | None:
    """None when the article was not reached from a search, or the carried search cannot be read."""
    if not from_search:
        return None
    try:
        params = SearchParams.from_query(QueryDict(from_search))
    except BadParameter:
        return None
    start = max(0, params.offset - 1)
    ids, count = listed_ids(params, start, params.offset + params.page_size + 1)
    trail = SearchTrail(back_url=search_url(params), position=0, count=count)
    # A report withdrawn or merged a moment ago is passed over, as the search page leaves it out.
    shown = Article.objects.searchable().select_related("source").in_bulk(ids)
    ranked = [(start + rank, shown[pk]) for rank, pk in enumerate(ids) if pk in shown]
    keys = [found.pk for _, found in ranked]
    if article.pk not in keys:
        return trail
    index = keys.index(article.pk)
    trail.position = ranked[index][0] + 1
    if index > 0:
        trail.previous = _neighbour(*ranked[index - 1], params)
    if index < len(ranked) - 1:
        trail.next = _neighbour(*ranked[index + 1], params)
    return trail


def _neighbour(rank: int, article: Article, params: SearchParams) -> Neighbour:
    """The neighbour's link carries the search page it is on (rank is 0-based)."""
    return Neighbour(article, result_url(article, params.with_changes(page=rank // params.page_size + 1)))
