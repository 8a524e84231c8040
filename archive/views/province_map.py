"""The map of North Korea's provinces and special cities: a choropleth of a search's counts, and an article's regions.

The outlines are ``fixtures/province_map.json`` (made once by ``fixtures/build_province_map.py`` from Who's On
First's outlines, whose shapes are Quattroshapes'; both are credited under every map). Each shape is named by a
gazetteer slug, so its count is the region facet's count of that province, and its link is the facet's link: the
map is another way to choose a region, with the same rule (``SearchParams.toggled``).

Shades are classes (``shade-0`` for none, ``shade-1`` ... ``shade-5`` in fifths of the largest count), so the
colours live in the CSS and the Content-Security-Policy needs no style attribute.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from archive.models import Article
from archive.search import FacetValue, SearchParams
from archive.views.search_links import search_url
from archive.views.timeline import reports

OUTLINES = Path(settings.BASE_DIR) / "fixtures" / "province_map.json"
SHADES = 5


@dataclass(frozen=True)
class Outline:
    slug: str
    name: str
    path: str  # SVG path data in the map's viewBox
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Outlines:
    width: int
    height: int
    credit: str
    regions: tuple[Outline, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


@dataclass
class Shape:
    outline: Outline
    count: int
    shade: int  # 0: no reports; 1 ... SHADES: in fifths of the largest count
    url: str  # "" for a shape that is not a link
    is_chosen: bool
    name: str  # accessible name and tooltip: "Ryanggang: 3 reports"

    @property
    def is_dark(self) -> bool:
        """Whether its count is written in white (on the two darkest shades)."""
        return self.shade >= SHADES - 1


@dataclass
class LegendStep:
    shade: int
    label: str  # "1–3", "none"


@dataclass
class ProvinceMap:
    outlines: Outlines
    shapes: list[Shape]
    legend: list[LegendStep]
    summary: str

    @property
    def by_name(self) -> list[Shape]:
        """For the table of counts."""
        return sorted(self.shapes, key=lambda shape: shape.outline.name)


@cache
def outlines() -> Outlines:
    """Read once per process: the file does not change while the archive runs."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    regions = tuple(Outline(r["slug"], r["name"], r["path"], *r["label"]) for r in data["regions"])
    return Outlines(data["width"], data["height"], data["credit"], regions)


def search_map(region_counts: list[FacetValue], params: SearchParams) -> ProvinceMap:
    """The search's counts per province and special city (the region facet's, counted without the regions chosen);
    each shape adds or removes its region, as the facet's link does."""
    counts = {value.value: value.count for value in region_counts if not value.parent}
    largest = max((counts.get(outline.slug, 0) for outline in outlines().regions), default=0)
    shapes = []
    for outline in outlines().regions:
        count = counts.get(outline.slug, 0)
        chosen = outline.slug in params.region
        shapes.append(Shape(outline, count, _shade(count, largest),
                            search_url(params.toggled("region", outline.slug)) if count or chosen else "",
                            chosen, f"{outline.name}: {reports(count)}"))
    shapes.sort(key=lambda shape: shape.is_chosen)  # drawn last, so no neighbour covers a chosen one's outline
    named = sorted((shape for shape in shapes if shape.count), key=lambda shape: -shape.count)
    summary = (f"Most reports in {named[0].outline.name} ({named[0].count:,}); "
               f"{len(named)} of {len(shapes)} provinces and special cities named."
               if named else "No report of this search names a province or special city.")
    return ProvinceMap(outlines(), shapes, _legend(largest), summary)


def article_map(article: Article) -> ProvinceMap | None:
    """The provinces and special cities a report names (a city names its province too), shaded; None when it names
    none. Not links: the report's region links are beside it, and a map that is one image for screen readers holds
    no controls."""
    named = {region.slug for region in article.regions.all() if region.is_top_level}
    shapes = [
        Shape(outline, int(outline.slug in named), SHADES - 1 if outline.slug in named else 0, "", False,
              f"{outline.name}{' (named in this report)' if outline.slug in named else ''}")
        for outline in outlines().regions
    ]
    names = [shape.outline.name for shape in shapes if shape.count]
    if not names:
        return None
    summary = f"Map of North Korea's provinces and special cities; this report names {', '.join(names)}."
    return ProvinceMap(outlines(), shapes, [], summary)


def _shade(count: int, largest: int) -> int:
    return math.ceil(SHADES * count / largest) if count else 0


def _legend(largest: int) -> list[LegendStep]:
    """What each shade stands for, at this search's largest count; shades no count can have are left out."""
    steps = [LegendStep(0, "none")]
    low = 1
    for shade in range(1, SHADES + 1):
        high = math.floor(largest * shade / SHADES)
        if high >= low:
            steps.append(LegendStep(shade, f"{low:,}" if high == low else f"{low:,}–{high:,}"))
            low = high + 1
    return steps
