"""How an article is cited: the plain citation line analysts paste, and the metadata reference managers read.

Zotero, Mendeley and Google Scholar read the Highwire ``citation_*`` meta tags, Dublin Core and Open Graph. What makes
Zotero's embedded-metadata reader save a *newspaper article*: ``DC.type`` newspaperArticle and ``og:type`` article,
and no ``citation_journal_title`` (which forces "journal article" whatever else the page says). The newspaper or
agency is named by ``DC.source`` and ``og:site_name``. Authors are written "Family, Given", so a Korean name, family
name first, is filed right (``archive.names``). Search engines read the JSON-LD ``NewsArticle`` block.

The citation line follows the Chicago note style for newspaper articles, with the archive's permalink rather than
the publisher's URL (which moves or disappears), and the name as the report writes it. A formatter of our own: the
CSL processors at hand put Chicago's commas outside the quotes.
"""

import json
from dataclasses import dataclass

from archive.models import Article
from archive.names import person_name

SITE_NAME = "North Korea Reports Archive"
# Django's json_script escapes: the JSON cannot end the <script> element or open a comment, whatever a title holds.
_JSON_IN_HTML = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class Citation:
    permalink: str  # absolute
    line: str
    meta: list[tuple[str, str, str]]  # (attribute, name, content) of <meta>: attribute is "name" or "property"
    json_ld: str  # a NewsArticle as JSON, safe inside <script type="application/ld+json">
    original_url: str  # the publisher's address when it is a web link (some sources give a URN)


def cite(article: Article, permalink: str) -> Citation:
    return Citation(
        permalink=permalink,
        line=citation_line(article, permalink),
        meta=citation_meta(article, permalink),
        json_ld=json.dumps(news_article(article, permalink), ensure_ascii=False).translate(_JSON_IN_HTML),
        original_url=original_url(article),
    )


def original_url(article: Article) -> str:
    return article.url if article.url.startswith(("https://", "http://")) else ""


def citation_line(article: Article, permalink: str) -> str:
    """``Kang Mi Jin, "Title," Daily NK, 4 March 2019, https://….`` Unknown parts are left out, a missing date: n.d."""
    parts = [article.author] if article.author else []
    parts.append(f"\u201c{article.title},\u201d")
    if article.source:
        parts.append(f"{article.source.name},")
    parts.append(f"{article.published_display or 'n.d.'},")
    parts.append(f"{permalink}.")
    if article.author:
        parts[0] += ","
    return " ".join(parts)


def citation_meta(article: Article, permalink: str) -> list[tuple[str, str, str]]:
    meta = [("name", "citation_title", article.title)]
    if name := person_name(article):
        meta.append(("name", "citation_author", name.inverted))
    if article.published:
        # Highwire's form: the date as precisely as it is known, with slashes (2019/03/04, 2019/03, 2019).
        meta.append(("name", "citation_publication_date", article.published_iso.replace("-", "/")))
    if article.source:
        meta.append(("name", "citation_publisher", article.source.name))
    meta.append(("name", "citation_public_url", permalink))
    meta.append(("name", "citation_language", article.language))
    meta.append(("name", "DC.type", "newspaperArticle"))
    if article.source:
        meta.append(("name", "DC.source", article.source.name))
        meta.append(("property", "og:site_name", article.source.name))
    meta.append(("property", "og:type", "article"))
    meta.append(("property", "og:title", article.title))
    meta.append(("property", "og:url", permalink))
    return meta


def news_article(article: Article, permalink: str) -> dict:
    """schema.org NewsArticle, as search engines read it."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": permalink,
        "mainEntityOfPage": permalink,
        "inLanguage": article.language,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
    }
    if article.published:
        data["datePublished"] = article.published_iso
    if name := person_name(article):
        data["author"] = [{"@type": "Person", "name": article.author, "familyName": name.family,
                           **({"givenName": name.given} if name.given else {})}]
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source.name}
    if url := original_url(article):
        data["isBasedOn"] = url
    return {key: value for key, value in data.items() if value is not None}
