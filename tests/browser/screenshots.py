"""Screenshots of the home, search (with its timeline and map), article, coverage and search help pages at desktop and
phone width: ``make screenshots``.

Builds a throw-away archive (a temporary data folder, migrated, the pages corpus and the seeds ingested through the
real pipeline), serves it on a free local port and has Debian's Chromium photograph each page, full length, into
the folder given (``screenshots/`` by default, git-ignored). Run: ``python -m tests.browser.screenshots [FOLDER]``.
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

WIDTHS = {"desktop": 1280, "phone": 375}


def main(folder: Path) -> None:
    os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-screenshots-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    from archive.ingest import ingest_paths
    from archive.models import Article
    from archive.search.indexing import wait_for_index
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, REPORTS
    from tests.conftest import SEEDS

    call_command("migrate", verbosity=0)
    rejected = [str(o) for o in ingest_paths([REPORTS, SEEDS]) if o.is_rejected]
    if rejected:
        sys.exit("\n".join(rejected))
    wait_for_index()
    article = Article.objects.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    pages = {
        "home": "/",
        "search": "/search/?q=smuggling&region=ryanggang",
        "search-everything": "/search/",
        "search-year": "/search/?year=2019&source=daily-nk&source=radio-free-asia",
        "search-empty": "/search/?q=smugling&source=nk-news",
        "article": f"{article.get_absolute_url()}?from_search=q%3Dsmuggling%26region%3Dryanggang",
        "coverage": "/coverage/",
        "help": "/help/search/",
    }

    folder.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares this thread with nothing Django
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for width_name, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, url in pages.items():
                page.goto(base + url)
                path = folder / f"{name}-{width_name}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
