"""Citations: the article page's metadata for reference managers and search engines, and the citation files
(RIS, BibTeX, CSL-JSON), each read back with a real parser. Names keep the family name first where it is first."""

import json

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from bs4 import BeautifulSoup

from archive.models import Article, FormerKey
from archive.withdrawal import merge, withdraw
from tests.conftest import DATA, SEEDS

REPORTS = DATA / "exports" / "reports.jsonl"
CSL_SCHEMA = json.loads((DATA / "schemas" / "csl-data.schema.json").read_text())


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEEDS)
    return Article.objects.select_related("source")


@pytest.fixture
def seed(reports):
    """The seed by Jong So Yong: Zotero filed it as a journal article by 'Yong, Jong So'."""
    return reports.get(author="Jong So Yong", source__name="Daily NK", url="")


def _meta(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("property")
        if name:
            found.setdefault(name, []).append(tag.get("content"))
    return found


def test_the_article_page_tells_reference_managers_it_is_a_newspaper_article(client, seed):
    meta = _meta(client.get(seed.get_absolute_url()).content.decode())
    assert meta["DC.type"] == ["newspaperArticle"]
    assert meta["og:type"] == ["article"]
    assert meta["DC.source"] == meta["og:site_name"] == ["Daily NK"]
    assert meta["citation_author"] == ["Jong, So Yong"]
    assert meta["citation_title"] == [seed.title]
    assert "citation_journal_title" not in meta


def test_the_article_page_carries_a_news_article_for_search_engines(client, reports):
    article = reports.get(author="Jong So Yong", url="https://example.org/exports/2")
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content.decode(), "html.parser")
    [block] = soup.find_all("script", type="application/ld+json")
    data = json.loads(block.string)
    assert (data["@type"], data["headline"], data["datePublished"]) == ("NewsArticle", article.title, "2019-05")
    assert data["author"] == [{"@type": "Person", "name": "Jong So Yong", "familyName": "Jong", "givenName": "So Yong"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Daily NK"}
    assert data["isBasedOn"] == "https://example.org/exports/2"


def test_a_title_cannot_end_the_json_ld_block(client, reports):
    article = reports.get(url="https://example.org/exports/2")
    Article.objects.filter(pk=article.pk).update(title="</script><script>alert(1)</script> & more")
    html = client.get(article.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    [block] = soup.find_all("script", type="application/ld+json")
    assert json.loads(block.string)["headline"] == "</script><script>alert(1)</script> & more"
    assert "<script>alert(1)" not in html


def test_the_chicago_line_writes_the_name_as_the_report_does(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    assert f"Jong So Yong, \u201c{seed.title},\u201d Daily NK," in html


def test_the_page_offers_each_citation_file_for_download(client, seed):
    soup = BeautifulSoup(client.get(seed.get_absolute_url()).content.decode(), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select(".cite-files a[download]")}
    assert links == {"RIS": f"/articles/{seed.key}/cite.ris", "BibTeX": f"/articles/{seed.key}/cite.bib",
                     "CSL-JSON": f"/articles/{seed.key}/cite.json"}


def test_ris_is_a_newspaper_article_with_the_family_name_first(client, reports):
    article = reports.get(url="https://example.org/exports/2")
    response = client.get(f"/articles/{article.key}/cite.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == f'attachment; filename="{article.key}.ris"'
    assert "AU  - Jong, So Yong\r\n" in response.content.decode()
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == 'Rice, corn and "jangmadang" prices, as traders see them'
    assert entry["authors"] == ["Jong, So Yong"]
    assert (entry["year"], entry["date"], entry["secondary_title"]) == ("2019", "2019/05//", "Daily NK")
    assert entry["urls"] == [f"http://testserver{article.get_absolute_url()}"]
    assert entry["notes"] == ["Originally published at https://example.org/exports/2"]


def test_bibtex_parses_without_a_failed_block_and_keeps_accents_braces_and_specials(client, reports):
    article = reports.get(url="https://example.org/exports/4")
    text = client.get(f"/articles/{article.key}/cite.bib").content.decode()
    assert "author = {{Kim}, Ji-eun}" in text
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("article", article.key)
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert fields["title"].strip("{}") == "Ch'ŏllima {steel} works meet 100% of the quota & more_than_planned #1"
    assert fields["journal"] == "Rodong Sinmun"
    assert fields["entrysubtype"] == "newspaper"
    assert fields["year"] == "2018"


def test_bibtex_keeps_a_korean_title_and_name(client, reports):
    article = reports.get(url="https://example.org/exports/1")
    library = bibtexparser.parse_string(client.get(f"/articles/{article.key}/cite.bib").content.decode())
    assert library.failed_blocks == []
    fields = {name: field.value for name, field in library.entries[0].fields_dict.items()}
    assert fields["title"] == "{혜산 국경에서 밀수 단속 강화}"
    assert fields["author"] == "{정}, 소영"
    assert (fields["date"], fields["month"], fields["day"]) == ("2019-03-04", "mar", "4")


def test_csl_json_is_valid_and_names_the_family_and_given_names(client, reports):
    article = reports.get(url="https://example.org/exports/2")
    response = client.get(f"/articles/{article.key}/cite.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(response.content)
    jsonschema.validate(items, CSL_SCHEMA)
    [item] = items
    assert item["type"] == "article-newspaper"
    assert item["author"] == [{"family": "Jong", "given": "So Yong"}]
    assert item["container-title"] == "Daily NK"
    assert item["issued"] == {"date-parts": [[2019, 5]]}


def test_every_report_gives_valid_csl_json(client, reports):
    for article in reports:
        jsonschema.validate(json.loads(client.get(f"/articles/{article.key}/cite.json").content), CSL_SCHEMA)


def test_a_withdrawn_report_has_no_citation_and_a_merged_one_points_at_its_survivor(client, reports):
    gone, duplicate, survivor = reports.get(url="https://example.org/exports/1"), *reports.filter(
        url__in=["https://example.org/exports/3", "https://example.org/exports/4"]).order_by("url")
    withdraw(gone, "Duplicate of a wire report.")
    merge(duplicate, survivor)
    assert client.get(f"/articles/{gone.key}/cite.ris").status_code == 410
    response = client.get(f"/articles/{duplicate.key}/cite.bib")
    assert (response.status_code, response["Location"]) == (301, f"/articles/{survivor.key}/cite.bib")


def test_a_former_key_leads_to_the_citation_and_an_unknown_format_is_not_found(client, reports):
    article = reports.get(url="https://example.org/exports/2")
    FormerKey.objects.create(key="oldkey1234", article=article)
    response = client.get("/articles/oldkey1234/cite.json")
    assert (response.status_code, response["Location"]) == (301, f"/articles/{article.key}/cite.json")
    assert client.get(f"/articles/{article.key}/cite.docx").status_code == 404
    assert client.get("/articles/nosuchkey0/cite.ris").status_code == 404
