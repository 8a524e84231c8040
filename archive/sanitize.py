"""The one bleach policy for HTML from outside, and HTML -> plain text.

Every piece of HTML that reaches a page went through ``clean_html``; snippets through ``clean_snippet``. The policy
is an allow-list: structural tags, links with ``href``/``title`` to http, https and mailto only, each with
``rel="nofollow noopener"``. Everything else goes (scripts, styles, event handlers, frames, forms, SVG/MathML,
``javascript:``/``data:`` URLs), but its text stays: a report's words are never lost to sanitizing. Only the
content of elements a browser never shows as text (script, style, template, and frames' fallback) is dropped.

The input is parsed as a browser parses it (html5lib, as vendored by bleach) so that what counts as a script's
content here is what a browser would run, not what a regular expression guesses.
"""

import html
import re
from functools import partial
from xml.etree import ElementTree

import bleach
from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter, build_url_re

ARTICLE_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "b", "em", "i", "a", "code", "pre",
        "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)
ARTICLE_ATTRIBUTES = {"a": ["href", "title"], "th": ["scope", "colspan", "rowspan"], "td": ["colspan", "rowspan"]}
ARTICLE_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# Elements whose content a browser never shows as text: dropped whole.
_INVISIBLE = frozenset({"script", "style", "template", "iframe", "noembed", "noframes", "frameset"})
# Headings outside h2-h4 keep their rank as near as the policy allows (the page's own h1 is the title);
# raw-text blocks of old HTML become pre, whose text is escaped like any other.
_RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "xmp": "pre", "listing": "pre", "plaintext": "pre"}
# Block containers the policy does not keep: a container of inline content becomes a paragraph, others are
# unwrapped with line breaks around them, so "<div>one</div><div>two</div>" never reads "onetwo".
_CONTAINERS = frozenset(
    {
        "div", "section", "article", "header", "footer", "main", "aside", "nav", "address", "center", "details",
        "summary", "fieldset", "legend", "form", "dl", "dt", "dd", "hgroup", "noscript", "dialog", "menu", "search",
        "object",
    }
)
_BLOCKS = (ARTICLE_TAGS - {"br", "strong", "b", "em", "i", "a", "code"}) | _CONTAINERS

_parser = html5lib_shim.HTMLParser(namespaceHTMLElements=False)
_walker = html5lib_shim.getTreeWalker("etree")
_serializer = html5lib_shim.HTMLSerializer(quote_attr_values="always", omit_optional_tags=False,
                                           resolve_entities=False, sanitize=False)
_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|ul|ol|blockquote|pre|tr|th|td|caption|figure|figcaption|table)\s*>|<br\s*/?>", re.I
)


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ARTICLE_TAGS,
    attributes=ARTICLE_ATTRIBUTES,
    protocols=ARTICLE_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        # Runs after the sanitizer: links it kept, and bare web addresses in the text, get rel; only http(s)
        # addresses are turned into links.
        partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False,
                url_re=build_url_re(protocols=["http", "https"]))
    ],
)


def clean_html(raw: str) -> str:
    """Article HTML reduced to the policy's tags and attributes; the text of everything removed stays."""
    fragment = _parser.parseFragment(raw)
    _prepare(fragment)
    return _cleaner.clean(_serializer.render(_walker(fragment))).strip()


def _prepare(parent: ElementTree.Element) -> None:
    """Drop invisible elements and comments, flatten SVG/MathML to their text, rename headings, and turn removed
    block containers into paragraphs or line breaks (children first, so a container knows its blocks)."""
    for child in list(parent):
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else None
        if name is None or name in _INVISIBLE:
            _remove(parent, child)
            continue
        _prepare(child)
        if child.tag != name:  # a namespaced (SVG or MathML) element: only its text is kept
            child.tag = "span"
            child.attrib.clear()
        elif name in _RENAMED:
            child.tag = _RENAMED[name]
        elif name in _CONTAINERS:
            if any(descendant.tag in _BLOCKS for descendant in child.iter() if descendant is not child):
                child.text = "\n" + (child.text or "")
                child.tail = "\n" + (child.tail or "")
            else:
                child.tag = "p"
                child.attrib.clear()


def _remove(parent: ElementTree.Element, child: ElementTree.Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    tail = child.tail or ""
    index = list(parent).index(child)
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(child)


def html_to_text(sanitized: str) -> str:
    """Readable plain text of sanitized HTML (what ``clean_html`` returns): paragraphs separated by blank lines,
    entities decoded, no markup. Search and snippets read this, so they hold exactly the words a reader sees."""
    with_breaks = _BLOCK_END.sub("\n\n", sanitized)
    text = html.unescape(bleach.clean(with_breaks, tags=set(), strip=True, strip_comments=True))
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def text_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as safe HTML."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def looks_like_html(text: str) -> bool:
    """Whether a body given as a string is HTML markup rather than plain text that mentions a '<'."""
    return bool(re.search(r"</?(p|div|br|span|a|em|strong|b|i|ul|ol|li|h[1-6]|blockquote|table)\b[^>]*>", text, re.I))


# A snippet as the highlighter writes it: escaped text (``&amp; &lt; &gt;`` only, no character html5lib rewrites or
# reports: controls, surrogates, noncharacters) between unnested, closed <mark>s. bleach gives such a string back
# unchanged, so it is not asked (1 ms of the 20 a page); anything else, a report's own text included, goes to bleach.
_NOT_ESCAPED_TEXT = re.compile(r"[<>\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]|&(?!(?:amp|lt|gt);)")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                                                      for plane in range(0, 0x110000, 0x10000)) + "]")
_MARK_TAGS = re.compile(r"</?mark>")


def clean_snippet(raw: str) -> str:
    """A search snippet: only <mark> survives, everything else is escaped text."""
    if _is_escaped_and_marked(raw):
        return raw
    return bleach.clean(raw, tags={"mark"}, attributes={}, strip=True)


def _is_escaped_and_marked(raw: str) -> bool:
    tags = _MARK_TAGS.findall(raw)
    marks_pair = len(tags) % 2 == 0 and all(tag == ("<mark>", "</mark>")[n % 2] for n, tag in enumerate(tags))
    text = _MARK_TAGS.sub("", raw)
    return (marks_pair and not _NOT_ESCAPED_TEXT.search(text)
            and (not text or max(text) < "\ufdd0" or not _NONCHARACTER.search(text)))
