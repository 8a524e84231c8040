"""The spellings of one name scored as one term, as Lucene's ``SynonymQuery`` scores synonyms.

A place or person in a query is searched as any of its spellings (``archive.search.query``: ``Yanggang`` is also
``Ryanggang``, ``량강도``, ...). Searched as an OR of spellings, BM25 would score each with its own IDF, so a report
using the rare spelling outranked an otherwise equal one using the common spelling: ranking would follow how the
press happens to spell a name, not how much a report is about it. Here the spellings are one term: a report's
frequency is the sum of every spelling's occurrences (a spelling of several words counts its occurrences as a
phrase), and the IDF is that of the commonest spelling's document frequency (Lucene's choice; a spelling of several
words counts at most as its rarest word's). Each field is scored on its own, as every word is (``scoring``).

Query text reaches this backend as a string (haystack builds it): ``«Ryanggang|량강도|Ryang-gang»`` is one name's
spellings, written by ``ArchiveWhooshSearchQuery`` for ``archive.search.query.AnySpelling`` and read here by
``VariantsPlugin``. Nothing a user types can write it: the query language keeps only letters and digits of words.
"""

from whoosh import matching
from whoosh import query as wq
from whoosh.qparser import syntax
from whoosh.qparser.common import attach
from whoosh.qparser.plugins import Plugin, RegexTagger

from archive.search.whoosh import scoring

OPEN, SEPARATOR, CLOSE = "«", "|", "»"


def written(forms) -> str:
    """The query-string form of a name's spellings (what ``VariantsPlugin`` reads back)."""
    cleaned = [" ".join(form.replace(OPEN, " ").replace(CLOSE, " ").replace(SEPARATOR, " ").split()) for form in forms]
    return OPEN + SEPARATOR.join(form for form in cleaned if form) + CLOSE


class Variants(wq.Query):
    """Documents holding any of the forms (each a tuple of terms: one term, or a phrase) in one field, scored by BM25
    as one term."""

    def __init__(self, fieldname: str, forms, boost: float = 1.0):
        self.fieldname = fieldname
        self.forms = tuple(dict.fromkeys(tuple(form) for form in forms if form))
        self.boost = boost

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {self.forms!r}, boost={self.boost!r})"

    def __eq__(self, other):
        return type(other) is type(self) and (self.fieldname, self.forms, self.boost) == (
            other.fieldname, other.forms, other.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.fieldname, self.forms, self.boost))

    def is_leaf(self):
        return False

    def children(self):
        return iter([self._form_query(form) for form in self.forms])

    def _form_query(self, form):
        return wq.Term(self.fieldname, form[0]) if len(form) == 1 else wq.Phrase(self.fieldname, list(form))

    def estimate_size(self, ixreader):
        return sum(child.estimate_size(ixreader) for child in self.children())

    def normalize(self):
        return self if self.forms else wq.NullQuery

    def matcher(self, searcher, context=None):
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        found = [(form, matcher) for form in self.forms
                 if (matcher := self._form_query(form).matcher(searcher, None)).is_active()]
        if not found:
            return matching.NullMatcher()
        weighting = getattr(context, "weighting", None) if context is not None else None
        parent = searcher.get_parent()
        frequency = max(_document_frequency(parent, self.fieldname, form) for form in self.forms)
        return VariantsMatcher(
            [matcher for _, matcher in found], [len(form) > 1 for form, _ in found],
            idf=scoring.probabilistic_idf(frequency, parent.doc_count_all()),
            field_length=lambda docnum: searcher.doc_field_length(docnum, self.fieldname, 1),
            average_length=parent.avg_field_length(self.fieldname) or 1,
            k1=getattr(weighting, "K1", scoring.K1), b=getattr(weighting, "B", scoring.B), boost=self.boost,
        )


def _document_frequency(reader, fieldname: str, form: tuple[str, ...]) -> int:
    """A term's document frequency; a phrase's at most its rarest word's (counting it would read its positions)."""
    return min(reader.doc_frequency(fieldname, word) for word in form)


class VariantsMatcher(matching.Matcher):
    """The union of the forms' matchers; a document's frequency is the sum of its forms' occurrences."""

    def __init__(self, children, phrases, idf, field_length, average_length, k1, b, boost):
        self.pairs = list(zip(children, phrases, strict=True))  # (matcher, is a phrase), the active ones
        self.idf, self.field_length, self.average_length = idf, field_length, average_length
        self.k1, self.b, self.boost = k1, b, boost
        self._sync()

    def _sync(self):
        """Drop the forms that are done; the current document is the lowest of the others'."""
        self.pairs = [(child, phrase) for child, phrase in self.pairs if child.is_active()]
        self._id = min(child.id() for child, _ in self.pairs) if self.pairs else None

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def next(self):
        for child, _ in self.pairs:
            if child.id() == self._id:
                child.next()
        self._sync()

    def skip_to(self, docnum):
        for child, _ in self.pairs:
            if child.id() < docnum:
                child.skip_to(docnum)
        self._sync()

    def copy(self):
        return VariantsMatcher([child.copy() for child, _ in self.pairs], [phrase for _, phrase in self.pairs],
                               self.idf, self.field_length, self.average_length, self.k1, self.b, self.boost)

    def children(self):
        return [child for child, _ in self.pairs]

    def supports(self, astype):
        return False

    def supports_block_quality(self):
        return False

    def max_quality(self):
        """No bound, so nothing is pruned: Whoosh's unions and intersections ask every child for one when they prune
        a top-N search, whether or not the child reads block qualities (without it, "Pyongyang s*" failed)."""
        return float("inf")

    block_quality = max_quality

    def weight(self):
        """The name's occurrences in the current document, all spellings together."""
        return float(sum((len(child.spans()) if phrase else child.weight())
                         for child, phrase in self.pairs if child.id() == self._id))

    def score(self):
        return self.boost * scoring.bm25(self.idf, self.weight(), self.field_length(self._id), self.average_length,
                                         self.b, self.k1)


class VariantsPlugin(Plugin):
    """Reads ``«form|form»`` (``written``) as a ``Variants`` query of each field a word is looked for in."""

    class VariantsNode(syntax.TextNode):
        def r(self):
            return f"{type(self).__name__} {self.text!r}"

        def query(self, parser):
            fieldname = self.fieldname or parser.fieldname
            field = parser.schema[fieldname] if parser.schema and fieldname in parser.schema else None
            forms = []
            for form in self.text.split(SEPARATOR):
                if field is not None and field.analyzer:
                    forms.append(tuple(token.text for token in field.tokenize(form, mode="query")))
                else:
                    forms.append(tuple(form.lower().split()))
            return attach(Variants(fieldname, forms, boost=self.boost), self)

    class VariantsTagger(RegexTagger):
        def create(self, parser, match):
            return VariantsPlugin.VariantsNode(match.group("text"))

    expr = f"{OPEN}(?P<text>[^{CLOSE}]*){CLOSE}"

    def taggers(self, parser):
        return [(self.VariantsTagger(self.expr), -10)]  # before words and phrases read its text
