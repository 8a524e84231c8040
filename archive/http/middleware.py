"""The archive's four middlewares: what every response tells the browser, what a request may not send, how often
a client may try to sign in, and the 503 for a lost index.

Django 5.2 sets nosniff, X-Frame-Options, Referrer-Policy and Cross-Origin-Opener-Policy from settings
(``SecurityMiddleware``, ``XFrameOptionsMiddleware``); it has no Content-Security-Policy yet, so this module adds one.
Because the policy allows no inline script or style, templates carry none: JavaScript lives in ``static/js/``, CSS in
``static/css/`` (a bar's length is a ``pct-N`` class, not a ``style`` attribute).

A request body is refused from its Content-Length before the server reads any of it, so a huge upload costs neither
memory nor disk; a request with too many files is refused while Django parses it (its own count limit), with the
same clear 413 instead of a bare 400.

Sign-in attempts are counted by ``archive.http.login_throttle``; this module only answers a locked-out client.
"""

import math
import time

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from archive.errors import IndexUnavailable
from archive.http.login_throttle import admit, client_address, login_paths, record_outcome
from archive.sizes import format_size

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy to every response, static files and error pages included, and
    X-Frame-Options to the static files WhiteNoise answers before Django's clickjacking middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def _too_large(request, message: str):
    """413 with a message a person (the upload page) or a script (its JavaScript, asking for JSON) can show."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class UploadLimitMiddleware:
    """Refuses request bodies over ``ARCHIVE_MAX_UPLOAD_BYTES`` unread, and more than ``ARCHIVE_MAX_UPLOAD_FILES``
    files, with 413 and a message saying what the limit is and what to do instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as no body; nothing is read here either.
        limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
        if length > limit:
            return _too_large(
                request,
                f"This request is {format_size(length)}; the archive accepts at most {format_size(limit)} at once. "
                "Upload fewer files at a time, or use the ingest command for large batches.",
            )
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        """Parse a multipart body here, before CSRF's check parses it, so a limit hit while parsing gets our 413."""
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        try:
            request.FILES  # noqa: B018 - parsing is the point
        except TooManyFilesSent:
            return _too_large(
                request,
                f"Too many files: the archive accepts at most {settings.ARCHIVE_MAX_UPLOAD_FILES} in one upload. "
                "Upload them in smaller groups, or put them in a .jsonl file.",
            )
        except RequestDataTooBig:
            return _too_large(
                request, f"The form's fields (files aside) exceed {format_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}."
            )
        return None


class LoginThrottleMiddleware:
    """Answers a locked-out client's sign-in with 429 and when to try again; counts the others' outcomes."""

    clock = staticmethod(time.time)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path not in login_paths():
            return self.get_response(request)
        address, now = client_address(request), self.clock()
        if wait := admit(address, now):
            minutes = math.ceil(wait / 60)
            response = render(request, "login_throttled.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response
        response = self.get_response(request)
        record_outcome(address, now, signed_in=request.user.is_authenticated)
        return response


class IndexUnavailableMiddleware:
    """Maps the one failure every search can meet, a lost index, to 503 for every edge at once (page, API, feeds).

    The database still holds every article; only searching is down until ``rebuild_index``. Saying so with a
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
