"""The per-file report of an upload: what happened to each file, and the metadata extracted from its articles,
with the links an archivist needs to check and correct them at once."""

from dataclasses import dataclass, field

from django.urls import reverse

from archive.ingest import ADDED, UNCHANGED, UPDATED, Outcome
from archive.models import Article

# A JSON Lines file can hold thousands of reports; the report shows the first few of each file.
ARTICLES_SHOWN_PER_FILE = 10


@dataclass
class ArticleLine:
    """One stored article as extraction read it: title, source, regions, date, author, and where to correct it."""

    article: Article
    regions: list[str]
    correct_url: str


@dataclass
class ReportRow:
    """One uploaded file: its outcome, and its articles (with metadata when they were added or updated)."""

    outcome: Outcome
    articles: list[ArticleLine] = field(default_factory=list)
    more: int = 0  # articles of the file not listed

    @property
    def counts(self) -> str:
        """'3 added, 1 unchanged' for a file of several articles; '' for one."""
        counts = self.outcome.counts
        if sum(counts.values()) <= 1:
            return ""
        return ", ".join(f"{counts[status]} {status}" for status in (ADDED, UPDATED, UNCHANGED) if counts[status])

    @property
    def shows_metadata(self) -> bool:
        """Unchanged files only link to what is already there: nothing new to check."""
        return self.outcome.status in (ADDED, UPDATED)


def report_rows(outcomes: list[Outcome]) -> list[ReportRow]:
    """A row per outcome, in upload order; the listed articles are fetched in one query."""
    shown = [o.keys[:ARTICLES_SHOWN_PER_FILE] if o.status in (ADDED, UPDATED, UNCHANGED) else [] for o in outcomes]
    keys = [key for file_keys in shown for key in file_keys]
    articles = {
        a.key: a for a in Article.objects.filter(key__in=keys).select_related("source").prefetch_related("regions")
    }
    rows = []
    for outcome, file_keys in zip(outcomes, shown, strict=True):
        lines = [_line(articles[key]) for key in file_keys if key in articles]
        rows.append(ReportRow(outcome, lines, more=max(0, len(outcome.keys) - len(lines))))
    return rows


def _line(article: Article) -> ArticleLine:
    return ArticleLine(
        article=article,
        regions=[region.name for region in article.regions.all()],
        correct_url=reverse("admin:archive_article_change", args=[article.pk]),
    )
