"""Login throttling: after repeated failed sign-ins from one client, refuse its further attempts for a cool-down.

Counted per client address, in Django's default cache, which settings make a file cache in the data folder so that
every gunicorn worker sees the same counts (a per-process memory cache would give each worker its own allowance).
The client is the connecting address, or, behind the HTTPS proxy (``ARCHIVE_HTTPS``), the address that proxy saw: the
last entry of X-Forwarded-For, the one a client cannot forge. The middleware watches POSTs to the login URL (the
admin's, where ``/upload/`` sends anonymous users): one that does not end signed in is a failure (a refused CSRF
token too); one that does clears the count. Django's authentication itself is untouched.
"""

import math
import time
from functools import cache

from django.conf import settings
from django.core.cache import cache as store
from django.shortcuts import render
from django.urls import reverse


def client_address(request) -> str:
    if settings.ARCHIVE_HTTPS:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def locked_for(address: str, now: float) -> float:
    """Seconds until the client may try again; 0 when it may now."""
    until = store.get(f"login-locked:{address}")
    return max(0.0, until - now) if until else 0.0


def record_failure(address: str, now: float) -> None:
    """Keep the failures inside the window; at the limit, lock the client out and start counting afresh."""
    window = settings.ARCHIVE_LOGIN_WINDOW_SECONDS
    failures = [t for t in store.get(f"login-failures:{address}", []) if t > now - window] + [now]
    if len(failures) >= settings.ARCHIVE_LOGIN_FAILURE_LIMIT:
        cooldown = settings.ARCHIVE_LOGIN_COOLDOWN_SECONDS
        store.set(f"login-locked:{address}", now + cooldown, timeout=cooldown)
        store.delete(f"login-failures:{address}")
    else:
        store.set(f"login-failures:{address}", failures, timeout=window)


def clear_failures(address: str) -> None:
    store.delete(f"login-failures:{address}")


@cache
def login_paths() -> frozenset[str]:
    return frozenset({reverse("admin:login"), reverse(settings.LOGIN_URL)})


class LoginThrottleMiddleware:
    """Answers a locked-out client's sign-in with 429 and when to try again; counts the others' outcomes."""

    clock = staticmethod(time.time)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path not in login_paths():
            return self.get_response(request)
        address, now = client_address(request), self.clock()
        wait = locked_for(address, now)
        if wait:
            minutes = math.ceil(wait / 60)
            response = render(request, "login_throttled.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response
        response = self.get_response(request)
        if request.user.is_authenticated:
            clear_failures(address)
        else:
            record_failure(address, now)
        return response
