"""Maps the one failure every search can meet, a lost index, to 503 for every edge at once (page, API, feeds)."""

from django.http import JsonResponse
from django.shortcuts import render

from archive.errors import IndexUnavailable


class IndexUnavailableMiddleware:
    """The database still holds every article; only searching is down until ``rebuild_index``. Saying so with a
    503 (not a 500, not an empty result list) tells people and monitors the truth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IndexUnavailable):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"error": str(exception)}, status=503)
        return render(request, "unavailable.html", {"message": str(exception)}, status=503)
