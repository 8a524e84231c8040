"""The one bleach policy: a small allow-list, safe links, and not a word of the text lost."""

import html
import random

import bleach
import pytest
from bs4 import BeautifulSoup

from archive.sanitize import (
    ARTICLE_ATTRIBUTES,
    ARTICLE_PROTOCOLS,
    ARTICLE_TAGS,
    clean_html,
    clean_snippet,
    html_to_text,
)
from tests.xss_corpus import VECTORS


def tags(html: str) -> list[str]:
    return [tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True)]


def test_structural_tags_are_kept():
    html = (
        "<h2>Head</h2><p>A <strong>b</strong> <em>c</em> <b>d</b> <i>e</i><br>f</p><h3>x</h3><h4>y</h4>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote><pre><code>c</code></pre>"
        "<figure><figcaption>cap</figcaption></figure>"
    )
    assert clean_html(html) == html


def test_scripts_and_styles_go_with_their_content():
    cleaned = clean_html("<p>before<script>alert(1)</script> after</p><style>p { color: red }</style>")
    assert cleaned == "<p>before after</p>"


def test_the_text_of_removed_tags_stays():
    cleaned = clean_html('<p><span class="x">Rice</span> <font color=red>prices</font> <u>rose</u> in <abbr>NK</abbr></p>')
    assert cleaned == "<p>Rice prices rose in NK</p>"


def test_removed_block_containers_become_paragraphs_so_words_never_run_together():
    assert clean_html("<div>one</div><div>two</div>") == "<p>one</p><p>two</p>"
    assert html_to_text(clean_html("<section><div>one</div><div>two</div></section><dl><dt>a</dt><dd>b</dd></dl>")) == (
        "one\n\ntwo\n\na\n\nb"
    )


def test_headings_outside_h2_to_h4_keep_their_text_as_the_nearest_kept_heading():
    assert clean_html("<h1>Top</h1><h5>Small</h5><h6>Least</h6>") == "<h2>Top</h2><h4>Small</h4><h4>Least</h4>"


@pytest.mark.parametrize(
    "attribute", ['onclick="alert(1)"', 'style="color:red"', 'class="x"', 'id="x"', 'onmouseover=alert(1)']
)
def test_event_handlers_styles_and_other_attributes_go(attribute):
    assert clean_html(f"<p {attribute}>text</p>") == "<p>text</p>"


def test_every_link_gets_rel_nofollow_noopener_and_keeps_only_href_and_title():
    cleaned = clean_html('<a href="https://example.org/" title="T" target="_blank" rel="opener" onclick="x()">e</a>')
    assert cleaned == '<a href="https://example.org/" title="T" rel="nofollow noopener">e</a>'


def test_bare_web_addresses_become_safe_links():
    cleaned = clean_html("<p>See https://example.org/report for more</p>")
    assert cleaned == '<p>See <a href="https://example.org/report" rel="nofollow noopener">https://example.org/report</a> for more</p>'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java\tscript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://example.org/",
        "file:///etc/passwd",
    ],
)
def test_links_to_other_protocols_lose_their_href_but_keep_their_text(href):
    assert clean_html(f'<a href="{href}">the text</a>') == '<a rel="nofollow noopener">the text</a>'


@pytest.mark.parametrize("href", ["http://example.org/", "https://example.org/a?b=c", "mailto:desk@example.org", "/x"])
def test_web_mail_and_relative_links_are_kept(href):
    assert f'href="{href}"' in clean_html(f'<a href="{href}">t</a>')


def test_frames_forms_and_embedded_objects_go_and_form_text_stays():
    cleaned = clean_html(
        '<iframe src="https://evil.example/">fallback</iframe><form action="javascript:alert(1)">'
        '<label>Name <input name=n></label><button>Send</button></form><embed src=x.swf><img src=x onerror=alert(1)>'
    )
    assert cleaned == "<p>Name Send</p>"


def test_svg_and_mathml_are_flattened_to_their_text():
    cleaned = clean_html('<p>A <svg onload="alert(1)"><text>chart</text><script>alert(2)</script></svg> and '
                         '<math><mi xlink:href="javascript:alert(1)">x</mi></math></p>')
    assert cleaned == "<p>A chart and x</p>"


def test_comments_and_cdata_do_not_hide_markup():
    assert clean_html("<!-- <script>alert(1)</script> -->visible") == "visible"
    assert "<script" not in clean_html("<![CDATA[<script>alert(1)</script>]]>")


def test_raw_text_elements_keep_their_text_escaped():
    assert clean_html("<xmp><b>x</b></xmp>") == "<pre>&lt;b&gt;x&lt;/b&gt;</pre>"
    assert clean_html("<textarea><script>alert(1)</script></textarea>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_plain_text_is_derived_from_the_sanitized_html():
    cleaned = clean_html("<h2>Title</h2><p>Tom &amp; Jerry<script>evil()</script></p><ul><li>a</li><li>b</li></ul>")
    assert html_to_text(cleaned) == "Title\n\nTom & Jerry\n\na\n\nb"


def test_the_policy_is_a_small_allow_list():
    assert {"script", "style", "iframe", "form", "svg", "math", "img", "object", "embed", "input"}.isdisjoint(ARTICLE_TAGS)
    assert {attr for attrs in ARTICLE_ATTRIBUTES.values() for attr in attrs} <= {"href", "title", "scope", "colspan",
                                                                                   "rowspan"}
    assert ARTICLE_PROTOCOLS == {"http", "https", "mailto"}


def test_cleaning_is_idempotent():
    once = clean_html('<div>one <a href="https://e.org">two</a></div><h1>t</h1>')
    assert clean_html(once) == once


SNIPPET_PIECES = ["<mark>", "</mark>", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&amp", "&", "<", ">",
                  "<b>", "<mark", "<!--", "-->", "word", " ", "…", '"', "'", "=", "/", "한", "é", "\r", "\n", "\t",
                  "\x0c", "\x00", "\x01", "\x7f", "\x85", "\u00a0", "\u2028", "\ud800", "\ufdd0", "\ufffe",
                  "\U0001fffe", "\U0001f600"]


def test_a_snippet_is_cleaned_exactly_as_bleach_cleans_it_whether_or_not_bleach_is_asked():
    """clean_snippet returns an escaped, marked snippet as it is, without bleach: only if bleach would."""
    rng = random.Random(19)
    snippets = [vector["payload"] for vector in VECTORS] + [html.escape(v["payload"], quote=False) for v in VECTORS]
    snippets += ["".join(rng.choice(SNIPPET_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    snippets += ["… the <mark>market</mark> in Hyesan &amp; Hoeryong, &lt;rice&gt; …", "<mark></mark>", ""]
    for snippet in snippets:
        assert clean_snippet(snippet) == bleach.clean(snippet, tags={"mark"}, attributes={}, strip=True), snippet


def test_a_snippet_keeps_only_its_marks():
    assert clean_snippet('<mark>rice</mark> <b onclick="x()">bold</b> <script>alert(1)</script> & <mark>') == (
        "<mark>rice</mark> bold alert(1) &amp; <mark></mark>")
