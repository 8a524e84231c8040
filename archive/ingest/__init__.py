"""The one way articles get in: read file -> extract metadata -> sanitize -> store, one transaction per file.

The ``ingest`` command, the upload page and the tests all call ``ingest_paths``, ``ingest_upload`` or
``ingest_bytes``.
"""

import dataclasses
import datetime
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.text import slugify

from archive.audit import Action, audit
from archive.errors import RejectedFile
from archive.history import record_correction, snapshot
from archive.ingest.gazetteer import find_regions, resolve_regions, table_version
from archive.ingest.keys import article_key, content_hash
from archive.ingest.readers import SUPPORTED_SUFFIXES, Document, read_document_file
from archive.models import Article, DatePrecision, Source
from archive.search.indexing import index_after_commit
from archive.sizes import format_size

ADDED, UPDATED, UNCHANGED, REJECTED = "added", "updated", "unchanged", "rejected"
LOCKED_RETRIES = 10  # each after SQLite's busy timeout (settings): minutes of waiting for another writer


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
    paths: Iterable[str | os.PathLike], max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None
) -> Iterator[Outcome]:
    """Ingest files and folders (recursively, supported suffixes only), yielding one outcome per file.

    ``actor`` is the user doing it (None for the command), for the history and audit log."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith("."):
                    yield ingest_file(child, max_bytes, actor=actor, defaults=defaults)
        else:
            yield ingest_file(path, max_bytes, actor=actor, defaults=defaults)


def ingest_file(path: Path, max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None) -> Outcome:
    """Cheap checks (exists, size) before reading, so a huge file is refused without being loaded."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Outcome(str(path), REJECTED, f"cannot read the file ({exc.strerror})")
    return _too_large(str(path), size, max_bytes) or ingest_bytes(
        str(path), path.read_bytes(), max_bytes, actor=actor, defaults=defaults
    )


def ingest_upload(
    uploaded: UploadedFile, max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None
) -> Outcome:
    """An uploaded file, refused by its declared size before its content is read."""
    return _too_large(uploaded.name, uploaded.size, max_bytes) or ingest_bytes(
        uploaded.name, uploaded.read(), max_bytes, actor=actor, defaults=defaults
    )


def ingest_bytes(
    name: str, data: bytes, max_bytes: int | None = None, *, actor=None, defaults: Defaults | None = None
) -> Outcome:
    """Ingest one file's content; all its articles or none are stored."""
    if rejection := _too_large(name, len(data), max_bytes):
        return rejection
    try:
        documents = read_document_file(name, data)
        if defaults is not None:
            documents = [defaults.apply(document) for document in documents]
        stored = _store_all(documents, actor)
    except RejectedFile as exc:
        return Outcome(name, REJECTED, str(exc))
    counts = Counter(status for status, _ in stored)
    overall = ADDED if counts[ADDED] else UPDATED if counts[UPDATED] else UNCHANGED
    return Outcome(name, overall, counts=counts, keys=[article.key for _, article in stored])


@dataclass
class Lookups:
    """What ``ingest_bytes`` looks up once for a whole file instead of once per article (a 20,000-line file made
    40,000 queries): the file's already-stored articles by origin, sources by lower-case name, and the version of the
    Region table that the gazetteer's caches are keyed by."""

    articles: dict[str, Article]
    sources: dict[str, Source | None] = field(default_factory=dict)
    gazetteer: tuple[int, int] | None = None

    @classmethod
    def for_documents(cls, documents: list[Document], chunk: int = 500) -> "Lookups":
        origins = [document.origin for document in documents]
        articles = {}
        for start in range(0, len(origins), chunk):
            articles.update((a.origin, a) for a in Article.objects.filter(origin__in=origins[start:start + chunk]))
        return cls(articles, gazetteer=table_version())


def _store_all(documents: list[Document], actor) -> list[tuple[str, Article]]:
    """The file's articles in one transaction. SQLite has one writer at a time: when another process (a concurrent
    ingest's big file) holds the database past the busy timeout, the whole transaction was rolled back, so it is
    simply made again rather than losing the file."""
    retries = 0
    while True:
        try:
            with transaction.atomic():
                lookups = Lookups.for_documents(documents)
                stored = [store_document(document, actor=actor, lookups=lookups) for document in documents]
                # One index update for the whole file, after it commits: a 20,000-line JSONL file is one batch.
                index_after_commit([article.pk for status, article in stored if status != UNCHANGED])
            return stored
        except OperationalError as exc:
            retries += 1
            if connection.vendor != "sqlite" or "locked" not in str(exc) or retries > LOCKED_RETRIES:
                raise


def store_document(document: Document, *, actor=None, lookups: Lookups | None = None) -> tuple[str, Article]:
    """Create or update the article for a document; a document already stored with the same bytes is left alone.

    ``actor`` is the user storing it (None for the command), for versions and the audit log. An update keeps the
    previous state as a version (``archive.history``). A withdrawn or merged article is left alone too, whatever the
    file now says: re-ingesting its file reports ``unchanged`` with its key, whose permalink explains (410 or 301), so
    a withdrawal is never undone by a routine re-ingest and no new key is made for it. ``lookups``, from
    ``ingest_bytes``, saves the queries per article; without it they are made here.
    """
    key = article_key(document.origin)
    digest = content_hash(document.raw)
    if lookups is not None:
        article = lookups.articles.get(document.origin)
    else:
        article = Article.objects.filter(origin=document.origin).first()
    if article is not None and (article.content_hash == digest or not article.is_searchable):
        return UNCHANGED, article
    status = ADDED if article is None else UPDATED
    before = snapshot(article) if article is not None else None
    article = article or Article(key=key, origin=document.origin)
    article.title = document.title[:300]
    article.body_html = document.body_html
    article.body_text = document.body_text
    article.author = document.author[:200]
    article.published = document.published
    article.published_precision = document.precision if document.published else ""
    article.url = document.url[:1000]
    article.language = document.language
    article.content_hash = digest
    article.source = _source(document.source, lookups)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        raise RejectedFile(f"key {key} is already taken by another article") from None
    if lookups is not None:
        lookups.articles[document.origin] = article  # the same origin twice in a file updates, not duplicates
    gazetteer = lookups.gazetteer if lookups is not None else None
    if document.regions is not None:
        regions = resolve_regions(document.regions, gazetteer)
    else:
        regions = find_regions([document.title, *document.paragraphs], gazetteer)
    if status == ADDED:  # a new article has no regions yet: insert them without reading them first
        Article.regions.through.objects.bulk_create(
            [Article.regions.through(article_id=article.pk, region_id=region.pk) for region in regions]
        )
    else:
        article.regions.set(regions)
    if before is None:
        audit(Action.UPLOADED, article, actor, document.origin)
    else:
        record_correction(article, before, actor, action=Action.REINGESTED)
    return status, article


def _source(name: str, lookups: Lookups | None) -> Source | None:
    if lookups is None:
        return source_named(name)
    if name.lower() not in lookups.sources:
        lookups.sources[name.lower()] = source_named(name)
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
