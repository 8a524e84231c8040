"""Query text -> haystack ``SQ`` (so any haystack engine runs it), and a reading of it for analysts.

The language: words (stemmed by the engine: ``smuggle`` finds ``smuggling``), ``"exact phrases"``, ``AND``, ``OR``,
``NOT`` and ``-word``, parentheses, ``field:value`` for title, author, source, region and person (``field:"a phrase"``
too), prefixes ``word*``, and proximity as professional news databases write it: ``"grain requisition"~5`` (the
Lucene form: the words in that order, at most 5 words apart) and ``grain NEAR/5 requisition`` (Factiva's and
LexisNexis's: within 5 words, in either order). Words side by side are AND-ed. Nothing a user types is an error:
unbalanced quotes close at the end, unbalanced parentheses are closed or ignored, lone operators and empty
``field:`` are dropped, and each repair is named in the reading so analysts see why a search found what it found.

Names are found however they are spelt: a word, or a run of plain words, that names a place or a person
(``gazetteer.named_by``: ``Yanggang``, ``Kim Jong Un``, ``Kim Jong-un``, ``혜산``) is read as any of its forms, in
Latin letters and in Hangul, or its region or person tag, and the reading says so (``Yanggang → Ryanggang, 량강도,
...``). Quotes keep one name as typed (``"Yanggang"``); ``exact`` keeps the whole query as typed.
"""

import itertools
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.text import slugify
from haystack.inputs import BaseInput, Exact, Raw
from haystack.query import SQ

from archive.ingest.gazetteer import Named, named_by, table_version
from archive.search.function_words import FUNCTION_WORDS
from archive.search.params import INDEX_FIELDS
from archive.spelling import fold, has_hangul

SLUG_FIELDS = {"author", "source", "region", "person"}  # stored as slugs: "Daily NK" is searched as daily-nk
# A query's field name -> the index field it searches; the facets' names are those of the URL (params.INDEX_FIELDS).
FIELDS = {"title": "title", **{name: INDEX_FIELDS[name] for name in sorted(SLUG_FIELDS)}}
MAX_DEPTH = 8  # deeper parentheses are read as if absent, with a note (and cannot exhaust the stack)
MAX_TERMS = 64  # terms beyond this are dropped: longer queries are pasted text, not questions

_TOKEN = re.compile(
    r'(?P<phrase>(?P<pneg>-)?(?:(?P<pfield>[A-Za-z]+):)?"(?P<ptext>[^"]*)(?P<pclose>"?)(?:~(?P<slop>\d{1,3})\b)?)'
    r"|(?P<lparen>\()|(?P<rparen>\))"
    r'|(?P<word>[^\s()"]+)'
)
# A word of a query: dotted initials are one word (U.S., U.S.A.), and so is a McCune-Reischauer name with its
# aspiration mark (P'yŏngyang); the engine's analysis reads them as the index does. Other apostrophes part words.
_WORD_PART = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:(?<=[PpTtKkh])['’´](?=[AaEeIiOoUuYyWwŎŏŬŭ])\w+)*")
_NEAR = re.compile(r"^NEAR/(\d{1,3})$")
# How much two words typed side by side count when a report has them side by side too, against each word alone: the
# partial matches of a question typed as a sentence rank "boundary layer" above reports with "boundary" and "layer"
# apart (Metzler and Croft's sequential dependence, with the archive's word pairs). Chosen on CACM (MAP 0.3003 without;
# 0.3203 / 0.3201 / 0.3210 / 0.3191 / 0.3180 at 0.2 / 0.3 / 0.4 / 0.5 / 0.6), confirmed on Cranfield (0.2984 -> 0.3004).
SIDE_BY_SIDE_BOOST = 0.4
MAX_SLOP = 50  # words apart: beyond this a proximity is as good as AND, and slower
MAX_NAME_WORDS = 6  # the longest run of plain words tried as one name ("Kim Jong Un", "South Phyongan Province")
SHOWN_FORMS = 5  # forms of a name the reading lists before "and n more"
TAG_FIELDS = {"place": "regions", "person": "people"}


@dataclass
class Node:
    kind: str  # "word", "prefix", "phrase", "near", "not", "and", "or", "name" (a place or person, any spelling)
    text: str = ""
    field: str = ""  # "" for the default fields (text and title)
    shown: str = ""  # as typed, for the reading ("Kim's" rather than the phrase "kim s")
    children: list["Node"] = dataclass_field(default_factory=list)
    slop: int = 0  # a phrase's or a NEAR's most words apart; 0 for an exact phrase
    quoted: bool = False  # typed in quotes: kept as typed, never read as any spelling of a name
    named: tuple[Named, ...] = ()  # for "name": the places or people it names
    forms: tuple[str, ...] = ()  # for "name": the spellings searched (each the shortest of those it contains)


@dataclass(frozen=True)
class Expansion:
    """A name in the query and the spellings it was searched as: for the reading, and for saying per result which
    form matched (``archive.search.matches``)."""

    typed: str
    named: tuple[Named, ...]
    forms: tuple[str, ...]


@dataclass
class Reading:
    """How a query was read: its haystack form, a human form, and whether the partial-match fallback may apply."""

    sq: SQ | None
    text: str
    words: list[str]  # the searchable words, for spelling suggestions and the fallback
    is_plain_list: bool  # two or more words or quoted phrases (brackets allowed, and words left out by NOT or -word),
    # no other operators, fields, proximity or prefixes
    notes: list[str] = dataclass_field(default_factory=list)
    prefixes: list[tuple[str, str, str]] = dataclass_field(default_factory=list)  # (index field or "", prefix, shown)
    parts: list[tuple[str, SQ]] = dataclass_field(default_factory=list)  # of a plain list: each word's (or name's)
    excluded: list[SQ] = dataclass_field(default_factory=list)  # of a plain list: each NOT word's (a NOT of it)
    expansions: list[Expansion] = dataclass_field(default_factory=list)
    side_by_side: list[tuple[str, str]] = dataclass_field(default_factory=list)  # of a plain list: words typed next
    # to each other, neither a function word ("boundary layer" in "the boundary layer of a wing")

    def any_word_sq(self, leaving_out: set[str] = frozenset()) -> SQ:
        """Reports holding any of the words (a name counting as one) and none of those left out by NOT: the fallback
        when few hold all of them. ``leaving_out``: words too common to tell reports apart ("the", "what"), left out
        unless nothing is left. Reports holding two words typed side by side as a phrase rank higher
        (``SIDE_BY_SIDE_BOOST``); the phrase adds to the score and never to what is found."""
        parts = [sq for text, sq in self.parts if text not in leaving_out] or [sq for _, sq in self.parts]
        parts += [SQ(content=Raw(f'"{_quoted(first)} {_quoted(second)}"^{SIDE_BY_SIDE_BOOST}'))
                  for first, second in self.side_by_side if not {first, second} <= leaving_out]
        sq = parts[0]
        for part in parts[1:]:
            sq |= part
        for excluded in self.excluded:
            sq &= excluded
        return sq


def read_query(text: str, exact: bool = False, version: tuple | None = None) -> Reading:
    """``exact``: every word as typed, no name read as its other spellings (the page's "exact spelling" switch).
    ``version``: the gazetteer tables', if the caller read it already."""
    parser = _Parser(text)
    node = parser.parse()
    if node is None:
        return Reading(None, "", [], False, list(dict.fromkeys(parser.notes)))
    words = _words(node)
    plain = parser.is_plain and node.kind == "and" and all(
        _is_list_item(child) or (child.kind == "not" and _is_list_item(child.children[0])) for child in node.children
    ) and sum(child.kind != "not" for child in node.children) >= 2
    if not exact:
        node = _with_names(node, version or table_version())
    plain = plain and node.kind == "and"
    expansions = [Expansion(n.shown or n.text, n.named, n.forms) for n in _name_nodes(node)]
    kept = [child for child in node.children if child.kind != "not"] if plain else []
    return Reading(_to_sq(node), _to_text(node, top=True), words, plain, list(dict.fromkeys(parser.notes)),
                   prefixes=_prefixes(node), expansions=expansions,
                   parts=[(child.text, _to_sq(child)) for child in kept],
                   excluded=[_to_sq(child) for child in node.children if child.kind == "not"] if plain else [],
                   side_by_side=_side_by_side(node.children) if plain else [])


def _side_by_side(children: list[Node]) -> list[tuple[str, str]]:
    """Pairs of plain words typed next to each other, neither a function word: the phrases that rank the partial
    matches (``Reading.any_word_sq``)."""
    def plain_word(node: Node) -> bool:
        return node.kind == "word" and not node.field and node.text.lower() not in FUNCTION_WORDS
    return [(first.text, second.text) for first, second in itertools.pairwise(children)
            if plain_word(first) and plain_word(second)]


class _Parser:
    """Recursive descent over tokens, forgiving everything:
    expr := and (OR and)* ; and := unary ([AND] unary)* ; unary := NOT unary | -atom | atom ;
    atom := ( expr ) | phrase | field:value | word* | word."""

    def __init__(self, text: str):
        self.notes: list[str] = []
        self.is_plain = True
        self.tokens = self._without_extra_brackets(self._tokenize(text))
        self.pos = 0
        self.terms = 0

    def _tokenize(self, text: str) -> list[tuple[str, object]]:
        tokens = []
        for match in _TOKEN.finditer(text):
            if match.group("phrase"):
                if not match.group("pclose"):
                    self.notes.append("closed an unbalanced quote")
                tokens.append(("phrase", (bool(match.group("pneg")), (match.group("pfield") or "").lower(),
                                          match.group("ptext"), int(match.group("slop") or 0))))
            elif match.group("lparen"):
                tokens.append(("(", None))
            elif match.group("rparen"):
                tokens.append((")", None))
            else:
                word = match.group("word")
                if near := _NEAR.match(word):
                    tokens.append(("near", int(near.group(1))))
                else:
                    tokens.append(("op", word) if word in ("AND", "OR", "NOT") else ("word", word))
        return tokens

    def _without_extra_brackets(self, tokens: list[tuple[str, object]]) -> list[tuple[str, object]]:
        """Balanced brackets read as written: a pair that only wraps another pair, ``((a OR b))``, is dropped, and
        brackets still nested deeper than ``MAX_DEPTH`` (pairs, and '(' never closed) are read as if absent, with a
        note saying so."""
        pairs, opened = {}, []
        for position, (kind, _) in enumerate(tokens):
            if kind == "(":
                opened.append(position)
            elif kind == ")" and opened:
                pairs[opened.pop()] = position
        dropped = {p for start, end in pairs.items() if pairs.get(start + 1) == end - 1 for p in (start, end)}
        depth = 0
        for position, (kind, _) in enumerate(tokens):
            if position in dropped:
                continue
            if kind == "(":  # closed or not (an unclosed one is closed at the end)
                if depth >= MAX_DEPTH:
                    dropped |= {position, pairs.get(position, position)}
                    self._note(f"read brackets nested deeper than {MAX_DEPTH} as if they were not there")
                    continue
                depth += 1
            elif kind == ")" and depth:
                depth -= 1
        return [token for position, token in enumerate(tokens) if position not in dropped]

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def parse(self) -> Node | None:
        nodes = []
        while self.pos < len(self.tokens):
            node = self.parse_or()
            if node is not None:
                nodes.append(node)
            if self.peek()[0] == ")":
                self.notes.append("ignored an unmatched ')'")
                self.pos += 1
        return _combine("and", nodes)

    def parse_or(self) -> Node | None:
        nodes = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.is_plain = False
            self.pos += 1
            nodes.append(self.parse_and())
        present = [n for n in nodes if n is not None]
        if len(nodes) > 1 and len(present) < len(nodes):
            self.notes.append("ignored an OR with nothing on one side")
        return _combine("or", present)

    def parse_and(self) -> Node | None:
        nodes = []
        while True:
            kind, value = self.peek()
            if kind is None or kind == ")" or (kind, value) == ("op", "OR"):
                break
            if (kind, value) == ("op", "AND"):
                self.is_plain = False
                self.pos += 1
                if not nodes or self.peek()[0] in (None, ")") or self.peek() == ("op", "OR"):
                    self.notes.append("ignored an AND with nothing on one side")
                continue
            node = self.parse_unary()
            while self.peek()[0] == "near":
                node = self._near(node, self.tokens[self.pos][1])
            if node is not None:
                nodes.append(node)
        return _combine("and", nodes)

    def _near(self, left: Node | None, slop: int) -> Node | None:
        """``left NEAR/n right``: the two words within n words of each other, in either order. Between anything but
        two plain words (a phrase, a group) it is read as AND, and the reading says so."""
        self.is_plain = False
        self.pos += 1
        right = self.parse_unary() if self.peek()[0] not in (None, ")", "op", "near") else None
        if left is None or right is None:
            self._note(f"ignored a NEAR/{slop} with nothing on one side")
            return left or right
        if not all(node.kind == "word" and not node.field for node in (left, right)):
            self._note(f"read NEAR/{slop} as AND: it works between two words")
            return _combine("and", [left, right])
        slop = max(1, min(slop, MAX_SLOP))
        self._note(f"NEAR/{slop}: the two words within {slop} words of each other, in either order")
        return Node("near", children=[left, right], slop=slop)

    def parse_unary(self) -> Node | None:
        """NOT NOT x is x: a run of NOTs is counted, not recursed into (thousands of them are a query too)."""
        negations = 0
        while self.peek() == ("op", "NOT"):
            self.pos += 1  # NOT of a word keeps a list plain: read_query decides from the tree
            negations += 1
        if negations and (self.peek()[0] in (None, ")") or self.peek()[0] == "op"):
            self.notes.append("ignored a NOT with nothing after it")
            return None
        node = self.parse_atom()
        return Node("not", children=[node]) if node is not None and negations % 2 else node

    def parse_atom(self) -> Node | None:
        kind, value = self.peek()
        self.pos += 1
        if kind == "(":
            # Brackets around plain words change nothing ("mach number (supersonic) flow" is still a list of
            # words); an operator inside them is what makes the query literal. Brackets deeper than MAX_DEPTH were
            # dropped when the tokens were read.
            node = self.parse_or()
            if self.peek()[0] == ")":
                self.pos += 1
            else:
                self.notes.append("closed an unbalanced '('")
            return node
        if kind == "phrase":  # a quoted phrase keeps a list a list (a field or a proximity does not: read_query)
            negated, field_name, text, slop = value
            node = self._phrase(field_name, text)
            if slop and node is not None and node.kind == "phrase" and node.field not in SLUG_FIELDS:
                node.slop = max(1, min(slop, MAX_SLOP))
                self._note(f"~{node.slop}: the phrase's words in that order, at most {node.slop} words apart")
            return self._negate(negated, node)
        if kind == "word":
            return self._word(value)
        return None

    def _word(self, raw: str) -> Node | None:
        negated = raw.startswith("-") and len(raw) > 1
        raw = raw[1:] if negated else raw
        field_name = ""
        if ":" in raw:
            name, _, rest = raw.partition(":")
            if name.lower() in FIELDS:
                field_name, raw = name.lower(), rest
                if not raw:
                    self.notes.append(f"ignored '{name}:' with nothing after it")
                    return None
        if field_name:
            self.is_plain = False
        prefix = raw.endswith("*")
        parts = _WORD_PART.findall(raw)
        if not parts:
            shown = "a lone '*' (it ends a word to find every word beginning so, as in smugg*)" if raw == "*" else (
                f"'{raw[:20]}' (no letters or digits to search for)")
            self._note(f"ignored {shown}")
            return None
        if not self._count_term():
            return None
        if field_name in SLUG_FIELDS:
            node = Node("word", slugify(" ".join(parts)), field_name)
        elif prefix and len(parts) == 1:
            self.is_plain = False
            node = Node("prefix", parts[0].lower(), field_name)
        elif len(parts) == 1:
            node = Node("word", parts[0], field_name)
        else:  # "Kim's", "jong-un", "foo:bar": the parts in that order
            node = Node("phrase", " ".join(parts), field_name, shown=raw.rstrip("*"))
        return self._negate(negated, node)

    def _phrase(self, field_name: str, text: str) -> Node | None:
        parts = _WORD_PART.findall(text)
        if field_name and field_name not in FIELDS:
            parts = [*_WORD_PART.findall(field_name), *parts]
            field_name = ""
        if not parts or not self._count_term():
            if field_name:
                self.notes.append(f"ignored '{field_name}:' with nothing after it")
            return None
        if field_name in SLUG_FIELDS:
            return Node("word", slugify(" ".join(parts)), field_name)
        return Node("phrase" if len(parts) > 1 else "word", " ".join(parts), field_name, quoted=True)

    def _count_term(self) -> bool:
        self.terms += 1
        if self.terms == MAX_TERMS + 1:
            self.notes.append(f"kept the first {MAX_TERMS} terms")
        return self.terms <= MAX_TERMS

    def _negate(self, negated: bool, node: Node | None) -> Node | None:
        if negated and node is not None:
            return Node("not", children=[node])
        return node


def _with_names(node: Node, version: tuple) -> Node:
    """The tree with each name read as any of its spellings: a word or compound that names something, and within a
    list of words the longest runs of plain words that do (``Kim Jong Un visits`` -> [Kim Jong Un] visits). Quoted
    text, fields, prefixes and NEAR's words are kept as typed."""
    if node.kind == "not":
        return Node("not", children=[_with_names(node.children[0], version)])
    if node.kind == "or":
        return Node("or", children=[_with_names(child, version) for child in node.children])
    if node.kind == "and":
        children, i = [], 0
        while i < len(node.children):
            run = _longest_name(node.children, i, version)
            if run:
                children.append(run[0])
                i += run[1]
            else:
                children.append(_with_names(node.children[i], version))
                i += 1
        return children[0] if len(children) == 1 else Node("and", children=children)
    return (_longest_name([node], 0, version) or (node, 1))[0]


def _longest_name(nodes: list[Node], start: int, version: tuple) -> tuple[Node, int] | None:
    """The longest run of plain words from ``start`` that names a place or person: (its name node, its length)."""
    end = start
    while end < len(nodes) and end - start < MAX_NAME_WORDS and _is_nameable(nodes[end]):
        end += 1
    for stop in range(end, start, -1):
        run = nodes[start:stop]
        typed = " ".join(node.shown or node.text for node in run)
        named = tuple(named_by(typed, version))
        if named:
            return Node("name", " ".join(node.text for node in run), shown=typed, named=named,
                        forms=searched_forms(named)), stop - start
    return None


def _is_nameable(node: Node) -> bool:
    return node.kind in ("word", "phrase") and not node.field and not node.quoted and not node.slop


def searched_forms(named: tuple[Named, ...]) -> tuple[str, ...]:
    """The spellings a name is searched as: every form of what it names, less those that only add to another form
    (``Pyongyang City`` holds ``Pyongyang``, ``혜산시`` holds ``혜산``, ``P'yŏngyang`` is ``Pyongyang`` once the
    analyzer folds it), so the OR is short and a report is not counted twice for one spelling."""
    keyed = {}
    for form in (form for n in named for form in n.forms):
        keyed.setdefault(_form_key(form), form)
    kept = []
    for key, form in sorted(keyed.items(), key=lambda item: (len(item[0]), len("".join(item[0])))):
        if not any(_holds(key, shorter) for shorter, _ in kept):
            kept.append((key, form))
    order = list(keyed)
    return tuple(form for _, form in sorted(kept, key=lambda item: order.index(item[0])))


def _form_key(form: str) -> tuple[str, ...]:
    """A form as the analyzer reads it, near enough: folded, lowercase, its apostrophes dropped, in words."""
    return tuple(re.findall(r"\w+", fold(form).lower().replace("'", "")))


def _holds(key: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether every text holding ``key`` holds ``shorter``: its words in a row, or for Hangul (read in syllable
    pairs) a Hangul word within one."""
    if len(shorter) == 1 and has_hangul(shorter[0]) and len(key) == 1:
        return shorter[0] in key[0]
    return any(key[i:i + len(shorter)] == shorter for i in range(len(key) - len(shorter) + 1))


def _name_nodes(node: Node) -> list[Node]:
    if node.kind == "name":
        return [node]
    return [found for child in node.children for found in _name_nodes(child)]


def _combine(kind: str, nodes: list[Node]) -> Node | None:
    """One node of that kind over the nodes, flattening nested nodes of the same kind (a AND (b AND c))."""
    flat = [grandchild for node in nodes for grandchild in (node.children if node.kind == kind else [node])]
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return Node(kind, children=flat)


def _is_list_item(node: Node) -> bool:
    """A bare word, a compound typed as one word ("shock-sound", "Kim's") or a quoted word or phrase, with no field
    and no proximity: what a list of words with partial matches is made of."""
    return not node.field and not node.slop and node.kind in ("word", "phrase")


class AnySpelling(BaseInput):
    """A name's spellings, any of which matches (a form of several words as a phrase). An engine that can scores them
    as one term (the archive's Whoosh backend, ``archive/search/whoosh/variants.py``), so a report is not ranked by
    which spelling it happens to use; any other engine is given the OR of the forms as exact phrases."""

    input_type_name = "any_spelling"
    post_process = False

    def __init__(self, forms: tuple[str, ...]):
        self.forms = tuple(forms)
        super().__init__(" | ".join(self.forms))

    def prepare(self, query_obj) -> str:
        return "(" + " OR ".join(Exact(form).prepare(query_obj) for form in self.forms) + ")"


def _name_sq(node: Node) -> SQ:
    """Any of the name's spellings, scored as one term, or its region or person tag."""
    sqs = [SQ(content=AnySpelling(tuple(" ".join(_WORD_PART.findall(form)) for form in node.forms)))]
    sqs += [SQ(**{TAG_FIELDS[named.kind]: Exact(named.slug)}) for named in node.named]
    sq = sqs[0]
    for other in sqs[1:]:
        sq |= other
    return sq


def _to_sq(node: Node) -> SQ:
    if node.kind in ("and", "or"):
        sq = _to_sq(node.children[0])
        for child in node.children[1:]:
            sq = (sq & _to_sq(child)) if node.kind == "and" else (sq | _to_sq(child))
        return sq
    if node.kind == "not":
        return ~_to_sq(node.children[0])
    if node.kind == "name":
        return _name_sq(node)
    name = FIELDS.get(node.field, "content")
    if node.kind == "near":  # either order: Whoosh's sloppy phrase keeps its order
        first, second = (_quoted(child.text) for child in node.children)
        return SQ(**{name: Raw(f'"{first} {second}"~{node.slop} OR "{second} {first}"~{node.slop}')})
    if node.kind == "phrase" and node.slop:
        return SQ(**{name: Raw(f'"{_quoted(node.text)}"~{node.slop}')})
    if node.kind == "prefix":
        return SQ(**{f"{name}__startswith": node.text})
    if node.kind == "phrase" or node.field in SLUG_FIELDS:
        return SQ(**{name: Exact(node.text)})
    return SQ(**{name: node.text})


def _quoted(text: str) -> str:
    """Words inside a raw phrase: nothing that could close the quotes or escape them."""
    return re.sub(r'["\\]', " ", text)


def _to_text(node: Node, top: bool = False) -> str:
    if node.kind in ("and", "or"):
        joined = f" {node.kind.upper()} ".join(_to_text(child) for child in node.children)
        return joined if top else f"({joined})"
    if node.kind == "not":
        return f"NOT {_to_text(node.children[0])}"
    if node.kind == "near":
        return f"({node.children[0].text} NEAR/{node.slop} {node.children[1].text})"
    if node.kind == "name":
        return _name_text(node) if top else f"({_name_text(node)})"
    prefix = f"{node.field}:" if node.field else ""
    if node.kind == "phrase" and node.slop:
        return f'{prefix}"{node.shown or node.text}"~{node.slop}'
    if node.kind == "phrase":
        return f'{prefix}"{node.shown or node.text}"'
    if node.kind == "prefix":
        return f"{prefix}{node.text}*"
    return f"{prefix}{node.text}"


def _prefixes(node: Node) -> list[tuple[str, str, str]]:
    """Every prefix of the query, NOT or not (the engine may read one as its most frequent words only)."""
    if node.kind == "prefix":
        return [(FIELDS[node.field] if node.field else "", node.text, _to_text(node))]
    return [found for child in node.children for found in _prefixes(child)]


def _name_text(node: Node) -> str:
    """``Yanggang → Ryanggang, Ryangkang, 량강도, 양강도``: the other spellings searched, the first few of them."""
    others = [form for form in node.forms if _form_key(form) != _form_key(node.shown)]
    more = len(others) - SHOWN_FORMS
    listed = [*others[:SHOWN_FORMS], *([f"{more} more"] if more > 0 else [])]
    tagged = " or ".join(named.name for named in node.named)
    return f"{node.shown} → {', '.join(listed)}{', ' if listed else ''}or tagged {tagged}"


def _words(node: Node) -> list[str]:
    """The default-field words outside NOT, for spelling and the fallback."""
    if node.kind in ("and", "or", "near"):
        return [word for child in node.children for word in _words(child)]
    if node.kind in ("word", "phrase", "name") and not node.field:
        return node.text.split()
    return []
