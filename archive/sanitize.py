"""The one bleach policy for HTML from outside, and HTML -> plain text.

Every piece of HTML that reaches a page went through ``clean_html``; snippets through ``clean_snippet``.
"""

import html
import re

import bleach

ARTICLE_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite",
        "ul", "ol", "li", "dl", "dt", "dd", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
        "a", "abbr", "code", "pre", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    }
)
ARTICLE_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["scope", "colspan", "rowspan"],
                      "td": ["colspan", "rowspan"], "q": ["cite"], "blockquote": ["cite"]}
ARTICLE_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements whose content is never text a reader should see.
_INVISIBLE = re.compile(r"<(script|style|template|noscript|iframe|object)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|pre|tr|figure|figcaption|section|article|table)\s*>|<br\s*/?>",
                        re.I)


def clean_html(raw: str) -> str:
    """Article HTML reduced to the tags a report needs; everything else is stripped, links get rel=nofollow."""
    without_scripts = _INVISIBLE.sub("", raw)
    cleaned = bleach.clean(
        without_scripts, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES, protocols=ARTICLE_PROTOCOLS, strip=True,
        strip_comments=True,
    )
    return bleach.linkify(cleaned, callbacks=[bleach.callbacks.nofollow], skip_tags={"pre", "code"}, parse_email=False)


def html_to_text(raw: str) -> str:
    """Readable plain text of HTML: paragraphs separated by blank lines, entities decoded, no markup."""
    without_scripts = _INVISIBLE.sub("", raw)
    with_breaks = _BLOCK_END.sub("\n\n", without_scripts)
    text = html.unescape(bleach.clean(with_breaks, tags=set(), strip=True, strip_comments=True))
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def text_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as safe HTML."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def looks_like_html(text: str) -> bool:
    """Whether a body given as a string is HTML markup rather than plain text that mentions a '<'."""
    return bool(re.search(r"</?(p|div|br|span|a|em|strong|b|i|ul|ol|li|h[1-6]|blockquote|table)\b[^>]*>", text, re.I))


def clean_snippet(raw: str) -> str:
    """A search snippet: only <mark> survives, everything else is escaped text."""
    return bleach.clean(raw, tags={"mark"}, attributes={}, strip=True)
