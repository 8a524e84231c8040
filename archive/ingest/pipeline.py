"""The one way articles get in: read file -> extract metadata -> sanitize -> store, one transaction per file.

The ``ingest`` command, the upload page and the tests all call ``ingest_paths``, ``ingest_upload`` or
``ingest_bytes``. Each file is isolated: whatever goes wrong while it is read, extracted or stored becomes that file's
``rejected`` outcome, with a reason in plain words (the traceback goes to the operator's log), and the batch goes on;
a file's transaction stores all of its articles or none.

A report is identified by its URL, or else by its content (``archive.ingest.keys.identity``), never by its file
name; replacing a report's text from a file is the explicit ``replace`` of ``ingest_bytes``.
"""

import dataclasses
import datetime
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.text import slugify

from archive.audit import Action, audit
from archive.editions import link_edition, link_waiting_editions
from archive.errors import RejectedFile
from archive.history import record_correction, snapshot
from archive.ingest.gazetteer import resolve_regions, table_version, tag
from archive.ingest.keys import article_key
from archive.ingest.readers import SUPPORTED_SUFFIXES, Document, read_document_file
from archive.models import Article, DatePrecision, FormerKey, Source
from archive.names import guess_name_parts
from archive.search.indexing import index_after_commit
from archive.sizes import format_size

ADDED, UPDATED, UNCHANGED, REJECTED = "added", "updated", "unchanged", "rejected"
# Each after SQLite's busy timeout (settings), a PostgreSQL deadlock, or a concurrent insert of the same report.
RETRIES = 10
UNEXPECTED = "the file could not be processed because of an unexpected error; the operator's log has the details"
# What a re-ingest or a replacement writes: never the withdrawal or merge columns, which another change may have set.
CONTENT_FIELDS = ["title", "slug", "body_html", "body_text", "author", "author_slug", "author_family", "author_given",
                  "published",
                  "published_precision", "url", "language", "content_hash", "source", "updated_at"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Defaults:
    """What an uploader states for a whole batch: the source of all its reports, and the date of those that
    state none. Applied to each document before it is stored, so the stored article is as the uploader meant it."""

    source: Source | None = None
    published: datetime.date | None = None

    def apply(self, document: Document) -> Document:
        changes = {}
        if self.source is not None:
            changes["source"] = self.source.name
        if self.published is not None and document.published is None:
            changes["published"], changes["precision"] = self.published, DatePrecision.DAY
        return dataclasses.replace(document, **changes) if changes else document


@dataclass
class Outcome:
    """What happened to one file: its status, and for files of several articles how many went each way."""

    name: str
    status: str
    reason: str = ""
    counts: Counter = field(default_factory=Counter)
    keys: list[str] = field(default_factory=list)

    @property
    def is_rejected(self) -> bool:
        return self.status == REJECTED

    def __str__(self) -> str:
        if self.is_rejected:
            return f"{self.name}: rejected: {self.reason}"
        if sum(self.counts.values()) > 1:
            detail = ", ".join(f"{self.counts[s]} {s}" for s in (ADDED, UPDATED, UNCHANGED) if self.counts[s])
            return f"{self.name}: {self.status} ({detail})"
        return f"{self.name}: {self.status}"


def ingest_paths(
    paths: Iterable[str | os.PathLike], max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None,
    on_record: Callable[[], None] | None = None,
) -> Iterator[Outcome]:
    """Ingest files and folders (recursively, supported suffixes only), yielding one outcome per file.

    ``actor`` is the user doing it (None for the command), for the history and audit log; ``on_record`` is called
    as each report is stored (the command's progress on a terminal; a retried file counts again)."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith("."):
                    yield ingest_file(child, max_bytes, actor=actor, defaults=defaults, on_record=on_record)
        else:
            yield ingest_file(path, max_bytes, actor=actor, defaults=defaults, on_record=on_record)


def ingest_file(path: Path, max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None,
                replace: str | None = None, on_record: Callable[[], None] | None = None) -> Outcome:
    """Cheap checks (exists, size) before reading, so a huge file is refused without being loaded."""
    try:
        size = path.stat().st_size
        rejection = _too_large(str(path), size, max_bytes)
        data = None if rejection else path.read_bytes()
    except OSError as exc:
        return Outcome(str(path), REJECTED, f"cannot read the file ({exc.strerror or 'unreadable'})")
    return rejection or ingest_bytes(str(path), data, max_bytes, actor=actor, defaults=defaults, replace=replace,
                                     on_record=on_record)


def ingest_upload(uploaded: UploadedFile, max_bytes: int | None = None, *, actor=None,
                  defaults: Defaults | None = None, replace: str | None = None) -> Outcome:
    """An uploaded file, refused by its declared size before its content is read."""
    name = uploaded.name or "(unnamed file)"
    if rejection := _too_large(name, uploaded.size, max_bytes):
        return rejection
    try:
        data = uploaded.read()
    except OSError:
        log.exception("reading the upload %s failed", name)
        return Outcome(name, REJECTED, "the upload could not be read; send it again")
    return ingest_bytes(name, data, max_bytes, actor=actor, defaults=defaults, replace=replace)


def ingest_bytes(name: str, data: bytes, max_bytes: int | None = None, *, actor=None,
                 defaults: Defaults | None = None, replace: str | None = None,
                 on_record: Callable[[], None] | None = None) -> Outcome:
    """Ingest one file's content; all its articles or none are stored.

    ``replace``: the key of the article whose text this file corrects (one report; the old text is kept as a
    version). Without it, a report already stored is ``unchanged`` and any other is a new article.

    The batch boundary: any failure is this file's rejection. An ``ArchiveError`` carries its own reason; anything
    else is a bug, logged with its traceback, and the user is told only that the file could not be processed."""
    if rejection := _too_large(name, len(data), max_bytes):
        return rejection
    try:
        documents = read_document_file(name, data)
        if defaults is not None:
            documents = [defaults.apply(document) for document in documents]
        stored = _store_all(documents, actor, replace=replace, name=name, on_record=on_record)
    except RejectedFile as exc:
        return Outcome(name, REJECTED, str(exc))
    except Exception:  # noqa: BLE001 - the batch boundary: one file's failure never ends the batch
        log.exception("ingest of %s failed", name)
        return Outcome(name, REJECTED, UNEXPECTED)
    counts = Counter(status for status, _ in stored)
    overall = ADDED if counts[ADDED] else UPDATED if counts[UPDATED] else UNCHANGED
    return Outcome(name, overall, counts=counts, keys=[article.key for _, article in stored])


class _Conflict(Exception):
    """Another transaction stored the same report, took its key or former key, or added its source meanwhile: the
    file is stored again (on PostgreSQL concurrent ingests really overlap; SQLite's writers queue)."""


@dataclass
class Lookups:
    """What ``ingest_bytes`` looks up once for a whole file instead of once per article (a 20,000-line file made
    40,000 queries): the already-stored articles the file's reports may be, by origin and by content, locked
    (``select_for_update``) until the file's transaction ends, so a withdrawal or correction made meanwhile waits
    instead of being overwritten; sources by lower-case name; and the version of the Region and Person tables that
    the gazetteer's caches are keyed by."""

    by_origin: dict[str, Article]
    by_digest: dict[str, Article]
    sources: dict[str, Source | None] = field(default_factory=dict)
    gazetteer: tuple[int, ...] | None = None

    @classmethod
    def for_documents(cls, documents: list[Document], chunk: int = 500) -> "Lookups":
        origins = sorted({document.origin for document in documents})
        digests = sorted({document.digest for document in documents if not document.url})
        locked = Article.objects.select_for_update().order_by("pk")
        found = {}
        for column, values in (("origin__in", origins), ("content_hash__in", digests)):
            for start in range(0, len(values), chunk):
                found.update((a.pk, a) for a in locked.filter(**{column: values[start:start + chunk]}))
        articles = sorted(found.values(), key=lambda article: article.pk)
        by_digest = {}
        for article in articles:
            by_digest.setdefault(article.content_hash, article)
        return cls({article.origin: article for article in articles}, by_digest, gazetteer=table_version())

    def find(self, document: Document) -> Article | None:
        """The article this document is: the one with its URL; without a URL, the one first stored with its bytes,
        or one whose text was replaced by them."""
        if article := self.by_origin.get(document.origin):
            return article
        return None if document.url else self.by_digest.get(document.digest)

    def remember(self, document: Document, article: Article) -> None:
        """The same report twice in one file is stored once."""
        self.by_origin[document.origin] = article
        if not document.url:
            self.by_digest.setdefault(document.digest, article)


def _store_all(documents: list[Document], actor, *, replace: str | None, name: str,
               on_record: Callable[[], None] | None = None) -> list[tuple[str, Article]]:
    """The file's articles in one transaction. When the transaction cannot go on because of another (SQLite busy
    past its timeout, a PostgreSQL deadlock, the same report, former key or source inserted by a concurrent ingest),
    it was rolled back whole, so it is simply made again rather than losing the file."""
    for attempt in range(RETRIES + 1):
        try:
            with transaction.atomic():
                lookups = Lookups.for_documents(documents)
                if replace is not None:
                    stored = [_replace(replace, documents, actor, lookups, name)]
                else:
                    stored = []
                    for document in documents:
                        stored.append(store_document(document, actor=actor, lookups=lookups))
                        if on_record:
                            on_record()
                    added = [d for d, (status, _) in zip(documents, stored, strict=True) if status == ADDED]
                    keep_former_keys(added, lookups)
                link_waiting_editions([article for status, article in stored if status != UNCHANGED])
                # One index update for the whole file, after it commits: a 20,000-line JSONL file is one batch.
                index_after_commit([article.pk for status, article in stored if status != UNCHANGED])
            return stored
        except _Conflict as conflict:
            if attempt == RETRIES:
                raise RejectedFile(str(conflict)) from None
        except OperationalError as exc:
            message = str(exc)
            retried = "deadlock" in message or (connection.vendor == "sqlite" and "locked" in message)
            if not retried or attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


def store_document(document: Document, *, lookups: Lookups, actor=None) -> tuple[str, Article]:
    """Create the article for a new report, or update the one with the document's URL if its text changed.

    A report already stored is left alone (``unchanged``, with its key): without a URL, the same bytes are the same
    report; a report whose text was replaced keeps its correction. A withdrawn or merged article is left alone too,
    whatever the file now says, so a withdrawal is never undone by a routine re-ingest and no new key is made for it.
    ``actor`` is the user storing it (None for the command), for versions and the audit log; an update keeps the
    previous state as a version (``archive.history``).
    """
    article = lookups.find(document)
    if article is not None and (not document.url or article.content_hash == document.digest
                                or not article.is_searchable):
        return UNCHANGED, article
    if article is None:
        article = Article(key=article_key(document.origin), origin=document.origin)
        _write(article, document, lookups, created=True)
        audit(Action.UPLOADED, article, actor, document.origin)
        lookups.remember(document, article)
        return ADDED, article
    before = snapshot(article)
    _write(article, document, lookups, created=False)
    record_correction(article, before, actor, action=Action.REINGESTED)
    return UPDATED, article


def _replace(key: str, documents: list[Document], actor, lookups: Lookups, name: str) -> tuple[str, Article]:
    """The explicit correction from a file: the article ``key`` takes the file's one report; its old text stays a
    version. Its key, origin and permalink do not change."""
    if len(documents) != 1:
        raise RejectedFile(f"a correction replaces one report, and this file holds {len(documents)}")
    [document] = documents
    article = Article.objects.select_for_update().filter(key=key.strip().lower()).first()
    if article is None:
        raise RejectedFile(f"no report has the key {key.strip()!r}, so there is nothing to correct")
    if not article.is_searchable:
        raise RejectedFile(f"report {article.key} is withdrawn or merged; correct the report readers see instead")
    if article.content_hash == document.digest:
        return UNCHANGED, article
    other = lookups.find(document)
    if document.url and other is not None and other.pk != article.pk:
        raise RejectedFile(f"the file's URL belongs to report {other.key}; correct that one, or remove the URL")
    before = snapshot(article)
    _write(article, document, lookups, created=False)
    record_correction(article, before, actor, f"text replaced from the file {Path(name).name}",
                      action=Action.REINGESTED)
    return UPDATED, article


def _write(article: Article, document: Document, lookups: Lookups, *, created: bool) -> None:
    """The document's content, regions, people and other edition onto the article; an existing article's other
    columns are not written."""
    article.title = document.title[:300]
    article.body_html = document.body_html
    article.body_text = document.body_text
    article.author_family, article.author_given = guess_name_parts(document.author[:200], keep=article)
    article.author = document.author[:200]
    article.published = document.published
    article.published_precision = document.precision if document.published else ""
    article.url = document.url[:1000]
    article.language = document.language
    article.content_hash = document.digest
    article.source = _source(document.source, lookups)
    try:
        with transaction.atomic():
            article.save(**({} if created else {"update_fields": CONTENT_FIELDS}))
    except IntegrityError:
        raise _Conflict(f"the key {article.key} is already taken by another report") from None
    # The regions a record lists, and the places and people its title and text name (a city with its province): a
    # record that lists some regions is still tagged with the others it names.
    regions, people = tag([document.title, *document.paragraphs], lookups.gazetteer)
    if document.regions:
        regions = sorted({region.pk: region for region in [*resolve_regions(document.regions, lookups.gazetteer),
                                                           *regions]}.values(), key=lambda region: region.pk)
    if created:  # a new article has no tags yet: insert them without reading them first
        Article.regions.through.objects.bulk_create(
            [Article.regions.through(article_id=article.pk, region_id=region.pk) for region in regions]
        )
        if people:  # most reports name none: no call at all
            Article.people.through.objects.bulk_create(
                [Article.people.through(article_id=article.pk, person_id=person.pk) for person in people]
            )
    else:
        article.regions.set(regions)
        article.people.set(people)
    link_edition(article, document.translation_of)


def keep_former_keys(added: list[Document], lookups: Lookups, chunk: int = 500) -> None:
    """Before identity came from content, a report without a URL was keyed by its file name (and record number).
    The first report stored under such a name keeps that key as a former key, so a permalink handed out then still
    answers (301), in a fresh database too; a key already in use is never taken."""
    wanted = {}
    for document in added:
        if document.former_origin and not document.url:
            wanted.setdefault(article_key(document.former_origin), lookups.find(document))
    keys = list(wanted)
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        for taken in [*Article.objects.filter(key__in=part).values_list("key", flat=True),
                      *FormerKey.objects.filter(key__in=part).values_list("key", flat=True)]:
            wanted.pop(taken, None)
    try:
        FormerKey.objects.bulk_create([FormerKey(key=key, article=article) for key, article in wanted.items()],
                                      batch_size=chunk)
    except IntegrityError:
        raise _Conflict("another report took this file name's former key meanwhile") from None


def _source(name: str, lookups: Lookups) -> Source | None:
    if name.lower() not in lookups.sources:
        try:
            lookups.sources[name.lower()] = source_named(name)
        except IntegrityError:
            raise _Conflict(f"the source {name!r} was added by another ingest meanwhile") from None
    return lookups.sources[name.lower()]


def source_named(name: str) -> Source | None:
    """The Source of that name (case-insensitive), created on first sight."""
    if not name:
        return None
    existing = Source.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    slug = slugify(name)[:200] or "source"
    return Source.objects.create(name=name[:200], slug=slug if not Source.objects.filter(slug=slug).exists()
                                 else f"{slug}-{Source.objects.count()}")


def _too_large(name: str, size: int, max_bytes: int | None) -> Outcome | None:
    limit = max_bytes or settings.ARCHIVE_MAX_FILE_BYTES
    if size > limit:
        return Outcome(name, REJECTED, f"the file is {format_size(size)}; the limit is {format_size(limit)}")
    return None
