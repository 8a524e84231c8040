"""Fixtures for the page tests: the reports corpus, Debian's Chromium through Playwright, axe-core and vnu.

The live server and the search index: ``tests/conftest.py`` gives every test a fresh Whoosh index by changing the
index path in haystack's settings and reloading the connection *in the test's thread*. Haystack caches backends per
thread, but Django's live server answers each request in a new thread (``ThreadedWSGIServer``), which builds its
backend from the settings as they are at that moment, so the server sees the same per-test index as the test that
ingested into it. ``test_the_live_server_searches_the_index_this_test_ingested_into`` pins this.

Playwright's sync API keeps an asyncio loop in the test thread, and Django refuses database calls from a thread with a
running loop; as pytest-playwright users do, ``DJANGO_ALLOW_ASYNC_UNSAFE`` lifts that for the browser tests.

A missing browser, Java or node tool skips these tests under a plain ``pytest`` and fails them under ``make test`` and
in CI (``tests/strictness.py``), so neither can pass by not running them.

Transactional tests empty every table afterwards, the gazetteer that migrations load included (pytest-django runs
them after all other database tests); the ``gazetteer`` fixture loads it again for the next one.
"""

import importlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import SEEDS

BROWSER_DIR = Path(__file__).parent
NODE_MODULES = BROWSER_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPORTS = Path(settings.BASE_DIR) / "tests" / "data" / "pages"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def require(path: Path | str, why: str) -> None:
    """Skip when a tool is missing (a failure under `make test` and in CI: see tests/conftest.py)."""
    present = Path(path).exists() if isinstance(path, Path) else shutil.which(path) is not None
    if not present:
        pytest.skip(f"{path} is missing: {why}")


@pytest.fixture
def gazetteer(transactional_db):
    """The regions and sources that the migrations load, present again in a transactional test.

    Transactional tests (the live server's) end by emptying every table, gazetteer included, and Django's
    serialized rollback cannot put it back once another transactional test has re-created the content types. So the
    gazetteer and the people are loaded again as the migrations load them (0002, 0006, 0007), and the ingest's cached
    name -> region and person map, keyed on the tables' sizes, is forgotten because the ids are new.
    """
    from django.apps import apps

    from archive.ingest.gazetteer import _matcher
    from archive.models import Person, Region

    if not Region.objects.exists():
        importlib.import_module("archive.migrations.0002_gazetteer_and_sources").load(apps, None)
        importlib.import_module("archive.migrations.0007_gazetteer_spellings").load(apps, None)
    if not Person.objects.exists():
        importlib.import_module("archive.migrations.0008_people").load(apps, None)
    _matcher.cache_clear()


@pytest.fixture
def reports(gazetteer, ingest):
    """The pages corpus (12 reports over three sources, five regions, four years and one undated) and both seeds."""
    outcomes = ingest(REPORTS, SEEDS)
    assert not [o for o in outcomes if o.is_rejected]
    from archive.models import Article

    return Article.objects.select_related("source").prefetch_related("regions")


@pytest.fixture(scope="session")
def chromium():
    require(CHROMIUM, "install Debian's chromium package (`make deps` does)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core on the page as loaded; one line per violation of the given impacts."""
    require(AXE_JS, "run `make test` (npm ci --prefix tests/browser)")
    # Evaluated through the DevTools protocol, not added as a <script>: the page's CSP allows no inline script.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def vnu_errors(documents: dict[str, bytes], folder: Path) -> list[str]:
    """Check HTML documents with the Nu HTML checker, in one Java start; one line per error."""
    require("java", "install a Java runtime, Debian's default-jre-headless (`make deps` does)")
    require(VNU_JAR, "run `make test` (npm ci --prefix tests/browser)")
    paths = []
    for name, content in documents.items():
        path = folder / f"{name}.html"
        path.write_bytes(content)
        paths.append(str(path))
    completed = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        silent_success = '{"messages": []}' if completed.returncode == 0 else ""
        messages = json.loads(completed.stderr or completed.stdout or silent_success)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"the HTML checker failed (exit {completed.returncode}): {completed.stderr[-2000:]}") from None
    # vnu exits 1 when it reports errors and 0 when it has none; anything else means it did not check.
    if completed.returncode != (1 if messages else 0):
        raise AssertionError(f"the HTML checker exited {completed.returncode} with {len(messages)} messages: "
                             f"{completed.stderr[-2000:]}")
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
