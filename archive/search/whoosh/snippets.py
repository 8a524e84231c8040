"""Snippets of the results and spelling suggestions: what a results page shows beside the matches.

Snippets are short fragments of the stored plain text with matched terms (stemmed and prefix-expanded forms included)
in ``<mark>``, in ``SearchResult.highlighted["text"]``, for the page's results only. Spelling is suggested when asked
(``SearchQuerySet.spelling_suggestion``), for the rare words of a query only.

The fragments are Whoosh's (``ContextFragmenter``: matches with their context, the best two by
``BasicFragmentScorer``), but not its way to them: Whoosh runs the analyzer over every word of every text shown, a
token object each, which cost most of a results page. ``MarkHighlighter`` splits the text into words in one regex
call, looks up the terms (``analysis.word_tokens``, cached) only of the distinct words whose first letter a marked
term starts with (``analysis.TERM_INITIAL``), and runs the fragmenter's steps over the words near a match only,
reading no terms of the words it does not mark (``tests/test_snippets.py`` holds it to Whoosh's own pipeline).
"""

import html
import re
from collections import deque
from itertools import accumulate, compress, count, repeat
from operator import attrgetter, not_
from typing import NamedTuple

from whoosh import query as wq
from whoosh.highlight import BasicFragmentScorer, Highlighter, HtmlFormatter, mkfrag
from whoosh.support.levenshtein import damerau_levenshtein as distance

from archive.search.whoosh.analysis import TERM_INITIAL, split_words, word_spans, word_tokens

MAX_EDITS = 2  # a suggested word differs from the typed one by at most this many edits (of their stems)
RARE_DOCS = 1  # a word in at most this many reports may be misspelt
MIN_SUGGESTED_DOCS = 3  # a suggestion is a word of at least this many reports: never a glued token or a fragment
MORE_COMMON = 10  # ... and of this many times as many reports as the typed word
SNIPPET_CHARS = 160  # each fragment; two fragments at most
SURROUND = 60  # characters of words before the first match of a fragment and after its last


class MarkFormatter(HtmlFormatter):
    """``<mark>term</mark>``, no classes: the page styles <mark>, and ``clean_snippet`` keeps nothing else."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


def mark_matches(results) -> None:
    """Make ``hit.highlights`` of these results give short fragments, matched terms in ``<mark>``."""
    results.highlighter = MarkHighlighter()


class MarkHighlighter(Highlighter):
    """Whoosh's highlighting (``Highlighter.highlight_hit`` re-tokenizing the text) with the same terms, fragments,
    scores and marks, for a fraction of its cost; one per search, as it reads the terms to mark once.

    Two choices differ. Of fragments scoring the same, the first in the text are kept (Whoosh kept the ones its
    objects happened to sort last by memory address). And a match past Whoosh's 32,768th character is found: a long
    report's only match gets its fragment instead of the report's opening lines."""

    def __init__(self):
        super().__init__(formatter=MarkFormatter(), scorer=BasicFragmentScorer())
        self._terms = {}  # field -> the terms to mark
        self._initials_of = {}  # terms -> their first characters

    def highlight_hit(self, hitobj, fieldname, text=None, top=3, minscore=1):
        terms = self._terms_to_mark(hitobj.results, fieldname)
        return self.highlight(hitobj[fieldname] if text is None else text, terms, top, minscore)

    def highlight(self, text: str, terms: frozenset, top: int = 2, minscore: int = 1) -> str:
        """The ``top`` best fragments of the text, its words with a term in ``terms`` marked; "" when none has."""
        pieces = split_words(text)
        words = pieces[1::2]
        initials = self._initials(terms)
        candidates = [word for word in set(words) if TERM_INITIAL[word[0]] in initials]  # the rest cannot hold one
        marked = set(compress(candidates, map(not_, map(terms.isdisjoint, map(
            attrgetter("terms"), map(word_tokens, candidates, repeat(False)))))))  # in C, each word's terms cached
        if not marked:
            return ""
        matched = list(compress(count(), map(marked.__contains__, words)))
        bounds = list(accumulate(map(len, pieces)))  # word i is text[bounds[2 * i]:bounds[2 * i + 1]]
        fragments = _fragments(text, words, bounds, matched, marked, terms)
        return self.formatter.format(_best(fragments, top, self.scorer, minscore))

    def _initials(self, terms: frozenset) -> frozenset:
        """The first characters (lowercased) of the terms, and "" for the words whose terms start anywhere."""
        if (initials := self._initials_of.get(terms)) is None:
            initials = self._initials_of[terms] = frozenset({"", *(term[:1].lower() for term in terms)})
        return initials

    def _terms_to_mark(self, results, fieldname) -> frozenset:
        """The terms Whoosh's ``highlight_hit`` marks: those the search matched in the field, or the query's terms
        there, prefixes and variants expanded to the words of the index (the same for every hit: read once)."""
        if fieldname not in self._terms:
            if results.has_matched_terms():
                terms = (term for term in results.matched_terms() if term[0] == fieldname)
            else:
                terms = results.query_terms(expand=True, fieldname=fieldname)
            self._terms[fieldname] = frozenset(results.searcher.schema[fieldname].from_bytes(term[1])
                                               for term in terms)
        return self._terms[fieldname]


class _Match(NamedTuple):
    """A marked token of a fragment, as Whoosh's scorer and formatter read it."""

    text: str
    startchar: int
    endchar: int
    boost: float = 1.0


def _fragments(text: str, words: list[str], bounds: list[int], matched: list[int], marked: set[str],
               terms: frozenset) -> list:
    """The fragments Whoosh's ``ContextFragmenter`` cuts from the text's tokens (the analyzer's for the index, those
    in ``terms`` matched, overlapping matched ones merged as ``Highlighter._merge_matched_tokens`` does), reading
    only the words near a match: between fragments, the words before the last ``SURROUND`` characters ahead of the
    next match only pass through the fragmenter's context, which drops them before that match. Of a word not
    ``marked`` only its tokens' places are read (``word_spans``: no stemming)."""
    cut = _Cutter(text)
    merged = None  # a matched token, [term, start, end], grown by the matched tokens overlapping it
    at, upcoming, last = 0, 0, len(words)
    while at < last:
        if cut.countdown < 0 and merged is None:  # between fragments: on to the context of the next match
            while upcoming < len(matched) and matched[upcoming] < at:
                upcoming += 1
            if upcoming == len(matched):
                break
            following = matched[upcoming]
            context = bounds[2 * following - 1] - SURROUND  # from the end of the word before the match
            first = following
            while first > at and bounds[2 * first - 1] > context:
                first -= 1
            if first > at:
                cut.firsts.clear()
                at = first
        start = bounds[2 * at]
        word = words[at]
        if word not in marked:
            if merged is not None:
                cut.add(*merged, True)
                merged = None
            for first_char, last_char in word_spans(word):
                cut.add("", start + first_char, start + last_char, False)
            at += 1
            continue
        for term, _position, first_char, last_char in word_tokens(word, False).tokens:
            startchar, endchar = start + first_char, start + last_char
            if term not in terms:
                if merged is not None:
                    cut.add(*merged, True)
                    merged = None
                cut.add(term, startchar, endchar, False)
            elif merged is None:
                merged = [term, startchar, endchar]
            elif startchar <= merged[2]:
                if endchar > merged[2]:
                    merged[0] += term[merged[2] - endchar:]
                    merged[2] = endchar
            else:
                cut.add(*merged, True)
                merged = None
                cut.add(term, startchar, endchar, True)
        at += 1
    if merged is not None:
        cut.add(*merged, True)
    return cut.finish()


class _Cutter:
    """``ContextFragmenter.fragment_tokens`` (``SNIPPET_CHARS``, ``SURROUND``) fed one token at a time."""

    def __init__(self, text: str):
        self.text, self.fragments, self.endchar = text, [], None
        self.first, self.firsts, self.countdown, self.matches, self.length = None, deque(), -1, [], 0

    def add(self, term: str, startchar: int, endchar: int, matched: bool) -> None:
        self.endchar = endchar
        length = endchar - startchar
        if self.countdown < 0 and not matched:
            firsts = self.firsts
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > SURROUND:
                firsts.popleft()
        elif self.length + length > SNIPPET_CHARS:
            self.countdown = 0
        elif matched:
            self.countdown = SURROUND
            if self.first is None:
                if self.firsts:
                    self.first = self.firsts[0]
                else:
                    self.first = startchar
                    self.countdown += SURROUND
            self.matches.append(_Match(term, startchar, endchar))
        if self.countdown >= 0:
            self.length += length
            self.countdown -= length
            if self.countdown <= 0:  # at exactly 0 it stays 0: the next token makes a fragment of nothing, as in Whoosh
                self.fragments.append(mkfrag(self.text, self.matches, startchar=self.first, endchar=endchar))
                self.first, self.firsts, self.matches, self.length = None, deque(), [], 0

    def finish(self) -> list:
        if self.matches:
            self.fragments.append(mkfrag(self.text, self.matches, startchar=self.first, endchar=self.endchar))
        return self.fragments


def _best(fragments, top, scorer, minscore) -> list:
    """``whoosh.highlight.top_fragments``, except that of fragments scoring the same the first are kept."""
    ranked = sorted(fragments, key=scorer, reverse=True)  # stable: ties stay in text order
    return sorted((fragment for fragment in ranked[:top] if scorer(fragment) >= minscore), key=attrgetter("startchar"))


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
