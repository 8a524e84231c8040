"""The fixed query mix of ``make bench``, picked from the generated corpus's own frequencies.

Why from the frequencies: a search's cost grows with the documents its words match, so "a common word" must mean
the same share of the archive at 1,000 and at 100,000 reports. Each query is written twice, in the archive's query
language (``/api/search/`` parameters) and as the FTS5 baseline's MATCH expression and filters, so both systems
answer the same question. Every query asks for all facets (the archive always counts source, region, year and
author; the baseline does the same with GROUP BY). The mix is deterministic: same corpus, same queries.
"""

from dataclasses import dataclass, field

from corpus import FUNCTION_WORDS

PER_CATEGORY = 24
CATEGORIES = (
    "word, common", "word, mid", "word, rare", "two words", "phrase", "NOT", "field", "facet filter",
    "empty, newest", "deep page",
)
COMMON_SHARE = (0.25, 0.7)  # a common word is in 25-70 % of the reports
MID_SHARE = (0.01, 0.05)


@dataclass(frozen=True)
class Query:
    category: str
    archive: tuple[tuple[str, str], ...]  # /api/search/ parameters
    baseline: tuple[tuple[str, str], ...]  # the baseline server's parameters: match, filters, sort, page
    label: str = ""

    @property
    def archive_params(self) -> list[tuple[str, str]]:
        return list(self.archive)


@dataclass
class Bands:
    common: list[str] = field(default_factory=list)
    mid: list[str] = field(default_factory=list)
    rare: list[str] = field(default_factory=list)


def pick_bands(stats: dict) -> Bands:
    """Words at three document-frequency bands, evenly spread over each band (never function words)."""
    count = stats["count"]
    df = {w: n for w, n in stats["document_frequency"].items() if w not in FUNCTION_WORDS and w.isalpha()}
    rare_high = max(5, count // 1000)
    return Bands(
        common=_spread(df, COMMON_SHARE[0] * count, COMMON_SHARE[1] * count),
        mid=_spread(df, MID_SHARE[0] * count, MID_SHARE[1] * count),
        rare=_spread(df, 2, rare_high),
    )


def _spread(df: dict[str, int], low: float, high: float, k: int = PER_CATEGORY) -> list[str]:
    """``k`` words with frequencies in [low, high], spread evenly by frequency; the nearest ones if too few."""
    inside = sorted((n, w) for w, n in df.items() if low <= n <= high)
    if len(inside) < k:
        middle = (low + high) / 2
        inside = sorted(sorted(((n, w) for w, n in df.items()), key=lambda item: abs(item[0] - middle))[:k])
    step = len(inside) / k
    return [inside[int(i * step)][1] for i in range(k)]


def build_mix(stats: dict) -> list[Query]:
    """At least 200 queries, ``PER_CATEGORY`` per category, in a fixed order."""
    bands = pick_bands(stats)
    count = stats["count"]
    sources = sorted(stats["source_counts"], key=lambda s: (-stats["source_counts"][s], s))
    regions = sorted(stats["region_mentions"], key=lambda s: (-stats["region_mentions"][s], s))[:12]
    years = sorted(y for y in stats["year_counts"] if y != "undated")
    authors = sorted(stats["author_counts"], key=lambda a: (-stats["author_counts"][a], a))[:PER_CATEGORY]
    phrases = sorted(stats["phrase_frequency"], key=lambda p: (-stats["phrase_frequency"][p], p))
    k = PER_CATEGORY
    mix: list[Query] = []

    def add(category, q="", match="", filters=(), extra=()):
        archive = ((("q", q),) if q else ()) + tuple(filters) + tuple(extra)
        baseline = ((("match", match),) if match else ()) + tuple(filters) + tuple(extra)
        mix.append(Query(category, archive, baseline, q or "(empty)"))

    for word in bands.common:
        add("word, common", word, _quoted(word))
    for word in bands.mid:
        add("word, mid", word, _quoted(word))
    for word in bands.rare:
        add("word, rare", word, _quoted(word))
    for i in range(k):  # half common + mid, half mid + mid (these often fall back to partial matches)
        first = bands.common[i] if i % 2 == 0 else bands.mid[(i + 7) % k]
        second = bands.mid[i]
        add("two words", f"{first} {second}", f"{_quoted(first)} AND {_quoted(second)}")
    for i in range(k):
        phrase = phrases[i % len(phrases)]
        add("phrase", f'"{phrase}"', _quoted(phrase))
    for i in range(k):
        add("NOT", f"{bands.common[i]} NOT {bands.mid[i]}", f"{_quoted(bands.common[i])} NOT {_quoted(bands.mid[i])}")
    for i in range(k):  # title: a common word in titles; author: a common word by one author
        if i % 2 == 0:
            add("field", f"title:{bands.common[i]}", f"title : {_quoted(bands.common[i])}")
        else:
            author = authors[i % len(authors)]
            archive = (("q", f'author:"{author}" {bands.common[i]}'),)
            baseline = (("match", _quoted(bands.common[i])), ("author_is", _slug(author)))
            mix.append(Query("field", archive, baseline, archive[0][1]))
    for i in range(k):
        chosen = (("source", _slug(sources[i % len(sources)])),) if i % 3 == 0 else (
            (("region", regions[i % len(regions)]),) if i % 3 == 1 else (("year", years[-1 - i % len(years)]),))
        add("facet filter", bands.common[i], _quoted(bands.common[i]), chosen)
    for i in range(k):  # the home and browse pages: everything newest first, half of it within one facet value
        chosen = () if i % 2 == 0 else (
            (("region", regions[i % len(regions)]),) if i % 4 == 1 else (("source", _slug(sources[i % len(sources)])),))
        add("empty, newest", filters=chosen, extra=(("sort", "newest"),))
    df = stats["document_frequency"]
    for i in range(k):  # halfway down a common word's results (at most page 40), or far into everything newest first
        if i % 2 == 0:
            page = max(2, min(40, df[bands.common[i]] // 2 // 20))
            add("deep page", bands.common[i], _quoted(bands.common[i]), extra=(("page", str(page)),))
        else:
            page = max(2, min(1000, count // 2 // 20))
            add("deep page", extra=(("sort", "newest"), ("page", str(page))))
    return mix


def _quoted(text: str) -> str:
    """An FTS5 string: words or a phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _slug(text: str) -> str:
    """Django's slugify for the ASCII names the corpus uses: the archive's facet values."""
    import re

    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text.lower())).strip("-_")
