"""How the index is written to disk: Whoosh's own format (W3), with two of its costs removed.

Most terms of the archive are in a handful of reports: a rare name, and above all the word pairs of the pairs fields
(``schema.PairsField``), about 300 new ones a report. Whoosh 2.7 writes each term's postings as a block of its own (a
header, a pickle, zlib) because its way of keeping short lists in the term's entry instead is broken
(``W3PostingsWriter.finish_postings`` calls ``set_inline``, which ``W3TermInfo`` does not have, so its default limit of
1 never inlines anything). And for every posting of a field without lengths (the pairs fields) it asks the file system
whether a lengths file exists, since it caches only the files it found. Fixed here, the write of a report's postings
costs about a third of what it did (bench: 1,000 reports committed in 12 s instead of 32 s).

The codec is kept in each segment's entry of the index's table of contents (pickled by name): this module and its class
names are part of the index format. An index written by Whoosh's plain codec is read as before.
"""

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PostingsWriter

INLINE_LIMIT = 16  # a term in fewer documents than this keeps its postings in its term entry, not a block of its own


class ArchiveCodec(W3Codec):
    """Whoosh's W3 codec with short posting lists inlined and missing lengths files remembered."""

    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)

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


class LengthsReader(W3PerDocReader):
    """A segment's per-document reader that remembers a field has no lengths file (a pairs field) instead of asking
    the file system again for each of its postings."""

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self._readers[fieldname] = super()._cached_reader(fieldname, column)
            return reader
