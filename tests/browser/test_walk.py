"""An analyst's walk in Chromium: home -> search -> facet -> article -> related article -> back; copying a link."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def test_the_live_server_searches_the_index_this_test_ingested_into(page, reports):
    page.goto("/search/?q=fertilizer")
    expect(page.locator(".result-title")).to_have_text(["Farmers in South Pyongan struggle with fertilizer shortage"])


def test_an_analyst_walks_from_home_through_a_search_and_a_facet_to_an_article_and_back(page, reports):
    page.goto("/")
    box = page.locator("input[type=search][name=q]")
    box.fill("smuggling")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=smuggling$"))
    expect(page.locator("input[type=search][name=q]")).to_have_value("smuggling")
    everything = page.locator(".result").count()
    assert everything >= 4

    page.locator("#facet-region ~ ul").get_by_role("link", name=re.compile(r"^Ryanggang")).first.click()
    expect(page).to_have_url(re.compile(r"q=smuggling&region=ryanggang"))
    expect(page.locator(".chip")).to_have_text([re.compile("Region: Ryanggang")])
    assert page.locator(".result").count() < everything

    page.locator(".result-title a", has_text="Smuggling crackdown tightens").click()
    expect(page.locator("h1")).to_have_text("Smuggling crackdown tightens along the Yalu in Hyesan")
    expect(page.locator(".trail-back")).to_have_attribute("href", "/search/?q=smuggling&region=ryanggang")
    article_url = page.url

    related = page.locator(".related li a").first
    related_title = related.inner_text()
    related.click()
    expect(page.locator("h1")).to_have_text(related_title)

    page.go_back()
    expect(page).to_have_url(article_url)
    page.locator(".trail-back").click()
    expect(page.locator(".chip")).to_have_text([re.compile("Region: Ryanggang")])
    expect(page.locator("input[type=search][name=q]")).to_have_value("smuggling")


def test_removing_a_chip_widens_the_search_again(page, reports):
    page.goto("/search/?q=smuggling&source=radio-free-asia")
    narrowed = page.locator(".result").count()
    page.locator(".chip").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=smuggling$"))
    assert page.locator(".result").count() > narrowed


def test_the_copy_link_button_puts_the_permalink_on_the_clipboard(browser_context, live_server, reports):
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = browser_context.new_page()
    article = reports.get(title="Hoeryong residents face electricity shortages")
    page.goto(article.get_absolute_url() + "?from_search=q%3Dcoal")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + article.get_absolute_url()


def test_the_slash_key_focuses_the_search_box(page, reports):
    page.goto("/search/?q=rice")
    page.locator("body").press("/")
    expect(page.locator("input[type=search][name=q]")).to_be_focused()


def test_the_pages_fit_375_pixels_without_horizontal_scrolling(browser_context, reports):
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    article = reports.get(title="Sinuiju customs slows trade amid border closure")
    for url in ["/", "/search/?q=smuggling&region=ryanggang&year=2019", "/search/", "/search/?from=2019-06&to=2020-03",
                article.get_absolute_url() + "?from_search=q%3Dtrade", "/coverage/", "/help/search/"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


def test_a_printed_article_shows_the_report_and_its_citation_without_navigation(page, reports):
    article = reports.get(title="Hoeryong residents face electricity shortages")
    page.goto(article.get_absolute_url() + "?from_search=q%3Dcoal")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".trail")).to_be_hidden()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.locator("[itemprop=articleBody]")).to_be_visible()
    expect(page.locator(".citation-line")).to_be_visible()


def test_the_date_fields_take_a_year_and_a_month(page, reports):
    page.goto("/search/?q=smuggling")
    page.get_by_label("From").fill("2019")
    page.get_by_label("To").fill("2019-03")
    page.get_by_role("button", name="Apply dates").click()
    expect(page.locator(".chip")).to_have_text([re.compile("Dates: 2019-01-01 to 2019-03-31")])
    assert parse_qs(urlsplit(page.url).query) == {"q": ["smuggling"], "from": ["2019"], "to": ["2019-03"]}


def test_the_date_range_form_narrows_the_search_and_keeps_its_filters(page, reports):
    page.goto("/search/?q=smuggling&source=daily-nk&sort=oldest")
    page.get_by_label("From").fill("2019-03-01")
    page.get_by_label("To").fill("2019-03-31")
    page.get_by_role("button", name="Apply dates").click()
    expect(page.locator(".chip")).to_have_text(
        [re.compile("Source: Daily NK"), re.compile("Dates: 2019-03-01 to 2019-03-31")]
    )
    assert parse_qs(urlsplit(page.url).query) == {
        "q": ["smuggling"], "source": ["daily-nk"], "sort": ["oldest"], "from": ["2019-03-01"], "to": ["2019-03-31"]
    }
    expect(page.locator(".result-title")).to_have_text(
        ["Smuggling crackdown tightens along the Yalu in Hyesan", "Traders in Hyesan market report rising rice prices"]
    )
