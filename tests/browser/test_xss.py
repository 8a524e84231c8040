"""The XSS corpus uploaded through the upload page and rendered in Chromium: on no article page, search results page
or upload report does a script run, a dialog open or a request leave the site.

The browser context ignores Content-Security-Policy (``bypass_csp``), so this tests the sanitizer and the templates,
not the header that would hide their failure. Payloads either call ``alert`` (a dialog) or set ``window.__xss``.
"""

import re

import pytest
from playwright.sync_api import expect

from archive.models import Article
from archive.sanitize import ARTICLE_TAGS
from archive.search import SearchParams, run_search
from archive.search.indexing import wait_for_index
from tests.browser.conftest import DESKTOP
from tests.browser.test_upload_flow import archivist, log_in  # noqa: F401 (a fixture)
from tests.xss_corpus import VECTORS, all_files, has_null_byte

# Run in the page after it loaded: every trace a payload could leave in the DOM.
FIND_ACTIVE_CONTENT = """(allowed) => {
    const found = [];
    if (window.__xss !== undefined) found.push("window.__xss was set");
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
            if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
            // A named meta tag's content is text for reference managers (a title, an author), never a URL a browser
            // follows; meta http-equiv, which can be, is refused below.
            const isText = element.tagName === "META" && name === "content" && !element.hasAttribute("http-equiv");
            if (!isText && /^(javascript|data|vbscript):/.test(value)) found.push(`${element.tagName} ${name}=${value}`);
            if (["srcdoc", "formaction", "xlink:href"].includes(name)) found.push(`${element.tagName} ${name}`);
        }
    }
    // Where uploaded text is shown, no element carries a style either (the site's own bars elsewhere may).
    for (const element of document.querySelectorAll(".report *, .result *, .outcome *, title")) {
        if (element.hasAttribute("style")) found.push(`${element.tagName} style`);
    }
    for (const script of document.scripts) {
        // The archive's own JSON-LD block in the head is data, never run; it must still be JSON, whatever a title holds.
        if (script.type === "application/ld+json" && script.parentElement === document.head) {
            try { JSON.parse(script.text); continue; } catch (error) { found.push("JSON-LD that is not JSON"); }
        }
        if (!script.src || !new URL(script.src).pathname.startsWith("/static/")) found.push(`script ${script.src}`);
    }
    for (const element of document.querySelectorAll("iframe, frame, object, embed, svg, math, base, meta[http-equiv]")) {
        found.push(`element ${element.tagName}`);
    }
    for (const element of document.querySelectorAll(".report-body *")) {
        if (!allowed.includes(element.tagName.toLowerCase())) found.push(`body element ${element.tagName}`);
    }
    for (const link of document.querySelectorAll(".report-body a")) {
        if (link.rel !== "nofollow noopener") found.push(`link rel ${link.rel}`);
    }
    return found;
}"""


TABS = 4  # pages rendered side by side: hundreds of articles in a reasonable time


class Watch:
    """Pages of one browser context, each recording every dialog and uncaught error; and every request that
    leaves the live server."""

    def __init__(self, context, origin):
        self.context, self.origin = context, origin
        self.seen = {"dialogs": [], "errors": [], "foreign requests": []}
        context.on("request", self._on_request)

    def _on_request(self, request):
        if not request.url.startswith(self.origin):
            self.seen["foreign requests"].append(request.url)

    def new_page(self):
        page = self.context.new_page()

        def on_dialog(dialog):
            self.seen["dialogs"].append(f"{page.url}: {dialog.type} {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.seen["errors"].append(f"{page.url}: {error}"))
        return page

    def visit(self, urls: list[str]) -> list[str]:
        """Load the pages, a few at a time, and return every active-content trace found in them once loaded."""
        tabs = [self.new_page() for _ in range(TABS)]
        traces = []
        for start in range(0, len(urls), TABS):
            batch = list(zip(tabs, urls[start:start + TABS], strict=False))
            for tab, url in batch:
                tab.evaluate("url => { location.href = url; }", self.origin + url)  # start all, then wait for each
            for tab, url in batch:
                tab.wait_for_url(self.origin + url, wait_until="load")
                traces += [f"{url}: {trace}" for trace in active_content(tab)]
        for tab in tabs:
            tab.close()
        return traces


@pytest.fixture
def watch(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(20_000)
    yield Watch(context, live_server.url)
    context.close()


def active_content(page) -> list[str]:
    return page.evaluate(FIND_ACTIVE_CONTENT, sorted(ARTICLE_TAGS))


def test_no_xss_vector_runs_anywhere_it_is_shown(watch, archivist):  # noqa: F811
    page = watch.new_page()
    log_in(page, archivist)
    files = all_files()
    page.get_by_label("Report files").set_input_files(
        [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files]
    )
    page.get_by_role("button", name="Upload").click()
    total = len(files)
    expect(page.locator("[data-summary]")).to_have_text(re.compile(rf"^{total} of {total}: "), timeout=300_000)

    refused = sorted(f"xss-{n:03d}.html" for n, vector in enumerate(VECTORS, 1) if has_null_byte(vector))
    rejected = page.locator("[data-rows] > li.outcome-rejected .outcome-name").all_inner_texts()
    assert sorted(rejected) == refused  # refused as binary: a NUL byte is not text
    traces = [f"upload report: {trace}" for trace in active_content(page)]

    wait_for_index()
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 2 * len(VECTORS) - len(refused) + 2
    traces += watch.visit([article.get_absolute_url() for article in articles])
    searches = [f"/search/?q={query}&size=100" for query in ("xss", "alert", "script", "onerror", "javascript", "svg")]
    # Every further page of the broadest search; a page past the last would redirect to the last one.
    pages = run_search(SearchParams.from_query({"q": "xss", "size": "100"})).page_count
    traces += watch.visit(searches + [f"/search/?q=xss&size=100&page={n}" for n in range(2, pages + 1)])
    assert traces == []
    assert watch.seen == {"dialogs": [], "errors": [], "foreign requests": []}


def test_the_watch_sees_a_payload_that_runs(watch, live_server):
    """The probe itself works: a page that does run a payload is caught by every check."""
    watch.context.route(
        "**/probe",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><body><img src=x onerror="alert(1)"><script>window.__xss=1</script>'
                 '<img src="https://xss.example/pixel.png"></body>',
        ),
    )
    traces = watch.visit(["/probe"])
    assert "/probe: window.__xss was set" in traces
    assert "/probe: IMG onerror" in traces
    assert watch.seen["dialogs"] == [f"{live_server.url}/probe: alert 1"]
    assert watch.seen["foreign requests"] == ["https://xss.example/pixel.png"]
