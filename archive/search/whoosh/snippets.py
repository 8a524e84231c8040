"""Snippets of the results and spelling suggestions: what a results page shows beside the matches.

Snippets are short fragments of the stored plain text with matched terms (stemmed and prefix-expanded forms included)
in ``<mark>``, in ``SearchResult.highlighted["text"]``, for the page's results only. Spelling is suggested only when
asked (``SearchQuerySet.spelling_suggestion``), never on every search.
"""

import html
import re

from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.support.levenshtein import damerau_levenshtein as distance

MAX_EDITS = 2  # a suggested word differs from the typed one by at most this many edits (of their stems)
SNIPPET_CHARS = 160  # each fragment; two fragments at most


class MarkFormatter(HtmlFormatter):
    """``<mark>term</mark>``, no classes: the page styles <mark>, and ``clean_snippet`` keeps nothing else."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


def mark_matches(results) -> None:
    """Make ``hit.highlights`` of these results give short fragments, matched terms in ``<mark>``."""
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = MarkFormatter()


def snippet(hit, stored: dict, fieldname: str) -> str:
    """Marked fragments of the body: the title, shown beside the snippet anyway, is cut from the text first."""
    text = stored.get(fieldname) or ""
    title = stored.get("title") or ""
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    marked = " ".join(hit.highlights(fieldname, text=text, top=2).split())
    if not marked:
        return ""
    # Mark where the snippet starts or ends inside the text, as a reader expects of an excerpt.
    plain = re.sub(r"</?mark>", "", marked)
    flat = " ".join(text.split())
    head, tail = plain.split(" … ")[0], plain.split(" … ")[-1]
    if not flat.startswith(html.unescape(head)):
        marked = "… " + marked
    closing = ".!?\"”’' "
    if not flat.rstrip(closing).endswith(html.unescape(tail).rstrip(closing)):
        marked += " …"
    elif not html.unescape(tail).endswith(ending := flat[len(flat.rstrip(closing)):]):
        marked += html.escape(ending, quote=False)  # Whoosh's fragment stops at the last word
    return marked


def suggest(searcher, fieldname: str, spelling_query: str, reserved_words) -> str | None:
    """Each word absent from the index replaced by the closest indexed word (by edit distance, then frequency);
    None when every word is already there or nothing is close."""
    reader = searcher.reader()
    field = searcher.schema[fieldname]
    words = [w for w in spelling_query.split() if w not in reserved_words]
    suggested, changed = [], False
    for word in words:
        bare = "".join(ch for ch in word.lower() if ch.isalnum())
        stems = [token.text for token in field.analyzer(bare)]
        if not bare or not stems or all((fieldname, stem) in reader for stem in stems):
            suggested.append(bare or word)
            continue
        suggestion = _closest_word(searcher, fieldname, bare, stems[0]) if len(stems) == 1 else None
        suggested.append(suggestion or bare)
        changed = changed or bool(suggestion)
    return " ".join(suggested) if changed else None


def _closest_word(searcher, fieldname: str, word: str, stem: str) -> str | None:
    """The indexed stem closest to this word's stem (edit distance, then document frequency), spelled as the closest
    of its forms in a document holding it: "smugling" -> stem "smugl" -> "smuggl" -> "smuggling"."""
    reader = searcher.reader()
    candidates = [(distance(stem, term, MAX_EDITS), -reader.doc_frequency(fieldname, term), term)
                  for maxdist in (1, MAX_EDITS) for term in reader.terms_within(fieldname, stem, maxdist, prefix=1)]
    if not candidates:
        return None
    best = min(candidates)[2]
    docnum = next(iter(searcher.docs_for_query(wq.Term(fieldname, best))), None)
    text = (searcher.stored_fields(docnum).get(fieldname) or "") if docnum is not None else ""
    forms = {token.original.lower() for token in searcher.schema[fieldname].analyzer(text, keeporiginal=True)
             if token.text == best}
    return min(forms, key=lambda form: (distance(word, form, len(form) + len(word)), form)) if forms else best
