"""The timeline above the results: reports per year, or per month when the search is counted by month (one year
chosen, or a date range of at most two years: ``facets.month_span``), as bars of an SVG chart the server draws.

Everything the template writes is decided here: each bar's period, count, link, accessible name and place. Places
are percentages of the chart's width and height, so the chart fills any width (375 px phones included) with its text
at its own size, and the Content-Security-Policy needs no style attribute.

The counts are those ``run_search`` already made: the year facet (counted without the years chosen, so every year
stays reachable, the chosen ones marked) or the months of the page's search. A bar's link narrows ``from``/``to`` to
its period, with the years chosen let go for a year bar (its count is that search's), kept for a month bar (the month
lies in them). The years run without gaps from the first to the last, so a year without reports shows as an empty
slot, not as nothing; undated reports are counted beside the years (by month, the search has a date range or a
dated year, which undated reports are never in).
"""

import calendar
import datetime
import math
from dataclasses import dataclass

from django.template.defaultfilters import pluralize

from archive.search import FacetValue, SearchPage, SearchParams
from archive.search.params import UNDATED
from archive.views.search_links import search_url

MIN_YEARS = 5  # fewer years are widened with the empty years around them, so one year is not one wide block
TOP, BASELINE = 14.0, 78.0  # the plot's top and bottom, in percent of the chart's height
TICK_Y = 95.0
MAX_TICKS = {"year": 8, "month": 6}  # labels under the bars: as many as fit a phone's width
BAR_SHARE = 0.76  # of its slot's width a bar fills
MONTH_NAMES = tuple(calendar.month_name[1:])


@dataclass
class Bar:
    label: str  # "2019", "March 2019"
    count: int
    url: str  # "" for a period without reports
    is_chosen: bool
    period_from: str  # "2019", "2019-03": what the drag script puts in from/to
    period_to: str
    x: str  # the slot's left edge and width, percent of the chart's width
    width: str
    bar_x: str
    bar_width: str
    y: str  # the bar's top and height, percent of the chart's height
    height: str
    tick: str = ""  # the label written under the bar, "" for none
    tick_x: str = ""
    tick_anchor: str = "middle"

    @property
    def name(self) -> str:
        """The bar's accessible name and tooltip."""
        return f"{self.label}: {reports(self.count)}"


@dataclass
class Period:
    label: str
    period_from: str
    period_to: str
    first: datetime.date
    last: datetime.date
    count: int
    params: SearchParams  # the search its link narrows
    is_chosen_year: bool = False


@dataclass
class Timeline:
    unit: str  # "year" or "month"
    title: str  # "Reports per year, 2005–2024"
    summary: str  # the text alternative: totals and the busiest period
    bars: list[Bar]
    largest: int
    range_url: str  # this search without dates (and, by year, without years): the drag script adds from/to
    clear_url: str  # this search without its dates or years: "" when none is chosen
    undated: int
    undated_url: str

    @property
    def top(self) -> str:
        return _percent(TOP)

    @property
    def baseline(self) -> str:
        return _percent(BASELINE)

    @property
    def scale_y(self) -> str:
        return _percent(TOP - 3)


def reports(count: int) -> str:
    return f"{count:,} report{pluralize(count)}" if count else "no reports"


def timeline(page: SearchPage, params: SearchParams | None = None) -> Timeline | None:
    """None when no report of the search has a date and none is undated (nothing to draw). The links narrow
    ``params`` (by default the page's search; the home page's lists ten reports, its links lead to full pages)."""
    params = params or page.params
    years = {v.value: v.count for v in page.facets.get("year", [])}
    undated = years.pop(UNDATED, 0)
    if page.months:
        periods = [_month_period(month, params) for month in page.months]
        unit = "month"
        range_params = params.with_changes(date_from=None, date_to=None)
        undated = 0
    else:
        dated = sorted(int(year) for year, count in years.items() if count)
        if not dated and not undated:
            return None
        periods = [_year_period(year, years.get(str(year), 0), params) for year in _year_span(dated, params)]
        unit = "year"
        range_params = params.with_changes(date_from=None, date_to=None, year=())
    largest = max((period.count for period in periods), default=0)
    if not largest and not undated:
        return None
    bars = _bars(periods, largest, unit)
    clear = params.with_changes(date_from=None, date_to=None, year=())
    undated_params = params.with_changes(date_from=None, date_to=None, year=(UNDATED,))
    return Timeline(
        unit=unit,
        title=_title(unit, bars),
        summary=_summary(unit, bars, undated),
        bars=bars,
        largest=largest,
        range_url=search_url(range_params),
        clear_url=search_url(clear) if clear != params.with_changes() else "",
        undated=undated,
        undated_url=search_url(params.with_changes(year=()) if params.year == (UNDATED,) else undated_params),
    )


def _year_span(dated: list[int], params: SearchParams) -> range:
    """The first to the last year with reports, widened to ``MIN_YEARS`` within the date range and this year."""
    if not dated:
        return range(0)
    first, last = dated[0], dated[-1]
    earliest = params.date_from.year if params.date_from else 0
    latest = min(params.date_to.year if params.date_to else 9999, datetime.date.today().year)
    while last - first + 1 < MIN_YEARS and (first > earliest or last < latest):
        if first > earliest:
            first -= 1
        if last - first + 1 < MIN_YEARS and last < latest:
            last += 1
    return range(first, last + 1)


def _year_period(year: int, count: int, params: SearchParams) -> Period:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Period(str(year), str(year), str(year), first, last, count, params.with_changes(year=()),
                  str(year) in params.year)


def _month_period(month: FacetValue, params: SearchParams) -> Period:
    year, number = map(int, month.value.split("-"))
    first = datetime.date(year, number, 1)
    last = datetime.date(year, number, calendar.monthrange(year, number)[1])
    return Period(f"{MONTH_NAMES[number - 1]} {year}", month.value, month.value, first, last, month.count, params)


def _bars(periods: list[Period], largest: int, unit: str) -> list[Bar]:
    slot = 100 / len(periods) if periods else 100
    every = math.ceil(len(periods) / MAX_TICKS[unit]) if periods else 1
    one_year = unit == "month" and len({period.period_from[:4] for period in periods}) == 1
    bars = []
    for index, period in enumerate(periods):
        params, count = period.params, period.count
        is_range = params.date_from == period.first and params.date_to == period.last  # its link widens them again
        chosen = is_range or period.is_chosen_year
        target = params.with_changes(date_from=None, date_to=None) if is_range else params.with_changes(
            date_from=period.first, date_to=period.last)
        height = (BASELINE - TOP) * count / largest if count else 0
        if count:
            height = max(height, 1.5)  # one report among thousands still shows
        bar = Bar(
            label=period.label,
            count=count,
            url=search_url(target) if count or chosen else "",
            is_chosen=chosen,
            period_from=period.period_from,
            period_to=period.period_to,
            x=_percent(index * slot),
            width=_percent(slot),
            bar_x=_percent((index + (1 - BAR_SHARE) / 2) * slot),
            bar_width=_percent(slot * BAR_SHARE),
            y=_percent(BASELINE - height),
            height=_percent(height),
        )
        if index % every == 0:
            bar.tick = _tick(period.label, unit, one_year)
            bar.tick_anchor, edge = ("start", 0) if index == 0 else (
                ("end", 1) if index == len(periods) - 1 else ("middle", 0.5))
            bar.tick_x = _percent((index + edge) * slot)
        bars.append(bar)
    return bars


def _tick(label: str, unit: str, one_year: bool) -> str:
    if unit == "year":
        return label
    month, year = label.split()
    return month[:3] if one_year else f"{month[:3]} {year}"


def _title(unit: str, bars: list[Bar]) -> str:
    if not bars:
        return "Reports per year"
    span = bars[0].label if len(bars) == 1 else f"{bars[0].label} – {bars[-1].label}"
    return f"Reports per {unit}, {span}"


def _summary(unit: str, bars: list[Bar], undated: int) -> str:
    dated = sum(bar.count for bar in bars)
    parts = [f"{reports(dated).capitalize()} with a date"]
    if dated:
        busiest = max(bars, key=lambda bar: bar.count)
        held = [index for index, bar in enumerate(bars) if bar.count]
        gaps = sum(1 for bar in bars[held[0]:held[-1]] if not bar.count)
        parts.append(f"the most in {busiest.label} ({busiest.count:,})")
        if gaps:
            parts.append(f"{gaps} {unit}{pluralize(gaps)} without any in between")
    if undated:
        parts.append(f"{undated:,} undated")
    return "; ".join(parts) + "."


def _percent(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"
