"""The HTML of the home, search (timeline, map), article, coverage and search help pages, and of an article's
history, an old version, its related reports, a withdrawn report's page and "My searches", validates with the Nu HTML
checker (vnu-jar)."""

from archive.withdrawal import withdraw
from tests.browser.conftest import vnu_errors
from tests.history_helpers import correct


def test_the_home_search_article_and_empty_result_pages_are_valid_html(client, reports, tmp_path, django_user_model):
    article = reports.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")
    correct(article, "The city is Samsu", regions=["samsu", "ryanggang"],
            body_html=article.body_html.replace("doubled", "tripled"))
    withdrawn = reports.get(title="Hoeryong residents face electricity shortages")
    withdraw(withdrawn, "The source could not be confirmed.")
    pages = {
        "home": "/",
        "search": "/search/?q=smuggling&region=ryanggang&year=2019",
        "search-everything": "/search/",
        "search-months": "/search/?from=2019-06&to=2020-03",
        "coverage": "/coverage/",
        "help": "/help/search/",
        "article-highlighted-off": article.get_absolute_url() + "?from_search=q%3Dsmuggling&highlight=off",
        "browse": "/search/?source=daily-nk&sort=oldest&size=2&page=2",
        "empty": "/search/?q=zzzqqq&source=nk-news&from=2018",
        "bad-parameter": "/search/?from=yesterday",
        "article": article.get_absolute_url() + "?from_search=q%3Dsmuggling",
        "history": f"/articles/{article.key}/v/",
        "version": f"/articles/{article.key}/v/1/",
        "related": f"/articles/{article.key}/related/",
        "withdrawn": f"/articles/{withdrawn.key}/",
        "api-docs": "/api/v1/docs/",
    }
    statuses = {"bad-parameter": 400, "withdrawn": 410}
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == statuses.get(name, 200), name
        documents[name] = response.content
    client.force_login(django_user_model.objects.create_user("editor", password="a long password", is_staff=True))
    documents["signed-in"] = client.get("/search/?q=smuggling").content
    client.post("/my/searches/save/", {"query": "q=smuggling&region=ryanggang", "name": "Smuggling in Ryanggang"})
    documents["my-searches"] = client.get("/my/searches/").content
    documents["my-searches-refused"] = client.post("/my/searches/save/", {"query": "q=rice", "name": ""}).content
    assert vnu_errors(documents, tmp_path) == []
