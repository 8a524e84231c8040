"""The timeline above the results: a bar per year (per month when the search is counted by month), each a link that
narrows the dates to its period, undated reports counted beside it, and places the template only writes out."""

import datetime
from urllib.parse import parse_qs, urlsplit

from archive.search import FacetValue, SearchPage, SearchParams
from archive.views.timeline import MAX_TICKS, timeline


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def years(**counts) -> list[FacetValue]:
    return [FacetValue(year.lstrip("y"), year.lstrip("y"), count) for year, count in counts.items()]


def a_page(params: SearchParams, year_counts: list[FacetValue], months: list[FacetValue] = ()) -> SearchPage:
    count = sum(value.count for value in year_counts)
    return SearchPage(params=params, hits=[], count=count, matched_all=count, facets={"year": year_counts},
                      months=list(months))


def test_years_run_without_gaps_from_the_first_to_the_last_and_an_empty_year_has_no_link(db):
    chart = timeline(a_page(SearchParams(), years(y2015=3, y2019=1200, y2018=6)))
    assert chart.unit == "year"
    assert [(bar.label, bar.count, bool(bar.url)) for bar in chart.bars] == [
        ("2015", 3, True), ("2016", 0, False), ("2017", 0, False), ("2018", 6, True), ("2019", 1200, True)]
    assert chart.title == "Reports per year, 2015 – 2019"
    assert chart.summary == "1,209 reports with a date; the most in 2019 (1,200); 2 years without any in between."
    assert chart.bars[4].name == "2019: 1,200 reports" and chart.bars[1].name == "2016: no reports"


def test_a_short_span_of_years_is_widened_to_five_within_the_date_range(db):
    lone = timeline(a_page(SearchParams(), years(y2019=4)))
    assert [bar.label for bar in lone.bars] == ["2017", "2018", "2019", "2020", "2021"]
    ranged = SearchParams(date_from=datetime.date(2019, 1, 1), date_to=datetime.date(2022, 6, 30))
    assert [bar.label for bar in timeline(a_page(ranged, years(y2019=4))).bars] == ["2019", "2020", "2021", "2022"]


def test_years_chosen_are_marked_and_each_bar_narrows_to_its_own_year(db):
    params = SearchParams(year=("2018", "2019"))
    bars = timeline(a_page(params, years(y2015=1, y2018=2, y2019=3))).bars
    assert [bar.label for bar in bars if bar.is_chosen] == ["2018", "2019"]
    assert query_of(bars[3].url) == {"from": ["2018-01-01"], "to": ["2018-12-31"]}


def test_a_year_bar_narrows_the_dates_to_its_year_keeping_the_query_and_other_filters(db):
    params = SearchParams(q="smuggling", source=("daily-nk",), year=("2016",), sort="oldest")
    bar = timeline(a_page(params, years(y2016=3, y2018=6, y2020=1))).bars[2]
    assert query_of(bar.url) == {"q": ["smuggling"], "source": ["daily-nk"], "from": ["2018-01-01"],
                                 "to": ["2018-12-31"], "sort": ["oldest"]}  # the years chosen are let go
    assert (bar.period_from, bar.period_to) == ("2018", "2018")


def test_undated_reports_are_counted_beside_the_bars_with_a_link_to_them(db):
    chart = timeline(a_page(SearchParams(q="rice"), years(y2019=4, undated=2)))
    assert [bar.count for bar in chart.bars] == [0, 0, 4, 0, 0]
    assert chart.undated == 2
    assert query_of(chart.undated_url) == {"q": ["rice"], "year": ["undated"]}
    assert chart.summary == "4 reports with a date; the most in 2019 (4); 2 undated."


def test_a_chosen_year_is_drawn_by_month_and_a_month_bar_narrows_to_its_month(db):
    params = SearchParams(year=("2019",))
    months = [FacetValue(f"2019-{n:02d}", "", n % 3) for n in range(1, 13)]
    chart = timeline(a_page(params, years(y2018=2, y2019=12, undated=3), months))
    assert chart.unit == "month" and len(chart.bars) == 12
    assert chart.undated == 0  # none is in a dated year
    march = chart.bars[2]
    assert (march.label, march.count) == ("March 2019", 0) and not march.url
    april = chart.bars[3]
    assert query_of(april.url) == {"year": ["2019"], "from": ["2019-04-01"], "to": ["2019-04-30"]}
    assert [bar.tick for bar in chart.bars if bar.tick][:2] == ["Jan", "Mar"]


def test_the_month_chosen_is_marked_and_its_bar_widens_the_dates_again(db):
    params = SearchParams(year=("2019",), date_from=datetime.date(2019, 2, 1), date_to=datetime.date(2019, 2, 28))
    months = [FacetValue("2019-01", "Jan", 0), FacetValue("2019-02", "Feb", 5)] + [
        FacetValue(f"2019-{n:02d}", "", 0) for n in range(3, 13)]
    february = timeline(a_page(params, years(y2019=5), months)).bars[1]
    assert february.is_chosen
    assert query_of(february.url) == {"year": ["2019"]}


def test_months_over_two_years_are_labelled_with_their_year(db):
    params = SearchParams(date_from=datetime.date(2019, 11, 1), date_to=datetime.date(2020, 2, 29))
    months = [FacetValue(value, "", 1) for value in ("2019-11", "2019-12", "2020-01", "2020-02")]
    chart = timeline(a_page(params, years(y2019=2, y2020=2), months))
    assert [bar.label for bar in chart.bars] == ["November 2019", "December 2019", "January 2020", "February 2020"]
    assert chart.bars[0].tick == "Nov 2019"
    assert query_of(chart.range_url) == {}  # the drag script adds from and to
    assert query_of(chart.clear_url) == {}


def test_the_largest_bar_fills_the_plot_and_a_small_one_still_shows(db):
    bars = timeline(a_page(SearchParams(), years(y2015=9, y2018=1, y2019=10_000))).bars
    assert bars[4].y == "14%" and bars[4].height == "64%"
    assert float(bars[3].height.rstrip("%")) >= 1.5


def test_twenty_years_have_at_most_eight_labels_and_the_ends_do_not_overflow(db):
    bars = timeline(a_page(SearchParams(), [FacetValue(str(year), str(year), 1) for year in range(2005, 2025)])).bars
    ticks = [bar for bar in bars if bar.tick]
    assert len(ticks) <= MAX_TICKS["year"]
    assert ticks[0].tick_anchor == "start" and ticks[0].tick_x == "0%"


def test_nothing_is_drawn_when_no_report_matched(db):
    assert timeline(a_page(SearchParams(q="zzz"), [])) is None
