"""Which spelling of a name each result matched, and where: "matched 량강도 in the text", "matched the region tag
Ryanggang". A search for ``Yanggang`` finds reports that never write ``Yanggang``; this says why each one is listed.

Read from the article, not from the engine, so it works with any haystack engine: a Latin form is looked for as whole
words in the title and text, folded alike (accents, apostrophes and case ignored, hyphen or space alike, as the
analyzer reads them); a Hangul form as a substring (particles follow a name in the same word); tags from the
article's regions and people. Only the page's hits are read, whose rows are loaded already.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from archive.models import Article, Person, Region
from archive.search.query import Expansion
from archive.spelling import fold, has_hangul

TEXT, TITLE, REGION, PERSON = "text", "title", "region", "person"


@dataclass(frozen=True)
class Match:
    form: str  # the spelling found (or the tag's name)
    field: str  # "title", "text", "region" or "person"

    @property
    def label(self) -> str:
        if self.field in (REGION, PERSON):
            return f"the {self.field} tag {self.form}"
        return f"{self.form} in the {self.field}"


def matches_of(article: Article, expansions: list[Expansion], regions: list[Region], people: list[Person]
               ) -> list[Match]:
    """The forms of the query's names this article holds, title first, then text, then its tags (``regions`` and
    ``people``, read for the whole page); each form once (in the first field it is found in)."""
    if not expansions:
        return []
    title, text = _folded(article.title), _folded(article.body_text)
    found: list[Match] = []
    for expansion in expansions:
        for form in expansion.forms:
            pattern = _pattern(form)
            field = TITLE if pattern.search(title) else TEXT if pattern.search(text) else ""
            if field:
                found.append(Match(form, field))
        region_slugs = {named.slug for named in expansion.named if named.kind == "place"}
        person_slugs = {named.slug for named in expansion.named if named.kind == "person"}
        found += [Match(region.name, REGION) for region in regions if region.slug in region_slugs]
        found += [Match(person.name, PERSON) for person in people if person.slug in person_slugs]
    return list(dict.fromkeys(found))


def _folded(text: str) -> str:
    return " ".join(fold(text).lower().replace("'", "").split())


@lru_cache(maxsize=1000)
def _pattern(form: str) -> re.Pattern:
    folded = _folded(form)
    if has_hangul(folded):
        return re.compile(re.escape(folded))
    words = re.findall(r"\w+", folded)
    return re.compile(r"\b" + r"[\s\-]*".join(re.escape(word) for word in words) + r"\b")
