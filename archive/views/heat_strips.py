"""The coverage page's heat strips: one per source, a cell per month from the archive's first year to its last.

A strip is an SVG of one row of unit cells (``viewBox="0 0 <months> 1"``, stretched to the page's width), drawn
over a background of the "no reports" shade, so only months with reports are written (each with a tooltip). Shades
are classes on a logarithmic scale of the busiest month of any source: a source with ten reports a month and one
with a thousand both show their gaps. Each strip also has a table (years by months) for reading exact counts and for
screen readers; the strip itself is an image with a summary for a name.
"""

import math
from dataclasses import dataclass

from archive.coverage import Coverage, SourceCoverage
from archive.search.facets import MONTH_LABELS
from archive.views.search_links import browse_url
from archive.views.timeline import reports

SHADES = 5
MAX_TICKS = 6  # year labels under the strips: as many as fit a phone


@dataclass
class Cell:
    x: int
    shade: int
    title: str


@dataclass
class YearRow:
    year: int
    months: list[int]
    year_only: int


@dataclass
class Strip:
    name: str
    url: str  # the source's browse page, "" for all sources together or an unknown source
    total: int
    summary: str  # the strip's accessible name
    cells: list[Cell]
    rows: list[YearRow]
    year_only: int
    undated: int


@dataclass
class Tick:
    x: str  # percent of the strip's width
    label: str


@dataclass
class LegendStep:
    shade: int
    label: str


@dataclass
class HeatStrips:
    months: int  # cells in a strip
    first_year: int
    last_year: int
    strips: list[Strip]  # all sources together first
    ticks: list[Tick]
    year_starts: list[int]  # the cell each year after the first begins at, for a separating line
    legend: list[LegendStep]
    not_held: list[str]  # sources of which the archive holds no report
    month_labels: tuple[str, ...] = MONTH_LABELS


def heat_strips(coverage: Coverage) -> HeatStrips | None:
    """None when no report has a date."""
    years = coverage.years
    if not years:
        return None
    busiest = max(coverage.everything.months.values(), default=1)
    strips = [_strip(held, years, busiest) for held in [coverage.everything, *coverage.sources] if held.total]
    every = math.ceil(len(years) / MAX_TICKS)
    ticks = [Tick(_percent(100 * index / len(years)), str(year))  # a label starts where its year does
             for index, year in enumerate(years) if index % every == 0]
    return HeatStrips(
        months=len(years) * 12,
        first_year=years[0],
        last_year=years[-1],
        strips=strips,
        ticks=ticks,
        year_starts=[12 * index for index in range(1, len(years))],
        legend=_legend(busiest),
        not_held=[held.name for held in coverage.sources if not held.total],
    )


def _strip(held: SourceCoverage, years: range, busiest: int) -> Strip:
    cells = [
        Cell((year - years[0]) * 12 + month - 1, _shade(count, busiest), f"{MONTH_LABELS[month - 1]} {year}: "
                                                                          f"{reports(count)}")
        for (year, month), count in sorted(held.months.items())
    ]
    rows = [YearRow(year, [held.months.get((year, month), 0) for month in range(1, 13)], held.year_only.get(year, 0))
            for year in years]
    empty = sum(1 for row in rows for count in row.months if not count)
    parts = [f"{held.name}: {reports(held.total)}",
             f"{empty} of {len(rows) * 12} months from {years[0]} to {years[-1]} without any"]
    year_only, undated = sum(held.year_only.values()), held.undated
    if year_only:
        parts.append(f"{year_only:,} dated to a year only")
    if undated:
        parts.append(f"{undated:,} undated")
    url = browse_url("source", held.slug) if held.slug else ""
    return Strip(held.name, url, held.total, "; ".join(parts) + ".", cells, rows, year_only, undated)


def _shade(count: int, busiest: int) -> int:
    if not count:
        return 0
    return max(1, math.ceil(SHADES * math.log1p(count) / math.log1p(busiest)))


def _legend(busiest: int) -> list[LegendStep]:
    """The counts each shade stands for; shades no count can have are left out."""
    steps, low = [LegendStep(0, "none")], 1
    for shade in range(1, SHADES + 1):
        high = busiest if shade == SHADES else math.floor(math.expm1(math.log1p(busiest) * shade / SHADES) + 1e-9)
        if high >= low:
            steps.append(LegendStep(shade, f"{low:,}" if high == low else f"{low:,}–{high:,}"))
            low = high + 1
    return steps


def _percent(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"
