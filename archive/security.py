"""What every response tells the browser, and what a request may not send.

Django 5.2 sets nosniff, X-Frame-Options, Referrer-Policy and Cross-Origin-Opener-Policy from settings
(``SecurityMiddleware``, ``XFrameOptionsMiddleware``); it has no Content-Security-Policy yet, so this module adds one.
Because the policy allows no inline script or style, templates carry none: JavaScript lives in ``static/js/``, CSS in
``static/css/`` (a bar's length is a ``pct-N`` class, not a ``style`` attribute).

A request body is refused from its Content-Length before the server reads any of it, so a huge upload costs neither
memory nor disk; a request with too many files is refused while Django parses it (its own count limit), with the
same clear 413 instead of a bare 400.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponse, JsonResponse

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
