"""What the archive holds: per source, reports per month across the years, as heat strips on /coverage/, so gaps in
the record show; a report dated to a year only, or undated, is counted apart and never put in January."""

import pytest

from archive.coverage import coverage
from archive.models import Article
from archive.views.heat_strips import heat_strips
from archive.withdrawal import withdraw
from tests.search_helpers import REPORTS


@pytest.fixture
def corpus(ingest):
    ingest(REPORTS)


def by_name(held) -> dict:
    return {source.name: source for source in held.sources}


def test_each_source_is_counted_by_month_with_year_only_and_undated_reports_apart(corpus):
    held = coverage()
    rimjin = by_name(held)["Rimjin-gang"]
    assert rimjin.months == {(2018, 10): 1, (2019, 7): 1}
    assert rimjin.year_only == {2017: 1} and rimjin.undated == 1 and rimjin.total == 4
    assert by_name(held)["Daily NK"].months[2019, 3] == 2
    assert held.everything.total == Article.objects.count() == 18
    assert held.years == range(2017, 2022)


def test_sources_come_busiest_first_and_those_with_no_report_are_listed_with_none(corpus):
    names = [source.name for source in coverage().sources]
    assert names[:3] == ["Daily NK", "NK News", "Rimjin-gang"]
    assert by_name(coverage())["KCNA"].total == 0


def test_a_withdrawn_report_is_not_held(corpus):
    withdraw(Article.objects.get(title="Copper prices in Sinuiju markets"), "A duplicate.")
    assert (2018, 6) not in by_name(coverage())["Daily NK"].months


def test_a_strip_has_a_cell_for_each_month_with_reports_on_a_scale_of_the_busiest_month(corpus):
    strips = heat_strips(coverage())
    assert (strips.first_year, strips.last_year, strips.months) == (2017, 2021, 60)
    everything, daily_nk = strips.strips[0], strips.strips[1]
    assert (everything.name, daily_nk.name) == ("All sources", "Daily NK")
    march_2019 = next(cell for cell in daily_nk.cells if cell.title.startswith("Mar 2019"))
    assert (march_2019.x, march_2019.shade, march_2019.title) == (26, 5, "Mar 2019: 2 reports")
    assert daily_nk.url == "/sources/daily-nk/" and everything.url == ""
    assert daily_nk.rows[2].year == 2019 and daily_nk.rows[2].months[2] == 2
    assert "KCNA" in strips.not_held


def test_a_strip_is_named_by_what_it_shows_and_where_its_gaps_are(corpus):
    rimjin = next(strip for strip in heat_strips(coverage()).strips if strip.name == "Rimjin-gang")
    assert rimjin.summary == ("Rimjin-gang: 4 reports; 58 of 60 months from 2017 to 2021 without any; "
                              "1 dated to a year only; 1 undated.")


def test_the_coverage_page_shows_a_strip_and_a_table_per_source(client, corpus):
    html = client.get("/coverage/").content.decode()
    assert html.count('<svg class="heat-cells"') == 4  # all sources, Daily NK, NK News, Rimjin-gang
    assert 'aria-label="Rimjin-gang: 4 reports;' in html
    assert "<summary>Daily NK: counts by month</summary>" in html
    assert '<title>Mar 2019: 2 reports</title>' in html


def test_an_empty_archive_says_so(client, db):
    assert "No report in the archive has a date yet." in client.get("/coverage/").content.decode()
