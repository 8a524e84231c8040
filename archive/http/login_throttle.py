"""Login throttling: after repeated failed sign-ins from one client, refuse its further attempts for a cool-down.

Counted per client address in a database row (``LoginThrottle``) that every gunicorn worker reads and writes under a
row lock: an attempt takes its place in the count *before* Django checks the password, so twenty parallel attempts
cannot all pass a count read before any of them was written. One that ends signed in gives its place back and clears
the count; at the limit the client is locked out. The client is the connecting address, or, behind the HTTPS proxy
(``ARCHIVE_HTTPS``), the address that proxy saw: the last entry of X-Forwarded-For, the one a client cannot forge.
``archive.http.middleware.LoginThrottleMiddleware`` watches POSTs to both sign-in pages, the archive's own
(``LOGIN_URL``, where analysts sign in) and the admin's (where ``/upload/`` sends anonymous users), one count for
both; a refused CSRF token counts as a failure too. Django's authentication itself is untouched.
"""

from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from archive.models import LoginThrottle


def client_address(request) -> str:
    """At most 64 characters, the column's width (an IPv6 address is 45)."""
    if settings.ARCHIVE_HTTPS:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def admit(address: str, now: float) -> float:
    """Count an attempt before it is made: 0 if it may go on, else the seconds until the client may try again.

    The attempt is counted as a failure until ``record_outcome`` hears otherwise; when the attempts under way
    already fill the allowance, the client is locked out at once."""
    window = settings.ARCHIVE_LOGIN_WINDOW_SECONDS
    LoginThrottle.objects.filter(
        Q(locked_until__lt=now) & Q(window_started__lt=now - window)
    ).exclude(address=address).delete()  # forgotten clients: keeps the table as small as the clients of a window
    with transaction.atomic():
        # Found or made under the lock in one step: between two steps another client's clean-up above could delete
        # this client's stale row, and the attempt would end in a 500 instead of being counted.
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(address=address,
                                                                          defaults={"window_started": now})
        if now < row.locked_until:
            return row.locked_until - now
        if now - row.window_started > window:
            row.failures, row.window_started = 0, now
        if row.failures >= settings.ARCHIVE_LOGIN_FAILURE_LIMIT:
            _lock(row, now)
            return row.locked_until - now
        row.failures += 1
        row.save(update_fields=["failures", "window_started"])
    return 0.0


def record_outcome(address: str, now: float, signed_in: bool) -> None:
    """A sign-in clears the count; a failure that reaches the limit locks the client out and starts afresh."""
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(address=address).first()
        if row is None:
            return
        if signed_in:
            row.delete()
        elif row.failures >= settings.ARCHIVE_LOGIN_FAILURE_LIMIT and row.locked_until <= now:
            _lock(row, now)


def _lock(row: LoginThrottle, now: float) -> None:
    row.failures, row.window_started = 0, now
    row.locked_until = now + settings.ARCHIVE_LOGIN_COOLDOWN_SECONDS
    row.save(update_fields=["failures", "window_started", "locked_until"])


@cache
def login_paths() -> frozenset[str]:
    return frozenset({reverse("admin:login"), reverse(settings.LOGIN_URL)})
