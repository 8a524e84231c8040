""""My searches": saving a search, the list with what is new in each, renaming, digests, feed addresses, deleting
(``archive.watches`` does the work). Every view is its owner's: another analyst's saved search is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from archive import watches
from archive.errors import BadParameter, SavedSearchRefused
from archive.models import SavedSearch
from archive.search import SearchParams
from archive.views.search_links import search_url


@login_required
def my_searches(request):
    return _list(request)


@login_required
@require_POST
def save(request):
    """The search page's "Watch this search" form: its ``query`` is the search's own query string."""
    try:
        params = SearchParams.from_query(QueryDict(request.POST.get("query", "")))
    except BadParameter as exc:
        return _list(request, error=f"This search cannot be saved: {exc}", status=400)
    try:
        saved = watches.save_search(request.user, request.POST.get("name", ""), params)
    except SavedSearchRefused as exc:
        return _list(request, error=str(exc), back_url=search_url(params), status=400)
    messages.success(request, f"Saved “{saved.name}”. New and corrected reports it finds will show here.")
    return redirect("my-searches")


@login_required
def open_search(request, pk):
    """Opening a saved search through the list marks its news as seen, then shows its results."""
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    try:
        return redirect(search_url(watches.visit(saved)))
    except BadParameter as exc:
        return _list(request, error=f"“{saved.name}” cannot be opened: {exc}", status=400)


@login_required
@require_POST
def rename(request, pk):
    return _change(request, pk, lambda saved: watches.rename(saved, request.POST.get("name", "")), "Renamed")


@login_required
@require_POST
def digest(request, pk):
    return _change(request, pk, lambda saved: watches.set_digest(saved, request.POST.get("digest", "")),
                   "Digest changed for")


@login_required
@require_POST
def new_feed_address(request, pk):
    return _change(request, pk, watches.new_feed_token, "The old feed address no longer works. New address for")


@login_required
@require_POST
def delete(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, f"Deleted “{saved.name}”.")
    return redirect("my-searches")


def _change(request, pk, change, done: str):
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    try:
        change(saved)
    except SavedSearchRefused as exc:
        return _list(request, error=str(exc), status=400)
    messages.success(request, f"{done} “{saved.name}”.")
    return redirect("my-searches")


def _list(request, error: str = "", back_url: str = "", status: int = 200):
    rows = [(summary, request.build_absolute_uri(reverse("saved-search-feed", kwargs={
        "pk": summary.saved.pk, "token": summary.saved.feed_token}))) for summary in watches.watch_list(request.user)]
    context = {"rows": rows, "error": error, "back_url": back_url,
               "digests": SavedSearch.Digest.choices, "name_max": watches.NAME_MAX_CHARS}
    return render(request, "my_searches.html", context, status=status)
