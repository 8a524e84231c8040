"""The search page's links: each carries the whole search, chosen values remove themselves, rules live in Python."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.search import FacetValue, SearchPage, SearchParams
from archive.views.search_links import ToggleUrls, facet_groups, page_links, search_links, search_url


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def a_page(params: SearchParams, count: int = 3, **fields) -> SearchPage:
    facets = {
        "source": [FacetValue("daily-nk", "Daily NK", 5, selected="daily-nk" in params.source),
                   FacetValue("nk-news", "NK News", 2, selected="nk-news" in params.source)],
        "region": [FacetValue("hyesan", "Hyesan", 3, "hyesan" in params.region, parent="ryanggang"),
                   FacetValue("ryanggang", "Ryanggang", 4, "ryanggang" in params.region),
                   FacetValue("chongjin", "Chongjin", 1, parent="north-hamgyong")],
        "year": [FacetValue("2018", "2018", 2), FacetValue("undated", "Date unknown", 1), FacetValue("2019", "2019", 4)],
    }
    return SearchPage(params=params, hits=[], count=count, matched_all=count, facets=facets, **fields)


@pytest.fixture
def chosen():
    return SearchParams(q="smuggling", source=("daily-nk",), date_from=datetime.date(2019, 1, 1), sort="newest")


def test_a_facet_link_adds_its_value_and_keeps_the_query_filters_dates_and_sort(db, chosen):
    links = search_links(a_page(chosen))
    source = next(group for group in links.facets if group.name == "source")
    nk_news = next(link for link in source.links if link.label == "NK News")
    assert query_of(nk_news.url) == {
        "q": ["smuggling"], "source": ["daily-nk", "nk-news"], "from": ["2019-01-01"], "sort": ["newest"]
    }
    assert not nk_news.is_chosen


@pytest.mark.parametrize("params", [
    SearchParams(),
    SearchParams(q="rice & salt", exact=True, page=4, page_size=50),
    SearchParams(q="smuggling", source=("daily-nk",), region=("hyesan", "ryanggang"), year=("2019", "undated"),
                 person=("kim-jong-un",), date_from=datetime.date(2019, 1, 1), date_to=datetime.date(2020, 2, 29),
                 sort="oldest", page=2),
])
def test_a_facet_links_url_is_the_toggled_searchs_url_to_the_character(db, params):
    urls = ToggleUrls(params)
    for facet, value in [("source", "daily-nk"), ("source", "nk-news"), ("region", "hyesan"), ("year", "2018"),
                         ("year", "undated"), ("author", "kim-min-ji"), ("language", "ko"), ("person", "kim-jong-un")]:
        assert urls(facet, value) == search_url(params.toggled(facet, value))


def test_a_chosen_facet_value_is_marked_and_its_link_removes_it(db, chosen):
    links = search_links(a_page(chosen))
    daily_nk = next(group for group in links.facets if group.name == "source").links[0]
    assert daily_nk.is_chosen
    assert "source" not in query_of(daily_nk.url)
    assert query_of(daily_nk.url)["q"] == ["smuggling"]


def test_every_chosen_filter_is_a_chip_whose_link_removes_only_it(db, chosen):
    links = search_links(a_page(chosen))
    assert [chip.label for chip in links.chips] == ["Source: Daily NK", "Dates: 2019-01-01 to …"]
    assert query_of(links.chips[0].remove_url) == {"q": ["smuggling"], "from": ["2019-01-01"], "sort": ["newest"]}
    assert query_of(links.chips[1].remove_url) == {"q": ["smuggling"], "source": ["daily-nk"], "sort": ["newest"]}


def test_a_chip_for_a_value_missing_from_the_counts_is_named_from_the_gazetteer(db):
    links = search_links(SearchPage(SearchParams(region=("north-hamgyong",)), hits=[], count=0, matched_all=0))
    assert [chip.label for chip in links.chips] == ["Region: North Hamgyong"]


def test_cities_are_listed_under_their_province_and_orphans_at_the_top():
    groups = facet_groups(a_page(SearchParams()).facets, lambda facet, value: value)
    regions = next(group for group in groups if group.name == "region")
    assert [(link.label, [child.label for child in link.children]) for link in regions.links] == [
        ("Ryanggang", ["Hyesan"]), ("Chongjin", []),
    ]


def test_years_run_newest_first_with_undated_last_and_bars_scaled_to_the_largest():
    groups = facet_groups(a_page(SearchParams()).facets, lambda facet, value: value)
    years = next(group for group in groups if group.name == "year")
    assert [(link.label, link.bar_percent) for link in years.links] == [
        ("2019", 100), ("2018", 50), ("Date unknown", 25),
    ]


def test_pagination_shows_first_last_and_two_either_side_with_gaps():
    links = page_links(SearchParams(q="rice", page=6), page_count=12)
    assert [link.number for link in links] == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert [link.number for link in links if link.is_current] == [6]
    assert query_of(links[-1].url) == {"q": ["rice"], "page": ["12"]}


def test_relevance_is_offered_only_when_there_is_a_query(db):
    assert [s.label for s in search_links(a_page(SearchParams())).sorts] == ["Newest first", "Oldest first"]
    sorts = search_links(a_page(SearchParams(q="rice"))).sorts
    assert [(s.label, s.is_current) for s in sorts] == [
        ("Relevance", True), ("Newest first", False), ("Oldest first", False)
    ]


def test_the_query_box_and_date_form_keep_the_rest_of_the_search_in_hidden_fields(db, chosen):
    links = search_links(a_page(chosen.with_changes(page=3)))
    assert links.kept_fields == [("source", "daily-nk"), ("from", "2019-01-01"), ("sort", "newest")]
    assert links.date_fields == [("q", "smuggling"), ("source", "daily-nk"), ("sort", "newest")]


def test_a_suggestion_links_to_the_same_search_with_the_suggested_query(db, chosen):
    links = search_links(a_page(chosen, suggestion="smuggling traders"))
    assert query_of(links.suggestion_url)["q"] == ["smuggling traders"]
    assert query_of(links.suggestion_url)["source"] == ["daily-nk"]
