"""Search: one parameter parser, one run_search, and the Whoosh backend behind haystack."""

from archive.search.page import FacetValue, Hit, SearchPage
from archive.search.params import SearchParams
from archive.search.run import listed_ids, matching_ids, page_neighbourhood, related_articles, run_search

__all__ = ["FacetValue", "Hit", "SearchPage", "SearchParams", "listed_ids", "matching_ids", "page_neighbourhood",
           "related_articles", "run_search"]
