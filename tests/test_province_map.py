"""The map of the provinces: outlines converted once from Who's On First into a committed fixture, a shape per
province and special city of the gazetteer, shaded by a search's counts, each shape a link that chooses its region."""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from archive.models import Region
from archive.search import FacetValue, SearchParams
from archive.views.province_map import OUTLINES, article_map, outlines, search_map

ROOT = Path(settings.BASE_DIR)
SOURCE_OUTLINES = ROOT / "fixtures" / "sources" / "provinces-kp.geojson"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_every_province_and_special_city_of_the_gazetteer_has_one_shape(db):
    top_level = set(Region.objects.filter(parent=None).values_list("slug", flat=True))
    assert len(top_level) == 12
    assert sorted(outline.slug for outline in outlines().regions) == sorted(top_level)


def test_the_committed_outlines_are_what_the_script_makes_from_who_s_on_first(tmp_path):
    made = tmp_path / "province_map.json"
    subprocess.run([sys.executable, str(ROOT / "fixtures" / "build_province_map.py"), str(SOURCE_OUTLINES), str(made)],
                   check=True, capture_output=True)
    assert made.read_text(encoding="utf-8") == OUTLINES.read_text(encoding="utf-8")


def test_every_shape_lies_inside_the_view_box_and_is_credited():
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert "Quattroshapes" in data["credit"] and "Who's On First" in data["credit"]
    for region in data["regions"]:
        x, y = 0.0, 0.0
        for command, numbers in re.findall(r"([Ml])([^Mlz]*)", region["path"]):
            values = [float(n) for n in numbers.split()]
            if command == "M":
                x, y = values
                points = [(x, y)]
            else:
                points = []
                for dx, dy in zip(values[::2], values[1::2], strict=False):
                    x, y = x + dx, y + dy
                    points.append((x, y))
            for px, py in points:
                assert -0.5 <= px <= data["width"] + 0.5 and -0.5 <= py <= data["height"] + 0.5, region["slug"]
        label_x, label_y = region["label"]
        assert 0 < label_x < data["width"] and 0 < label_y < data["height"]


def regions(**counts) -> list[FacetValue]:
    values = [FacetValue(slug.replace("_", "-"), slug, count) for slug, count in counts.items()]
    return values + [FacetValue("hyesan", "Hyesan", 99, parent="ryanggang")]  # a city is not a shape


def test_a_shape_is_shaded_by_its_count_in_fifths_of_the_largest_and_named_with_it(db):
    shapes = {shape.outline.slug: shape for shape in search_map(
        regions(ryanggang=1000, north_hamgyong=450, pyongyang=1), SearchParams()).shapes}
    assert (shapes["ryanggang"].shade, shapes["north-hamgyong"].shade, shapes["pyongyang"].shade) == (5, 3, 1)
    assert shapes["kangwon"].shade == 0 and shapes["kangwon"].url == ""
    assert shapes["ryanggang"].name == "Ryanggang: 1,000 reports"
    assert shapes["pyongyang"].name == "Pyongyang: 1 report"
    assert shapes["kangwon"].name == "Kangwon: no reports"


def test_a_shape_links_to_the_search_with_its_region_added_and_a_chosen_one_removes_it(db):
    params = SearchParams(q="rice", region=("ryanggang",))
    shapes = search_map(regions(ryanggang=3, north_hamgyong=2), params).shapes
    by_slug = {shape.outline.slug: shape for shape in shapes}
    assert query_of(by_slug["north-hamgyong"].url) == {"q": ["rice"], "region": ["ryanggang", "north-hamgyong"]}
    assert by_slug["ryanggang"].is_chosen and query_of(by_slug["ryanggang"].url) == {"q": ["rice"]}
    assert shapes[-1] is by_slug["ryanggang"]  # drawn last: no neighbour covers its outline


def test_the_legend_says_what_each_shade_stands_for(db):
    legend = search_map(regions(ryanggang=10), SearchParams()).legend
    assert [(step.shade, step.label) for step in legend] == [
        (0, "none"), (1, "1–2"), (2, "3–4"), (3, "5–6"), (4, "7–8"), (5, "9–10")]
    small = search_map(regions(ryanggang=2), SearchParams()).legend
    assert [(step.shade, step.label) for step in small] == [(0, "none"), (3, "1"), (5, "2")]


@pytest.fixture
def hyesan_report(ingest):
    from archive.models import Article
    from tests.conftest import SEED_000

    ingest(SEED_000)
    return Article.objects.get()


def test_an_article_map_shades_the_provinces_its_report_names(hyesan_report):
    names = {region.slug for region in hyesan_report.regions.all() if region.is_top_level}
    shaded = {shape.outline.slug for shape in article_map(hyesan_report).shapes if shape.shade}
    assert shaded == names and names


def test_the_search_page_draws_the_map_with_a_table_of_the_same_counts_and_the_credit(client, ingest):
    from tests.browser.conftest import REPORTS

    ingest(REPORTS)
    html = client.get("/search/", {"q": "smuggling"}).content.decode()
    assert re.search(r'<a class="map-region shade-5" href="/search/\?q=smuggling&amp;region=ryanggang" '
                     r'aria-label="Ryanggang: 4 reports">', html)
    assert "<th scope=\"row\">Ryanggang</th><td>4</td>" in html
    assert "Quattroshapes" in html and "Who’s On First" in html
