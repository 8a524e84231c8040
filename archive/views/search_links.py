"""The links of the search and home pages, computed here so templates only format.

Every link carries the whole search state (query, facet values, dates, sort) in its URL, because analysts paste
search URLs into their notes and must get the same page back. Which values are chosen, which URL removes each, the
bar lengths of the year histogram and the pagination window are all decided here, from ``SearchParams`` and the
``SearchPage`` that ``run_search`` returned (the timeline's and the map's in ``timeline`` and ``province_map``).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from archive.models import Article
from archive.search import FacetValue, Hit, SearchPage, SearchParams
from archive.search.facets import facet_labels
from archive.search.params import DATE_PATTERN, FACETS, PAGE_SIZE, SORTS, UNDATED

FACET_TITLES = {"source": "Source", "region": "Region", "year": "Year", "author": "Author", "language": "Language",
                "person": "Person"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
FROM_SEARCH = "from_search"  # the article link's parameter that carries the search it was reached from
PAGE_WINDOW = 2  # pages shown either side of the current one
EXPORT_LABELS = {"csv": "CSV", "jsonl": "JSON Lines", "ris": "RIS"}


@dataclass
class FacetLink:
    label: str
    count: int
    url: str
    is_chosen: bool = False
    bar_percent: int = 0  # for the year histogram: this count against the largest
    children: list["FacetLink"] = field(default_factory=list)


@dataclass
class FacetGroup:
    name: str
    title: str
    links: list[FacetLink]


@dataclass
class Chip:
    """A chosen filter, shown above the results with a link that removes it."""

    label: str
    remove_url: str


@dataclass
class SortLink:
    label: str
    url: str
    is_current: bool


@dataclass
class PageLink:
    number: int | None  # None: a gap in the window ("…")
    url: str = ""
    is_current: bool = False


@dataclass
class ResultLink:
    hit: Hit
    url: str  # the permalink, carrying this search so the article page can offer previous/next

    @property
    def article(self) -> Article:
        return self.hit.article

    @property
    def is_partial(self) -> bool:
        return self.hit.match == "partial"

    @property
    def matched(self) -> str:
        """"Matched 량강도 in the text, the region tag Ryanggang": why a report that may not hold the typed spelling is
        listed; empty when the query names nothing."""
        return "Matched " + ", ".join(match.label for match in self.hit.matched) if self.hit.matched else ""


@dataclass
class SearchLinks:
    results: list[ResultLink]
    first_rank: int  # the number of the page's first result, for <ol start>
    facets: list[FacetGroup]
    chips: list[Chip]
    clear_url: str  # the same query without any filter (chips' "clear all", the empty-result page)
    sorts: list[SortLink]
    pages: list[PageLink]
    previous_url: str
    next_url: str
    suggestion_url: str
    kept_fields: list[tuple[str, str]]  # hidden inputs that keep the filters when the query box is submitted
    date_fields: list[tuple[str, str]]  # hidden inputs that keep everything but the dates in the date form
    feed_url: str  # the Atom feed of this search
    exports: list[tuple[str, str]]  # (label, URL) of every result as a file
    date_pattern: str = DATE_PATTERN  # the date fields' HTML pattern: what SearchParams reads


def search_url(params: SearchParams) -> str:
    query = params.as_query_string()
    return reverse("search") + (f"?{query}" if query else "")


class ToggleUrls:
    """``search_url(params.toggled(facet, value))`` for the 200-odd facet values of a page: the URLs differ only in
    one facet's values, so what comes before and after them is encoded once per facet (and the path reversed once)
    rather than the whole search once per link."""

    def __init__(self, params: SearchParams):
        self.params = params
        self.path = reverse("search")
        self.around: dict[str, tuple[str, str]] = {}

    def __call__(self, facet: str, value: str) -> str:
        if facet not in self.around:
            self.around[facet] = self.params.query_around(facet)
        before, after = self.around[facet]
        values = getattr(self.params.toggled(facet, value), facet)
        query = "&".join(part for part in (before, urlencode([(facet, v) for v in values]), after) if part)
        return self.path + (f"?{query}" if query else "")


def feed_url(params: SearchParams) -> str:
    """The feed of the search: its query, filters and dates (a feed is newest first and has no pages)."""
    return _whole_search_url("search-feed", params.with_changes(sort="", page_size=PAGE_SIZE), {})


def export_url(params: SearchParams, suffix: str) -> str:
    """Every result of the search, in its order, as a file."""
    return _whole_search_url("search-export", params.with_changes(page_size=PAGE_SIZE), {"suffix": suffix})


def _whole_search_url(name: str, params: SearchParams, kwargs: dict) -> str:
    query = params.as_query_string()
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def facet_url(facet: str, value: str) -> str:
    """The search with one facet value chosen: where browse pages and the article's region links lead."""
    return search_url(SearchParams(**{facet: (value,)}))


def browse_url(facet: str, value: str) -> str:
    """``/regions/<slug>/`` and its kin (see ``archive.urls``): stable ways in that lead to ``facet_url``."""
    return reverse(f"browse-{facet}", kwargs={"value": value})


def result_url(article: Article, params: SearchParams) -> str:
    return f"{article.get_absolute_url()}?{urlencode({FROM_SEARCH: params.as_query_string()})}"


def search_links(page: SearchPage) -> SearchLinks:
    params = page.params
    labels = chosen_labels(params, page.facets)
    return SearchLinks(
        results=[ResultLink(hit, result_url(hit.article, params)) for hit in page.hits],
        first_rank=params.offset + 1,
        facets=facet_groups(page.facets, ToggleUrls(params)),
        chips=chips(params, labels),
        clear_url=search_url(SearchParams(q=params.q, sort=params.sort)),
        sorts=sort_links(params),
        pages=page_links(params, page.page_count),
        previous_url=search_url(params.with_changes(page=params.page - 1)) if params.page > 1 else "",
        next_url=search_url(params.with_changes(page=params.page + 1)) if params.page < page.page_count else "",
        suggestion_url=search_url(params.with_changes(q=page.suggestion)) if page.suggestion else "",
        # with_changes() goes back to page 1, which as_query_pairs() leaves out: no hidden page field.
        kept_fields=params.with_changes(q="", exact=False).as_query_pairs(),  # the form's own checkbox says exact
        date_fields=params.with_changes(date_from=None, date_to=None).as_query_pairs(),
        feed_url=feed_url(params),
        exports=[(label, export_url(params, suffix)) for suffix, label in EXPORT_LABELS.items()],
    )


def browse_groups(page: SearchPage) -> list[FacetGroup]:
    """The home page's ways in (region, source, year), each a browse link."""
    groups = facet_groups(page.facets, browse_url)
    return [group for group in groups if group.name in ("region", "source", "year")]


def facet_groups(facets: dict[str, list[FacetValue]], link_for) -> list[FacetGroup]:
    """Facets in a fixed order; regions nested under their provinces, years newest first with histogram bars."""
    groups = []
    for name in FACETS:
        values = facets.get(name) or []
        if not values:
            continue
        if name == "year":
            dated = sorted((v for v in values if v.value != UNDATED), key=lambda v: v.value, reverse=True)
            values = dated + [v for v in values if v.value == UNDATED]
        links = {v.value: _facet_link(name, v, link_for) for v in values}
        if name == "region":
            top = []
            for v in values:
                if v.parent and v.parent in links:
                    links[v.parent].children.append(links[v.value])
                else:
                    top.append(links[v.value])
            ordered = top
        else:
            ordered = [links[v.value] for v in values]
        if name == "year":
            largest = max(link.count for link in ordered) or 1
            for link in ordered:
                link.bar_percent = round(100 * link.count / largest)
        groups.append(FacetGroup(name, FACET_TITLES[name], ordered))
    return groups


def _facet_link(facet: str, value: FacetValue, link_for) -> FacetLink:
    return FacetLink(label=value.label, count=value.count, url=link_for(facet, value.value), is_chosen=value.selected)


def chosen_labels(params: SearchParams, facets: dict[str, list[FacetValue]]) -> dict[tuple[str, str], str]:
    """Names for the chosen values: from the facet counts (``run_search`` lists every chosen value there), else from
    the same label lookup the facets use."""
    labels = {(name, v.value): v.label for name, values in facets.items() for v in values}
    for name, chosen in params.filters.items():
        missing = [value for value in chosen if (name, value) not in labels]
        if missing:
            labels.update(((name, value), label) for value, label in facet_labels(name, missing)[0].items())
    return labels


def chips(params: SearchParams, labels: dict[tuple[str, str], str]) -> list[Chip]:
    result = [
        Chip(f"{FACET_TITLES[name]}: {labels.get((name, value), value)}", search_url(params.toggled(name, value)))
        for name, values in params.filters.items()
        for value in values
    ]
    if params.date_from or params.date_to:
        start = params.date_from.isoformat() if params.date_from else "…"
        end = params.date_to.isoformat() if params.date_to else "…"
        result.append(Chip(f"Dates: {start} to {end}", search_url(params.with_changes(date_from=None, date_to=None))))
    return result


def sort_links(params: SearchParams) -> list[SortLink]:
    choices = SORTS if params.q else tuple(sort for sort in SORTS if sort != "relevance")
    return [
        SortLink(SORT_LABELS[sort], search_url(params.with_changes(sort=sort)), sort == params.effective_sort)
        for sort in choices
    ]


def page_links(params: SearchParams, page_count: int) -> list[PageLink]:
    """First, last, and a window around the current page, with gaps between."""
    if page_count <= 1:
        return []
    current = params.page
    window = range(max(1, current - PAGE_WINDOW), min(page_count, current + PAGE_WINDOW) + 1)
    shown = sorted({1, page_count, *window})
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, search_url(params.with_changes(page=number)), number == current))
    return links


def region_links(article: Article) -> list[tuple[str, str]]:
    """The article's regions as (name, search URL), provinces and special cities first."""
    regions = sorted(article.regions.all(), key=lambda region: (not region.is_top_level, region.name))
    return [(region.name, facet_url("region", region.slug)) for region in regions]
