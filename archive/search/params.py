"""SearchParams: the one reader of search parameters, for the search page, the API, feeds, exports and browse pages.

Parameters: ``q, exact, source, region, year, author, language, person, from, to, sort, page`` (facet values are
slugs; repeat a parameter for several values; ``exact=1`` searches every name as typed, not as any of its
spellings). A malformed parameter raises ``BadParameter`` with a message for the user; a query text is
never malformed (the query reader makes the best of it), only capped in length.
"""

import datetime
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from archive.errors import BadParameter

FACETS = ("source", "region", "year", "author", "language", "person")
# Each facet's field in the search index (``archive.search_indexes``): one name in the URL, another in the index.
INDEX_FIELDS = {"source": "source", "region": "regions", "year": "year", "author": "author", "language": "language",
                "person": "people"}
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 500
MAX_VALUES_PER_FACET = 20
MAX_PAGE = 1000
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
UNDATED = "undated"

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_YEAR = re.compile(r"^[0-9]{4}$|^undated$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A date as 'from' and 'to' take it: a year, a month or a day. The search page's date fields carry this as their
# HTML pattern, so the browser asks for what this parser reads.
DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    exact: bool = False
    source: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE

    @classmethod
    def from_query(cls, query) -> "SearchParams":
        """Read a QueryDict (or a plain dict of strings or lists)."""
        get_list = query.getlist if hasattr(query, "getlist") else (
            lambda name: v if isinstance(v := query.get(name, []), list) else [v]
        )

        def first(name: str) -> str:
            values = get_list(name)
            return values[-1].strip() if values else ""

        facets = {name: _facet_values(name, get_list(name)) for name in FACETS}
        date_from = _date_param("from", first("from"), end=False)
        date_to = _date_param("to", first("to"), end=True)
        if date_from and date_to and date_from > date_to:
            raise BadParameter(f"'from' ({date_from}) is after 'to' ({date_to})")
        sort = first("sort").lower()
        if sort and sort not in SORTS:
            raise BadParameter(f"sort must be one of {', '.join(SORTS)}, not {sort[:30]!r}")
        return cls(
            q=clean_query_text(first("q")),
            exact=_bool_param("exact", first("exact")),
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=_int_param("page", first("page"), default=1, maximum=MAX_PAGE),
            page_size=_int_param("size", first("size"), default=PAGE_SIZE, maximum=MAX_PAGE_SIZE),
            **facets,
        )

    @property
    def effective_sort(self) -> str:
        """Relevance when there is a query to be relevant to, else newest first."""
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        """The chosen facet values, by facet."""
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    @property
    def offset(self) -> int:
        """How many results come before this page's first."""
        return (self.page - 1) * self.page_size

    def with_changes(self, **changes) -> "SearchParams":
        """A copy with some values changed; the page goes back to 1 unless it is one of the changes."""
        changes.setdefault("page", 1)
        return replace(self, **changes)

    def toggled(self, facet: str, value: str) -> "SearchParams":
        """This search with one facet value added, or removed if it was chosen."""
        current = getattr(self, facet)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.with_changes(**{facet: values})

    def as_query_pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        if self.exact:
            pairs.append(("exact", "1"))
        for name in FACETS:
            pairs.extend((name, value) for value in getattr(self, name))
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.page_size != PAGE_SIZE:
            pairs.append(("size", str(self.page_size)))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def query_around(self, facet: str) -> tuple[str, str]:
        """The query string of this search at page 1 (as ``toggled`` gives it) split where one facet's values go:
        what comes before them and what after, encoded, for links that change only that facet's values."""
        pairs = self.with_changes(**{facet: ("",)}).as_query_pairs()
        at = pairs.index((facet, ""))
        return urlencode(pairs[:at]), urlencode(pairs[at + 1:])

    def as_query_string(self) -> str:
        """The URL query that gives this search back: what analysts paste into their notes."""
        return urlencode(self.as_query_pairs())


def clean_query_text(text: str) -> str:
    """Control characters become spaces, whitespace collapses, and the length is capped."""
    return " ".join(_CONTROL.sub(" ", text).split())[:MAX_QUERY_CHARS].strip()


def _facet_values(name: str, raw_values: list[str]) -> tuple[str, ...]:
    values: list[str] = []
    for raw in raw_values:
        for value in raw.split(","):
            value = value.strip().lower()
            if not value:
                continue
            valid = _YEAR.match(value) if name == "year" else _SLUG.match(value)
            if not valid:
                expected = "a four-digit year or 'undated'" if name == "year" else "a slug (letters, digits, hyphens)"
                raise BadParameter(f"{name} must be {expected}, not {value[:40]!r}")
            if value not in values:
                values.append(value)
    if len(values) > MAX_VALUES_PER_FACET:
        raise BadParameter(f"at most {MAX_VALUES_PER_FACET} values of {name} at once")
    return tuple(values)


def _date_param(name: str, raw: str, end: bool) -> datetime.date | None:
    """An ISO date, or a year or year-month meaning its first day (for 'from') or last day (for 'to')."""
    if not raw:
        return None
    try:
        if not re.fullmatch(DATE_PATTERN, raw):
            raise ValueError(raw)
        if len(raw) == 4:
            year = int(raw)
            return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
        if len(raw) == 7:
            year, month = map(int, raw.split("-"))
            first_day = datetime.date(year, month, 1)
            if not end:
                return first_day
            next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
            return next_month - datetime.timedelta(days=1)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a date (YYYY-MM-DD, YYYY-MM or YYYY), not {raw[:40]!r}") from None


def _bool_param(name: str, raw: str) -> bool:
    """``1``/``true``/``on`` (a checkbox's value) or ``0``/``false``/empty; anything else is a mistake worth saying."""
    value = raw.lower()
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("", "0", "false", "off", "no"):
        return False
    raise BadParameter(f"{name} must be 1 or 0, not {raw[:20]!r}")


def _int_param(name: str, raw: str, default: int, maximum: int) -> int:
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or not raw.strip("0"):  # ASCII digits: '⁴' is a digit int() refuses
        raise BadParameter(f"{name} must be a whole number from 1, not {raw[:20]!r}")
    return min(int(raw), maximum) if len(raw) <= len(str(maximum)) else maximum
