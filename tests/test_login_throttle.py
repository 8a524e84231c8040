"""Login throttling: five failed sign-ins from one client lock it out for a cool-down, with a message saying so."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.test import override_settings

from archive.http.middleware import LoginThrottleMiddleware
from tests.processes import Archive, Server

WRONG = {"username": "admin", "password": "not the password"}
RIGHT = {"username": "admin", "password": "a long password"}


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by the test instead of waited for."""
    now = [1_000_000.0]
    monkeypatch.setattr(LoginThrottleMiddleware, "clock", staticmethod(lambda: now[0]))
    return now


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="a long password")


def fail(client, times, **extra):
    return [client.post("/admin/login/", WRONG, **extra).status_code for _ in range(times)]


def test_four_failures_still_leave_the_form(client, admin, clock):
    assert fail(client, 4) == [200] * 4
    assert client.post("/admin/login/", RIGHT).status_code == 302


def test_the_fifth_failure_locks_the_client_out_even_with_the_right_password(client, admin, clock):
    assert fail(client, 5) == [200] * 5
    response = client.post("/admin/login/", RIGHT)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_down(client, admin, clock):
    fail(client, 5)
    clock[0] += 14 * 60
    assert "Try again in 1 minute." in client.post("/admin/login/", RIGHT).content.decode()
    clock[0] += 60
    assert client.post("/admin/login/", RIGHT).status_code == 302


def test_failures_older_than_the_window_are_forgotten(client, admin, clock):
    fail(client, 4)
    clock[0] += 15 * 60 + 1
    assert fail(client, 4) == [200] * 4
    assert client.post("/admin/login/", RIGHT).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, admin, clock):
    fail(client, 4)
    assert client.post("/admin/login/", RIGHT).status_code == 302
    client.logout()
    assert fail(client, 4) == [200] * 4
    assert client.post("/admin/login/", RIGHT).status_code == 302


def test_another_client_is_not_locked_out(client, admin, clock):
    fail(client, 5, REMOTE_ADDR="203.0.113.7")
    assert client.post("/admin/login/", RIGHT, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_the_upload_page_sends_anonymous_users_to_the_throttled_login(client, admin, clock):
    login_url = client.get("/upload/")["Location"].split("?")[0]
    fail(client, 5)
    assert client.post(login_url, RIGHT).status_code == 429


def test_the_archives_own_sign_in_page_is_throttled_the_same_way(client, admin, clock):
    statuses = [client.post("/accounts/login/", WRONG).status_code for _ in range(5)]
    assert statuses == [200] * 5
    response = client.post("/accounts/login/", RIGHT)
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert 'href="/accounts/login/">Back to the sign-in page' in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock[0] += 15 * 60
    assert client.post("/accounts/login/", RIGHT).status_code == 302


def test_failures_at_either_sign_in_page_count_toward_one_lock(client, admin, clock):
    """Otherwise a guesser would get five tries at each page."""
    fail(client, 3)
    assert [client.post("/accounts/login/", WRONG).status_code for _ in range(2)] == [200, 200]
    assert client.post("/accounts/login/", RIGHT).status_code == 429
    assert client.post("/admin/login/", RIGHT).status_code == 429


def test_without_the_proxy_a_forged_forwarded_address_changes_nothing(client, admin, clock):
    for n in range(5):
        client.post("/admin/login/", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert client.post("/admin/login/", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


@override_settings(ARCHIVE_HTTPS=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_proxy_the_address_it_saw_is_the_client(client, admin, clock):
    """The proxy appends the address it saw; what a client puts before it is ignored."""
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "REMOTE_ADDR": "127.0.0.1"}
    for n in range(5):
        client.post("/admin/login/", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7", **proxied)
    assert client.post("/admin/login/", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxied).status_code == 429
    assert client.post("/admin/login/", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxied).status_code == 302


def test_twenty_parallel_failed_sign_ins_at_four_server_workers_let_no_more_than_five_reach_the_password_check(
        tmp_path):
    """Each attempt takes its place in the count before its password is checked, so attempts that arrive together at
    different worker processes cannot all pass a count none of them has written yet."""
    with Archive(tmp_path / "data") as archive:
        archive.manage("migrate", "--noinput")
        archive.env["DJANGO_SUPERUSER_PASSWORD"] = RIGHT["password"]
        archive.manage("createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org")
        with Server(archive, workers=4) as server:
            statuses = Counter(sign_in_at_once(server, WRONG, attempts=20))
            assert statuses[200] <= 5  # the form shown again: an attempt that reached the password check
            assert statuses[200] + statuses[429] == 20
            assert sign_in_at_once(server, RIGHT, attempts=1) == [429]


def sign_in_at_once(server: Server, form: dict, attempts: int) -> list[int]:
    """Each attempt as its own browser (a cookie jar, the form's CSRF token), all posted at the same moment."""
    barrier = threading.Barrier(attempts)

    def attempt() -> int:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with browser.open(f"{server.url}/admin/login/", timeout=60) as page:
            token = page.read().decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token, "next": "/admin/"}).encode()
        barrier.wait(timeout=60)
        try:
            with browser.open(f"{server.url}/admin/login/", data=body, timeout=120) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(attempts) as pool:
        return list(pool.map(lambda _: attempt(), range(attempts)))
