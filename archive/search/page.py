"""What a search returns to its edges (page, API, feed, export): plain data, no haystack objects."""

from dataclasses import dataclass, field

from archive.models import Article, Person, Region
from archive.search.matches import Match
from archive.search.params import SearchParams


@dataclass
class Hit:
    article: Article
    snippet: str  # safe HTML: only <mark> survives
    match: str = "all"  # "all": holds every word of the query; "partial": some of them (the OR fallback)
    score: float = 0.0
    matched: list[Match] = field(default_factory=list)  # which spelling of the query's names it holds, and where
    regions: list[Region] = field(default_factory=list)  # the article's, by name: read for the page, not per hit
    people: list[Person] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str  # the slug, as in the URL
    label: str
    count: int
    selected: bool = False
    parent: str = ""  # for regions: the containing province's slug


@dataclass
class SearchPage:
    params: SearchParams
    hits: list[Hit]
    count: int  # every listed result, partial matches included
    matched_all: int  # results holding every word of the query
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    months: list[FacetValue] = field(default_factory=list)  # month histogram within a chosen year
    suggestion: str = ""
    reading: str = ""  # how the query was read, for analysts who ask why a search found nothing

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def page_count(self) -> int:
        return max(1, -(-self.count // self.params.page_size))

    @property
    def is_partial(self) -> bool:
        return self.matched_all < self.count
