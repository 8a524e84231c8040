"""The timeline and the map in Chromium: a bar and a province each narrow the search (the URL and the counts change),
by mouse and by keyboard, and dragging across bars chooses a range."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

MAX_TABS = 300  # a bound on tabbing through a page to reach a control


def result_count(page) -> int:
    return int(page.locator(".result-summary strong").inner_text().replace(",", ""))


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def tab_to(page, locator) -> None:
    """Press Tab until the control has the focus, as a keyboard user reaches it."""
    target = locator.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", target):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_clicking_a_province_on_the_map_chooses_its_region(page, reports):
    page.goto("/search/?q=market")
    everything = result_count(page)
    page.get_by_role("link", name="North Hamgyong: 3 reports").click()
    expect(page).to_have_url(re.compile(r"region=north-hamgyong"))
    assert query(page) == {"q": ["market"], "region": ["north-hamgyong"]}
    assert result_count(page) == 3 < everything
    expect(page.locator(".chip")).to_have_text([re.compile("Region: North Hamgyong")])
    expect(page.locator("a.map-region.is-chosen")).to_have_attribute("aria-label", "North Hamgyong: 3 reports")


def test_a_province_is_chosen_by_keyboard_and_chosen_again_to_remove_it(page, reports):
    page.goto("/search/?q=market")
    everything = result_count(page)
    tab_to(page, page.get_by_role("link", name="Ryanggang: 1 report"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"region=ryanggang"))
    assert result_count(page) == 1
    tab_to(page, page.locator("a.map-region.is-chosen"))
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"region="))
    assert result_count(page) == everything


def test_clicking_a_bar_of_the_timeline_narrows_the_dates_to_its_year(page, reports):
    page.goto("/search/?q=smuggling")
    everything = result_count(page)
    page.get_by_role("link", name="2019: 4 reports").click()
    expect(page).to_have_url(re.compile(r"from=2019-01-01&to=2019-12-31"))
    assert result_count(page) == 4 < everything
    expect(page.locator("#timeline-title")).to_have_text("Reports per month, January 2019 – December 2019")
    page.get_by_role("link", name="March 2019: 2 reports").click()
    expect(page).to_have_url(re.compile(r"from=2019-03-01&to=2019-03-31"))
    assert result_count(page) == 2


def test_a_bar_of_the_timeline_is_chosen_by_keyboard(page, reports):
    page.goto("/search/?q=smuggling")
    tab_to(page, page.get_by_role("link", name="2020: 1 report"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"from=2020-01-01&to=2020-12-31"))
    assert result_count(page) == 1


def test_dragging_across_bars_chooses_the_range_they_span(page, reports):
    page.goto("/")
    first = page.get_by_role("link", name="2017: 1 report").locator(".timeline-slot").bounding_box()
    last = page.get_by_role("link", name="2019: 5 reports").locator(".timeline-slot").bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] / 2, steps=8)
    expect(page.locator("a.timeline-bar.is-selected")).to_have_count(3)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"/search/\?from=2017&to=2019$"))
    expect(page.locator(".chip")).to_have_text([re.compile("Dates: 2017-01-01 to 2019-12-31")])
    assert result_count(page) == 8
