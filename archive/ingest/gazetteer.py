"""Names in report text -> Region and Person rows, whichever spelling the text uses, in Latin letters or in Hangul.

The gazetteer and the people are seeded from ``fixtures/gazetteer.json`` and ``fixtures/people.json`` (built by
``manage.py build_gazetteer``): each place and person has a name, Latin ``aliases`` and ``hangul`` forms. Ingest tags
an article with every place and person its title and text name; a city or county implies its province.

Latin forms are matched whole-word, ignoring case, diacritics and the way an MR apostrophe was typed (the text and
the forms are folded alike, ``archive.spelling.fold``): ``P’yŏngyang``, ``P'yongyang`` and ``PYONGYANG`` are one form.
Hangul forms are matched where a word starts but without an end boundary, because particles follow a Korean name in
the same word (``혜산시에서``, ``김정은의``); so bare Hangul names that are also everyday words are not forms at all
(the builder leaves them out), and the few words that begin with a place's name and mean something else are
``HANGUL_NOT_PLACES``, matched as nothing.

Words that name a place but mean something else are not places: photo captions (often stock pictures of another
city), organisations named after a place ("Kumgang Office", "Moranbong Band"), and "the authorities in Pyongyang"
meaning the government. A person named in a caption is tagged: the picture is of them.

For the search side: ``forms_of_place(slug)``, ``forms_of_person(slug)`` (every spelling, for query expansion) and
``named_by(phrase)`` (which places or people a query word or phrase names, however it is spelt).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Count, Max

from archive.models import Article, Person, Region
from archive.spelling import fold, fold_key, has_hangul, name_key

_CAPTION = re.compile(r"/\s*(image|photo|picture)\s*:|^(image|photo)\s*:", re.I)
_ORGANISATION_AFTER = re.compile(
    r"^[\s-]*(office|company|corporation|trading|shipping|university|hotel|restaurant|group|bureau|band|orchestra"
    r"|ensemble|troupe|bank|beer)\b", re.I
)
_GOVERNMENT_BEFORE = re.compile(r"\b(authorities|regime|government|leadership|officials|orders?) (in|from)\s*$", re.I)
_GOVERNMENT_AFTER = re.compile(r"^[’']s?\s+(authorities|regime|government|leadership|orders?|directives?)\b", re.I)
_HANGUL_SYLLABLES = "\uac00-\ud7a3"

# Words that begin with a place's Hangul and mean something else: matched, and taken as no name, so that the longer
# word wins over the place's name at the same position (원산지 "place of origin" is not Wonsan).
HANGUL_NOT_PLACES = (
    "원산지", "청진기", "함흥차사", "신포도", "남포동",
    "해주시기", "해주시는", "해주시고", "해주시면", "해주시오", "해주시길", "해주시어", "해주시니",
    "해주시지", "해주시던", "해주시겠",
)
REGION, PERSON = "region", "person"


class Tags(NamedTuple):
    regions: list[Region]
    people: list[Person]


@dataclass(frozen=True)
class Named:
    """A place or person a phrase names: ``kind`` is ``"place"`` or ``"person"``; ``forms`` every spelling of it,
    the name first, then the Latin aliases, then the Hangul."""

    kind: str
    slug: str
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class _Matcher:
    latin: re.Pattern | None
    hangul: re.Pattern | None
    # form (fold_key) -> (REGION or PERSON, id); None for a form that names several things, or nothing.
    forms: dict[str, tuple[str, int] | None]


def table_version() -> tuple:
    """(count, largest id, latest edit) of the Region and Person tables: the caches below are rebuilt when either
    changes (a table emptied and refilled with as many rows gets new ids; a place renamed or given a spelling, in
    whichever process, a later ``updated_at``). Ingest reads it once per file, a search once."""
    regions = Region.objects.aggregate(count=Count("id"), last=Max("id"), edited=Max("updated_at"))
    people = Person.objects.aggregate(count=Count("id"), last=Max("id"), edited=Max("updated_at"))
    return (regions["count"], regions["last"] or 0, regions["edited"],
            people["count"], people["last"] or 0, people["edited"])


def tag(paragraphs: list[str], version: tuple | None = None) -> Tags:
    """The regions (each with the regions containing it, in gazetteer order) and the people the paragraphs name.
    ``version``: the tables', if the caller read it already."""
    version = version or table_version()
    matcher = _matcher(version)
    regions, people = set(), set()
    for paragraph in paragraphs:
        text = " ".join(fold(paragraph).lower().split())
        caption = _CAPTION.search(paragraph) is not None
        for pattern in (matcher.latin, matcher.hangul if has_hangul(text) else None):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                named = matcher.forms.get(match.group(1))
                if named is None:
                    continue
                kind, pk = named
                if kind == PERSON:
                    people.add(pk)
                elif not caption and _is_place_mention(text, match.start(), match.end()):
                    regions.add(pk)
    _, by_person, _ = _rows(version)
    return Tags(with_ancestors(regions, version), sorted((by_person[pk] for pk in people), key=lambda p: p.pk))


def resolve_regions(labels: list[str], version: tuple | None = None) -> list[Region]:
    """Regions given as metadata (any spelling, Latin or Hangul, or slugs); unknown labels are ignored."""
    version = version or table_version()
    forms = _matcher(version).forms
    _, _, by_slug = _rows(version)
    ids = set()
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            continue
        named = forms.get(fold_key(label))
        if named is not None and named[0] == REGION:
            ids.add(named[1])
        elif label.strip().lower() in by_slug:
            ids.add(by_slug[label.strip().lower()])
    return with_ancestors(ids, version)


def with_ancestors(region_ids: set[int], version: tuple | None = None) -> list[Region]:
    """The regions and every region containing them, by id, from the cached table (no query per article)."""
    by_id, _, _ = _rows(version or table_version())
    regions = {region_id: by_id[region_id] for region_id in region_ids if region_id in by_id}
    for region in list(regions.values()):
        for ancestor in region.lineage()[1:]:
            regions.setdefault(ancestor.id, ancestor)
    return sorted(regions.values(), key=lambda r: r.id)


def tags_of(article_ids: list[int], version: tuple | None = None) -> dict[int, Tags]:
    """Each article's regions and people (in the models' order, by name), from the link tables and the cached rows:
    a results page reads two columns of ids, where prefetching built and decoded every row of the page's tags."""
    regions, people, _ = _rows(version or table_version())
    found: dict[int, Tags] = {article_id: Tags([], []) for article_id in article_ids}
    links = ((Article.regions.through, "region_id", regions, 0), (Article.people.through, "person_id", people, 1))
    for through, column, rows, at in links:
        for article_id, row_id in through.objects.filter(article_id__in=article_ids).values_list("article_id", column):
            if row_id in rows:
                found[article_id][at].append(rows[row_id])
    region_order, person_order = ({pk: n for n, pk in enumerate(rows)} for rows in (regions, people))
    for tagged_regions, tagged_people in found.values():
        tagged_regions.sort(key=lambda region: region_order[region.pk])
        tagged_people.sort(key=lambda person: person_order[person.pk])
    return found


def rows_by_slug(version: tuple | None = None) -> tuple[dict[str, Region], dict[str, Person]]:
    """Every region (its parent linked) and every person by slug, from the cached rows: the facet labels of every
    search, without a query of their own."""
    regions, people, _ = _rows(version or table_version())
    return {region.slug: region for region in regions.values()}, {person.slug: person for person in people.values()}


def forms_of_place(slug: str) -> list[str]:
    """Every spelling of the place: its name, Latin aliases and Hangul (empty for an unknown slug)."""
    return list(_entities(table_version())[0].get(slug, Named("place", slug, "", ())).forms)


def forms_of_person(slug: str) -> list[str]:
    """Every spelling of the person: name, Latin aliases and Hangul (empty for an unknown slug)."""
    return list(_entities(table_version())[1].get(slug, Named("person", slug, "", ())).forms)


def named_by(phrase: str, version: tuple | None = None) -> list[Named]:
    """The places and people a query word or phrase names, whatever its spacing, hyphens, accents, apostrophes or
    script: ``Kim Jong-un``, ``kim jongun`` and ``김정은`` name Kim Jong Un; ``Yanggang`` and ``량강도`` Ryanggang.
    Usually one; several when one spelling names several (the two Unsan counties); none for any other phrase.
    ``version``: the tables', if the caller read it already (a query asks for every run of its words)."""
    return list(_entities(version or table_version())[2].get(name_key(phrase), ()))


_KIND_PLURALS = {"province": "provinces", "special-city": "special cities", "city": "cities", "county": "counties",
                 "district": "districts", "town": "towns and neighbourhoods", "site": "sites"}


def summary() -> dict:
    """What the gazetteer holds, for the "About the data" page: places by kind in the model's order ("146
    counties"), how many have Hangul and a Who's On First record, and the number of people."""
    counts = dict(Region.objects.values_list("kind").annotate(count=Count("id")))
    return {
        "kinds": [f"{counts[kind]} {label if counts[kind] == 1 else _KIND_PLURALS[kind]}"
                  for kind, label in Region.Kind.choices if counts.get(kind)],
        "places": sum(counts.values()),
        "with_hangul": Region.objects.exclude(hangul=[]).count(),
        "with_wof": Region.objects.filter(wof_id__isnull=False).count(),
        "people": Person.objects.count(),
    }


@lru_cache(maxsize=1)
def _entities(version: tuple) -> tuple[dict[str, Named], dict[str, Named], dict[str, tuple[Named, ...]]]:
    """(places by slug, people by slug, everything by ``name_key`` of each of its forms)."""
    places, people = {}, {}
    for region in Region.objects.order_by("pk"):
        places[region.slug] = Named("place", region.slug, region.name, _forms_of(region))
    for person in Person.objects.order_by("pk"):
        people[person.slug] = Named("person", person.slug, person.name, _forms_of(person))
    by_key = defaultdict(list)
    for named in [*places.values(), *people.values()]:
        for form in named.forms:
            key = name_key(form)
            if key and named not in by_key[key]:
                by_key[key].append(named)
    return places, people, {key: tuple(found) for key, found in by_key.items()}


def _forms_of(row: Region | Person) -> tuple[str, ...]:
    return tuple(dict.fromkeys([row.name, *row.aliases, *row.hangul]))


@lru_cache(maxsize=1)
def _matcher(version: tuple) -> _Matcher:
    """Two regexes over every form of every place and person, the longest form winning where several start at one
    place: Latin forms between word boundaries, Hangul forms after one. Rebuilt when the tables change."""
    owners: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for region in Region.objects.only("id", "name", "aliases", "hangul"):
        for form in _forms_of(region):
            owners[fold_key(form)].add((REGION, region.id))
    for person in Person.objects.only("id", "name", "aliases", "hangul"):
        for form in _forms_of(person):
            owners[fold_key(form)].add((PERSON, person.id))
    forms = {form: next(iter(found)) if len(found) == 1 else None for form, found in owners.items() if form}
    for word in HANGUL_NOT_PLACES:
        forms[word] = None
    latin = [form for form in forms if not has_hangul(form)]
    hangul = [form for form in forms if has_hangul(form)]
    return _Matcher(
        # ASCII word boundaries: the folded text holds no accented letter, and a Hangul particle glued to a Latin
        # name ("Hyesan에서") still ends the name.
        re.compile(r"\b(" + _trie_pattern(latin) + r")\b", re.ASCII) if latin else None,
        re.compile(f"(?<![{_HANGUL_SYLLABLES}])(" + _trie_pattern(hangul) + ")") if hangul else None,
        forms,
    )


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


def is_known_name_word(word: str, version: tuple | None = None) -> bool:
    """Whether a word is part of a spelling of a place or a person ("Hamgyong", "Phyongan", "Jong"): search never
    "corrects" it to a commoner word."""
    return fold_key(word) in _name_words(version or table_version())


@lru_cache(maxsize=1)
def _name_words(version: tuple) -> frozenset[str]:
    places, people, _ = _entities(version)
    return frozenset(fold_key(part) for named in [*places.values(), *people.values()] for form in named.forms
                     for part in re.findall(r"\w+", form))


@lru_cache(maxsize=1)
def _rows(version: tuple) -> tuple[dict[int, Region], dict[int, Person], dict[str, int]]:
    """Every region by id (parents linked, so ``lineage()`` reads no row), every person by id, each in the models'
    order, and region ids by slug; reloaded when the tables change, like ``_matcher``. Ingest of 20,000 reports asks
    this for each one, a search for its page's tags and facet labels."""
    by_id = {region.id: region for region in Region.objects.all()}
    for region in by_id.values():
        if region.parent_id is not None:
            region.parent = by_id.get(region.parent_id)
    people = {person.id: person for person in Person.objects.all()}
    return by_id, people, {region.slug.lower(): region.id for region in by_id.values()}
