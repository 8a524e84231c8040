"""Place names in report text -> Region rows, from the gazetteer seeded out of ``fixtures/gazetteer.json``.

A city or county implies its province. Words that name a place but mean something else are not places: photo
captions (often stock pictures of another city), organisations named after a place ("Kumgang Office"), and
"the authorities in Pyongyang" meaning the government.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from archive.models import Region

GAZETTEER_FILE = Path(settings.BASE_DIR) / "fixtures" / "gazetteer.json"

_CAPTION = re.compile(r"/\s*(image|photo|picture)\s*:|^(image|photo)\s*:", re.I)
_ORGANISATION_AFTER = re.compile(
    r"^[\s-]*(office|company|corporation|trading|shipping|university|hotel|restaurant|group|bureau)\b", re.I
)
_GOVERNMENT_BEFORE = re.compile(r"\b(authorities|regime|government|leadership|officials|orders?) (in|from)\s*$", re.I)
_GOVERNMENT_AFTER = re.compile(r"^[’']s?\s+(authorities|regime|government|leadership|orders?|directives?)\b", re.I)


def load_gazetteer() -> list[dict]:
    """The gazetteer as shipped: a list of places, parents before children."""
    return json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _matcher(version: tuple[int, int]) -> tuple[re.Pattern, dict[str, int]]:
    """One regex over every name and alias, the longest name winning; rebuilt when the Region table changes."""
    names: dict[str, int] = {}
    for region in Region.objects.only("id", "name", "aliases"):
        for name in [region.name, *region.aliases]:
            names.setdefault(name.lower(), region.id)
    pattern = re.compile(r"\b(" + _trie_pattern(names) + r")\b", re.I) if names else None
    return pattern, names


def _trie_pattern(words) -> str:
    """The words as one regex shaped like a trie ("hyesan|hoeryong" -> "h(?:yesan|oeryong)"): at each position of the
    text only the names sharing its first letters are tried, where a flat alternation of 300 names tried all of them
    (12 ms per report, most of ingest's time). Longer names are tried first, as in the flat, longest-first list."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _is_place_mention(text: str, start: int, end: int) -> bool:
    if _ORGANISATION_AFTER.match(text[end:end + 30]):
        return False
    before, after = text[max(0, start - 40):start], text[end:end + 30]
    return not (_GOVERNMENT_BEFORE.search(before) or _GOVERNMENT_AFTER.match(after))


def find_regions(paragraphs: list[str], version: tuple[int, int] | None = None) -> list[Region]:
    """Regions named in the paragraphs, each with the regions containing it, in gazetteer order. ``version``: the
    Region table's, if the caller read it already (ingest reads it once per file)."""
    count = version or table_version()
    pattern, names = _matcher(count)
    if pattern is None:
        return []
    found: set[int] = set()
    for paragraph in paragraphs:
        if _CAPTION.search(paragraph):
            continue
        for match in pattern.finditer(paragraph):
            if _is_place_mention(paragraph, match.start(), match.end()):
                found.add(names[match.group(1).lower()])
    return with_ancestors(found, count)


def resolve_regions(labels: list[str], version: tuple[int, int] | None = None) -> list[Region]:
    """Regions given as metadata (names, aliases or slugs); unknown labels are ignored."""
    count = version or table_version()
    _, names = _matcher(count)
    by_id, by_slug = _regions(count)
    wanted = {label.strip().lower() for label in labels if isinstance(label, str) and label.strip()}
    ids = {names[label] for label in wanted if label in names}
    ids |= {by_slug[slug] for slug in wanted if slug in by_slug}
    return with_ancestors(ids, count)


def is_known_name_word(word: str) -> bool:
    """Whether a word is part of a place's name or one of its spellings ("Hamgyong", "Phyongan"): search never
    "corrects" it to a commoner word."""
    _, names = _matcher(table_version())
    return word.lower() in _name_words(frozenset(names))


@lru_cache(maxsize=1)
def _name_words(names: frozenset[str]) -> frozenset[str]:
    return frozenset(word for name in names for word in re.findall(r"\w+", name))


def with_ancestors(region_ids: set[int], version: tuple[int, int] | None = None) -> list[Region]:
    """The regions and every region containing them, by id, from the cached table (no query per article)."""
    by_id, _ = _regions(version or table_version())
    regions = {region_id: by_id[region_id] for region_id in region_ids if region_id in by_id}
    for region in list(regions.values()):
        for ancestor in region.lineage()[1:]:
            regions.setdefault(ancestor.id, ancestor)
    return sorted(regions.values(), key=lambda r: r.id)


def table_version() -> tuple[int, int]:
    """(count, largest id) of the Region table: the caches below are rebuilt when either changes (a table emptied
    and refilled with as many rows gets new ids)."""
    found = Region.objects.aggregate(count=Count("id"), last=Max("id"))
    return found["count"], found["last"] or 0


@lru_cache(maxsize=1)
def _regions(version: tuple[int, int]) -> tuple[dict[int, Region], dict[str, int]]:
    """Every region by id (parents linked, so ``lineage()`` reads no row) and ids by slug; reloaded when the Region
    table changes, like ``_matcher``. Ingest of 20,000 reports asks this for each one."""
    by_id = {region.id: region for region in Region.objects.all()}
    for region in by_id.values():
        if region.parent_id is not None:
            region.parent = by_id.get(region.parent_id)
    return by_id, {region.slug.lower(): region.id for region in by_id.values()}
