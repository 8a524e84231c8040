"""Passage links in Chromium: an analyst selects words in a report, "Copy link to this passage" gives the version's
URL with a text fragment, and opening that link scrolls to the passage, which the fragment matches in exactly one
place of the page's rendered text (by the Text Fragments rules: case-insensitive, whole words, whitespace collapsed;
prefix and suffix only where the words occur more than once)."""

import json
import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from archive.models import Article

REPEATED = "Prices rose again"
FILLER = ("Traders at the {n} market stall said that goods from China arrived by truck each week, and that the "
          "price of a sack of flour depended on the mood of the customs officers at the bridge on day {n}.")
PARAGRAPHS = [FILLER.format(n=n) for n in range(1, 41)]
PARAGRAPHS[4] = f"{REPEATED} in Sinuiju, where rice sold for more than in the spring."
PARAGRAPHS[33] = f"{REPEATED} in Hyesan after the smugglers paid the border guards in yuan."
PARAGRAPHS[35] = "Border guards in Hyesan were rotated every month so that none of them could be bribed for long."
PARAGRAPHS[36] = "The rotation ended in the autumn, when the new commander arrived from Pyongyang with orders."


@pytest.fixture
def article(gazetteer, ingest, tmp_path):
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"title": "Prices along the border", "source": "Daily NK", "date": "2024-05-02",
                                "url": "https://example.org/reports/passages", "body": "\n\n".join(PARAGRAPHS)}))
    assert not [o for o in ingest(path) if o.is_rejected]
    return Article.objects.get()


@pytest.fixture
def analyst_page(browser_context, live_server):
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return browser_context.new_page()


def select(page, paragraph: int, start_text: str, end_text: str | None = None) -> None:
    """Select from ``start_text`` in paragraph ``paragraph`` (0-based) to the end of ``end_text`` in a later one (or
    to the end of ``start_text``), as a reader's drag would."""
    page.evaluate("""([index, startText, endText]) => {
        const paragraphs = document.querySelectorAll(".report-body p");
        const locate = (text, from) => {
            for (let i = from; i < paragraphs.length; i++) {
                const node = paragraphs[i].firstChild;
                const at = node.data.indexOf(text);
                if (at >= 0) return [node, at];
            }
            throw new Error("not found: " + text);
        };
        const [startNode, startAt] = locate(startText, index);
        const [endNode, endAt] = locate(endText || startText, index);
        const range = document.createRange();
        range.setStart(startNode, startAt);
        range.setEnd(endNode, endAt + (endText || startText).length);
        paragraphs[index].scrollIntoView();
        document.getSelection().removeAllRanges();
        document.getSelection().addRange(range);
    }""", [paragraph, start_text, end_text])


def copy_link(page) -> str:
    button = page.get_by_role("button", name="Copy link to this passage")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".passage-status")).to_have_text("Link to this passage copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert page.locator("#passage-link-field").input_value() == copied
    return copied


def directive(link: str) -> dict:
    fragment = urlsplit(link).fragment
    assert fragment.startswith(":~:text="), link
    pieces = fragment.removeprefix(":~:text=").split(",")
    assert all("-" not in piece.strip("-") and "&" not in piece for piece in pieces), "unescaped - or &"
    parts = {}
    if pieces[0].endswith("-"):
        parts["prefix"] = unquote(pieces.pop(0)[:-1])
    if pieces[-1].startswith("-"):
        parts["suffix"] = unquote(pieces.pop()[1:])
    parts["start"] = unquote(pieces[0])
    if len(pieces) == 2:
        parts["end"] = unquote(pieces[1])
    return parts


def rendered_text(page) -> str:
    lines = page.evaluate("document.body.innerText").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def places(text: str, parts: dict) -> list[tuple[int, int]]:
    """Where the directive matches: each occurrence of [prefix] textStart, to the first textEnd after it [that the
    suffix follows], all case-insensitive and on whole words; textStart and textEnd each within one line (block)."""

    def pattern(part):
        return r"(?<!\w)" + " ".join(re.escape(word) for word in part.split()) + r"(?!\w)"

    head = (f"({pattern(parts['prefix'])} )" if "prefix" in parts else "()") + pattern(parts["start"])
    follows = (lambda at: re.match(" " + pattern(parts["suffix"]), text[at:], re.I)) if "suffix" in parts else (
        lambda at: True)
    found = []
    for match in re.finditer(f"(?=({head}))", text, re.I):
        start, head_end = match.start() + len(match.group(2)), match.start() + len(match.group(1))
        if "end" not in parts:
            if follows(head_end):
                found.append((start, head_end))
            continue
        ends = (m.end() for m in re.finditer(f"(?={pattern(parts['end'])})", text[head_end:], re.I))
        for end in ends:
            end = head_end + end + len(re.match(pattern(parts["end"]), text[head_end + end:], re.I).group(0))
            if follows(end):
                found.append((start, end))
                break
    return found


def opens_scrolled_to(browser_context, link: str, passage_start: str) -> None:
    """The link opens the version, scrolled so the passage's paragraph is on screen, and the fragment matches exactly
    one place of the page's rendered text: the passage."""
    page = browser_context.new_page()
    page.goto(link)
    page.wait_for_function("() => window.scrollY > 0")
    paragraph = page.locator(".report-body p", has_text=passage_start)
    assert paragraph.count() == 1
    box, viewport = paragraph.bounding_box(), page.viewport_size
    assert 0 <= box["y"] and box["y"] < viewport["height"], box
    text = rendered_text(page)
    [(start, _)] = places(text, directive(link))
    paragraph_at = text.index(" ".join(paragraph.inner_text().split()))
    assert paragraph_at <= start < paragraph_at + len(paragraph.inner_text())  # the one place is the passage
    page.close()


def test_a_unique_passage_is_linked_by_its_words_alone_on_the_version_url(analyst_page, browser_context, article,
                                                                          live_server):
    page = analyst_page
    page.goto(article.get_absolute_url())
    select(page, 33, "the smugglers paid the border guards")
    link = copy_link(page)
    assert link == (f"{live_server.url}/articles/{article.key}/v/1/#:~:text="
                    "the%20smugglers%20paid%20the%20border%20guards")
    opens_scrolled_to(browser_context, link, "Prices rose again in Hyesan")


def test_a_repeated_passage_gets_the_words_around_it(analyst_page, browser_context, article):
    page = analyst_page
    page.goto(article.get_absolute_url())
    select(page, 33, REPEATED)
    link = copy_link(page)
    parts = directive(link)
    assert parts["start"] == REPEATED and parts["suffix"].startswith("in Hyesan")
    assert "prefix" not in parts  # the passage begins its paragraph: the words after it tell it apart
    opens_scrolled_to(browser_context, link, "Prices rose again in Hyesan")


def test_a_half_selected_word_is_linked_as_the_whole_word(analyst_page, article):
    page = analyst_page
    page.goto(article.get_absolute_url())
    select(page, 35, "otated every month so that none of them co")
    assert directive(copy_link(page)) == {"start": "rotated every month so that none of them could"}


def test_a_passage_across_paragraphs_is_linked_by_its_first_and_last_words(analyst_page, browser_context, article):
    page = analyst_page
    page.goto(article.get_absolute_url())
    select(page, 35, "Border guards in Hyesan", "from Pyongyang with orders.")
    link = copy_link(page)
    parts = directive(link)
    assert parts == {"start": "Border guards in Hyesan", "end": "from Pyongyang with orders."}  # four words each
    opens_scrolled_to(browser_context, link, "Border guards in Hyesan were rotated")


def test_a_corrected_report_links_its_current_version(analyst_page, article):
    from tests.history_helpers import correct

    correct(article, title="Prices along the border, corrected")
    page = analyst_page
    page.goto(article.get_absolute_url())
    select(page, 33, "the smugglers paid the border guards")
    assert urlsplit(copy_link(page)).path == f"/articles/{article.key}/v/2/"


def test_where_copying_is_blocked_the_link_is_shown_selected(browser_context, article):
    page = browser_context.new_page()  # no clipboard permission
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(article.get_absolute_url())
    select(page, 33, "the smugglers paid the border guards")
    page.get_by_role("button", name="Copy link to this passage").click()
    expect(page.locator(".passage-status")).to_have_text(
        "Copying is blocked here; the link is selected, press Ctrl+C.")
    field = page.locator("#passage-link-field")
    expect(field).to_be_focused()
    assert field.input_value().endswith("#:~:text=the%20smugglers%20paid%20the%20border%20guards")


def test_the_button_goes_when_the_selection_leaves_the_report(page, article):
    page.goto(article.get_absolute_url())
    button = page.get_by_role("button", name="Copy link to this passage")
    select(page, 33, "the smugglers paid the border guards")
    expect(button).to_be_visible()
    page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector("h1"));
        document.getSelection().removeAllRanges();
        document.getSelection().addRange(range);
    }""")
    expect(button).to_be_hidden()


def test_without_javascript_the_report_reads_as_before_and_no_button_appears(chromium, live_server, article):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(article.get_absolute_url())
    expect(page.locator(".report-body p").nth(33)).to_have_text(PARAGRAPHS[33])
    assert page.locator(".passage-link, .passage-fallback").count() == 0
    context.close()
