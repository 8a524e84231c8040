"""An article opened from a search has the search's words marked in its text, only in text, never in markup; a link
clears the marking."""

from urllib.parse import parse_qs, urlsplit

import pytest

from archive.highlight import mark_terms, terms_of
from archive.sanitize import clean_html

pytestmark = pytest.mark.django_db  # reading a query asks the gazetteer which words name places


def test_each_form_of_a_searched_word_is_marked_as_the_stemmed_index_finds_it():
    html, marks = mark_terms("<p>Smugglers smuggled goods; smuggling grew.</p>", terms_of("smuggle"))
    assert html == "<p>Smugglers <mark>smuggled</mark> goods; <mark>smuggling</mark> grew.</p>"
    assert marks == 2  # "smugglers" stems to "smuggler", a word of its own, as in the index


def test_phrases_prefixes_and_plain_words_are_marked_but_not_words_after_not_or_in_fields():
    terms = terms_of('"border patrol" smugg* NOT China title:rice')
    html, marks = mark_terms("<p>Border patrols met smugglers from China with rice.</p>", terms)
    assert html == "<p><mark>Border</mark> <mark>patrols</mark> met <mark>smugglers</mark> from China with rice.</p>"
    assert terms.shown == ["border", "patrol", "smugg*"]


def test_tags_attributes_and_entities_are_never_marked():
    body = clean_html('<p><a href="https://example.org/rice" title="rice &gt; corn">rice</a> &amp; rice&#39;s price'
                      '</p>')
    assert 'title="rice > corn"' in body  # the sanitizer leaves '>' in a quoted attribute: not a tag's end
    html, marks = mark_terms(body, terms_of("rice amp corn"))
    assert html == body.replace(">rice<", "><mark>rice</mark><").replace(" rice'", " <mark>rice</mark>'")
    assert marks == 2


def test_a_query_without_words_to_mark_marks_nothing():
    for query in ("", "source:daily-nk", "NOT rice", "-rice"):
        assert not terms_of(query)
        assert mark_terms("<p>rice</p>", terms_of(query)) == ("<p>rice</p>", 0)


@pytest.fixture
def article(ingest):
    from archive.models import Article
    from tests.browser.conftest import REPORTS

    ingest(REPORTS)
    return Article.objects.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")


def test_the_article_opened_from_a_search_marks_its_words_and_links_to_clear_them(client, article):
    url = article.get_absolute_url()
    html = client.get(url, {"from_search": "q=smuggling+Hyesan&region=ryanggang"}).content.decode()
    body = html[html.index('itemprop="articleBody"'):]
    assert "<mark>Hyesan</mark>" in body and "<mark>Smuggling</mark>" in body
    assert "(<span class=\"highlight-terms\">smuggling, hyesan</span>)" in html
    clear = html[html.index("Clear highlighting") - 200:html.index("Clear highlighting")]
    clear_url = clear[clear.rindex('href="') + 6:clear.rindex('"')].replace("&amp;", "&")
    assert parse_qs(urlsplit(clear_url).query) == {
        "from_search": ["q=smuggling+Hyesan&region=ryanggang"], "highlight": ["off"]}

    cleared = client.get(clear_url).content.decode()
    assert "<mark>" not in cleared[cleared.index('itemprop="articleBody"'):]
    assert "Highlight them" in cleared
    assert "Back to results" in cleared  # the trail stays


def test_an_article_reached_without_a_search_has_nothing_marked(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<mark>" not in html and "Clear highlighting" not in html
