"""Every response tells the browser: no inline script or style, no framing, no sniffing, no referrer elsewhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _policy(response) -> dict[str, str]:
    directives = [d.strip().split(None, 1) for d in response["Content-Security-Policy"].split(";")]
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize("url", ["/", "/search/?q=famine", "/admin/login/", "/no-such-page/", "/static/css/archive.css"])
def test_pages_static_files_and_errors_carry_the_security_headers(client, db, url):
    response = client.get(url)
    for header, value in EXPECTED.items():
        assert response[header] == value, header
    policy = _policy(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_no_template_has_inline_script_style_or_event_handler():
    """The policy would block them; the browser test catches what rendering adds. A JSON-LD data block is not a
    script (browsers never run it, and the policy does not apply to it)."""
    offending = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+=", r"javascript:"):
            offending += [f"{template.name}: {m.group(0)}" for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert offending == []
