"""run_search(params) -> SearchPage: the archive's search, spoken in haystack so any haystack engine can answer.

A plain list of two or more words is AND-ed. When fewer than ``FEW_MATCHES`` reports hold every word, the list
goes on with the reports that hold some of them, function words and the commonest words left out (ranked), marked
``partial``: on Cranfield, AND alone scored a MAP of 0.01 and ranked OR 0.29. "Few" is a fixed number, not the page
size, so the list does not change with ``size``. The reports holding every word come first, then the partial ones;
facet filters hold for both.
"""

import hashlib

from django.core.cache import cache
from haystack.query import SearchQuerySet

from archive.errors import IndexUnavailable
from archive.ingest.gazetteer import is_known_name_word, table_version, tags_of
from archive.models import Article
from archive.sanitize import clean_snippet
from archive.search import engine, facets
from archive.search.function_words import function_words_in
from archive.search.matches import matches_of
from archive.search.page import Hit, SearchPage
from archive.search.params import SearchParams
from archive.search.query import Reading, read_query

FEW_MATCHES = 20  # fewer reports than this holding every word: continue with those holding some
# Words in more than this share of the reports tell none apart: the partial matches are found without them (as
# Lucene's common-terms query does), while "every word" still means every word. Cranfield MAP 0.2771 leaving out words
# in a fifth, 0.2901 in a half, 0.2872 leaving out none; once function words were left out too (function_words), 0.2967
# at a half, 0.2984 at 0.7 (it keeps "flow", in 50.2 % of the abstracts), 0.2982 at 0.9 or none; CACM 0.3007 at each
# (bench/README.md).
COMMON_SHARE = 0.7
SNIPPET_FALLBACK_CHARS = 200
NEIGHBOURHOOD_KEPT_SECONDS = 3600  # an analyst reads a search's results within the hour; a new index version sooner


def run_search(params: SearchParams) -> SearchPage:
    version = table_version()  # the gazetteer tables', read once: names in the query, tags, labels, suggestion
    reading = read_query(params.q, exact=params.exact, version=version)
    base = _ordered(params, reading)
    matching = base.filter(reading.sq) if reading.sq is not None else base
    listed = facets.with_facet_requests(facets.narrowed(matching, params), params).highlight()
    start, end = params.offset, params.offset + params.page_size
    contents = engine.contents_version()  # before the search: at worst what it found is kept under an older name

    # One search: the page with one result either side (the article page's previous and next), its count and the
    # facets without a choice.
    around = list(listed[max(0, start - 1):end + 1])
    page_results = around[1 if start else 0:][:params.page_size]
    count = matched_all = listed.count()
    page_counts = listed.facet_counts()
    results = [(result, "all") for result in page_results]
    notes = [*reading.notes, *_prefix_notes(reading)]

    if reading.is_plain_list and matched_all < FEW_MATCHES:
        partial_base = _holding_some_words(base, reading)
        results, count, page_counts = _with_partial_matches(listed, partial_base, reading, params, matched_all)
        matching = partial_base
        holding = "no report holds" if not matched_all else (
            "1 report holds" if matched_all == 1 else f"{matched_all} reports hold")
        notes.append(f"{holding} every word; then reports holding some of them")
    else:
        _keep_neighbourhood(contents, params, [int(result.pk) for result in around], matched_all)

    suggestion = _suggestion(reading, version) if reading.words else ""
    return SearchPage(
        params=params,
        hits=_hits(results, reading, version),
        count=count,
        matched_all=matched_all,
        facets=facets.facet_values(matching, params, page_counts, version),
        months=facets.month_values(page_counts, params),
        suggestion=suggestion,
        reading="; ".join([reading.text or "everything", *notes]),
    )


def matching_ids(params: SearchParams, limit: int | None = None) -> list[int]:
    """Every result of the search (or its first ``limit``), in the order ``run_search`` lists them, as article ids:
    for the feed and the exports, which need the whole list, not a page of it.

    One search reads them all (two when the partial-match fallback applies), without highlights or facet counts;
    haystack's own iteration would re-run the search for every slice of ten. The ids may include reports withdrawn a
    moment ago; the caller reads the rows from the database and decides.
    """
    # The database's count bounds the matches, and asks for no more than there are.
    bound = limit if limit is not None else Article.objects.count()
    return listed_ids(params, 0, bound)[0] if bound > 0 else []


def listed_ids(params: SearchParams, start: int, stop: int) -> tuple[list[int], int]:
    """Results ``start:stop`` of the search as ``run_search`` lists them (article ids), and how many it lists: the
    article page's previous and next come from the results around its own, in one search (two when the
    partial-match fallback applies), without highlights, facets or a page of articles read."""
    reading = read_query(params.q, exact=params.exact)
    base = _ordered(params, reading)
    listed = facets.narrowed(base.filter(reading.sq) if reading.sq is not None else base, params)
    ids, matched_all = _ids(listed, start, stop)
    if not (reading.is_plain_list and matched_all < FEW_MATCHES):
        return ids, matched_all
    partial = facets.narrowed(_holding_some_words(base, reading), params).exclude(reading.sq)
    more, partial_count = _ids(partial, max(0, start - matched_all), stop - matched_all)
    return ids + more, matched_all + partial_count


def page_neighbourhood(params: SearchParams) -> tuple[int, list[int], int]:
    """(rank of the first, article ids, how many the search lists) of the results from one before the page to one
    after it: the article page's previous and next. The search that listed the page kept them (in Django's cache,
    shared by the server's processes, under the index's ``contents_version``), so opening one of its results does
    not search again; otherwise one search, kept for the next article of the page."""
    start, stop = max(0, params.offset - 1), params.offset + params.page_size + 1
    contents = engine.contents_version()
    if contents is not None and (kept := cache.get(_neighbourhood_key(contents, params))) is not None:
        return start, *kept
    ids, count = listed_ids(params, start, stop)
    _keep_neighbourhood(contents, params, ids, count)
    return start, ids, count


def _keep_neighbourhood(contents: str | None, params: SearchParams, ids: list[int], count: int) -> None:
    if contents is not None:
        cache.set(_neighbourhood_key(contents, params), (ids, count), NEIGHBOURHOOD_KEPT_SECONDS)


def _neighbourhood_key(contents: str, params: SearchParams) -> str:
    """Hashed: a query runs to thousands of characters, and a cache key may not (memcached's limit is 250)."""
    return "neighbourhood:" + hashlib.sha256(f"{contents}?{params.as_query_string()}".encode()).hexdigest()


def _holding_some_words(base: SearchQuerySet, reading: Reading) -> SearchQuerySet:
    """The partial matches' search: reports holding any of the words but the commonest (``COMMON_SHARE``) and the
    function words ("what", "which": ``function_words``), which tell reports apart by how a question is phrased."""
    left_out = engine.common_words(reading.words, COMMON_SHARE) | function_words_in(reading.words)
    return base.filter(reading.any_word_sq(left_out))


def _ordered(params: SearchParams, reading: Reading) -> SearchQuerySet:
    """In the chosen order; a query that reduces to everything (``*``, ``-``) has nothing to be relevant to, so it
    is listed newest first, undated reports last, as the empty query is."""
    base = SearchQuerySet().models(Article)
    sort = params.effective_sort
    if reading.sq is None and sort == "relevance":
        sort = "newest"
    if sort != "relevance":
        base = base.order_by("-published" if sort == "newest" else "published")
    return base


def _ids(sqs: SearchQuerySet, start: int, stop: int) -> tuple[list[int], int]:
    """Article ids ``start:stop`` of a search, read in one slice, and how many it matched."""
    values = sqs.values_list("pk", flat=True)
    ids = [int(pk) for pk in values[start:stop]] if stop > start else []  # else count() searches
    return ids, values.count()  # the count came with the slice: no second search


def _with_partial_matches(listed, partial_base, reading: Reading, params: SearchParams, matched_all: int):
    """The page of [reports holding every word] + [reports holding some, ranked], with the counts of both."""
    partial = facets.with_facet_requests(facets.narrowed(partial_base, params), params).exclude(reading.sq).highlight()
    start, end = params.offset, params.offset + params.page_size
    results = [(result, "all") for result in listed[start:min(end, matched_all)]] if start < matched_all else []
    partial_start, partial_end = max(0, start - matched_all), end - matched_all
    results += [(result, "partial") for result in partial[partial_start:partial_end]]
    counts = partial.facet_counts()
    all_counts = listed.facet_counts()
    return results, matched_all + partial.count(), _merge_counts(counts, all_counts)


def _merge_counts(first: dict, second: dict) -> dict:
    """Facet counts of two disjoint result sets, added."""
    merged: dict = {"fields": {}, "dates": {}}
    for kind in ("fields", "dates"):
        for name in {*first.get(kind, {}), *second.get(kind, {})}:
            totals: dict = {}
            for value, n in [*first.get(kind, {}).get(name, []), *second.get(kind, {}).get(name, [])]:
                totals[value] = totals.get(value, 0) + n
            merged[kind][name] = sorted(totals.items(), key=lambda item: (-item[1], str(item[0])))
    return merged


def _prefix_notes(reading: Reading) -> list[str]:
    """"s* read as its 64 most frequent words" for each prefix the engine cut: the reading says why a rare word that
    begins so is not found."""
    notes = []
    for field, prefix, shown in dict.fromkeys(reading.prefixes):
        if (read := engine.prefix_words_read(prefix, field)) is not None:
            notes.append(f"{shown} read as its {read} most frequent words")
    return notes


def _suggestion(reading: Reading, version: tuple) -> str:
    """The query with its rare words replaced by close common ones (the engine decides what is rare), whatever the
    search found: a misspelt word among right ones still finds partial matches. A place's spelling is kept."""
    suggested = engine.spelling_suggestion(" ".join(reading.words)).split()
    typed = " ".join(reading.words).split()
    if len(suggested) != len(typed):
        return ""
    kept = [word if is_known_name_word(word, version) else other for word, other in zip(typed, suggested, strict=True)]
    return " ".join(kept) if [w.lower() for w in kept] != [w.lower() for w in typed] else ""


def _hits(results, reading: Reading, version: tuple) -> list[Hit]:
    """Hits in order, their articles loaded in one query and their tags in two (``tags_of``), each saying which
    spelling of the query's names it holds."""
    # searchable(): a report withdrawn or merged a moment ago is not shown, even before its index update lands.
    articles = Article.objects.searchable().select_related("source").in_bulk([int(result.pk) for result, _ in results])
    tags = tags_of(list(articles), version)
    hits = []
    for result, match in results:
        article = articles.get(int(result.pk))
        if article is None:  # deleted, withdrawn or merged since it was indexed
            continue
        highlighted = (getattr(result, "highlighted", None) or {}).get("text") or [""]
        snippet = highlighted[0] or article.body_text[:SNIPPET_FALLBACK_CHARS]
        regions, people = tags[article.pk]
        hits.append(Hit(article=article, snippet=clean_snippet(snippet), match=match, score=result.score or 0.0,
                        matched=matches_of(article, reading.expansions, regions, people),
                        regions=regions, people=people))
    return hits


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Reports sharing the key terms of this one (haystack's more-like-this), most similar first; none while the
    index is unavailable, as the article itself comes from the database."""
    try:
        results = list(SearchQuerySet().models(Article).more_like_this(article)[:limit])
    except IndexUnavailable:
        return []
    found = Article.objects.searchable().select_related("source").in_bulk([int(result.pk) for result in results])
    return [found[int(result.pk)] for result in results if int(result.pk) in found]
