"""What the archive holds: per source, how many reports fall in each month, so gaps in the record show before anyone
reads meaning into an absence (newspaper archives publish coverage calendars for the same reason).

Counted from the database, the source of truth, in one grouped query: reports withdrawn or merged are not held, so
they are not counted. A report dated to a year only has no month: it is counted apart, as are undated reports, and
never put in January.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from archive.models import Article, DatePrecision, Source


@dataclass
class SourceCoverage:
    name: str
    slug: str  # "" for reports of no known source
    months: dict[tuple[int, int], int] = field(default_factory=dict)  # (year, month) -> reports
    year_only: dict[int, int] = field(default_factory=dict)  # year -> reports dated to the year only
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(self.months.values()) + sum(self.year_only.values()) + self.undated

    @property
    def years(self) -> set[int]:
        return {year for year, _ in self.months} | set(self.year_only)


@dataclass
class Coverage:
    sources: list[SourceCoverage]  # every source, busiest first; reports of no known source last
    everything: SourceCoverage  # all sources together

    @property
    def years(self) -> range:
        """From the first year any report has to the last; empty when no report has a date."""
        years = self.everything.years
        return range(min(years), max(years) + 1) if years else range(0)


def coverage() -> Coverage:
    rows = (
        Article.objects.searchable().order_by()
        .annotate(year=ExtractYear("published"), month=ExtractMonth("published"))
        .values("source_id", "year", "month", "published_precision")
        .annotate(reports=Count("id"))
    )
    by_source: dict[int | None, SourceCoverage] = {
        source.pk: SourceCoverage(source.name, source.slug) for source in Source.objects.all()
    }
    everything = SourceCoverage("All sources", "")
    for row in rows:
        if row["source_id"] not in by_source:
            by_source[row["source_id"]] = SourceCoverage("Unknown source", "")
        for held in (by_source[row["source_id"]], everything):
            _count(held, row["year"], row["month"], row["published_precision"], row["reports"])
    known = sorted((held for key, held in by_source.items() if key is not None), key=lambda s: (-s.total, s.name))
    unknown = [by_source[None]] if None in by_source else []
    return Coverage(known + unknown, everything)


def _count(held: SourceCoverage, year: int | None, month: int | None, precision: str, reports: int) -> None:
    if year is None:
        held.undated += reports
    elif precision == DatePrecision.YEAR:
        held.year_only[year] = held.year_only.get(year, 0) + reports
    else:
        held.months[year, month] = held.months.get((year, month), 0) + reports

