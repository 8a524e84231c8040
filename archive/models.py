"""The archive's records: sources, the gazetteer of regions, and articles.

The database is the source of truth; the search index is derived from these rows and can be rebuilt at any time.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

# The pages under an article's key (``/articles/<key>/v/``, ``.../related/``): a title that slugifies to one of these
# gets "-report" added, or its canonical URL would open that page.
ARTICLE_SUBPAGES = frozenset({"v", "related"})


class Source(models.Model):
    """A publisher of reports (Daily NK, ...)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(models.Model):
    """A place in North Korea's administrative hierarchy, or a town or site within it, from the gazetteer in
    ``fixtures/gazetteer.json`` (built by ``manage.py build_gazetteer``; ``archive.gazetteer_build`` says how).

    Every spelling is a form of the place: ``name`` (the press's), ``aliases`` (Latin: MR, the North's, RR, with and
    without diacritics and suffixes) and ``hangul`` (the North's forms first, then the South's where they differ).
    ``archive.ingest.gazetteer.forms_of_place`` lists them all."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "province"
        SPECIAL_CITY = "special-city", "special city"
        CITY = "city", "city"
        COUNTY = "county", "county"
        DISTRICT = "district", "district"
        TOWN = "town", "town or neighbourhood"
        SITE = "site", "site"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    aliases = models.JSONField(default=list, blank=True, help_text="Other Latin spellings found in news text.")
    hangul = models.JSONField(default=list, blank=True,
                              help_text="Hangul names: the North's spelling first, then the South's where it differs.")
    wof_id = models.BigIntegerField(null=True, blank=True, verbose_name="Who's On First id",
                                    help_text="The Who's On First record the place comes from (empty: none has it).")
    # Part of ``gazetteer.table_version``: an edit in any worker (a renamed place) reaches every worker's cached rows.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["province", "special-city"], parent__isnull=True)
                | ~Q(kind__in=["province", "special-city"]),
                name="region_top_level_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None

    def lineage(self) -> list["Region"]:
        """This region and the regions containing it, innermost first: a city's article is also its province's."""
        chain, region = [], self
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain


class Person(models.Model):
    """A person reports name (the leadership), from ``fixtures/people.json``: tagged at ingest like regions, from
    any of their spellings (``name``, ``aliases``, ``hangul``)."""

    name = models.CharField(max_length=100, help_text="As KCNA and the press write it, surname first.")
    slug = models.SlugField(max_length=100, unique=True)
    hangul = models.JSONField(default=list, blank=True,
                              help_text="Hangul names: the North's spelling first, then the South's where it differs.")
    aliases = models.JSONField(default=list, blank=True, help_text="Other Latin spellings found in news text.")
    description = models.CharField(max_length=200, blank=True, help_text="A few words saying who.")
    updated_at = models.DateTimeField(auto_now=True)  # as Region's

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


class ArticleQuerySet(models.QuerySet):
    def searchable(self):
        """What the search index must hold: every article neither withdrawn nor merged into another."""
        return self.filter(withdrawn_at__isnull=True, merged_into__isnull=True)


class Article(models.Model):
    """One news report.

    ``key`` is the permalink: derived from the source document (see ``archive.ingest.keys``), never from a database
    id, so a rebuilt or migrated database gives every article the same URL. A withdrawn or merged article keeps its
    row, so its key is never given to another report and its permalink can answer 410 or 301 for ever.
    """

    key = models.CharField(max_length=16, unique=True, editable=False)
    slug = models.SlugField(max_length=80, blank=True)
    title = models.CharField(max_length=300)
    body_html = models.TextField(help_text="Sanitized HTML.")
    body_text = models.TextField(help_text="Plain text, for the index and snippets.")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    regions = models.ManyToManyField(Region, blank=True, related_name="articles")
    people = models.ManyToManyField(Person, blank=True, related_name="articles")
    author = models.CharField(max_length=200, blank=True)
    author_slug = models.CharField(
        max_length=200, blank=True, editable=False, help_text="The author facet's value; kept in step by save()."
    )
    author_family = models.CharField(
        "author's family name", max_length=200, blank=True,
        help_text="Guessed at ingest (Korean names put it first: Jong in Jong So Yong); correct it here if wrong.",
    )
    author_given = models.CharField(
        "author's given names", max_length=200, blank=True, help_text="So Yong in Jong So Yong.",
    )
    published = models.DateField(
        null=True, blank=True, help_text="Publication date; for a partial date, the first day of its month or year."
    )
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    url = models.CharField(
        max_length=1000, blank=True, help_text="Where the report was first published (a URL or URN)."
    )
    language = models.CharField(max_length=16, default="en")
    origin = models.CharField(
        max_length=1000, help_text="What identifies the source document: its URL, or its file name."
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the source document as ingested.")
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True, editable=False, help_text="Shown on the 410 page.")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="merged_duplicates",
        help_text="The survivor this duplicate was merged into; its permalink answers 301 there.",
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations",
        verbose_name="other edition", help_text="The same report in another language; each page links to the other.",
    )
    translation_ref = models.CharField(
        max_length=1000, blank=True, editable=False, db_index=True,
        help_text="A record's translation_of (the other edition's URL or key) not yet in the archive: linked when "
                  "that edition is ingested.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published").desc(nulls_last=True), "-ingested_at"]
        constraints = [
            models.UniqueConstraint(fields=["origin"], name="article_origin_unique"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(merged_into__isnull=True),
                name="article_withdrawn_or_merged_not_both",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="") | Q(withdrawn_at__isnull=False),
                name="article_withdrawal_has_date",
            ),
            models.CheckConstraint(
                condition=Q(published__isnull=True, published_precision="")
                | Q(published__isnull=False, published_precision__in=["day", "month", "year"]),
                name="article_date_has_precision",
            ),
        ]
        indexes = [
            models.Index(fields=["published"], name="article_published_idx"),
            models.Index(fields=["-ingested_at"], name="article_ingested_idx"),
            models.Index(fields=["author_slug"], name="article_author_slug_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        slug = slugify(self.title)
        slug = (slug if len(slug) <= 80 else slug[:81].rsplit("-", 1)[0]) or "article"
        self.slug = f"{slug}-report" if slug in ARTICLE_SUBPAGES else slug
        self.author_slug = slugify(self.author)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article", kwargs={"key": self.key, "slug": self.slug})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_searchable(self) -> bool:
        return not (self.is_withdrawn or self.is_merged)

    @property
    def published_display(self) -> str:
        """The date as precisely as it is known: '4 March 2019', 'March 2019', '2019' or ''."""
        if self.published is None:
            return ""
        if self.published_precision == DatePrecision.YEAR:
            return str(self.published.year)
        if self.published_precision == DatePrecision.MONTH:
            return self.published.strftime("%B %Y")
        return f"{self.published.day} {self.published.strftime('%B %Y')}"

    @property
    def published_iso(self) -> str:
        """ISO 8601 at the known precision (2019-03-04, 2019-03, 2019), as citation formats want."""
        if self.published is None:
            return ""
        iso = self.published.isoformat()
        return {DatePrecision.YEAR: iso[:4], DatePrecision.MONTH: iso[:7]}.get(self.published_precision, iso)

    @property
    def published_datetime(self) -> datetime.datetime | None:
        """Midnight UTC of the publication date: the index stores and queries dates in UTC."""
        if self.published is None:
            return None
        return datetime.datetime.combine(self.published, datetime.time(), tzinfo=datetime.timezone.utc)


class FormerKey(models.Model):
    """A key that once named an article and must keep leading to it: ``/articles/<key>/`` answers 301 there.

    Made when the identity rule changed (a report without a URL was keyed by its file name; now by its content): the
    report first ingested under a name keeps that name's key, so permalinks handed out before stay good, in a
    database restored from files too. A key is never both an article's and a former key.
    """

    key = models.CharField(max_length=16, unique=True)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="former_keys")

    def __str__(self):
        return f"{self.key} -> {self.article.key}"


class ArticleVersion(models.Model):
    """One state of a corrected article, as readers saw it; ``/articles/<key>/v/<number>/`` shows it.

    Rows exist only for corrected articles: the first correction stores the state as ingested (version 1) and the
    corrected state (version 2); every later one adds the new state. The highest number is the current state, so a
    citation of "version 3" keeps pointing at the same text after version 4 exists.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body_html = models.TextField()
    body_text = models.TextField()
    metadata = models.JSONField(default=dict, help_text="Source, regions, author, date, URL and language as shown.")
    edited_at = models.DateTimeField(help_text="When this version came to be (ingest, or the correction).")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="version_number_unique")]

    def __str__(self):
        return f"{self.article.key} v{self.number}"

    def get_absolute_url(self):
        return reverse("article-version", kwargs={"key": self.article.key, "number": self.number})


class AuditEntry(models.Model):
    """Who uploaded, edited, withdrew or merged which article, and when; written in the transaction of the change."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", "uploaded"
        REINGESTED = "reingested", "re-ingested"
        EDITED = "edited", "edited"
        WITHDREW = "withdrew", "withdrew"
        MERGED = "merged", "merged"
        DELETED = "deleted", "deleted"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Empty for the ingest command.",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit")
    article_key = models.CharField(max_length=16, help_text="Kept when the article is deleted.")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'ingest command'} {self.action} {self.article_key}"


class PendingIndexUpdate(models.Model):
    """An article whose index document must be written (or deleted): the durable queue of index updates.

    Written in the same transaction as the change to the article, so a committed change is never forgotten by the
    index, whatever process dies when; removed by the drainer in ``archive.search.indexing`` once the index holds the
    change. One row per article: enqueueing again refreshes ``version``, so a drainer that read the old version does not
    delete the row of a change it has not written.
    """

    article_id = models.BigIntegerField(unique=True, help_text="The article's id; it may no longer exist (a delete).")
    version = models.CharField(max_length=32, help_text="A fresh random token per enqueue.")
    enqueued_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0, help_text="Failed attempts to write it since it was enqueued.")
    last_error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True, help_text="After a failure, not before this time.")

    class Meta:
        indexes = [models.Index(fields=["enqueued_at"], name="pending_index_enqueued_idx")]

    def __str__(self):
        return f"article {self.article_id} (attempts: {self.attempts})"


class LoginThrottle(models.Model):
    """Sign-in attempts of one client address: a row every worker reads and writes under a row lock, so parallel
    attempts are counted one by one (a cache's read-then-write let them all through)."""

    address = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0, help_text="Attempts inside the window not ended signed in.")
    window_started = models.FloatField(default=0.0, help_text="Unix time of the window's first attempt.")
    locked_until = models.FloatField(default=0.0, help_text="Unix time before which attempts are refused.")

    def __str__(self):
        return f"{self.address}: {self.failures} failures"


class ResultSnapshot(models.Model):
    """A search's result set frozen for citation: its parameters, when, how many and which versions, in order
    (``archive.snapshots`` makes and reads them). Never edited; deleting one keeps the row, emptied, so its URL
    answers 410 Gone with the date and the id is never handed out again."""

    id = models.CharField(primary_key=True, max_length=16, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    query = models.TextField(help_text="The search's canonical query string (SearchParams), without page or size.")
    created_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical form of the frozen contents.")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "result-set snapshot"
        indexes = [models.Index(fields=["owner", "created_at"], name="snapshot_owner_created_idx")]

    def __str__(self):
        return f"{self.id}: {self.title or self.query or 'every report'}"

    def get_absolute_url(self):
        return reverse("snapshot", kwargs={"snapshot_id": self.id})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class SnapshotItem(models.Model):
    """One result of a snapshot: the article and the version it had then, at its place in the order.

    The author's name parts are kept here because versions do not hold them (an archivist may correct them without
    a new version), so the snapshot's exports name the author as they did then. The article is protected: a report
    a snapshot cites can be withdrawn or merged, never deleted."""

    snapshot = models.ForeignKey(ResultSnapshot, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=16)
    version = models.PositiveIntegerField()
    author_family = models.CharField(max_length=200, blank=True)
    author_given = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "position"], name="snapshot_position_unique")]

    def __str__(self):
        return f"{self.snapshot_id} #{self.position}: {self.key} v{self.version}"


class SavedSearch(models.Model):
    """A search an analyst watches (``archive.watches``): its parameters as the canonical query string of
    ``SearchParams``, when its owner last opened its results, its private feed's token and its e-mail digest.

    ``digest_through`` is the digest's high-water mark: every change up to it has been sent (or was before the digest
    was asked for), so a digest run covers only what came after and never sends a change twice."""

    class Digest(models.TextChoices):
        NONE = "none", "no e-mail"
        DAILY = "daily", "daily e-mail"
        WEEKLY = "weekly", "weekly e-mail"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=4000, blank=True, help_text="SearchParams.as_query_string(), page left out.")
    created_at = models.DateTimeField(default=timezone.now)
    last_visited_at = models.DateTimeField(default=timezone.now)
    feed_token = models.CharField(max_length=64, help_text="secrets.token_urlsafe(32); a new one revokes the old.")
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.NONE)
    digest_through = models.DateTimeField(default=timezone.now, help_text="Changes up to this time were covered.")
    digest_checked_at = models.DateTimeField(null=True, blank=True, help_text="The last digest run that covered it.")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_unique")]

    def __str__(self):
        return f"{self.owner} / {self.name}"
