"""The permalink page, and the redirects that keep every older form of a permalink working."""

from django.shortcuts import get_object_or_404, redirect, render

from archive.models import Article


def article(request, key, slug=None):
    """``/articles/<key>/<slug>/`` is canonical; the bare key or a stale slug answers 301 to it."""
    article = get_object_or_404(Article.objects.select_related("source").prefetch_related("regions"), key=key)
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    return render(request, "article.html", {"article": article})
