"""JSON endpoints: the search API and the health check."""

from django.http import JsonResponse

from archive.errors import BadParameter
from archive.search import SearchPage, SearchParams, run_search
from archive.search.indexing import UNAVAILABLE, index_health


def search(request):
    try:
        params = SearchParams.from_query(request.GET)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(search_page_json(run_search(params), request))


def search_page_json(page: SearchPage, request) -> dict:
    return {
        "count": page.count,
        "matched_all": page.matched_all,
        "page": page.page,
        "pages": page.page_count,
        "query": page.reading,
        "suggestion": page.suggestion or None,
        "results": [
            {
                "key": hit.article.key,
                "title": hit.article.title,
                "url": request.build_absolute_uri(hit.article.get_absolute_url()),
                "source": hit.article.source.name if hit.article.source else None,
                "regions": [region.name for region in hit.article.regions.all()],
                "date": hit.article.published_iso or None,
                "author": hit.article.author or None,
                "snippet": hit.snippet,
                "match": hit.match,
            }
            for hit in page.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
        # The month histogram of a chosen year: [] unless exactly one year is chosen.
        "months": [{"value": m.value, "label": m.label, "count": m.count} for m in page.months],
    }


def healthz(request):
    """Counts beside each other, so a lagging or lost index shows; 503 when searches cannot be answered."""
    health = index_health()
    return JsonResponse(health, status=503 if health["status"] == UNAVAILABLE else 200)
