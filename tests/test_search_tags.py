"""A results page's tags (each hit's regions and people) and its place and person facet labels: read for the whole
page from the gazetteer's cached rows, and a place or person renamed, in whichever process, shows at the next
search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.ingest import gazetteer
from archive.models import Article, Person, Region
from archive.search import engine
from tests.search_helpers import REPORTS, search


@pytest.fixture(autouse=True)
def corpus(ingest, tmp_path):
    people = tmp_path / "people.txt"
    people.write_text("Kim Jong Un visits Hyesan\n\nKim Jong Un and Choe Ryong Hae inspected a farm in Hyesan.\n")
    ingest(REPORTS, people)


def tagged_page():
    page = search(size="50")
    assert any(hit.regions for hit in page.hits) and any(hit.people for hit in page.hits)
    return page


def test_each_hit_lists_the_regions_and_people_of_its_article_in_their_order():
    for hit in tagged_page().hits:
        assert hit.regions == list(hit.article.regions.all())
        assert hit.people == list(hit.article.people.all())


def queries_of(**query) -> int:
    with CaptureQueriesContext(connection) as captured:
        search(**query)
    return len(captured.captured_queries)


def test_a_page_of_many_hits_reads_no_more_queries_than_a_page_of_one():
    search()  # the cached rows filled
    assert queries_of(size="50") == queries_of(size="1")


def test_a_renamed_region_shows_its_new_name_in_the_next_searchs_hits_and_facets():
    page = tagged_page()
    region = next(hit.regions[0] for hit in page.hits if hit.regions)
    region.name = "Renamed Place"
    region.save()  # as the admin does, in whichever worker: the table's latest edit moves on

    page = tagged_page()
    assert "Renamed Place" in {r.name for hit in page.hits for r in hit.regions}
    assert "Renamed Place" in {value.label for value in page.facets["region"]}
    assert region.name == Region.objects.get(pk=region.pk).name


def test_a_renamed_person_shows_their_new_name_in_the_next_searchs_hits_and_facets():
    page = tagged_page()
    person = next(hit.people[0] for hit in page.hits if hit.people)
    Person.objects.filter(pk=person.pk).update(name="Renamed Person", updated_at=person.updated_at.replace(year=2100))

    page = tagged_page()
    assert "Renamed Person" in {p.name for hit in page.hits for p in hit.people}
    assert "Renamed Person" in {value.label for value in page.facets["person"]}


def test_the_cached_rows_keep_one_version_of_the_tables():
    tagged_page()
    region = Region.objects.first()
    for n in range(3):
        region.name = f"Renamed {n}"
        region.save()
        tagged_page()
    assert engine.cache_sizes()["gazetteer: rows of places and people"] == (1, 1)
    assert gazetteer.tags_of([Article.objects.first().pk])  # the current version's rows answer
