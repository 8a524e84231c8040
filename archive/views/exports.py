"""``/search/export.csv``, ``.jsonl``, ``.ris``: every result of a search as a file, streamed (``archive.exports``)."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from archive.errors import BadParameter
from archive.exports import EXPORT_FORMATS, stream_export
from archive.search import SearchParams, matching_ids


def export(request, suffix):
    """The ids are resolved before the response starts, so an unavailable index is still a 503, not a cut file."""
    if suffix not in EXPORT_FORMATS:
        raise Http404(f"The archive exports searches as {', '.join(f'export.{s}' for s in EXPORT_FORMATS)}.")
    try:
        params = SearchParams.from_query(request.GET)
    except BadParameter as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    ids = matching_ids(params)
    site = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        stream_export(ids, suffix, lambda article: site + article.get_absolute_url()),
        content_type=EXPORT_FORMATS[suffix].content_type,
    )
    response["Content-Disposition"] = f'attachment; filename="nk-reports-{timezone.now():%Y-%m-%d}.{suffix}"'
    return response
