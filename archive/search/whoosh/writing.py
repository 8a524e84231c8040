"""Writing the index: documents added, replaced and removed in one commit, whole generations built in bulk, and which
segments are merged.

Writes hold the cross-process writer lock (``archive.search.writer_lock``) and Whoosh's own lock, add documents not
yet indexed with ``add_document`` (Whoosh's ``update_document`` opens a searcher per document), and delete the
replaced ones through one searcher; ``archive.search.indexing`` feeds them from one queue so requests never write. A
write of many documents (a backlog, a rebuild) is analysed by one process per core (Whoosh's ``MpWriter``), each
writing its own segment, and is checked to hold every document it was given. A write merges small segments only
(``merge_small_segments``); the segments of bulk writes are merged by tiers, apart from any write (``merge_tier``).
"""

import math
import shutil
from collections.abc import Iterable

from django.conf import settings
from haystack.constants import ID
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader

from archive.errors import IndexWriteLost
from archive.search.whoosh import generations
from archive.search.whoosh.codec import PositionsApartCodec
from archive.search.whoosh.segment_writer import ArchiveMpWriter, ArchiveSegmentWriter
from archive.search.writer_lock import index_writer_lock

# The buffer of postings in each indexing process of a bulk write (a backlog, a rebuild). Past it, its terms are
# written out as a run and the runs merged at the commit (``segment_writer``): about 1,500 reports a run, each costing
# about a tenth more than a write without one (Whoosh's own runs, at its default of 128 MB, cost twice: bench/README).
BULK_MEMORY_MB = 256
# Writes of many documents are analysed by settings.ARCHIVE_INDEXING_PROCESSES processes at once (Whoosh's MpWriter),
# each writing its own segment: analysis is pure Python, so one process per core is the only way past one core's speed.
PARALLEL_MIN_DOCUMENTS = 1000  # below this, starting the processes costs more than it saves
DOCUMENTS_PER_JOB = 250  # documents handed to an indexing process at a time
# A write merges the small segments (single articles from uploads and edits) once MERGE_FACTOR of them are waiting.
MERGE_FACTOR = 10
SMALL_SEGMENT = 1000  # live documents
# The segments of bulk writes (an ingest writes two every few thousand reports) are merged apart from any write, when
# the queue is empty (``merge_tier``, from ``manage.py drain_index``): most of a query's costs are per segment (at
# 20,000 reports the related reports cost 4 times more in 9 segments than in one). Merging costs about 6 ms of CPU a
# document (``segment_writer``), so it goes by tiers, as Lucene's merge policy does: TIER_FACTOR segments of one tier
# (sizes SMALL_SEGMENT * TIER_FACTOR**t to **(t + 1)) make one of the next, so a document is merged about
# log(n / SMALL_SEGMENT, TIER_FACTOR) times in all, never the largest segments again and again.
TIER_FACTOR = 4
MERGED_AT_MOST = 100_000  # documents a merge makes at most: it holds the writer lock throughout (about 6 ms each)
WRITE_LOCK_TIMEOUT = 120.0  # seconds to wait for another process's Whoosh lock (e.g. update_index) before failing


def write(shared, documents: list[dict], removed_ids: tuple[str, ...] = (), create_missing: bool = False) -> None:
    """Add or replace documents and delete others in one commit, in the live generation, holding the cross-process
    writer lock (so a rebuild in progress finishes and swaps first). Raises IndexUnavailable if the index is missing
    (unless ``create_missing``) or unreadable, IndexWriteLost if the commit holds fewer documents than it should."""
    if not documents and not removed_ids:
        return
    with index_writer_lock():
        shared.sync()
        with shared.write_lock:
            index = shared.writable(create_missing)
            writer = _writer(index, len(documents) >= PARALLEL_MIN_DOCUMENTS, timeout=WRITE_LOCK_TIMEOUT)
            try:
                with writer.searcher() as searcher:
                    reader = searcher.reader()
                    expected = reader.doc_count() + len(documents)
                    for identifier in (*removed_ids, *(document[ID] for document in documents)):
                        if (ID, identifier) in reader:
                            expected -= writer.delete_by_query(wq.Term(ID, identifier), searcher=searcher)
                for document in documents:
                    writer.add_document(**document)
                writer.commit(mergetype=merge_small_segments)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()  # releases Whoosh's lock, which a failed commit keeps
                raise
            _check_count(index, expected)


def replace_all(shared, document_batches: Iterable[list[dict]]) -> int:
    """Build a new generation of the whole index from these documents beside the live one (``add_document`` only,
    one segment per indexing process), then swap it in and remove the old generations. Holds the writer lock
    throughout, so updates queued meanwhile are written after the swap, into the new generation. Returns the number
    of documents. Searches meanwhile see the old index, complete."""
    with index_writer_lock():
        generation, folder = generations.new_generation(shared.root)
        try:
            built = FileStorage(folder).create_index(shared.schema)
            generations.mark_analysis(folder)
            writer = _writer(built, parallel=True)
            count = 0
            try:
                for batch in document_batches:
                    for document in batch:
                        writer.add_document(**document)
                        count += 1
                writer.commit()
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            _check_count(built, count)
            built.close()
            generations.swap_in(shared.root, generation)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        shared.sync()  # after the swap, outside the write lock: sync takes the read lock first
        generations.remove_old_generations(shared.root, keep=generation)
        return count


def _writer(index, parallel: bool, **options):
    """A writer in the archive's codec (``codec``), building its segment by field and term (``segment_writer``); for
    many documents (``parallel``), a larger buffer (``BULK_MEMORY_MB``) and Whoosh's multi-process writer, each process
    writing its own segment (merged later by tiers: ``merge_tier``)."""
    processes = settings.ARCHIVE_INDEXING_PROCESSES
    options["codec"] = PositionsApartCodec()
    if parallel:
        options["limitmb"] = BULK_MEMORY_MB
    if parallel and processes > 1:
        return ArchiveMpWriter(index, procs=processes, batchsize=DOCUMENTS_PER_JOB, **options)
    return ArchiveSegmentWriter(index, **options)


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: merge the small segments into the new one once MERGE_FACTOR of them are waiting, keep the
    others, drop emptied ones. Whoosh's default (MERGE_SMALL) merges by a Fibonacci rule that, past a few dozen
    commits, rewrites the largest segments again and again: at 50,000 reports indexing fell from 250 to 47 reports/s.
    The merged segment holds the word pairs its sources held (``pairing``)."""
    live = [segment for segment in segments if segment.doc_count()]
    small = [segment for segment in live if segment.doc_count() < SMALL_SEGMENT]
    if len(small) < MERGE_FACTOR:
        return live
    _merge_into(writer, small)
    return [segment for segment in live if segment.doc_count() >= SMALL_SEGMENT]


def _merge_into(writer, segments: list) -> None:
    """The documents of these segments added to the writer's new segment (a merge policy's work)."""
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


def tier_to_merge(segments: list) -> list:
    """The segments to merge next: TIER_FACTOR of one tier (the smallest of it), the lowest tier first, making at
    most MERGED_AT_MOST documents; [] when no tier is full. Small segments are left to ``merge_small_segments``."""
    tiers: dict[int, list] = {}
    for segment in segments:
        if (live := segment.doc_count()) >= SMALL_SEGMENT:
            tiers.setdefault(int(math.log(live / SMALL_SEGMENT, TIER_FACTOR)), []).append(segment)
    for tier in sorted(tiers):
        group = sorted(tiers[tier], key=lambda segment: segment.doc_count())[:TIER_FACTOR]
        if len(group) == TIER_FACTOR and sum(segment.doc_count() for segment in group) <= MERGED_AT_MOST:
            return group
    return []


def merge_is_due(shared) -> bool:
    """Whether a tier of the live index is full (``tier_to_merge``)."""
    return shared.is_available() and bool(tier_to_merge(shared.current()._segments()))


def merge_tier(shared) -> int:
    """Merge the next full tier of segments (``tier_to_merge``) into one, in one commit holding the writer locks, the
    documents written meanwhile waiting in the queue; the number of documents merged (0 if no tier is full)."""
    merged = 0

    def tier_policy(writer, segments: list) -> list:
        nonlocal merged
        chosen = tier_to_merge(segments)
        _merge_into(writer, chosen)
        merged = sum(segment.doc_count() for segment in chosen)
        merged_ids = {segment.segment_id() for segment in chosen}
        return [segment for segment in segments if segment.segment_id() not in merged_ids and segment.doc_count()]

    with index_writer_lock():
        shared.sync()
        with shared.write_lock:
            index = shared.writable(create_missing=False)
            expected = index.doc_count()
            writer = _writer(index, parallel=False, timeout=WRITE_LOCK_TIMEOUT, limitmb=BULK_MEMORY_MB)
            try:
                writer.commit(mergetype=tier_policy)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            _check_count(index, expected)
    return merged


def _check_count(index, expected: int) -> None:
    """Whoosh's multi-process writer drops a process's segment if it dies (it waits one second for each result and
    moves on): a commit that lost documents must fail, so the queue keeps its rows and writes them again."""
    found = index.doc_count()
    if found != expected:
        raise IndexWriteLost(f"the index holds {found} documents after a write, {expected} were expected")
