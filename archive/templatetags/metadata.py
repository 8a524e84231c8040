"""What a metadata list shows for a field the report does not give: one set of words for the upload rows, the article
page, its versions and the withdrawn page (``archive.history.MISSING``). Loaded in every template (settings)."""

from django import template

from archive.history import MISSING

register = template.Library()


@register.filter
def or_missing(value, field: str):
    """``{{ article.author|or_missing:"author" }}``: the value, or what is shown when it is missing."""
    return value if value else MISSING[field]


@register.simple_tag
def missing(field: str) -> str:
    """``{% missing "published" %}``: for a value shown inside markup of its own (a ``<time>``, a link)."""
    return MISSING[field]
