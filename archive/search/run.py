"""run_search(params) -> SearchPage: the archive's search, spoken in haystack so any haystack engine can answer."""

from haystack.inputs import AutoQuery
from haystack.query import SearchQuerySet

from archive.models import Article
from archive.sanitize import clean_snippet
from archive.search.page import Hit, SearchPage
from archive.search.params import SearchParams


def run_search(params: SearchParams) -> SearchPage:
    sqs = SearchQuerySet().models(Article)
    if params.q:
        sqs = sqs.filter(content=AutoQuery(params.q))
    for facet, values in params.filters.items():
        field = "regions" if facet == "region" else facet
        sqs = sqs.filter(**{f"{field}__in": list(values)})
    if params.effective_sort == "newest":
        sqs = sqs.order_by("-published")
    elif params.effective_sort == "oldest":
        sqs = sqs.order_by("published")
    start = (params.page - 1) * params.page_size
    results = list(sqs[start:start + params.page_size])
    articles = Article.objects.select_related("source").prefetch_related("regions").in_bulk(
        [int(r.pk) for r in results]
    )
    hits = [
        Hit(article=articles[int(r.pk)], snippet=clean_snippet(articles[int(r.pk)].body_text[:300]), score=r.score)
        for r in results
        if int(r.pk) in articles
    ]
    count = sqs.count()
    return SearchPage(params=params, hits=hits, count=count, matched_all=count)
