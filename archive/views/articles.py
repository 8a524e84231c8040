"""The permalink page, its versions and history, and the answers that keep every permalink meaningful: 301 for an
older form of the URL, a former key or a merged duplicate, 410 Gone with the reason for a withdrawn report."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from archive.citation import cite
from archive.editions import edition_link
from archive.exports import CITATION_FORMATS
from archive.history import current_version_number, history_of, latest_correction, version_of
from archive.models import Article, FormerKey
from archive.search import related_articles
from archive.views.province_map import article_map
from archive.views.search_links import FROM_SEARCH, region_links
from archive.views.search_trail import follow_trail, highlight_search
from archive.withdrawal import final_survivor

RELATED = 5


def article(request, key, slug=None):
    """``/articles/<key>/<slug>/`` is canonical; the bare key, a stale slug, a former key or a merged duplicate
    answers 301."""
    article, moved = find_article(
        Article.objects.select_related("source", "translation_of").prefetch_related("regions"), key)
    if moved:
        return _permanent_redirect(request, moved.get_absolute_url())
    if answer := _gone_or_moved(request, article, lambda survivor: survivor.get_absolute_url()):
        return answer
    if slug != article.slug:
        return _permanent_redirect(request, article.get_absolute_url())
    highlighting = highlight_search(request.GET, article)
    correction = latest_correction(article)
    return render(
        request,
        "article.html",
        {
            "article": article,
            "body_html": highlighting.body_html if highlighting else article.body_html,
            "highlighting": highlighting,
            "region_map": article_map(article),
            "citation": cite(article, request.build_absolute_uri(article.get_absolute_url())),
            "citation_files": [(f.label, _cite_url(article, suffix)) for suffix, f in CITATION_FORMATS.items()],
            "correction": correction,
            # A passage link names the version read, so the quoted words cannot drift with a later correction.
            "passage_url": reverse("article-version", kwargs={"key": article.key,
                                                              "number": correction.number if correction else 1}),
            "edition": edition_link(article),
            "regions": region_links(article),
            "related_url": _url("article-related", article),
            "trail": follow_trail(request.GET.get(FROM_SEARCH, ""), article),
        },
    )


def related(request, key):
    """``/articles/<key>/related/``: the reports most like this one. The article page does not wait for them: it
    fetches this page once it is shown (``archive.js``), or links here without script. Finding them reads each of the
    report's few hundred words in every index segment, which cost more than the rest of the page together."""
    article, moved = find_article(Article.objects, key)
    if moved:
        return _permanent_redirect(request, _url("article-related", moved))
    if answer := _gone_or_moved(request, article, lambda survivor: _url("article-related", survivor)):
        return answer
    return render(request, "article_related.html",
                  {"article": article, "related": related_articles(article, limit=RELATED)})


def citation_file(request, key, suffix):
    """``/articles/<key>/cite.ris``, ``cite.bib``, ``cite.json``: the report as a file for a reference manager."""
    if suffix not in CITATION_FORMATS:
        raise Http404(f"The archive gives citations as {', '.join(f'cite.{s}' for s in CITATION_FORMATS)}.")
    article, moved = find_article(Article.objects.select_related("source").prefetch_related("regions"), key)
    if moved:
        return _permanent_redirect(request, _cite_url(moved, suffix))
    if answer := _gone_or_moved(request, article, lambda survivor: _cite_url(survivor, suffix)):
        return answer
    citation_format = CITATION_FORMATS[suffix]
    response = HttpResponse(citation_format.render(article, request.build_absolute_uri(article.get_absolute_url())),
                            content_type=citation_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{article.key}.{suffix}"'
    return response


def history(request, key):
    """``/articles/<key>/v/``: every version, newest first, each with what changed since the one before."""
    article, moved = find_article(Article.objects, key)
    if moved:
        return _permanent_redirect(request, _url("article-history", moved))
    if answer := _gone_or_moved(request, article, lambda survivor: _url("article-history", survivor)):
        return answer
    return render(request, "article_history.html", {"article": article, "history": history_of(article)})


def version(request, key, number):
    """``/articles/<key>/v/<n>/``: version n as it was, so a citation keeps pointing at the text that was read."""
    article, moved = find_article(Article.objects, key)
    if moved:
        return _permanent_redirect(request, reverse("article-version", kwargs={"key": moved.key, "number": number}))
    if answer := _gone_or_moved(request, article, lambda survivor: survivor.get_absolute_url()):
        return answer
    shown = version_of(article, number)
    if shown is None:
        raise Http404(f"Report {key} has no version {number}.")
    context = {"article": article, "version": shown, "current_number": current_version_number(article)}
    return render(request, "article_version.html", context)


def find_article(articles, key) -> tuple[Article | None, Article | None]:
    """(the article with this key, None), or (None, the article that a former key of it leads to); else 404. The
    former keys are read only when no article has the key: a permalink's usual visit costs no extra query."""
    try:
        return articles.get(key=key), None
    except Article.DoesNotExist:
        pass
    try:
        return None, FormerKey.objects.select_related("article").get(key=key).article
    except FormerKey.DoesNotExist:
        raise Http404(f"No report has the key {key!r}.") from None


def _gone_or_moved(request, article, survivor_url):
    """410 with the reason for a withdrawn article; 301 to the final survivor for a merged one; else None."""
    if article.is_withdrawn:
        return render(request, "article_withdrawn.html", {"article": article}, status=410)
    if article.is_merged:
        return _permanent_redirect(request, survivor_url(final_survivor(article)))
    return None


def _permanent_redirect(request, url):
    query = request.META.get("QUERY_STRING", "")
    return redirect(url + (f"?{query}" if query else ""), permanent=True)


def _cite_url(article, suffix):
    return reverse("article-cite", kwargs={"key": article.key, "suffix": suffix})


def _url(name, article):
    return reverse(name, kwargs={"key": article.key})
