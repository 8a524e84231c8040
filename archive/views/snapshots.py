"""``/snapshots/``: save a search's result set, read it as it was, export it, run it again, delete it
(``archive.snapshots``)."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from archive.accounts import is_analyst
from archive.errors import BadParameter, SnapshotRefused
from archive.exports import EXPORT_FORMATS
from archive.models import ResultSnapshot
from archive.search import SearchParams
from archive.snapshots import (
    canonical_form,
    delete_snapshot,
    digest_matches,
    export_snapshot,
    frozen_results,
    may_delete,
    params_of,
    run_again,
    save_form,
    save_snapshot,
)
from archive.views.search_links import search_url

PER_PAGE = 100


@require_POST
def create(request):
    """The search page's "Save this result set": the search comes as its query string, with a title and a note."""
    query = request.POST.get("query", "")
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('search')}?{query}")
    if not is_analyst(request.user):
        return render(request, "snapshot_refused.html", {"error": "Saving result sets is for analysts."}, status=403)
    form = {"query": query, "title": request.POST.get("title", ""), "note": request.POST.get("note", "")}
    try:
        params = SearchParams.from_query(QueryDict(query))
    except BadParameter as exc:
        return render(request, "snapshot_refused.html", {"error": str(exc)}, status=400)
    try:
        snapshot = save_snapshot(request.user, params, form["title"], form["note"])
    except SnapshotRefused as exc:  # the form again, as it was typed: nothing is lost
        context = {"error": str(exc), "form": form, "save_form": save_form(params), "search_url": search_url(params)}
        return render(request, "snapshot_refused.html", context, status=exc.status)
    return redirect(snapshot)


def detail(request, snapshot_id):
    snapshot = _find(snapshot_id)
    if snapshot.is_deleted:
        return _gone(request, snapshot)
    paginator = Paginator(range(snapshot.count), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "snapshot": snapshot,
        "results": frozen_results(snapshot, page.start_index() - 1 if snapshot.count else 0, page.end_index()),
        "page_obj": page,
        "search_url": search_url(params_of(snapshot)),
        "exports": [(f"{suffix.upper()} (.{suffix})", reverse("snapshot-export", args=[snapshot.id, suffix]))
                    for suffix in EXPORT_FORMATS],
        "permalink": request.build_absolute_uri(snapshot.get_absolute_url()),
        "may_delete": may_delete(request.user, snapshot),
        "digest_matches": digest_matches(snapshot),
    }
    return render(request, "snapshot.html", context)


def export(request, snapshot_id, suffix):
    if suffix not in EXPORT_FORMATS:
        raise Http404(f"A snapshot exports as {', '.join(f'export.{s}' for s in EXPORT_FORMATS)}.")
    snapshot = _find(snapshot_id)
    if snapshot.is_deleted:
        return _gone(request, snapshot)
    site = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(export_snapshot(snapshot, suffix, site),
                                     content_type=EXPORT_FORMATS[suffix].content_type)
    response["Content-Disposition"] = f'attachment; filename="nk-reports-snapshot-{snapshot.id}.{suffix}"'
    return response


def canonical(request, snapshot_id):
    """The bytes the digest is the SHA-256 of."""
    snapshot = _find(snapshot_id)
    if snapshot.is_deleted:
        return _gone(request, snapshot)
    response = HttpResponse(canonical_form(snapshot), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="snapshot-{snapshot.id}.json"'
    return response


def again(request, snapshot_id):
    snapshot = _find(snapshot_id)
    if snapshot.is_deleted:
        return _gone(request, snapshot)
    return render(request, "snapshot_again.html", {"snapshot": snapshot, "again": run_again(snapshot),
                                                   "search_url": search_url(params_of(snapshot))})


@require_POST
def delete(request, snapshot_id):
    snapshot = _find(snapshot_id)
    try:
        delete_snapshot(snapshot, request.user)
    except SnapshotRefused as exc:
        return render(request, "snapshot_refused.html", {"error": str(exc)}, status=403)
    return redirect(snapshot)


def _find(snapshot_id) -> ResultSnapshot:
    try:
        return ResultSnapshot.objects.select_related("owner").get(pk=snapshot_id)
    except ResultSnapshot.DoesNotExist:
        raise Http404(f"No snapshot has the id {snapshot_id!r}.") from None


def _gone(request, snapshot):
    return render(request, "snapshot_deleted.html", {"snapshot": snapshot}, status=410)
