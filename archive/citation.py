"""How an article is cited: the plain citation line analysts paste, and the meta tags reference managers read.

Zotero, Mendeley and Google Scholar read the Highwire ``citation_*`` meta tags; the citation line follows the
Chicago note style for newspaper articles, with the archive's permalink rather than the publisher's URL (which
moves or disappears).
"""

from dataclasses import dataclass

from archive.models import Article


@dataclass
class Citation:
    permalink: str  # absolute
    line: str
    meta: list[tuple[str, str]]  # (name, content) of citation_* meta tags
    original_url: str  # the publisher's address when it is a web link (some sources give a URN)


def cite(article: Article, permalink: str) -> Citation:
    return Citation(
        permalink=permalink,
        line=citation_line(article, permalink),
        meta=citation_meta(article, permalink),
        original_url=article.url if article.url.startswith(("https://", "http://")) else "",
    )


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


def citation_meta(article: Article, permalink: str) -> list[tuple[str, str]]:
    meta = [("citation_title", article.title)]
    if article.author:
        meta.append(("citation_author", article.author))
    if article.published:
        # Highwire's form: the date as precisely as it is known, with slashes (2019/03/04, 2019/03, 2019).
        meta.append(("citation_publication_date", article.published_iso.replace("-", "/")))
    if article.source:
        meta.append(("citation_publisher", article.source.name))
        meta.append(("citation_journal_title", article.source.name))
    meta.append(("citation_public_url", permalink))
    meta.append(("citation_language", article.language))
    return meta
