"""What a reference manager reads from an article page, in Chromium: the page saved as a browser saves it holds the
meta tags an embedded-metadata reader (Zotero's) uses to choose "newspaper article", the author family name first,
and a JSON-LD NewsArticle; the citation files download; and none of it trips the Content-Security-Policy."""

import json

import rispy
from bs4 import BeautifulSoup


def test_a_saved_article_page_reads_as_a_newspaper_article_by_jong_so_yong(page, reports, tmp_path):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    seed = reports.get(author="Jong So Yong", origin__startswith="sha256:")  # the seed, not the pages corpus report
    page.goto(seed.get_absolute_url())
    page.wait_for_load_state("load")
    saved = tmp_path / "article.html"
    saved.write_text(page.content(), encoding="utf-8")

    soup = BeautifulSoup(saved.read_text(encoding="utf-8"), "html.parser")
    meta = {}
    for tag in soup.find_all("meta"):
        if name := tag.get("name") or tag.get("property"):
            meta.setdefault(name, []).append(tag["content"])
    # Zotero's rule: citation_journal_title makes any page a journal article; without it, DC.type and og:type decide.
    assert "citation_journal_title" not in meta
    assert meta["DC.type"] == ["newspaperArticle"]
    assert meta["og:type"] == ["article"]
    assert meta["citation_title"] == [seed.title]
    assert meta["citation_author"] == ["Jong, So Yong"]
    assert meta["DC.source"] == meta["og:site_name"] == ["Daily NK"]
    [block] = soup.find_all("script", type="application/ld+json")
    news = json.loads(block.string)
    assert (news["@type"], news["author"][0]["familyName"], news["author"][0]["givenName"]) == (
        "NewsArticle", "Jong", "So Yong")

    with page.expect_download() as download:
        page.get_by_role("link", name="RIS", exact=True).click()
    assert download.value.suggested_filename == f"{seed.key}.ris"
    [entry] = rispy.loads(download.value.path().read_text(encoding="utf-8"))
    assert (entry["type_of_reference"], entry["authors"]) == ("NEWS", ["Jong, So Yong"])
    assert violations == []
