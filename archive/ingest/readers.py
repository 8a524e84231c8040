"""One reader per file format: bytes in, ``Document``s out, or ``RejectedFile`` with the reason.

Readers decode, parse and sanitize; they write nothing (regions and sources are resolved when storing), and read
only the list of known source names.
"""

import datetime
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from archive import sanitize
from archive.errors import RejectedFile
from archive.ingest import extract
from archive.ingest.keys import content_hash, identity
from archive.models import Source

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass
class Document:
    """An article as read from a file, before it meets the database.

    ``origin`` is its identity (``archive.ingest.keys.identity``). ``former_origin``, for a report without a URL, is
    what identified it before identity came from content: its file name (and record number); the key it gave keeps
    answering, with a 301 to the report's permalink.
    """

    former_origin: str
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
    regions: list[str] | None = None  # listed by the record; the places the text names are added
    translation_of: str = ""  # the other edition's URL or key, from a record's ``translation_of``
    paragraphs: list[str] = field(default_factory=list)

    @cached_property
    def digest(self) -> str:
        """The SHA-256 of the bytes ingested: what says whether the report changed, and, without a URL, what it is."""
        return content_hash(self.raw)

    @property
    def origin(self) -> str:
        return identity(self.url, self.digest)


# Unicode category Cc (except \t \n \f \r), and lone surrogates (a JSON "\ud800" decodes to one; no encoding has it).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters that no text is made of: unassigned, private-use, surrogate, control, and U+FFFD (a decoding failure).
_NOT_TEXT = {"Cn", "Co", "Cs", "Cc"}
_WHITESPACE_CONTROLS = set("\t\n\f\r")
MOST_JUNK = 0.1  # more than this share of the visible characters not text: the file is not text


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM, or UTF-16 with BOM), else the legacy encoding it is in."""
    if not data.strip():
        raise RejectedFile("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith(_BOMS):
        raise RejectedFile("the file is binary, not text")
    text = _decoded(data, "utf-8-sig")
    if text is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(data, "utf-16")
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise RejectedFile("the file's text encoding cannot be read")
        text = str(best)
    control = len(_CONTROL.findall(text))
    if control > max(3, len(text) // 100):
        raise RejectedFile("the file is binary, not text")
    require_readable(text, "the file")
    return _CONTROL.sub("", text) if control else text


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def require_readable(text: str, what: str) -> None:
    """Refuse text that no one wrote: mostly unassigned, private-use, surrogate, control or replacement characters
    (bytes decoded in the wrong encoding give these), or no letter at all. Counted per distinct character, so a
    10 MB file costs one pass in C."""
    letters = junk = visible = 0
    for char, count in Counter(text).items():
        category = unicodedata.category(char)
        if category[0] == "Z" or char in _WHITESPACE_CONTROLS:
            continue
        visible += count
        if category[0] == "L":
            letters += count
        elif category in _NOT_TEXT or char == "\ufffd":
            junk += count
    if not letters or junk > visible * MOST_JUNK:
        raise RejectedFile(f"{what} is not readable text")


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
        documents = [read_text(filename, data, text)]
    elif suffix in (".html", ".htm"):
        documents = [read_html(filename, data, text)]
    elif suffix == ".json":
        documents = read_json(filename, text)
    else:
        documents = read_json_lines(filename, text)
    for number, document in enumerate(documents, 1):
        require_readable(document.body_text, f"record {number}" if len(documents) > 1 else "the report")
    return documents


def read_text(filename: str, data: bytes, text: str) -> Document:
    extracted = extract.extract_plain_text(text)
    return Document(
        former_origin=f"file:{filename}",
        raw=data,
        title=extracted.title,
        body_html=sanitize.text_to_html(extracted.paragraphs),
        body_text="\n\n".join(extracted.paragraphs),
        author=extracted.author,
        source=extract.extract_source(text, known_sources()),
        published=extracted.published,
        precision=extracted.precision,
        language=extract.detect_language("\n\n".join([extracted.title, *extracted.paragraphs])),
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
    soup = BeautifulSoup(text, "html5lib")  # parsed as browsers parse it (and as bleach does): any markup is read
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
        former_origin="" if url else f"file:{filename}",
        raw=data,
        title=" ".join(title.split()) or extract.derive_title(body[0] if body else body_text),
        body_html=body_html,
        body_text=body_text,
        author=_meta(soup, "citation_author", "author", "article:author") or extract.extract_author(trailer, body),
        source=_meta(soup, "citation_publisher", "og:site_name") or extract.extract_source(body_text, known_sources()),
        published=published,
        precision=precision,
        url=url,
        language=extract.detect_language(body_text, (html_tag.get("lang") or "") if html_tag else ""),
        paragraphs=body,
    )


def _parse_json(text: str, line: int | None = None):
    """JSON, or the reason in plain words: malformed, nested too deeply to be a report, or a number too long.

    ``line`` is the JSON Lines line the text is; for a whole file the parser's own line number is given."""
    on_line = f" on line {line}" if line else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedFile(f"malformed JSON{on_line or f' at line {exc.lineno}'}: {exc.msg}") from None
    except RecursionError:
        raise RejectedFile(f"the JSON{on_line} is nested too deeply to be a report") from None
    except ValueError:  # an integer of thousands of digits (Python's int-from-string limit)
        raise RejectedFile(f"the JSON{on_line} holds a number too long to read") from None


def read_json(filename: str, text: str) -> list[Document]:
    parsed = _parse_json(text)
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise RejectedFile("the JSON holds no articles")
    return [_record_document(filename, number, record, len(records)) for number, record in enumerate(records, 1)]


def read_json_lines(filename: str, text: str) -> list[Document]:
    documents = []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for number, line in lines:
        record = _parse_json(line, number)
        documents.append(_record_document(filename, number, record, len(lines)))
    if not documents:
        raise RejectedFile("the file holds no articles")
    return documents


def _record_document(filename: str, number: int, record: object, total: int) -> Document:
    """One JSON object: ``body`` required; ``title, source, date, author, regions, url, language, translation_of``
    optional."""
    where = f"record {number}" if total > 1 else "the record"
    if not isinstance(record, dict):
        raise RejectedFile(f"{where} is not a JSON object")
    try:
        record = _without_controls(record)
        raw = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise RejectedFile(f"{where} is nested too deeply to be a report") from None
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise RejectedFile(f"{where} has no body")
    for name in ("title", "source", "author", "url", "language", "translation_of"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise RejectedFile(f"{where}: {name} must be a string")
    date = record.get("date")
    if date is not None and (isinstance(date, bool) or not isinstance(date, (str, int))):
        raise RejectedFile(f"{where}: date must be a string (YYYY-MM-DD, YYYY-MM or YYYY)")
    regions = record.get("regions")
    if regions is not None and not (isinstance(regions, list) and all(isinstance(r, str) for r in regions)):
        raise RejectedFile(f"{where}: regions must be a list of names")
    if "<" in body and sanitize.looks_like_html(body):
        body_html = sanitize.clean_html(body)
        paragraphs = sanitize.html_to_text(body_html).split("\n\n")
    else:
        paragraphs = extract.split_paragraphs(body)
        body_html = sanitize.text_to_html(paragraphs)
    published, precision = extract.parse_stated_date(str(date)) if date not in (None, "") else (None, "")
    url = str(record.get("url") or "").strip()
    title = " ".join(str(record.get("title") or "").split())
    return Document(
        former_origin="" if url else f"file:{filename}#{number}",
        raw=raw,
        title=title or extract.derive_title(paragraphs[0]),
        body_html=body_html,
        body_text="\n\n".join(paragraphs),
        source=" ".join(str(record.get("source") or "").split()),
        author=" ".join(str(record.get("author") or "").split()),
        published=published,
        precision=precision,
        url=url,
        language=extract.detect_language("\n\n".join([title, *paragraphs]), str(record.get("language") or "")),
        regions=regions,
        translation_of=str(record.get("translation_of") or "").strip(),
        paragraphs=paragraphs,
    )


def known_sources() -> list[str]:
    """Source names the text extractor looks for: every Source in the database."""
    return list(Source.objects.values_list("name", flat=True))
