"""How text becomes terms, for the index and for queries alike: every word counts.

- **Every word is kept**: no stop words and no minimum length, so ``"May Day"`` is a phrase of two words, ``the``
  and ``will`` are found, and one-letter names (``O`` in O Su Yong) and two-letter ones (``Ri``, ``Jo``) are terms.
  BM25 already weighs common words down.
- **Acronyms are words of their own**: ``U.S.``, ``U.S.A.``, ``USA`` and ``US`` are the acronym ``US`` (as
  ``UN``, ``DPRK``, ``KCNA``). The index holds an acronym twice at one position, as the lowercase word (so ``us``
  finds it) and in capitals; a query in capitals asks for the capitals only, so ``UN`` finds the United Nations and
  not Kim Jong Un, while ``Un`` finds both.
- **Latin words** are folded to plain letters (``Hamgyŏng`` = ``Hamgyong``, ``P'yŏngyang`` = ``Pyongyang``),
  lowercased and stemmed (Porter): ``smuggling`` finds ``smuggle``.
- **Hangul** is read as overlapping syllable pairs (bigrams), as search engines read CJK text, so a word is found
  inside a longer eojeol with its particles (``단속`` in ``단속이``, ``혜산`` in ``혜산시에서``). The index also holds
  each syllable, so a one-syllable query (``쌀``) is found; a query of two or more syllables asks for its pairs only.
  A run of n syllables takes n - 1 positions in both, so phrases across Hangul words line up.
- **A paragraph break ends a phrase**: a blank line (the text field is the title, a blank line, then the body)
  moves the next word ``PARAGRAPH_GAP`` positions on, further than any proximity reaches, so neither a phrase nor
  ``NEAR/n`` joins the last words of the title to the first of the body, or one paragraph to the next.
- **Word pairs** (``pairs``): every two words side by side, as one term (``may day``, joined by a space, which no
  word holds), for the pairs fields that answer phrases by looking terms up (``phrases``), as Elasticsearch's
  ``index_phrases`` does. A pair is made of what a query can ask for at two positions next to each other: each word
  (both forms of an acronym: ``us``, ``US``), and for Hangul the syllable pairs, or the syllable of a one-syllable
  word; the single syllables also indexed inside a longer Hangul word are not paired (a phrase holding a
  one-syllable Hangul word is checked word by word instead). No pair spans a paragraph break. A segment of the index
  keeps only the pairs of two words common in it (``pairing``).

This module knows nothing of Whoosh but its token protocol (``ArchiveTokenizer`` is a Whoosh ``Tokenizer``), so the
same rules can be written down for another engine's analyzer. ``ANALYSIS`` is their version: an index built by an
older one is rebuilt (``generations.analysis_of``, ``manage.py ensure_index``), since its terms are not these.
"""

import re
import sys
import threading
import unicodedata
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem

_HANGUL = "\uac00-\ud7a3"
_LETTERS = rf"[^\W{_HANGUL}]+"
# McCune-Reischauer's aspiration mark after p, t, k or ch, before a vowel, typed ', ’ or ´: P'yŏngyang, Namp´o.
# It is part of the word (Pyongyang), where an apostrophe before s is not (Kim's is Kim and s).
_ASPIRATION = r"(?<=[PpTtKkh])['’´](?=[AaEeIiOoUuYyWwŎŏŬŭ])"
# A word: initials (U.S.), a run of Hangul, or letters (with dots or aspiration marks inside). One group, the whole
# word, so ``split_words`` keeps the words between the gaps.
_TOKEN = re.compile(rf"((?:[A-Z]\.){{2,}}|[{_HANGUL}]+|{_LETTERS}(?:(?:\.|{_ASPIRATION}){_LETTERS})*)")
_MARKS = str.maketrans("", "", "'’´")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+[A-Z]\.?$")  # U.S., U.S.A., D.P.R.K. (and U.S without its last dot)
ANALYSIS = 4  # 1 was haystack's StemmingAnalyzer: stop words, no one-letter words, "U.S" apart from "US"; 2 had no
# language and people fields (the schema is rebuilt with the terms: an index without them cannot answer those facets);
# 3 had no word pairs and let phrases run across a paragraph break (from the title into the body)
PARAGRAPH_GAP = 100  # positions between paragraphs: more than the widest proximity (query.MAX_SLOP)
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")  # a blank line
PAIR_JOINER = " "  # between the two words of a pair: never inside a word
# Acronyms written two ways that mean one thing.
ACRONYM_FORMS = {"USA": "US"}


def _plain(word: str) -> str:
    """Lowercase, without diacritics, stemmed: the term of an ordinary word (cached with the word's tokens)."""
    folded = unicodedata.normalize("NFKD", word.translate(_MARKS))
    folded = "".join(char for char in folded if not unicodedata.combining(char)).lower()
    return stem(folded) if folded.isascii() else folded


def acronym(word: str) -> str | None:
    """``US`` for ``U.S.``, ``U.S.A.``, ``USA`` and ``US``; None for a word that is not an acronym (two or more
    capital letters, or letters with dots)."""
    if _INITIALS.match(word):
        letters = "".join(char for char in word if char != ".").upper()
    elif len(word) >= 2 and word.isascii() and word.isalpha() and word.isupper():
        letters = word
    else:
        return None
    return ACRONYM_FORMS.get(letters, letters)


class ArchiveTokenizer(Tokenizer):
    """Text -> terms by the rules above; ``mode="query"`` when Whoosh reads a query, ``"index"`` otherwise."""

    def __eq__(self, other):
        return type(other) is type(self)

    __hash__ = Tokenizer.__hash__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        query = mode == "query"
        position = start_pos

        def emit(text: str, at: int, start: int, end: int):
            token.text, token.boost, token.stopped = text, 1.0, False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = at
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            return token

        if not tokenize:
            yield emit(value, position, 0, len(value))
            return
        if positions and mode == "index":  # the text field's own pass: its tokens are kept for the pairs field's
            yield from self._kept(value, self._tokens(value, emit, position, start_char, query))
            return
        yield from self._tokens(value, emit, position, start_char, query)

    @staticmethod
    def _kept(value, tokens):
        kept = []
        for token in tokens:
            kept.append((token.pos, token.text))
            yield token
        _last.value, _last.tokens = value, kept

    @staticmethod
    def _tokens(value, emit, position, start_char, query):
        previous_end = 0
        for match in _TOKEN.finditer(value):
            start, end = match.span()
            if value.count("\n", previous_end, start) > 1 and previous_end and _PARAGRAPH.search(value, previous_end,
                                                                                                     start):
                position += PARAGRAPH_GAP
            previous_end = end
            tokens, width, _terms = word_tokens(match.group(), query)
            for text, at, first, last in tokens:
                yield emit(text, position + at, start + first, start + last)
            position += width


def term_positions(value: str) -> dict[str, list[int]]:
    """Each term of a text with its positions, as the tokenizer indexes it (``mode="index"``), read in one pass without
    a token object per word: what the index writer asks of a text field (``segment_writer``), half the analysis's cost.
    Like the tokenizer's pass, it keeps the text's tokens for its pairs field (``_indexed_tokens``). A text is read a
    paragraph at a time (no word holds a blank line), so its words are found by one call into the regex engine each."""
    found: dict[str, list[int]] = {}
    kept = []
    position = 0
    for paragraph in _PARAGRAPH.split(value):
        words = _TOKEN.findall(paragraph)
        if not words:
            continue
        if kept:
            position += PARAGRAPH_GAP
        for word in words:
            tokens, width, _terms = word_tokens(word, False)
            for text, at, _start, _end in tokens:
                kept.append((position + at, text))
                if (positions := found.get(text)) is None:
                    found[text] = [position + at]
                else:
                    positions.append(position + at)
            position += width
    _last.value, _last.tokens = value, kept
    return found


def split_words(text: str) -> list[str]:
    """The text as [gap, word, gap, word, ..., gap], the words as ``word_tokens`` reads them one by one: for the
    highlighter, which reads every text it shows and runs the analysis on none (one call into the regex engine)."""
    return _TOKEN.split(text)


class WordTokens(NamedTuple):
    tokens: tuple[tuple[str, int, int, int], ...]  # (term, position, start, end), relative to the word
    width: int  # the positions the word takes
    terms: tuple[str, ...]  # the tokens' terms alone


@lru_cache(maxsize=100_000)
def word_tokens(word: str, query: bool) -> WordTokens:
    """The tokens of one word of the text (a match of ``_TOKEN``) by the rules above, cached since a word recurs:
    the tokenizer's, and the highlighter's, which reads a word's terms to know whether to mark it."""
    if is_hangul(word[0]):
        tokens, width = _hangul_tokens(word, query)
    elif (capitals := acronym(word)) is not None:
        forms = (capitals,) if query else (capitals.lower(), capitals)  # a query in capitals asks for capitals only
        tokens, width = tuple((form, 0, 0, len(word)) for form in forms), 1
    else:
        tokens, width = ((_plain(word), 0, 0, len(word)),), 1
    return WordTokens(tokens, width, tuple(token[0] for token in tokens))


def _hangul_tokens(word: str, query: bool) -> tuple[tuple[tuple[str, int, int, int], ...], int]:
    """A run of Hangul's syllable pairs (and, in the text, its syllables) and the positions it takes."""
    if len(word) == 1:
        return ((word, 0, 0, 1),), 1
    pairs_and_syllables = []
    for i in range(len(word) - 1):
        if not query:
            pairs_and_syllables.append((word[i], i, i, i + 1))
        pairs_and_syllables.append((word[i:i + 2], i, i, i + 2))
    if not query:
        pairs_and_syllables.append((word[-1], len(word) - 2, len(word) - 1, len(word)))
    return tuple(pairs_and_syllables), len(word) - 1


@lru_cache(maxsize=100_000)
def word_spans(word: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each token ``word_tokens(word, False)`` gives, in its order, without naming their terms (no
    folding or stemming): all the highlighter needs of a word it does not mark."""
    if is_hangul(word[0]):
        return tuple((start, end) for _term, _at, start, end in _hangul_tokens(word, False)[0])
    return ((0, len(word)),) * (2 if acronym(word) is not None else 1)


class _TermInitials(dict):
    """A word's first character -> the first character of each of its terms, lowercased (the Latin word's folded
    initial: stemming changes only a word's end, an acronym's terms are its letters), or "" where they may begin
    with another character (Hangul, whose pairs start at every syllable). Lets the highlighter skip, unanalysed, the
    words that cannot hold a term it marks. Filled as characters come: a few hundred in practice, at most one entry
    for each character Unicode has (``MAX_CHARACTERS``)."""

    def __missing__(self, char: str) -> str:
        folded = "" if is_hangul(char) else "".join(
            part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)).lower()
        self[char] = initial = folded[:1]
        return initial


TERM_INITIAL = _TermInitials()
MAX_CHARACTERS = sys.maxunicode + 1


def pairs(value: str) -> set[str]:
    """The word pairs of a text (see the module's doc), from the same tokens the text field indexes (which come in
    the order of their positions)."""
    at: list[tuple[int, list[str]]] = []  # (position, the terms there), in order
    for position, text in _indexed_tokens(value):
        if at and at[-1][0] == position:
            at[-1][1].append(text)
        else:
            at.append((position, [text]))
    found = set()
    for (position, texts), (next_position, following) in pairwise(at):
        if next_position != position + 1:
            continue
        if len(texts) == 1 and len(following) == 1:  # most positions: one word
            found.add(f"{texts[0]}{PAIR_JOINER}{following[0]}")
        else:
            found.update(f"{first}{PAIR_JOINER}{second}" for first in _pairable(texts)
                         for second in _pairable(following))
    return found


def _pairable(texts: list[str]) -> list[str]:
    """The terms at one position a query can ask for: not the single syllables inside a longer Hangul word (they
    share a position with its syllable pairs)."""
    if len(texts) > 1 and any(len(text) == 2 and is_hangul(text) for text in texts):
        return [text for text in texts if not (len(text) == 1 and is_hangul(text))]
    return texts


def is_hangul(text: str) -> bool:
    return all("\uac00" <= char <= "\ud7a3" for char in text)


class PairTokenizer(Tokenizer):
    """A text -> its word pairs (``pairs``), one token each, for a pairs field (no positions: a pair is looked up)."""

    def __eq__(self, other):
        return type(other) is type(self)

    __hash__ = Tokenizer.__hash__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for number, pair in enumerate(sorted(pairs(value)) if tokenize else (value,)):
            token.text, token.boost, token.stopped = pair, 1.0, False
            if positions:
                token.pos = start_pos + number
            yield token


_last = threading.local()  # the tokens of the text this thread's text field indexed last


def _indexed_tokens(value: str):
    """(position, term) of a text as its text field indexes it: the tokens of that pass when they are this text's
    (Whoosh indexes a document's fields in name order, ``text`` just before ``text_pairs``), so it is read once."""
    if getattr(_last, "value", None) == value:
        return _last.tokens
    return [(token.pos, token.text) for token in ArchiveTokenizer()(value, positions=True, mode="index")]
