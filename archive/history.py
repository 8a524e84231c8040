"""Corrections with history: every change of an article's content keeps the state before it, and diffs show what
changed, so an analyst can see the text they cited (``/articles/<key>/v/<n>/``) and what became of it.

A correction by hand (the admin, and tests that correct a report as an archivist would) goes through ``correct``;
a re-ingest of a changed file writes the whole document and calls ``record_correction`` with a ``snapshot`` taken
before it. Either way the versions and the audit entry are written in the caller's transaction.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from archive.audit import Action, audit
from archive.models import Article, ArticleVersion
from archive.sanitize import html_to_text

# Metadata a reader sees, in the order the article page shows it: (snapshot key, label).
METADATA = [("source", "Source"), ("published", "Date"), ("author", "Author"), ("regions", "Regions"),
            ("url", "Original"), ("language", "Language")]
# What a metadata list shows when the report does not give the field (templates: archive.templatetags.metadata).
MISSING = {"source": "unknown", "published": "date unknown", "author": "not stated", "regions": "none found"}
_PARAGRAPH = "\n\n"
# The columns a correction may write; regions and people are passed on their own.
CORRECTABLE_FIELDS = frozenset({"title", "author", "author_family", "author_given", "source", "published",
                                "published_precision", "url", "language", "body_html"})
# Written too, but not a correction of the report: the link to its other edition.
LINK_FIELDS = frozenset({"translation_of"})


@dataclass(frozen=True)
class Snapshot:
    """An article's content as readers see it, and since when; equal snapshots mean nothing visible changed."""

    title: str
    body_html: str
    body_text: str
    metadata: dict
    since: object = field(compare=False, default=None)  # a datetime; not part of the content


def snapshot(article: Article) -> Snapshot:
    """Read from the database (regions included), so an edited-but-unsaved form is never mistaken for the state."""
    regions = list(article.regions.order_by("name").values_list("name", flat=True)) if article.pk else []
    return Snapshot(article.title, article.body_html, article.body_text, _metadata(article, regions),
                    since=article.updated_at)


def _metadata(article: Article, regions: list[str]) -> dict:
    return {
        "source": article.source.name if article.source_id else "",
        "published": article.published_display,
        "published_iso": article.published_iso,
        "author": article.author,
        "regions": regions,
        "url": article.url,
        "language": article.language,
    }


def correct(article: Article, changes: dict, regions=None, people=None, actor=None,
            reason: str = "") -> ArticleVersion | None:
    """Correct an article by hand: the one path for the admin and for tests that act as an archivist.

    Under the row's lock, the state before is read from the database (``article`` may already hold new values, as
    the admin's form instance does), then only the changed columns are written, so a withdrawal, merge or re-ingest
    made since the caller read the article is not undone. ``regions`` and ``people`` (iterables of rows), when given,
    replace the article's. The versions and audit entry are kept as ``record_correction`` does, and the index is
    updated after the commit. Returns the new version, or None if nothing a reader sees changed."""
    # Imported here: the search package reads the gazetteer through ingest, which imports this module.
    from archive.search.indexing import index_after_commit

    unknown = set(changes) - CORRECTABLE_FIELDS - LINK_FIELDS
    if unknown:
        raise ValueError(f"not a correctable field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = snapshot(Article.objects.select_for_update().get(pk=article.pk))
        for name, value in changes.items():
            setattr(article, name, value)
        derived = []
        if "body_html" in changes:
            article.body_text = html_to_text(article.body_html)
            derived.append("body_text")
        if "translation_of" in changes:  # a link made by hand replaces one a record asked for and never found
            article.translation_ref = ""
            derived.append("translation_ref")
        derived += ["slug"] if "title" in changes else []  # Article.save derives them
        derived += ["author_slug"] if "author" in changes else []
        article.save(update_fields=[*changes, *derived, "updated_at"])
        if regions is not None:
            article.regions.set(regions)
        if people is not None:
            article.people.set(people)
        version = record_correction(article, before, actor, reason)
        index_after_commit([article.pk])
    return version


def record_correction(article: Article, before: Snapshot, actor=None, reason: str = "",
                      action: str = Action.EDITED) -> ArticleVersion | None:
    """Keep ``before`` and the article's new state as versions, and audit the change; None if nothing changed.

    The first correction also stores the state before it as version 1. If the latest stored version is not the state
    before (a change made outside the archive's code), that state is stored too, so no text a reader saw is lost.
    """
    after = snapshot(article)
    if after == before:
        return None
    latest = article.versions.order_by("-number").first()
    number = latest.number if latest else 0
    if latest is None or _snapshot_of(latest) != before:
        number += 1
        _store(article, number, before, before.since or article.ingested_at, None, "")
    version = _store(article, number + 1, after, timezone.now(), actor, reason)
    audit(action, article, actor, "; ".join(filter(None, [describe_changes(before, after), reason])))
    return version


def describe_changes(before: Snapshot, after: Snapshot) -> str:
    """A line for the audit log: 'regions: Hyesan -> Samsu; body changed'."""
    parts = [f"{c.label.lower()}: {c.old or '(none)'} -> {c.new or '(none)'}" for c in metadata_changes(before, after)]
    if before.body_text != after.body_text or before.body_html != after.body_html:
        parts.append("body changed")
    return "; ".join(parts)


def current_version_number(article: Article) -> int:
    return article.versions.aggregate(n=Max("number"))["n"] or 1


def current_version_numbers(article_ids) -> dict[int, int]:
    """Each article's current version number, in one query: 1 for an article never corrected."""
    numbers = dict(ArticleVersion.objects.filter(article_id__in=article_ids).values("article_id")
                   .annotate(n=Max("number")).values_list("article_id", "n"))
    return {article_id: numbers.get(article_id, 1) for article_id in article_ids}


def states_of_versions(wanted, with_text: bool = False) -> dict[tuple[int, int], Snapshot]:
    """The content of version n of each (article id, n) wanted, in three queries whatever their number: a stored
    version as it was kept, or, for an article never corrected, its current state, which is its version 1 (its first
    correction will store that state as version 1, unchanged). ``body_html`` is left empty, and ``body_text`` too
    unless ``with_text``. A pair naming no version is left out."""
    ids = {article_id for article_id, _ in wanted}
    versions = ArticleVersion.objects.filter(article_id__in=ids).only(
        "article_id", "number", "title", "metadata", *(["body_text"] if with_text else []))
    stored = {(v.article_id, v.number): Snapshot(v.title, "", v.body_text if with_text else "", v.metadata)
              for v in versions}
    corrected = {article_id for article_id, _ in stored}
    never = {article_id for article_id, number in wanted if article_id not in corrected and number == 1}
    if not never:
        return {pair: stored[pair] for pair in wanted if pair in stored}
    region_names = defaultdict(list)
    for article_id, name in Article.regions.through.objects.filter(article_id__in=never).order_by(
            "region__name").values_list("article_id", "region__name"):
        region_names[article_id].append(name)  # ordered as ``snapshot`` orders them
    current = Article.objects.select_related("source").only(
        "title", "source__name", "published", "published_precision", "author", "url", "language",
        *(["body_text"] if with_text else [])).in_bulk(never)
    for article_id, article in current.items():
        stored[(article_id, 1)] = Snapshot(article.title, "", article.body_text if with_text else "",
                                           _metadata(article, region_names[article_id]))
    return {pair: stored[pair] for pair in wanted if pair in stored}


def latest_correction(article: Article) -> ArticleVersion | None:
    """The version made by the latest correction, or None for an article never corrected."""
    latest = article.versions.order_by("-number").first()
    return latest if latest is not None and latest.number > 1 else None


def versions_of(article: Article) -> list[ArticleVersion]:
    """Every version, oldest first; an article never corrected has one, its current state (not stored)."""
    versions = list(article.versions.select_related("edited_by"))
    if versions:
        return versions
    state = snapshot(article)
    return [ArticleVersion(article=article, number=1, title=state.title, body_html=state.body_html,
                           body_text=state.body_text, metadata=state.metadata, edited_at=article.ingested_at)]


def version_of(article: Article, number: int) -> ArticleVersion | None:
    return next((version for version in versions_of(article) if version.number == number), None)


# Diffs ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "ins" or "del"
    text: str


@dataclass
class Paragraph:
    """A changed paragraph as segments, or a run of ``skipped`` unchanged paragraphs left out."""

    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0

    @property
    def is_changed(self) -> bool:
        return any(segment.kind != "same" for segment in self.segments)


@dataclass
class VersionDiff:
    older: ArticleVersion
    newer: ArticleVersion
    changes: list[Change]  # title and metadata
    body: list[Paragraph]  # empty when the text is the same
    markup_only: bool  # the HTML changed (a link, emphasis) but not the words


def diff_versions(older: ArticleVersion, newer: ArticleVersion) -> VersionDiff:
    old, new = _snapshot_of(older), _snapshot_of(newer)
    changes = metadata_changes(old, new)
    if old.title != new.title:
        changes.insert(0, Change("Title", old.title, new.title))
    body = diff_text(old.body_text, new.body_text) if old.body_text != new.body_text else []
    return VersionDiff(older, newer, changes, body, markup_only=not body and old.body_html != new.body_html)


def history_of(article: Article) -> list[tuple[ArticleVersion, VersionDiff | None]]:
    """Versions newest first, each with its diff from the one before (None for version 1)."""
    versions = versions_of(article)
    pairs = [(version, diff_versions(versions[i - 1], version) if i else None) for i, version in enumerate(versions)]
    return pairs[::-1]


def metadata_changes(before: Snapshot, after: Snapshot) -> list[Change]:
    """Changed fields; for regions only those removed and added (Hyesan -> Samsu, the province kept unsaid)."""
    changes = []
    for key, label in METADATA:
        old, new = before.metadata.get(key) or "", after.metadata.get(key) or ""
        if isinstance(old, list) or isinstance(new, list):
            old, new = [r for r in old if r not in new], [r for r in new if r not in old]
        if old != new:
            changes.append(Change(label, _shown(old), _shown(new)))
    return changes


def diff_text(old: str, new: str) -> list[Paragraph]:
    """A word diff of two plain texts, by paragraph; runs of unchanged paragraphs are collapsed to a count."""
    a, b = _words(old), _words(new)
    paragraphs, current = [], []

    def add(kind: str, word: str) -> None:
        if word == _PARAGRAPH:
            if kind != "del":  # a removed paragraph break joins the two paragraphs in the new text
                paragraphs.append(current.copy())
                current.clear()
            return
        if current and current[-1].kind == kind:
            current[-1] = Segment(kind, f"{current[-1].text} {word}")
        else:
            current.append(Segment(kind, word))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for word in a[i1:i2]:
                add("same", word)
            continue
        for word in a[i1:i2]:
            add("del", word)
        for word in b[j1:j2]:
            add("ins", word)
    if current:
        paragraphs.append(current)
    return _collapse_unchanged([Paragraph(segments) for segments in paragraphs if segments])


def _collapse_unchanged(paragraphs: list[Paragraph]) -> list[Paragraph]:
    collapsed = []
    for paragraph in paragraphs:
        if paragraph.is_changed:
            collapsed.append(paragraph)
        elif collapsed and collapsed[-1].skipped:
            collapsed[-1].skipped += 1
        else:
            collapsed.append(Paragraph(skipped=1))
    return collapsed


def _words(text: str) -> list[str]:
    words = []
    for paragraph in text.split(_PARAGRAPH):
        if words:
            words.append(_PARAGRAPH)
        words.extend(paragraph.split())
    return words


def _shown(value) -> str:
    return ", ".join(value) if isinstance(value, list) else value


def _snapshot_of(version: ArticleVersion) -> Snapshot:
    return Snapshot(version.title, version.body_html, version.body_text, version.metadata)


def _store(article, number, state: Snapshot, at, actor, reason) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article, number=number, title=state.title, body_html=state.body_html, body_text=state.body_text,
        metadata=state.metadata, edited_at=at, edited_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:500],
    )
