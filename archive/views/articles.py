"""The permalink page, and the redirects that keep every older form of a permalink working."""

from django.shortcuts import get_object_or_404, redirect, render

from archive.citation import cite
from archive.models import Article
from archive.search import related_articles
from archive.views.search_links import FROM_SEARCH, region_links
from archive.views.search_trail import follow_trail

RELATED = 5


def article(request, key, slug=None):
    """``/articles/<key>/<slug>/`` is canonical; the bare key or a stale slug answers 301 to it."""
    article = get_object_or_404(Article.objects.select_related("source").prefetch_related("regions"), key=key)
    if slug != article.slug:
        query = request.META.get("QUERY_STRING", "")
        return redirect(article.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    return render(
        request,
        "article.html",
        {
            "article": article,
            "citation": cite(article, request.build_absolute_uri(article.get_absolute_url())),
            "regions": region_links(article),
            "related": related_articles(article, limit=RELATED),
            "trail": follow_trail(request.GET.get(FROM_SEARCH, ""), article),
        },
    )
