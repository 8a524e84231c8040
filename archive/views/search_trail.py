"""Previous and next in the search an analyst came from, and its words marked in the article.

A result link carries its search in ``?from_search=<query string>`` (see ``search_links.result_url``), page
included; the article page reads the ids of that page's results and one more on each side (``page_neighbourhood``:
kept by the search that listed the page, or one search without highlights, facets or snippets) and finds the
article's neighbours there, crossing page boundaries, and marks the search's words in the text (``?highlight=off``
shows it unmarked). The link carries everything: what the server keeps only saves a search, so the trail survives a
reload, a new tab, a pasted link and a restart.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from archive.errors import BadParameter
from archive.highlight import mark_terms, terms_of
from archive.models import Article
from archive.search import SearchParams, page_neighbourhood
from archive.views.search_links import FROM_SEARCH, result_url, search_url

HIGHLIGHT = "highlight"  # the article link's parameter that turns the marking off: ?highlight=off


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


@dataclass
class Highlighting:
    body_html: str  # the article's sanitized HTML with the search's words in <mark>, or without when turned off
    terms: list[str]  # what is marked, as the query has it: words and prefixes (smugg*)
    marks: int
    is_on: bool
    toggle_url: str  # the article, from the same search, with the marking turned off (or on again)


def follow_trail(from_search: str, article: Article) -> SearchTrail | None:
    """None when the article was not reached from a search, or the carried search cannot be read."""
    params = carried_search(from_search)
    if params is None:
        return None
    start, ids, count = page_neighbourhood(params)
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


def highlight_search(query: QueryDict, article: Article) -> Highlighting | None:
    """The article's text with the words of the search it was reached from marked; None when it was not reached
    from a search, or the search has no words to mark (only filters, fields or NOT)."""
    from_search = query.get(FROM_SEARCH, "")
    params = carried_search(from_search)
    terms = terms_of(params.q) if params else None
    if not terms:
        return None
    is_on = query.get(HIGHLIGHT) != "off"
    body_html, marks = mark_terms(article.body_html, terms) if is_on else (article.body_html, 0)
    toggle = {FROM_SEARCH: from_search, **({HIGHLIGHT: "off"} if is_on else {})}
    return Highlighting(body_html, terms.shown, marks, is_on, f"{article.get_absolute_url()}?{urlencode(toggle)}")


def carried_search(from_search: str) -> SearchParams | None:
    """The search a link carried, or None when there is none or it cannot be read."""
    if not from_search:
        return None
    try:
        return SearchParams.from_query(QueryDict(from_search))
    except BadParameter:
        return None


def _neighbour(rank: int, article: Article, params: SearchParams) -> Neighbour:
    """The neighbour's link carries the search page it is on (rank is 0-based)."""
    return Neighbour(article, result_url(article, params.with_changes(page=rank // params.page_size + 1)))
