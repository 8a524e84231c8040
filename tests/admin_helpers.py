"""Posting the admin's article form as a browser would: every field, plus the versions inline's management form."""

from archive.models import Article, Region


def article_form(article: Article, **changes) -> dict:
    """The change form's data for ``article`` as it stands, with ``changes`` applied (regions by slug)."""
    data = {
        "title": article.title,
        "author": article.author,
        "author_family": article.author_family,
        "author_given": article.author_given,
        "source": article.source_id or "",
        "published": article.published.isoformat() if article.published else "",
        "published_precision": article.published_precision,
        "regions": [region.pk for region in article.regions.all()],
        "people": [person.pk for person in article.people.all()],
        "url": article.url,
        "language": article.language,
        "translation_of": article.translation_of_id or "",
        "body_html": article.body_html,
        "correction_reason": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": str(article.versions.count()),
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    if "regions" in changes:
        changes["regions"] = [Region.objects.get(slug=slug).pk for slug in changes["regions"]]
    return {**data, **changes}


def edit_in_admin(client, article: Article, **changes):
    """Submit the change form; the response is the admin's redirect, or the form again with its errors."""
    return client.post(f"/admin/archive/article/{article.pk}/change/", article_form(article, **changes))
