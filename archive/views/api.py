"""The JSON API: ``/api/v1/`` (Django Ninja; the contract is ``archive.views.api_schema``), the unversioned
``/api/search/`` it grew from (same answer, kept for the scripts that use it), and ``/healthz``.

Each handler parses, calls one module function and renders. Errors are JSON ``{"error": message}`` with their
status: 400 for a malformed parameter, 404 for an unknown key or path, 410 (with the reason) for a withdrawn report,
503 while the index is unavailable. A merged report's URL, and a former key's, answer 301 to the report that stands.
"""

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI, Query, Status
from ninja.errors import ValidationError

from archive.citation import original_url
from archive.errors import BadParameter, IndexUnavailable
from archive.exports.records import region_names
from archive.history import versions_of
from archive.models import Article
from archive.names import person_name
from archive.search import SearchPage, SearchParams, run_search
from archive.search.health import UNAVAILABLE, index_health
from archive.views.api_reference import api_reference
from archive.views.api_schema import ArticleAnswer, Error, SearchAnswer, SearchQuery, Withdrawn
from archive.views.articles import find_article
from archive.withdrawal import final_survivor

v1 = NinjaAPI(
    title="North Korea Reports Archive API",
    version="1",
    description="Search the archive's reports and read them, as JSON. Every search parameter is the search page's: "
                "a search URL's query string works here unchanged.",
    urls_namespace="api-v1",
    docs_url=None,  # the archive serves its own page (api_docs): no script from elsewhere, within the CSP
)


@v1.exception_handler(BadParameter)
@v1.exception_handler(ValidationError)
def _bad_request(request, exc):
    return v1.create_response(request, {"error": _message(exc)}, status=400)


@v1.exception_handler(Http404)
def _not_found(request, exc):
    return v1.create_response(request, {"error": str(exc) or "Not found."}, status=404)


@v1.exception_handler(IndexUnavailable)
def _unavailable(request, exc):
    return v1.create_response(request, {"error": str(exc)}, status=503)


@v1.get("/search/", response={200: SearchAnswer, 400: Error, 503: Error}, operation_id="search", url_name="search",
        summary="Search the reports",
        description="The search page's results as JSON: one page of results, the counts of every facet and how the "
                    "query was read.")
def search_v1(request, filters: Query[SearchQuery]):
    # ``filters`` documents the parameters; SearchParams, the one parser, reads them.
    return search_page_json(run_search(SearchParams.from_query(request.GET)), request)


@v1.get("/articles/{key}/", response={200: ArticleAnswer, 301: None, 404: Error, 410: Withdrawn},
        operation_id="article", url_name="article", summary="One report",
        description="A report with its text and its versions. A withdrawn report answers 410 with the reason; a "
                    "merged duplicate, or a key the report had before, 301 to the report's own URL here.")
def article_v1(request, key: str):
    article, moved = find_article(Article.objects.select_related("source").prefetch_related("regions"), key)
    if moved is None and article.is_merged:
        moved = final_survivor(article)
    if moved is not None:
        return HttpResponsePermanentRedirect(reverse("api-v1:article", kwargs={"key": moved.key}))
    if article.is_withdrawn:
        return Status(410, {"error": f"Report {article.key} was withdrawn: {article.withdrawal_reason}",
                            "key": article.key, "title": article.title, "withdrawn_at": article.withdrawn_at,
                            "reason": article.withdrawal_reason})
    return article_json(article, request)


def search(request):
    """``/api/search/``: the answer of ``/api/v1/search/``."""
    try:
        params = SearchParams.from_query(request.GET)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(search_page_json(run_search(params), request))


def not_found(request, path=""):
    """Any other path under /api/: JSON, as every answer there."""
    return JsonResponse({"error": f"The API has no {request.path}; see {reverse('api-docs')}."}, status=404)


def docs(request):
    """``/api/v1/docs/``: the OpenAPI document as a page, rendered on the server."""
    return render(request, "api_docs.html", {"api": api_reference(v1.get_openapi_schema())})


def healthz(request):
    """Counts beside each other, so a lagging or lost index shows; 503 when searches cannot be answered."""
    health = index_health()
    return JsonResponse(health, status=503 if health["status"] == UNAVAILABLE else 200)


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
                "regions": [region.name for region in hit.regions],
                "date": hit.article.published_iso or None,
                "author": hit.article.author or None,
                "snippet": hit.snippet,
                "match": hit.match,
                "matched": [{"form": m.form, "field": m.field} for m in hit.matched],
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


def article_json(article: Article, request) -> dict:
    name = person_name(article)
    return {
        "key": article.key,
        "title": article.title,
        "permalink": request.build_absolute_uri(article.get_absolute_url()),
        "original_url": original_url(article) or None,
        "source": article.source.name if article.source else None,
        "regions": region_names(article),
        "date": article.published_iso or None,
        "date_precision": article.published_precision or None,
        "author": {"name": article.author, "family": name.family, "given": name.given or None} if name else None,
        "language": article.language,
        "body_html": article.body_html,
        "body_text": article.body_text,
        "versions": [
            {"number": version.number, "date": version.edited_at, "reason": version.reason or None,
             "url": request.build_absolute_uri(version.get_absolute_url())}
            for version in versions_of(article)
        ],
    }


def _message(exc) -> str:
    if isinstance(exc, ValidationError):  # Ninja's check of the declared types: a path or query value it cannot read
        return "; ".join(f"{e.get('loc', ('',))[-1]}: {e.get('msg', 'malformed')}" for e in exc.errors)
    return str(exc)
