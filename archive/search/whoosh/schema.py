"""The index's fields, and how a query's words are read against them.

Haystack's ``Facet*Field``s (see ``archive.search_indexes``) are stored whole (``ID`` with a column, or a
comma-separated ``KEYWORD`` with a list column for several values), so "Daily NK" comes back as ``daily-nk``, not as
the stemmed tokens ``daili`` and ``nk``; dates are sortable columns. Only what a result row reads is stored (the text,
for snippets, and the title); text fields get no column and no separate spelling field (each was a second copy of
every body), which halves the index and the time to build it.

Each text field has a pairs field beside it (``text_pairs``, ``title_pairs``): its word pairs (``analysis.pairs``)
as terms without positions or frequencies, which answer phrases (``phrases``); each segment keeps those of two words
common in it (``pairing``, chosen as ``codec.TermsWriter`` writes the segment). A document's pairs field is given the
same text as its text field (``with_pairs``) and reads the tokens of that field's pass.
"""

from haystack.fields import FacetField
from whoosh import columns, formats
from whoosh.fields import DATETIME, KEYWORD, TEXT, FieldType
from whoosh.fields import ID as WHOOSH_ID
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

from archive.search.whoosh.analysis import ArchiveTokenizer, PairTokenizer, pairs
from archive.search.whoosh.variants import VariantsPlugin

# Words without a field are looked for in the text (which holds the title too) and in the title again, so a match in
# the title outranks one in the body. Chosen on CACM, confirmed on Cranfield (bench/ranking.py --grid, bench/README.md):
# CACM MAP 0.2406 at 1.0, 0.2592 at 0.5, 0.2747 at 0.25, 0.2736 at 0; Cranfield 0.2927 at 0.5, 0.2941 at 0.25 -- the
# text field already counts the title once.
TITLE_QUERY_BOOST = 0.25
PAIRS_SUFFIX = "_pairs"  # text -> text_pairs: the field of a text field's word pairs


class KeywordList(KEYWORD):
    """Several whole values (comma-separated when indexed) with a column of lists, so the catalog reads each
    document's values from the column instead of rebuilding them from every posting list."""

    def __init__(self, stored=True, **kwargs):
        super().__init__(stored=stored, commas=True, **kwargs)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        values = value.split(",") if isinstance(value, str) else value
        return [v.strip().encode("utf-8") for v in values if v and v.strip()]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


class PairsField(FieldType):
    """A text field's word pairs: whether a document holds each pair, nothing more (no positions, no scoring)."""

    def __init__(self):
        super().__init__(formats.Existence(), PairTokenizer(), scorable=False, stored=False)

    def index(self, value, **kwargs):
        """What Whoosh's ``index`` makes of a text through ``PairTokenizer`` and the ``Existence`` format (each pair
        once, frequency 1, the field's boost, no value), without a token object and a set for each pair."""
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        return [(pair.encode("utf-8"), 1, boost, b"") for pair in pairs(value)]


def adapt(content_field_name: str, schema, fields: dict):
    """Haystack's schema (``WhooshSearchBackend.build_schema``), with facet fields whole and date fields sortable, and
    nothing in the index that no result row reads: fields are stored only if their index field says so, and text
    fields get no column (haystack makes every text field sortable, a second copy of each body)."""
    for field in fields.values():
        name = field.index_fieldname
        if isinstance(field, FacetField):
            schema.remove(name)
            if field.is_multivalued:
                schema.add(name, KeywordList(stored=field.stored))
            else:
                schema.add(name, WHOOSH_ID(stored=field.stored, sortable=True))
        elif field.field_type in ("date", "datetime"):
            schema.remove(name)
            schema.add(name, DATETIME(stored=field.stored, sortable=True))
        elif isinstance(schema[name], TEXT):
            schema[name].column_type = None
            schema[name].analyzer = ArchiveTokenizer()  # every word, acronyms, Hangul pairs (analysis.py)
            schema[name].multitoken_query = "and"  # "U.S.A." or "혜산시" in a query: all of its terms
            schema.add(pairs_of(name), PairsField())
    # No separate field of unstemmed words for spelling (it doubled the postings written): suggestions, asked for weak
    # queries only, are read from the stemmed words and a document that holds them (see snippets.suggest).
    schema[content_field_name].spelling = False
    return schema


def pairs_of(fieldname: str) -> str:
    return f"{fieldname}{PAIRS_SUFFIX}"


def text_of(pairs_fieldname: str) -> str:
    """text_pairs -> text: the text field whose word pairs a pairs field holds."""
    return pairs_fieldname.removesuffix(PAIRS_SUFFIX)


def paired_fields(schema) -> list[str]:
    """The text fields with a pairs field beside them."""
    return [name for name in schema.names() if has_pairs(schema, name)]


def has_pairs(schema, fieldname: str) -> bool:
    return pairs_of(fieldname) in schema and isinstance(schema[pairs_of(fieldname)], PairsField)


def with_pairs(schema, document: dict) -> dict:
    """The document with each text field's text given to its pairs field as well (the same string: the pairs field
    reads the tokens the text field's pass made of it)."""
    for name in [name for name in document if has_pairs(schema, name)]:
        document[pairs_of(name)] = document[name]
    return document


def query_parser(schema, content_field_name: str) -> MultifieldParser:
    """Words without a field look in the text and, boosted by TITLE_QUERY_BOOST, in the title; a name's spellings
    (``variants.written``) are read as one term."""
    parser = MultifieldParser(default_fields(schema, content_field_name), schema=schema,
                              fieldboosts={"title": TITLE_QUERY_BOOST})
    parser.add_plugins([FuzzyTermPlugin, VariantsPlugin()])
    return parser


def default_fields(schema, content_field_name: str) -> list[str]:
    """Where a word without a field is looked for: the text, and the title."""
    return [content_field_name, *(["title"] if "title" in schema else [])]


def is_date(schema, fieldname: str) -> bool:
    return fieldname in schema and isinstance(schema[fieldname], DATETIME)


def has_values(schema, fieldname: str) -> bool:
    """Whether a field keeps whole values in a column (facet fields), which the catalog reads as sets."""
    field = schema[fieldname] if fieldname in schema else None
    return field is not None and isinstance(field, (WHOOSH_ID, KeywordList)) and bool(field.column_type)
