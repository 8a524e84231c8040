"""One reader per file format: bytes in, ``Document``s out, or ``RejectedFile`` with the reason.

Readers decode, parse and sanitize; they write nothing (regions and sources are resolved when storing), and read
only the list of known source names.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from archive import sanitize
from archive.errors import RejectedFile
from archive.ingest import extract
from archive.models import Source

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass
class Document:
    """An article as read from a file, before it meets the database."""

    origin: str
    raw: bytes
    title: str
    body_html: str
    body_text: str
    source: str = ""
    author: str = ""
    published: datetime.date | None = None
    precision: str = ""
    url: str = ""
    language: str = "en"
    regions: list[str] | None = None  # None: find them in the text
    paragraphs: list[str] = field(default_factory=list)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc, except \t \n \f \r


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM, or UTF-16 with BOM), else the legacy encoding it is in."""
    if not data.strip():
        raise RejectedFile("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith(_BOMS):
        raise RejectedFile("the file is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            best = from_bytes(data).best()
            if best is None:
                raise RejectedFile("the file's text encoding cannot be read") from None
            text = str(best)
    control = len(_CONTROL.findall(text))
    if control > max(3, len(text) // 100):
        raise RejectedFile("the file is binary, not text")
    return _CONTROL.sub("", text) if control else text


def _without_controls(value):
    """A JSON value with control characters (``\\u0000`` and the like: not text, and PostgreSQL refuses NUL) removed
    from its strings."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_without_controls(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_controls(item) for key, item in value.items()}
    return value


def read_document_file(name: str, data: bytes) -> list[Document]:
    """The documents in one file, by its suffix."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise RejectedFile(f"unsupported file type {suffix or '(none)'!r}; accepted: {', '.join(SUPPORTED_SUFFIXES)}")
    text = decode(data)
    filename = PurePath(name).name
    if suffix == ".txt":
        return [read_text(filename, data, text)]
    if suffix in (".html", ".htm"):
        return [read_html(filename, data, text)]
    if suffix == ".json":
        return read_json(filename, text)
    return read_json_lines(filename, text)


def read_text(filename: str, data: bytes, text: str) -> Document:
    extracted = extract.extract_plain_text(text)
    return Document(
        origin=f"file:{filename}",
        raw=data,
        title=extracted.title,
        body_html=sanitize.text_to_html(extracted.paragraphs),
        body_text="\n\n".join(extracted.paragraphs),
        author=extracted.author,
        source=extract.extract_source(text, known_sources()),
        published=extracted.published,
        precision=extracted.precision,
        paragraphs=extracted.paragraphs,
    )


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content", "").strip():
            return " ".join(tag["content"].split())
    return ""


def read_html(filename: str, data: bytes, text: str) -> Document:
    """A web page: the article element's sanitized HTML, with title, author, date and URL from its head."""
    soup = BeautifulSoup(text, "html.parser")
    container = soup.find("article") or soup.find("main") or soup.body or soup
    heading = container.find("h1") or soup.find("h1")
    title = (
        _meta(soup, "citation_title", "og:title")
        or (heading.get_text(" ", strip=True) if heading else "")
        or (soup.title.get_text(" ", strip=True) if soup.title else "")
    )
    if heading is not None:
        heading.decompose()
    for tag in container.find_all(["nav", "header", "footer", "aside", "form", "script", "style"]):
        tag.decompose()
    body_html = sanitize.clean_html(container.decode_contents())
    body_text = sanitize.html_to_text(body_html)
    if not body_text.strip():
        raise RejectedFile("the HTML has no article text")
    paragraphs = body_text.split("\n\n")
    body, trailer = extract.split_trailer(paragraphs)
    date_text = _meta(soup, "citation_publication_date", "article:published_time", "date", "dc.date")
    published, precision = extract.parse_stated_date(date_text) if date_text else (None, "")
    canonical = soup.find("link", rel="canonical")
    url = _meta(soup, "citation_public_url", "og:url") or (canonical.get("href", "") if canonical else "")
    html_tag = soup.find("html")
    return Document(
        origin=f"url:{url}" if url else f"file:{filename}",
        raw=data,
        title=" ".join(title.split()) or extract.derive_title(body[0] if body else body_text),
        body_html=body_html,
        body_text=body_text,
        author=_meta(soup, "citation_author", "author", "article:author") or extract.extract_author(trailer, body),
        source=_meta(soup, "citation_publisher", "og:site_name") or extract.extract_source(body_text, known_sources()),
        published=published,
        precision=precision,
        url=url,
        language=((html_tag.get("lang") if html_tag else "") or "en")[:16],
        paragraphs=body,
    )


def read_json(filename: str, text: str) -> list[Document]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedFile(f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise RejectedFile("the JSON holds no articles")
    return [_record_document(filename, number, record, len(records)) for number, record in enumerate(records, 1)]


def read_json_lines(filename: str, text: str) -> list[Document]:
    documents = []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for number, line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RejectedFile(f"malformed JSON on line {number}: {exc.msg}") from None
        documents.append(_record_document(filename, number, record, len(lines)))
    if not documents:
        raise RejectedFile("the file holds no articles")
    return documents


def _record_document(filename: str, number: int, record: object, total: int) -> Document:
    """One JSON object: ``body`` required; ``title, source, date, author, regions, url, language`` optional."""
    where = f"record {number}" if total > 1 else "the record"
    if not isinstance(record, dict):
        raise RejectedFile(f"{where} is not a JSON object")
    record = _without_controls(record)
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise RejectedFile(f"{where} has no body")
    for name in ("title", "source", "date", "author", "url", "language"):
        if record.get(name) is not None and not isinstance(record[name], (str, int)):
            raise RejectedFile(f"{where}: {name} must be a string")
    regions = record.get("regions")
    if regions is not None and not (isinstance(regions, list) and all(isinstance(r, str) for r in regions)):
        raise RejectedFile(f"{where}: regions must be a list of names")
    if "<" in body and sanitize.looks_like_html(body):
        body_html = sanitize.clean_html(body)
        paragraphs = sanitize.html_to_text(body_html).split("\n\n")
    else:
        paragraphs = extract.split_paragraphs(body)
        body_html = sanitize.text_to_html(paragraphs)
    published, precision = extract.parse_stated_date(record["date"]) if record.get("date") else (None, "")
    url = str(record.get("url") or "").strip()
    title = " ".join(str(record.get("title") or "").split())
    return Document(
        origin=f"url:{url}" if url else f"file:{filename}#{number}",
        raw=json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8"),
        title=title or extract.derive_title(paragraphs[0]),
        body_html=body_html,
        body_text="\n\n".join(paragraphs),
        source=" ".join(str(record.get("source") or "").split()),
        author=" ".join(str(record.get("author") or "").split()),
        published=published,
        precision=precision,
        url=url,
        language=str(record.get("language") or "en")[:16],
        regions=regions,
        paragraphs=paragraphs,
    )


def known_sources() -> list[str]:
    """Source names the text extractor looks for: every Source in the database."""
    return list(Source.objects.values_list("name", flat=True))
