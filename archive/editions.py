"""Linked editions: an English and a Korean version of one report, each page linking to the other.

A link is one ``Article.translation_of`` between the two, set in the admin or at ingest from a JSON record's
``translation_of`` (the other edition's URL, its archive key, or its permalink). Either edition may be ingested
first: a reference to a report not yet in the archive is kept (``translation_ref``) and linked when that report
arrives. The link is shown from both sides, whichever holds it.
"""

import re

from archive.models import Article

LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}
_PERMALINK_KEY = re.compile(r"/articles/([a-z0-9]{10})(?:/|$)")


def link_edition(article: Article, reference: str) -> None:
    """Link ``article`` to the edition ``reference`` names, or keep the reference until that edition is ingested.
    An empty reference changes nothing (a re-ingested record without one keeps a link made in the admin)."""
    reference = reference.strip()
    if not reference:
        return
    other = find_edition(reference)
    if other is not None and other.pk != article.pk:
        article.translation_of, article.translation_ref = other, ""
    else:
        article.translation_of, article.translation_ref = None, reference[:1000]
    article.save(update_fields=["translation_of", "translation_ref"])


def link_waiting_editions(articles: list[Article], chunk: int = 500) -> None:
    """Reports stored earlier that named one of these articles as their other edition, by URL or key, and could not
    be linked then: linked now. A query per 500 references (an indexed look-up), not per article."""
    by_reference = {}
    for article in articles:
        by_reference[article.key] = article
        if article.url:
            by_reference[article.url] = article
    references = list(by_reference)
    for start in range(0, len(references), chunk):
        waiting = Article.objects.filter(translation_ref__in=references[start:start + chunk],
                                         translation_of__isnull=True)
        for report in waiting:
            other = by_reference[report.translation_ref]
            if other.pk != report.pk:
                report.translation_of, report.translation_ref = other, ""
                report.save(update_fields=["translation_of", "translation_ref"])


def find_edition(reference: str) -> Article | None:
    """The article a reference names: by its original URL, its key, or the key in an archive permalink."""
    found = Article.objects.filter(url=reference).order_by("pk").first()
    if found is None:
        match = _PERMALINK_KEY.search(reference)
        key = match.group(1) if match else reference.lower()
        found = Article.objects.filter(key=key).first()
    return found


def other_edition(article: Article) -> Article | None:
    """The linked edition readers can open: the one this article names, or else one that names it; never a
    withdrawn or merged report."""
    if article.translation_of_id is not None and article.translation_of.is_searchable:
        return article.translation_of
    return article.translations.searchable().order_by("pk").first()


def edition_link(article: Article) -> dict | None:
    """What the article page shows of the other edition: its URL, its language and the link's words ("Read in
    Korean", "Read in English"; another language by its code); None when there is none."""
    other = other_edition(article)
    if other is None:
        return None
    return {"url": other.get_absolute_url(), "language": other.language,
            "label": f"Read in {LANGUAGE_NAMES.get(other.language, other.language)}"}
