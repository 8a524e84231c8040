"""Building a segment in memory: Whoosh's segment writer, with its postings kept by field and term as they come.

Whoosh's writer adds every posting of a document to one list as a (field, term, document, weight, value) tuple and
sorts the whole list when it commits, comparing tuples in Python; it reads a text through a token object a word,
which its ``Positions`` format gathers into positions; past its buffer it writes the list out as a run, a ``marshal``
call a posting, and merges the runs posting by posting. Profiled on the archive's reports (about 830 postings a
report, half of them word pairs), these were most of indexing's cost: 10 ms a report to add and 10 to commit, and
one run written out doubled both.

So ``ArchiveSegmentWriter`` keeps, for each field, a dict of terms to their postings in document order (documents
are numbered as they are added, so each list is in order already), sorts the terms alone at the commit, hands them
to the codec's terms writer term by term (``codec.TermsWriter.add_terms``, which writes a block of postings at a
time), and reads an archive text field's terms and positions in one pass (``analysis.term_positions``). A pool
larger than its ``limitmb`` is written out as a run of its sorted terms, pickled a chunk of terms at a time, and the
runs are merged term by term at the commit, so a bulk write's memory stays bounded whatever its size. A merge of
segments (``add_reader``) reads each term's postings at once, a block at a time (``GroupedPool.add_segment``), where
Whoosh reads them a posting at a time through a matcher: 2.6 times faster. What it writes is what Whoosh's writer
writes, byte for byte (tests/test_segment_writer.py).

``ArchiveMpWriter`` is Whoosh's multi-process writer with this writer in each indexing process, which runs without
Python's cycle collector.
"""

import gc
import heapq
import pickle
from itertools import groupby
from operator import itemgetter

from whoosh import formats
from whoosh.codec.base import OutOfOrderError
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.writing import PostingPool, SegmentWriter

from archive.search.whoosh import pairing
from archive.search.whoosh.analysis import ArchiveTokenizer, term_positions
from archive.search.whoosh.schema import paired_fields

# Bytes a posting and a new term take in the pool, about (the resident memory of a pool of the archive's reports),
# to know when to write a run out.
POSTING_BYTES = 150
TERM_BYTES = 200
# A run is pickled a chunk of terms at a time, and merging the runs at the commit holds a chunk of each run at once:
# a chunk is cut at RUN_CHUNK_POSTINGS postings (past its last term's), so the merge holds about runs x 20,000
# postings (a few MB a run) whatever the terms. (Cut at 5,000 terms, a chunk of a text field's words held up to 40 %
# of its run, 620,000 postings: the merge's memory grew by about 75 MB a run, 2.1 GB merging 72,000 reports.)
RUN_CHUNK_TERMS = 5000
RUN_CHUNK_POSTINGS = 20_000


class GroupedPool(PostingPool):
    """Whoosh's ``PostingPool`` (a sorting pool spilled to runs past ``limitmb``), holding its postings by field and
    term instead of in one list of tuples to sort."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.terms: dict[str, dict[bytes, list[tuple]]] = {}  # field -> term -> [(document, weight, value), ...]

    def add_field(self, fieldname: str, docnum: int, items, fieldboost: float) -> int:
        """One document's postings of one field, ``(term, frequency, weight, value)`` each, from a document numbered
        after every document already in the pool; returns the field's length in the document (its frequencies)."""
        terms = self._field_terms(fieldname)
        length = size = 0
        for tbytes, freq, weight, vbytes in items:
            postings = terms.get(tbytes)
            if postings is None:
                postings = terms[tbytes] = []
                size += TERM_BYTES + len(tbytes)
            postings.append((docnum, weight * fieldboost, vbytes))
            length += freq
            size += POSTING_BYTES + len(vbytes or b"")
        self._grew(size)
        return length

    def add(self, item):
        """One posting, as Whoosh's own paths add them (its spelling words, all numbered 0; a merge of a reader that
        is not a segment's)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_term(fieldname, tbytes, [(docnum, weight, vbytes)])

    def add_term(self, fieldname: str, tbytes: bytes, postings: list[tuple]) -> None:
        """A term's postings ``(document, weight, value)`` in document order, numbered after the term's postings
        already in the pool: a segment's, as a merge adds them (``add_segment``)."""
        terms = self._field_terms(fieldname)
        size = POSTING_BYTES * len(postings) + sum(len(vbytes or b"") for _docnum, _weight, vbytes in postings)
        held = terms.get(tbytes)
        if held is None:
            terms[tbytes] = postings
            size += TERM_BYTES + len(tbytes)
        elif held[-1][0] > postings[0][0]:
            raise OutOfOrderError(f"{fieldname}:{tbytes!r}: document {postings[0][0]} after {held[-1][0]}")
        else:
            held.extend(postings)
        self._grew(size)

    def add_segment(self, reader: SegmentReader, schema, basedoc: int, docmap: dict[int, int] | None) -> None:
        """Every posting of a segment's live documents, renumbered from ``basedoc`` (or by ``docmap`` where the
        segment has deletions), a term at a time and a posting block at a time: what Whoosh's merge adds a posting at
        a time (``SegmentWriter.add_postings_to_pool``), reading each through a matcher's ``id()``, ``weight()`` and
        ``value()``: most of the cost of merging segments."""
        terms_reader = reader._terms  # the segment's terms, read with their entries (not looked up again each)
        for (fieldname, tbytes), terminfo in terms_reader.items():
            if fieldname not in schema or fieldname not in reader.schema:
                continue
            postings = _every_posting(terms_reader, terminfo, reader.schema[fieldname].format)
            if docmap is None:
                postings = [(basedoc + docnum, weight, value) for docnum, weight, value in postings]
            else:
                postings = [(docmap[docnum], weight, value) for docnum, weight, value in postings if docnum in docmap]
            if postings:
                self.add_term(fieldname, tbytes, postings)

    def _field_terms(self, fieldname: str) -> dict[bytes, list[tuple]]:
        terms = self.terms.get(fieldname)
        if terms is None:
            terms = self.terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def _grew(self, size: int) -> None:
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    def iter_terms(self):
        """``(field, term, [(document, weight, value), ...])`` sorted by field and term, as ``TermsWriter.add_terms``
        reads them: from memory, or merged from the runs written out (in the order they were written, which is the
        order of their documents)."""
        if not self.runs:
            return self._sorted_terms()
        self.save()
        runs, self.runs = self.runs, []
        merged = heapq.merge(*(self._read_terms(path) for path in runs), key=_field_and_term)  # stable: runs in order
        return ((fieldname, tbytes, [posting for _field, _term, postings in group for posting in postings])
                for (fieldname, tbytes), group in groupby(merged, key=_field_and_term))

    def items(self, maxfiles=128):
        """The postings one by one, ``(field, term, document, weight, value)``, sorted: Whoosh's interface."""
        return ((fieldname, tbytes, docnum, weight, vbytes) for fieldname, tbytes, postings in self.iter_terms()
                for docnum, weight, vbytes in postings)

    def save(self):
        """Write the pool out as a run, its terms in order pickled a chunk at a time, and empty it. (Whoosh writes a
        run a posting at a time and merges runs posting by posting, in Python: one run written out doubled the cost
        of a bulk write.)"""
        if self.terms:
            path, f = self._new_run()
            chunk, postings = [], 0
            for term in self._sorted_terms():
                chunk.append(term)
                postings += len(term[2])
                if postings >= RUN_CHUNK_POSTINGS or len(chunk) >= RUN_CHUNK_TERMS:
                    pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                    chunk, postings = [], 0
            if chunk:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
            f.close()
            self._add_run(path)
            self.terms = {}
        self.currentsize = 0

    def _sorted_terms(self):
        for fieldname in sorted(self.terms):
            terms = self.terms[fieldname]
            for tbytes in sorted(terms):
                yield fieldname, tbytes, terms[tbytes]

    def _read_terms(self, path: str):
        """A run's terms in order, each let go once taken (a chunk is not held whole until the next is read)."""
        with self._open_run(path) as f:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    break
                chunk.reverse()
                while chunk:
                    yield chunk.pop()
        self._remove_run(path)


_field_and_term = itemgetter(0, 1)


def _every_posting(terms_reader, terminfo, format_) -> list[tuple]:
    """``(document, weight, value)`` of each posting of a term, deleted documents too, as its matcher's ``id()``,
    ``weight()`` and ``value()`` give them: from its entry (``ListMatcher``), or a block at a time from its posting
    list (``W3LeafMatcher``)."""
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        return list(zip(ids, weights or [1.0] * len(ids), values or [""] * len(ids), strict=True))
    matcher = terms_reader._codec.postings_reader(terms_reader._postfile, terminfo, format_)
    postings = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        postings.extend(zip(matcher._ids, matcher._weights, matcher._values, strict=True))
        matcher._next_block()
    return postings


class GroupedPostings:
    """What ``ArchiveSegmentWriter`` and ``ArchiveMpWriter`` add to Whoosh's writers: the grouped pool, and merges
    that read a term at a time."""

    def _group_postings(self, limitmb: int) -> None:
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        # Whoosh's own path for what this one leaves out: words for a separate spelling field, term vectors.
        self._whoosh_path = any(field.separate_spelling() or field.vector for _name, field in self.schema.items())

    def add_reader(self, reader):
        """Whoosh's ``add_reader`` (a segment merged into this one, whatever the merge policy), its postings added to
        the pool a term at a time (``GroupedPool.add_segment``); the new segment holds the word pairs of words common
        in each segment it takes in, as that one held those only (``pairing.narrow_to_source``)."""
        for leaf, _offset in reader.leaf_readers():
            pairing.narrow_to_source(self.newsegment, leaf.segment(), paired_fields(self.schema))
        if self._whoosh_path or not isinstance(reader, SegmentReader):
            return super().add_reader(reader)
        self._check_state()
        basedoc = self.docnum
        fieldnames = set(self.schema.names()) | {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(fieldnames, reader)
        self.pool.add_segment(reader, self.schema, basedoc, docmap)
        self._added = True

    def _flush_segment(self):
        """Whoosh's, the terms handed to the codec's terms writer term by term where it takes them so
        (``codec.TermsWriter.add_terms``)."""
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        if hasattr(self.fieldwriter, "add_terms"):
            self.fieldwriter.add_terms(self.schema, lengths, self.pool.iter_terms())
        else:  # Whoosh's own terms writer (codec.WhooshTermsCodec)
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


class ArchiveSegmentWriter(GroupedPostings, SegmentWriter):
    """Whoosh's ``SegmentWriter`` with the grouped pool and an archive text field's terms read in one pass."""

    def __init__(self, ix, limitmb=128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self._group_postings(limitmb)

    def add_document(self, **fields):
        """Whoosh's ``SegmentWriter.add_document``, postings handed to the pool a field at a time."""
        if self._whoosh_path:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                frequencies = self.pool.add_field(fieldname, docnum, _indexed(field, value), fieldboost)
                if field.scorable:
                    length = frequencies
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


def _indexed(field, value):
    """A field's ``index(value)``: for an archive text field (``ArchiveTokenizer``, positions), the same
    ``(term, frequency, weight, positions)`` read without a token object a word."""
    if (isinstance(value, str) and type(field.format) is formats.Positions
            and isinstance(field.analyzer, ArchiveTokenizer)):
        boost, encode = field.format.field_boost, field.format.encode
        return [(term.encode("utf-8"), len(positions), float(len(positions)) * boost, encode(positions))
                for term, positions in term_positions(value).items()]
    return field.index(value)


class ArchiveSubWriterTask(SubWriterTask):
    """An indexing process of ``ArchiveMpWriter``: Whoosh's, writing with ``ArchiveSegmentWriter``."""

    def run(self):
        """Whoosh's ``SubWriterTask.run``, multisegment only (each process writes a segment of its own), without
        Python's cycle collector: the pool's millions of postings hold no cycles, yet each full collection walked
        them all (a fifth of a bulk write's time); the process ends with its segment."""
        gc.disable()
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = ArchiveSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class ArchiveMpWriter(GroupedPostings, MpWriter):
    """Whoosh's multi-process writer, each process writing a segment of its own with ``ArchiveSegmentWriter``."""

    def __init__(self, ix, procs, batchsize, limitmb=128, **kwargs):
        super().__init__(ix, procs=procs, batchsize=batchsize, multisegment=True, limitmb=limitmb, **kwargs)
        self._group_postings(limitmb)

    def _new_task(self):
        task = ArchiveSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                    self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
