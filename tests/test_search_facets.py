"""Facets: counts from the index, OR within a facet, AND across facets, each facet counted without its own filter."""

import pytest

from tests.search_helpers import REPORTS, counts, search, titles


@pytest.fixture(autouse=True)
def corpus(ingest):
    ingest(REPORTS)


def test_every_facet_is_counted_over_everything():
    page = search()
    assert counts(page, "source") == {"daily-nk": 8, "nk-news": 6, "rimjin-gang": 4}
    assert counts(page, "year") == {"2021": 2, "2020": 4, "2019": 5, "2018": 3, "2017": 1, "undated": 3}
    assert counts(page, "author") == {"jong-so-yong": 5, "lee-min": 4, "park-hyun": 4, "kim-ji-eun": 2}
    assert counts(page, "region")["sinuiju"] == 3


def test_a_citys_article_also_counts_for_its_province():
    regions = {value.value: value for value in search().facets["region"]}
    assert regions["hyesan"].count == 5
    assert regions["ryanggang"].count == 9  # 5 in Hyesan + 4 tagged with the province only
    assert regions["hyesan"].parent == "ryanggang" and regions["ryanggang"].parent == ""
    assert search(region="ryanggang").count == 9


def test_facet_values_have_labels_from_the_database():
    page = search()
    labels = {facet: {v.value: v.label for v in values} for facet, values in page.facets.items()}
    assert labels["source"]["daily-nk"] == "Daily NK"
    assert labels["region"]["north-pyongan"] == "North Pyongan"
    assert labels["author"]["kim-ji-eun"] == "Kim Ji-eun"
    assert labels["year"]["undated"] == "Date unknown"


def test_choosing_a_source_still_counts_every_source_and_narrows_the_others():
    page = search(source="rimjin-gang")
    assert page.count == 4
    assert counts(page, "source") == {"daily-nk": 8, "nk-news": 6, "rimjin-gang": 4}
    assert counts(page, "year") == {"2019": 1, "2018": 1, "2017": 1, "undated": 1}
    assert [v.value for v in page.facets["source"] if v.selected] == ["rimjin-gang"]


def test_two_values_of_one_facet_are_ored():
    assert search(source=["rimjin-gang", "nk-news"]).count == 10


def test_different_facets_are_anded_and_counted_with_the_other_filters():
    page = search(source="daily-nk", year="2019")
    assert set(titles(page)) == {"Smuggling crackdown in Hyesan", "Traders smuggle mobile phones across the border",
                                 "Phone crackdown in Hyesan"}
    assert counts(page, "source") == {"daily-nk": 3, "nk-news": 1, "rimjin-gang": 1}  # with year=2019
    assert counts(page, "year") == {"2021": 1, "2020": 2, "2019": 3, "2018": 1, "undated": 1}  # with daily-nk
    assert counts(page, "author") == {"jong-so-yong": 2, "park-hyun": 1}


def test_choosing_a_region_still_counts_every_region():
    page = search(region="sinuiju", q="copper OR phones")
    assert page.count == 2
    assert counts(page, "region") == {"hyesan": 3, "ryanggang": 3, "sinuiju": 2, "north-pyongan": 2}


def test_undated_reports_are_a_bucket_of_their_own():
    page = search(year="undated")
    assert set(titles(page)) == {"Students mobilized for farm labour", "Electricity shortages in apartment blocks",
                                 "Famine memories in Hamhung"}
    assert [v.value for v in page.facets["year"]][-1] == "undated"


def test_a_chosen_year_has_its_month_counts():
    page = search(year="2019")
    assert [(m.value, m.label, m.count) for m in page.months if m.count] == [
        ("2019-03", "Mar", 2), ("2019-07", "Jul", 2), ("2019-11", "Nov", 1)]
    assert len(page.months) == 12
    assert search().months == []


def test_a_date_range_of_two_years_or_less_has_its_month_counts():
    page = search(**{"from": "2019-03-10", "to": "2020-05"})
    assert [m.value for m in page.months][:2] == ["2019-03", "2019-04"] and page.months[-1].value == "2020-05"
    assert len(page.months) == 15
    assert {m.value: m.count for m in page.months if m.count} == {
        "2019-03": 1, "2019-07": 2, "2019-11": 1, "2020-01": 1, "2020-05": 2}  # 2019-03-04 is before the range
    assert sum(m.count for m in page.months) == page.count


def test_a_longer_date_range_is_counted_by_year_only():
    assert search(**{"from": "2018", "to": "2020"}).months == []
    assert search(**{"from": "2019"}).months == []


def test_a_chosen_value_with_no_matches_stays_listed_to_unchoose():
    page = search(q="squid", source="rimjin-gang")
    assert page.count == 0
    assert {v.value: (v.count, v.selected) for v in page.facets["source"]}["rimjin-gang"] == (0, True)


def test_facets_of_a_query_count_only_its_matches():
    assert counts(search(q="smuggle"), "source") == {"daily-nk": 3, "nk-news": 1}
