"""Known XSS vectors through the real ingest path: every stored body is inside the policy's allow-list, checked by
a parser independent of the sanitizer's (the standard library's), and the reports' words survive."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction

from archive.ingest import REJECTED, ingest_bytes
from archive.models import Article
from archive.sanitize import ARTICLE_ATTRIBUTES, ARTICLE_PROTOCOLS, ARTICLE_TAGS, LINK_REL
from tests.xss_corpus import VECTORS, all_files, has_null_byte


class AllowListCheck(HTMLParser):
    """Collects every way a piece of HTML steps outside the policy."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.violations = []

    def handle_starttag(self, tag, attrs):
        if tag not in ARTICLE_TAGS:
            self.violations.append(f"tag <{tag}>")
        allowed = set(ARTICLE_ATTRIBUTES.get(tag, ())) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name not in allowed:
                self.violations.append(f"attribute {name} on <{tag}>")
            elif name == "href" and scheme(value) not in {*ARTICLE_PROTOCOLS, ""}:
                self.violations.append(f"href {value!r}")
        if tag == "a" and dict(attrs).get("rel") != LINK_REL:
            self.violations.append(f"link without rel={LINK_REL!r}")

    def handle_comment(self, data):
        self.violations.append("comment")

    def handle_pi(self, data):
        self.violations.append("processing instruction")

    def unknown_decl(self, data):
        self.violations.append(f"declaration {data!r}")


def scheme(url: str) -> str:
    """The scheme a browser reads: tabs and newlines inside are ignored, and spaces and controls around."""
    return urlsplit(re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))).scheme.lower()


def violations(html: str) -> list[str]:
    check = AllowListCheck()
    check.feed(html)
    check.close()
    return check.violations


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus ingested once for this module's tests, in a transaction rolled back after them. Stored, not
    indexed (nothing commits): these tests read the rows; the browser test renders and searches them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {name: ingest_bytes(name, data) for name, data in all_files()}
        transaction.set_rollback(True)


def test_the_corpus_holds_the_known_vectors():
    assert len(VECTORS) >= 80
    payloads = " ".join(v["payload"].lower() for v in VECTORS)
    for kind in ("<script", "onerror", "<svg", "srcdoc", "javascript:", "data:", "vbscript:", "expression(",
                 "http-equiv", "<base", "<form", "<math", "xlink:href", "<!--", "<![cdata[", "`", "\0", "&#x09;"):
        assert kind in payloads, kind


def test_the_check_itself_catches_what_it_looks_for():
    assert violations('<p onclick="x()">a</p><script>1</script><a href="javascript:x()" rel="nofollow noopener">') == [
        "attribute onclick on <p>", "tag <script>", "href 'javascript:x()'"
    ]
    assert violations('<a href="https://e.org/">x</a>') == ["link without rel='nofollow noopener'"]


def test_every_vector_file_is_stored_except_those_refused_as_binary(corpus, db):
    refused = {name for name, outcome in corpus.items() if outcome.status == REJECTED}
    with_null = {f"xss-{n:03d}.html" for n, v in enumerate(VECTORS, 1) if has_null_byte(v)}
    assert refused == with_null
    assert {corpus[name].reason for name in refused} == {"the file is binary, not text"}
    assert Article.objects.count() == len(VECTORS) - len(with_null) + len(VECTORS) + 2


def test_every_stored_body_passes_the_allow_list(corpus, db):
    failures = {a.origin: violations(a.body_html) for a in Article.objects.all() if violations(a.body_html)}
    assert failures == {}


def test_the_words_around_each_payload_survive(corpus, db):
    for article in Article.objects.filter(origin__startswith="file:xss-").exclude(origin__contains=".json"):
        if article.origin.endswith(".html"):
            assert "Before the payload." in article.body_text, article.origin
    records = Article.objects.filter(origin__startswith="url:https://example.org/xss/")
    assert records.count() == len(VECTORS)
    for article in records:
        number = article.origin.rsplit("/", 1)[1]
        assert f"XSS record {number}:" in article.body_text
