"""Home, search, browse, coverage, search help and "About the data" pages: parse the request, call the module,
render."""

import dataclasses

from django.http import Http404
from django.shortcuts import redirect, render

from archive.accounts import is_analyst
from archive.coverage import coverage
from archive.errors import BadParameter
from archive.ingest.gazetteer import summary
from archive.search import SearchParams, run_search
from archive.search.facets import is_known_value
from archive.snapshots import save_form
from archive.views.heat_strips import heat_strips
from archive.views.province_map import search_map
from archive.views.search_help import TOPICS, home_examples
from archive.views.search_links import browse_groups, search_links, search_url
from archive.views.timeline import timeline
from archive.watches import watch_form

LATEST = 10


def home(request):
    """The latest reports and the ways in, from one search for everything (newest first)."""
    page = run_search(SearchParams(page_size=LATEST))
    context = {
        "latest": [hit.article for hit in page.hits],
        "total": page.count,
        "newest_url": search_url(SearchParams(sort="newest")),
        "ways_in": browse_groups(page),
        "timeline": timeline(page, SearchParams()),
        "examples": home_examples(),
    }
    return render(request, "home.html", context)


def search(request):
    try:
        params = SearchParams.from_query(request.GET)
    except BadParameter as exc:
        return render(request, "search.html", {"error": str(exc), "params": SearchParams()}, status=400)
    page = run_search(params)
    if page.count and page.page > page.page_count:  # a page past the end: its last page, not "nothing matches"
        return redirect(search_url(dataclasses.replace(params, page=page.page_count)))
    context = {
        "page": page,
        "params": params,
        "links": search_links(page),
        "timeline": timeline(page),
        "map": search_map(page.facets.get("region", []), params),
        "save_form": save_form(params) if is_analyst(request.user) else None,
        "watch": watch_form(params) if request.user.is_authenticated else None,
    }
    return render(request, "search.html", context)


def browse(request, facet, value):
    """``/regions/<slug>/``, ``/people/<slug>/``, ``/sources/<slug>/``, ``/years/<year>/`` and their kin: the search
    with that facet value chosen.

    One mechanism for every facet: the browse URL is a stable way in, and the search URL it leads to is the page
    analysts refine and paste.
    """
    try:
        params = SearchParams.from_query({facet: [value]})
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    if not is_known_value(facet, value):
        raise Http404(f"The archive has no {facet} {value!r}.")
    return redirect(search_url(params))


def about_data(request):
    """``/about/data/``: where the gazetteer and the names come from, with the credits their licences ask for."""
    return render(request, "about_data.html", {"gazetteer": summary()})


def coverage_page(request):
    """``/coverage/``: per source, reports per month across the years, so gaps in the record show."""
    return render(request, "coverage.html", {"strips": heat_strips(coverage())})


def search_help(request):
    """``/help/search/``: the query language, with examples that run when clicked."""
    return render(request, "search_help.html", {"topics": TOPICS})
