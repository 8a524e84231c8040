"""A search's words marked in an article's sanitized HTML, as the snippets mark them: ``<mark>word</mark>``.

Only text between tags is touched, never a tag, an attribute or an entity, and the text itself is kept byte for
byte (it is already escaped: the HTML went through ``sanitize.clean_html``), so the result is as safe as its input.
The words are those of the query's reading outside NOT (``Reading.words``) and its prefixes (``smugg*``); a word of
the text matches when the engine reads it as a query word's terms (``search.engine.word_terms``: the index's own
analysis, stemming included), so ``smuggle`` marks "smuggling" as the search found it. Field queries (``title:``,
``source:``) search other fields and mark nothing.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from archive.search.engine import word_terms
from archive.search.query import read_query

# A tag, its quoted attribute values allowed to hold '>' (the sanitizer always quotes them). Comments are gone.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]  # as the query has them, for telling the reader what is marked
    stems: frozenset[str]
    prefixes: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes)

    def match(self, word: str) -> bool:
        lower = word.lower()
        return _stem(lower) in self.stems or lower.startswith(self.prefixes)

    @property
    def shown(self) -> list[str]:
        return [*self.words, *(f"{prefix}*" for prefix in self.prefixes)]


def terms_of(query_text: str) -> Terms:
    reading = read_query(query_text)
    words = tuple(dict.fromkeys(word.lower() for word in reading.words))
    prefixes = tuple(dict.fromkeys(prefix.lower() for field, prefix, _ in reading.prefixes if not field))
    return Terms(words, frozenset(_stem(word) for word in words), prefixes)


def mark_terms(html: str, terms: Terms) -> tuple[str, int]:
    """The HTML with each matching word of its text in ``<mark>``, and how many were marked."""
    if not terms:
        return html, 0
    marked = 0

    def mark(match: re.Match) -> str:
        nonlocal marked
        if not terms.match(match.group()):
            return match.group()
        marked += 1
        return f"<mark>{match.group()}</mark>"

    def mark_text(text: str) -> str:
        pieces, position = [], 0
        for entity in _ENTITY.finditer(text):
            pieces.append(_WORD.sub(mark, text[position:entity.start()]))
            pieces.append(entity.group())
            position = entity.end()
        pieces.append(_WORD.sub(mark, text[position:]))
        return "".join(pieces)

    pieces, position = [], 0
    for tag in _TAG.finditer(html):
        pieces.append(mark_text(html[position:tag.start()]))
        pieces.append(tag.group())
        position = tag.end()
    pieces.append(mark_text(html[position:]))
    return "".join(pieces), marked


@lru_cache(maxsize=4096)
def _stem(word: str) -> tuple[str, ...]:
    """A word's terms as the index reads it; cached, as an article's words repeat."""
    return word_terms(word)
