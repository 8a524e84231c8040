"""Snippets of the results and spelling suggestions: what a results page shows beside the matches.

Snippets are short fragments of the stored plain text with matched terms (stemmed and prefix-expanded forms included)
in ``<mark>``, in ``SearchResult.highlighted["text"]``, for the page's results only. Spelling is suggested when asked
(``SearchQuerySet.spelling_suggestion``), for the rare words of a query only.
"""

import html
import re

from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.support.levenshtein import damerau_levenshtein as distance

MAX_EDITS = 2  # a suggested word differs from the typed one by at most this many edits (of their stems)
RARE_DOCS = 1  # a word in at most this many reports may be misspelt
MIN_SUGGESTED_DOCS = 3  # a suggestion is a word of at least this many reports: never a glued token or a fragment
MORE_COMMON = 10  # ... and of this many times as many reports as the typed word
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
    """Each rare word of the query replaced by the closest common word of the archive; None when no word is rare or
    nothing close is common.

    Rare: in at most ``RARE_DOCS`` reports (a misspelling in one report is rare too: "missle" may be in one). Common
    enough to offer: in at least ``MIN_SUGGESTED_DOCS`` reports and ``MORE_COMMON`` times as many as the typed word,
    so a glued token or a fragment found once ("unalso") is never offered. Words come back one for one, in order."""
    reader = searcher.reader()
    field = searcher.schema[fieldname]
    words = [w for w in spelling_query.split() if w not in reserved_words]
    suggested, changed = [], False
    for word in words:
        terms = [token.text for token in field.analyzer(word, mode="query")]
        if len(terms) != 1 or not terms[0].islower():  # acronyms, Hangul pairs, numbers with dots: left as typed
            suggested.append(word)
            continue
        frequency = reader.doc_frequency(fieldname, terms[0])
        suggestion = None
        if frequency <= RARE_DOCS:
            least = max(MIN_SUGGESTED_DOCS, MORE_COMMON * frequency)
            suggestion = _closest_word(searcher, fieldname, word.lower(), terms[0], least)
        suggested.append(suggestion or word)
        changed = changed or bool(suggestion)
    return " ".join(suggested) if changed else None


def _closest_word(searcher, fieldname: str, word: str, term: str, least: int) -> str | None:
    """The indexed term closest to this word's term (edit distance, then document frequency) among those in at least
    ``least`` reports, spelled as the closest of its forms in a report holding it: "missle" -> term "missl" ->
    "missil" -> "missile"."""
    reader = searcher.reader()
    candidates = [(distance(term, other, MAX_EDITS), -frequency, other)
                  for maxdist in (1, MAX_EDITS) for other in reader.terms_within(fieldname, term, maxdist, prefix=1)
                  if other != term and (frequency := reader.doc_frequency(fieldname, other)) >= least]
    if not candidates:
        return None
    best = min(candidates)[2]
    docnum = next(iter(searcher.docs_for_query(wq.Term(fieldname, best))), None)
    text = (searcher.stored_fields(docnum).get(fieldname) or "") if docnum is not None else ""
    forms = {token.original.lower() for token in searcher.schema[fieldname].analyzer(text, keeporiginal=True)
             if token.text == best}
    return min(forms, key=lambda form: (distance(word, form, len(form) + len(word)), form)) if forms else None
