"""How the index is written to disk: Whoosh's own format (W3), with two of its costs removed.

Most terms of the archive are in a handful of reports: a rare name, and above all the word pairs of the pairs fields
(``schema.PairsField``), about 300 new ones a report. Whoosh 2.7 writes each term's postings as a block of its own (a
header, a pickle, zlib) because its way of keeping short lists in the term's entry instead is broken
(``W3PostingsWriter.finish_postings`` calls ``set_inline``, which ``W3TermInfo`` does not have, so its default limit of
1 never inlines anything). And for every posting of a field without lengths (the pairs fields) it asks the file system
whether a lengths file exists, since it caches only the files it found. Fixed here, the write of a report's postings
costs about a third of what it did (bench: 1,000 reports committed in 12 s instead of 32 s). The terms of fields that
record presence only (pairs, ids) are then written in one step each (``TermsWriter``): a commit costs 0.80x Whoosh's
terms writer's, for the same bytes (``bench/commit.py``). And ``TermsWriter`` keeps the pairs of two words common in
the segment only (``pairing``): 43 % of the pair terms, and a commit at 0.67x Whoosh's writer's.

The archive writes with ``PositionsApartCodec``: each posting block's positions are kept apart from its documents and
weights, so which reports hold a word, and its scores, are read without unpickling every position of it (a block of
a common word read in 10 µs instead of 200).

The codec is kept in each segment's entry of the index's table of contents (pickled by name): this module and its class
names are part of the index format. A segment written by ``ArchiveCodec`` or Whoosh's plain codec is read as before.
"""

import io
import pickle
import zlib
from array import array
from functools import cached_property
from itertools import accumulate, groupby
from operator import itemgetter

from whoosh import formats
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.system import _INT_SIZE, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from archive.search.whoosh import pairing
from archive.search.whoosh import schema as fields

INLINE_LIMIT = 16  # a term in fewer documents than this keeps its postings in its term entry, not a block of its own


class ArchiveCodec(W3Codec):
    """Whoosh's W3 codec with short posting lists inlined and missing lengths files remembered."""

    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)

    def field_writer(self, storage, segment):
        return TermsWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                      compression=self._compression, inlinelimit=self._inlinelimit)

    def per_document_reader(self, storage, segment):
        return LengthsReader(storage, segment)


class InliningPostingsWriter(W3PostingsWriter):
    """Postings of a term in fewer than ``inlinelimit`` documents go into its term entry (which Whoosh's reader
    already reads: ``W3Codec.postings_reader``)."""

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        # A field without values (a pairs field) gets b"" for each posting, as a block reads back: Whoosh's list
        # matcher reads an empty tuple of values as no postings at all (``all_items``), or '' (``value``).
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
        return terminfo

    def add_all(self, ids, weights, values, lengths) -> None:
        """A term's postings at once, a block at a time: what ``add_posting`` does one posting at a time (the same
        blocks and statistics), with the documents, weights and lengths of a block gathered by slicing."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            block_weights = weights[start:start + limit]
            lengths_given = [length for length in lengths[start:start + limit] if length]
            self._ids = array("I", ids[start:start + limit])
            self._weights = array("f", block_weights)
            self._values = [value for value in values[start:start + limit] if value]
            self._maxweight = max(0, *block_weights)
            self._minlength = min(lengths_given) if lengths_given else None
            self._maxlength = max(lengths_given) if lengths_given else 0


class TermsWriter(W3FieldWriter):
    """Whoosh's terms writer, with the terms of presence-only fields (the pairs fields and the ids: no positions, no
    frequencies, no lengths) written in one step each when their postings fit in the term entry: the same bytes as
    ``W3FieldWriter`` through ``InliningPostingsWriter`` (tests/test_index_codec.py), without a postings block set up,
    filled and summed per term. About 300 such terms a report, most in one report only; of the pairs, only those of two
    words common in the segment are written (``pairing``)."""

    def add_postings(self, schema, lengths, items):
        """Whoosh's ``FieldWriter.add_postings`` (postings sorted by field, term and document), as ``add_terms``."""
        self.add_terms(schema, lengths, ((fieldname, btext, [posting[2:] for posting in postings])
                                         for (fieldname, btext), postings in groupby(items, key=itemgetter(0, 1))))

    def add_terms(self, schema, lengths, terms):
        """Each term with its postings, ``(field, term, [(document, weight, value), ...])``, sorted by field and term
        (``segment_writer`` keeps them so): presence-only fields' terms written at once, each text field's words
        counted (a document a posting) and its pairs field, which comes next in that order, written for the words
        ``pairing`` chooses from the counts (a pair it leaves out costs a look-up, whatever its documents)."""
        field_length = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
        documents = lengths.doc_count_all() if lengths else 0
        field_lengths: list[int] = []  # the current field's, by document: read once, not once per posting
        last_field = last_text = None
        presence_only = False
        counted: dict[str, dict[bytes, int]] = {}  # text field -> its words' numbers of documents (for ``pairing``)
        counts = common = None
        for fieldname, btext, postings in terms:
            if last_field is not None and fieldname < last_field:
                raise OutOfOrderError(f"Field {last_field!r} .. {fieldname!r}")
            if fieldname == last_field and btext <= last_text:
                raise OutOfOrderError(f"Term {last_field}:{last_text!r} .. {fieldname}:{btext!r}")
            if fieldname != last_field:
                if last_field is not None:
                    self.finish_field()
                field = schema[fieldname]
                self.start_field(fieldname, field)
                presence_only = isinstance(field.format, formats.Existence) and not field.scorable
                counts = counted.setdefault(fieldname, {}) if fields.has_pairs(schema, fieldname) else None
                if not presence_only:
                    field_lengths = [field_length(docnum, fieldname) for docnum in range(documents)]
                common = None
                if isinstance(field, fields.PairsField):  # its text field's terms were written just before
                    text_field = fields.text_of(fieldname)
                    common = pairing.choose(self._segment, text_field, counted.get(text_field, {}), documents)
                last_field = fieldname
            last_text = btext
            if postings[0][0] == -1:  # words for Whoosh's spelling graph, which the archive does not keep
                postings = [posting for posting in postings if posting[0] != -1]
                if not postings:
                    continue
            ids, weights, values = zip(*postings, strict=True)
            if presence_only:
                if common is None or pairing.keeps(common, btext):
                    self._add_gathered(btext, ids, weights, field_length)
                continue
            if counts is not None:
                counts[btext] = len(postings)
            self.start_term(btext)
            self._postwriter.add_all(ids, weights, values,
                                     [field_lengths[docnum] for docnum in ids] if field_lengths else ())
            self.finish_term()
        if last_field is not None:
            self.finish_field()

    def _add_gathered(self, btext: bytes, ids: tuple[int, ...], weights: tuple[float, ...], field_length) -> None:
        """One presence-only term's postings: in its entry if they are few (as ``InliningPostingsWriter`` keeps them),
        else through Whoosh's postings writer."""
        if len(ids) >= self._codec._inlinelimit:
            self.start_term(btext)
            self._postwriter.add_all(ids, weights, (), [field_length(docnum, self._fieldname) for docnum in ids])
            self.finish_term()
            return
        key = pack_ushort(self._fieldid) + btext
        if len(ids) > 1:
            self._tindex.add(key, _inlined_entry(ids, weights))
            return
        # Most: a pair in one report, whose entry is the same as each of that report's other pairs in it alone.
        entry = self._single_entries.get((ids[0], weights[0]))
        if entry is None:
            entry = self._single_entries[ids[0], weights[0]] = _inlined_entry(ids, weights)
        self._tindex.add(key, entry)

    @cached_property
    def _single_entries(self) -> dict[tuple[int, float], bytes]:
        """The entries of presence-only terms in one document, by document and weight: at most one per document."""
        return {}


def _inlined_entry(ids: tuple[int, ...], weights: tuple[float, ...]) -> bytes:
    """``W3TermInfo.to_bytes`` of a presence-only term's entry with its postings inlined, and no field lengths (an
    unscorable field has none: 0 each)."""
    stored_weights = array("f", weights)
    entry = W3TermInfo._struct.pack(True, sum(stored_weights), len(ids), 0, 0, max(0, *weights), ids[0], ids[-1])
    postings = (tuple(array("I", ids)), tuple(stored_weights), (b"",) * len(ids))
    return entry + pickle.dumps(postings, 2)


class PositionsApartCodec(ArchiveCodec):
    """The codec the archive writes with: ``ArchiveCodec`` with each posting block's positions kept apart from its
    documents and weights (``PositionsApartWriter``). Whoosh pickles a block's documents, weights and positions
    together, so finding which reports hold a word, or scoring them, unpickled every position of the word in every
    report: about 200 µs a block of a common word against 10 µs without them. A segment written before keeps
    ``ArchiveCodec`` in its entry and is read as it was written; a rebuild or a merge writes it anew."""

    def postings_writer(self, dbfile, byteids=False):
        return PositionsApartWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                    compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PositionsApartMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class PositionsApartWriter(InliningPostingsWriter):
    """Whoosh's posting blocks, each block's data in two parts: its documents and weights, then its values (the
    positions), each pickled and compressed on its own, the first preceded by its length. A term vector's postings
    (terms for documents, ``byteids``) are written as Whoosh writes them, as Whoosh reads them back itself."""

    def _write_block(self, last=False):
        if self._byteids:
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        comp = self._compression
        head, tail = (_packed((self._mini_ids(), self._mini_weights()), comp), _packed(self._mini_values(), comp))
        ids = self._ids
        infobytes = pickle.dumps((len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength),
                                  length_to_byte(self._maxlength)), 2)
        blocklength = len(infobytes) + _INT_SIZE + len(head) + len(tail)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write_int(len(head))
        self._postfile.write(head)
        self._postfile.write(tail)
        self._blockcount += 1
        self._new_block()


class PositionsApartMatcher(W3LeafMatcher):
    """Reads ``PositionsApartWriter``'s blocks: the documents and weights when asked for, the values only when asked
    for too (a phrase's positions, a highlight); and each block's header in one read of the file, where Whoosh's
    ``read_pickle`` reads it through the compound file a few bytes at a time (about 25 reads, half the cost of
    stepping from block to block)."""

    def _goto(self, position):
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        postfile = self._postfile
        length = postfile.get_int(position)
        if length < 0:  # the last block
            self._lastblock = True
            length = -length
        self._nextoffset = position + _INT_SIZE + length
        header = io.BytesIO(postfile.get(position + _INT_SIZE, min(length, HEADER_READ)))
        self._blocklength, self._maxid, self._maxweight, self._compression, shortest, longest = pickle.load(header)
        self._dataoffset = position + _INT_SIZE + header.tell()
        self._minlength, self._maxlength = byte_to_length(shortest), byte_to_length(longest)

    def _read_ids(self):
        if self._byteids:
            return super()._read_ids()
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(self._data[0]))  # Whoosh's ``delta_decode``, a generator step an id

    def _read_data(self):
        head_length = self._postfile.get_int(self._dataoffset)
        ids, weights = _unpacked(self._postfile.get(self._dataoffset + _INT_SIZE, head_length), self._compression)
        self._data = (ids, weights, _UNREAD)

    def _read_values(self):
        if self._data is None:
            self._read_data()
        if self._data[2] is _UNREAD:
            tail_offset = self._dataoffset + _INT_SIZE + self._postfile.get_int(self._dataoffset)
            values = _unpacked(self._postfile.get(tail_offset, self._nextoffset - tail_offset), self._compression)
            self._data = (self._data[0], self._data[1], values)
        super()._read_values()


_UNREAD = object()  # a block's values not read yet
HEADER_READ = 256  # bytes read for a block's header: its pickle (six numbers) takes under 64


def _packed(data, compression: int) -> bytes:
    pickled = pickle.dumps(data, 2)
    return zlib.compress(pickled, compression) if compression else pickled


def _unpacked(data: bytes, compression: int):
    return pickle.loads(zlib.decompress(data) if compression else data)


class WhooshTermsCodec(ArchiveCodec):
    """The codec with Whoosh's own terms writer: the plain path, kept for the test and the bench that compare
    ``TermsWriter`` with it (tests/test_index_codec.py, bench/commit.py)."""

    def field_writer(self, storage, segment):
        return W3FieldWriter(self, storage, segment)


class LengthsReader(W3PerDocReader):
    """A segment's per-document reader that remembers a field has no lengths file (a pairs field) instead of asking
    the file system again for each of its postings."""

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self._readers[fieldname] = super()._cached_reader(fieldname, column)
            return reader
