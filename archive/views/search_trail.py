"""Previous and next in the search an analyst came from.

A result link carries its search in ``?from_search=<query string>`` (see ``search_links.result_url``); the article
page runs that search again and finds the article's neighbours, crossing page boundaries. Nothing is kept on the
server, so the trail survives a reload, a new tab and a pasted link.
"""

from dataclasses import dataclass

from django.http import QueryDict

from archive.errors import BadParameter
from archive.models import Article
from archive.search import SearchParams, run_search
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
    page = run_search(params)
    trail = SearchTrail(back_url=search_url(params), position=0, count=page.count)
    keys = [hit.article.key for hit in page.hits]
    if article.key not in keys:
        return trail
    index = keys.index(article.key)
    trail.position = params.offset + index + 1
    if index > 0:
        trail.previous = _neighbour(page.hits[index - 1].article, params)
    elif params.page > 1:
        trail.previous = _edge_of_page(params.with_changes(page=params.page - 1), last=True)
    if index < len(keys) - 1:
        trail.next = _neighbour(page.hits[index + 1].article, params)
    elif params.page < page.page_count:
        trail.next = _edge_of_page(params.with_changes(page=params.page + 1), last=False)
    return trail


def _neighbour(article: Article, params: SearchParams) -> Neighbour:
    return Neighbour(article, result_url(article, params))


def _edge_of_page(params: SearchParams, last: bool) -> Neighbour | None:
    hits = run_search(params).hits
    if not hits:
        return None
    return _neighbour(hits[-1 if last else 0].article, params)
