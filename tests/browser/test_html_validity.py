"""The HTML of the home, search and article pages validates with the Nu HTML checker (vnu-jar)."""

from tests.browser.conftest import vnu_errors


def test_the_home_search_article_and_empty_result_pages_are_valid_html(client, reports, tmp_path):
    article = reports.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")
    pages = {
        "home": "/",
        "search": "/search/?q=smuggling&region=ryanggang&year=2019",
        "browse": "/search/?source=daily-nk&sort=oldest&size=2&page=2",
        "empty": "/search/?q=zzzqqq&source=nk-news&from=2018",
        "bad-parameter": "/search/?from=yesterday",
        "article": article.get_absolute_url() + "?from_search=q%3Dsmuggling",
    }
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (400 if name == "bad-parameter" else 200), name
        documents[name] = response.content
    assert vnu_errors(documents, tmp_path) == []
