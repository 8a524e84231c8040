"""`make serve`: gunicorn with several workers behind an HTTPS proxy (``ARCHIVE_HTTPS=1``), seen from outside.

The proxy is played by the test: it sends X-Forwarded-Proto and X-Forwarded-For as a TLS-terminating proxy would.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.processes import Archive, free_port

PASSWORD = "a long password for the server test"
PROXIED = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A throw-away archive of its own (SQLite, or a database of its own on the suite's PostgreSQL server)."""
    port = free_port()
    with Archive(tmp_path_factory.mktemp("served")) as archive:
        data = archive.data_dir
        archive.env.update({"ARCHIVE_SECRET_KEY": "server-test-5Qm2xV8rT1yB7nK4wJ9pL3sD6fH0gZ2cE5aU8iO1kM4",
                            "ARCHIVE_HTTPS": "1", "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1",
                            "DJANGO_SUPERUSER_PASSWORD": PASSWORD})
        archive.manage("migrate", "--noinput", "-v0")
        archive.manage("createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.org")
        log = open(data / "server.log", "w")
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "WORKERS=2", "HOST=127.0.0.1", f"PORT={port}"],
            env=archive.env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_until_up(port, process, data / "server.log")
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
            log.close()


def _wait_until_up(port, process, log_path, deadline_seconds=120):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve exited: {log_path.read_text()}")
        try:
            if _request(port, "GET", "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.2)  # polling the server's start, not timing the code under test
    pytest.fail(f"make serve did not answer within {deadline_seconds}s: {log_path.read_text()}")


def _request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_pages_carry_hsts_and_the_security_headers(server):
    response = _request(server, "GET", "/", PROXIED)
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"


def test_plain_http_is_redirected_to_https_but_the_health_probe_is_not(server):
    response = _request(server, "GET", "/search/?q=rice")
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{server}/search/?q=rice"
    assert _request(server, "GET", "/healthz").status == 200


def test_collected_static_files_are_served_compressed_by_whitenoise(server):
    response = _request(server, "GET", "/static/css/archive.css", {**PROXIED, "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Content-Security-Policy")


def _login(port, password, client_address):
    """A login as a browser behind the proxy makes it: the form's CSRF cookie and token, the Referer of HTTPS."""
    headers = {**PROXIED, "X-Forwarded-For": client_address}
    form = _request(port, "GET", "/admin/login/", headers)
    cookie = form.getheader("Set-Cookie").split(";")[0]
    token = form.body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    body = f"csrfmiddlewaretoken={token}&username=admin&password={password.replace(' ', '+')}&next=/admin/"
    return _request(port, "POST", "/admin/login/", {
        **headers, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://127.0.0.1:{port}/admin/login/",
    }, body)


def test_cookies_are_secure_and_the_session_cookie_is_http_only(server):
    form = _request(server, "GET", "/admin/login/", PROXIED)
    assert "; Secure" in form.getheader("Set-Cookie")
    response = _login(server, PASSWORD, "203.0.113.10")
    assert response.status == 302
    session = [c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid=")][0]
    assert "; Secure" in session and "; HttpOnly" in session


def test_login_throttling_holds_across_the_workers(server):
    """Each worker is a process; the failures counted by one lock the client out at all of them."""
    statuses = [_login(server, "wrong", "203.0.113.20").status for _ in range(5)]
    assert statuses == [200] * 5
    refused = _login(server, PASSWORD, "203.0.113.20")
    assert refused.status == 429
    assert "Try again in 15 minutes" in refused.body.decode()
    assert _login(server, PASSWORD, "203.0.113.21").status == 302


def test_an_oversized_upload_is_refused_before_its_body_is_sent(server):
    """Only the headers go out; a server that waited for the 10 GB body would never answer."""
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 10737418240\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection after its answer
            answer += chunk
        answer = answer.decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")
    assert "the archive accepts at most 256 MiB at once" in answer


def test_a_server_process_sets_what_it_loaded_at_start_aside_from_full_garbage_collections(tmp_path):
    """``archive/wsgi.py`` freezes what it loaded (``archive.http.startup``): a full collection, a pause in whichever
    request meets it, then walks only the objects made later, a tenth of them or less."""
    code = ("import gc, sys, django; django.setup(); from archive.http.startup import freeze_loaded_objects; "
            "tracked = len(gc.get_objects()); frozen = freeze_loaded_objects(); "
            "print(tracked, frozen, len(gc.get_objects()), 'archive.views.api' in sys.modules)")
    with Archive(tmp_path) as archive:
        done = subprocess.run([sys.executable, "-c", code], env=archive.env, cwd=settings.BASE_DIR,
                              capture_output=True, text=True, timeout=120, check=True)
    tracked, frozen, left, views_loaded = done.stdout.split()
    assert views_loaded == "True"
    assert int(frozen) >= int(tracked) // 2
    assert int(left) <= int(frozen) // 10
