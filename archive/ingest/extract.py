"""What can be read off a report's text: title, author, source, publication date, language, and the body without its
blurb.

Extraction only states what the text states: a date without a year stays unknown, a missing headline is derived
from the first sentence and kept short.
"""

import datetime
import re
from dataclasses import dataclass, field

from archive.errors import RejectedFile
from archive.models import DatePrecision

TITLE_MAX_WORDS = 12
LANGUAGE_SAMPLE = 20_000  # characters read to tell the language: enough for any report, cheap for a 10 MB one
_HANGUL = re.compile("[\uac00-\ud7a3]")
_LETTER = re.compile(r"[^\W\d_]")
_LANGUAGE_NAMES = {"korean": "ko", "kor": "ko", "english": "en", "eng": "en"}
HEADLINE_MAX_CHARS = 150
WRAP_MIN_CHARS, WRAP_MAX_CHARS = 50, 100

# Lines that close a report: contact and "read in Korean" boilerplate, and the reporter's biography.
_TRAILER_LINE = re.compile(
    r"^(please direct any comments|questions or comments about this article|read in korean|read this in korean"
    r"|questions about (his|her|their) articles)"
    r"|\bis (one of|a) [\w’' .-]+(reporters?|correspondents?|journalists?)\b",
    re.I,
)
_AUTHOR_BIO = re.compile(
    r"^(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}) is (?:one of |a |an )(?:[\w’' .-]+?)(?:reporters?|correspondents?"
    r"|journalists?|writers?)\b"
)
_NAME = r"(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){0,3})"
# "By Kang Mi Jin", "Reporting by Lee Min-ho; editing by ...", "Lee Min-ho, Daily NK" (a name, then its publisher).
_BYLINE = re.compile(r"^(?i:by|written by|reporting by|reported by)\s+" + _NAME + r"\s*(?:$|[;|]|,\s|\s[-–—]\s)")
_NAME_AND_PUBLISHER = re.compile(r"^" + _NAME.replace("{0,3}", "{1,3}") + r",\s+(?:[A-Z][\w’'.-]*\s?){1,4}$")
# "... told Daily NK", "a telephone call with Daily NK", "Daily NK's freelance reporters".
_SOURCE_CONTEXT = r"(?:told|to|with|for|contacted|informed)\s+{name}\b|{name}[’']s\s+(?:\w+\s+)?(?:reporters?|sources?)"

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"(?P<year>\d{4})\s*년\s*(?P<mnum>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I),
]
# A day and month with no year: "on 12 August", "August 12", "8월 12일" (not followed by a year).
_DAY_MONTH = [
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?![\w,]*\s*\d{4})", re.I),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})", re.I),
    re.compile(r"(?<!년)(?<!년 )\b(?P<mnum>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"),
]
# A month with its year: "August 2024", "2024년 8월"; what gives a day-month date of that month its year.
_MONTH_OF_YEAR = [
    re.compile(_MONTH + r",?\s+(?:of\s+)?(?P<year>\d{4})\b", re.I),
    re.compile(r"(?P<year>\d{4})\s*년\s*(?P<mnum>\d{1,2})\s*월"),
]
_DATELINE_PREFIX = re.compile(r"^(?:published|posted|date|dated|updated)\s*:?\s*", re.I)
_ISO_PARTIAL = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
_MONTH_YEAR = re.compile(r"^" + _MONTH + r",?\s+(?P<year>\d{4})$", re.I)


@dataclass
class ExtractedText:
    title: str
    paragraphs: list[str]
    author: str = ""
    published: datetime.date | None = None
    precision: str = ""
    trailer: list[str] = field(default_factory=list)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: blank-line separated, or one per line when the file has no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else [text]
    paragraphs = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        if _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph wrapped at a fixed width, as opposed to short lines that stand alone (a blurb)."""
    return len(lines) > 1 and all(WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS for line in lines[:-1])


def is_headline(line: str) -> bool:
    """A headline is short and does not end like a sentence."""
    return len(line) <= HEADLINE_MAX_CHARS and not re.search(r"[.!?:;,”\"’']$", line) and len(line.split()) >= 2


def derive_title(paragraph: str) -> str:
    """A short title from the opening sentence: at most ``TITLE_MAX_WORDS`` words, never the whole paragraph."""
    sentence = re.split(r"(?<=[.!?])\s+", paragraph, maxsplit=1)[0].rstrip(".!?")
    clause = re.split(r",\s+(?:looking|saying|according|as|while|after|amid|which)\b", sentence, maxsplit=1)[0]
    words = clause.split()
    if len(words) <= TITLE_MAX_WORDS:
        return " ".join(words)
    return " ".join(words[:TITLE_MAX_WORDS]).rstrip(",;:—-") + "…"


def split_trailer(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Separate the closing contact/author blurb from the report's own paragraphs."""
    end = len(paragraphs)
    while end > 0 and _TRAILER_LINE.search(paragraphs[end - 1]):
        end -= 1
    return paragraphs[:end], paragraphs[end:]


def extract_author(trailer: list[str], paragraphs: list[str]) -> str:
    """The reporter, as a reader finds them: the closing biography ("Seon Hee Lee is one of Daily NK's reporters"),
    a byline at the top or the bottom ("By X", "Reporting by X", "X, Daily NK")."""
    for line in trailer:
        if match := _AUTHOR_BIO.search(line):
            return match.group("name")
    for line in [*paragraphs[:3], *trailer, *paragraphs[-2:]]:
        if match := _BYLINE.match(line) or _NAME_AND_PUBLISHER.match(line):
            return match.group("name")
    return ""


def extract_source(text: str, known_sources: list[str]) -> str:
    """The known source the text names as its own (a source 'told Daily NK'), or ''."""
    best, best_count = "", 0
    for name in known_sources:
        pattern = _SOURCE_CONTEXT.format(name=re.escape(name))
        count = len(re.findall(pattern, text, re.I))
        if count > best_count:
            best, best_count = name, count
    return best


def find_full_date(text: str) -> datetime.date | None:
    """The first complete calendar date (with its year) in the text, or None."""
    for pattern in _DATE_PATTERNS:
        if match := pattern.search(text):
            parts = match.groupdict()
            month = _month(parts)
            try:
                return datetime.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
    return None


def extract_dateline(paragraphs: list[str]) -> datetime.date | None:
    """A publication date stated on a line of its own near the top ('March 4, 2019', 'Published: 2019-03-04').

    Dates inside sentences are events, not publication dates, and are left alone.
    """
    for line in paragraphs[:3]:
        candidate = _DATELINE_PREFIX.sub("", line).strip()
        if len(candidate) <= 40 and (found := find_full_date(candidate)):
            return found
    return None


def _month(parts: dict) -> int:
    return int(parts["mnum"]) if parts.get("mnum") else _MONTHS[parts["month"].lower().rstrip(".")]


def stated_dates(paragraphs: list[str]) -> tuple[list[datetime.date], list[datetime.date]]:
    """The dates a report states in its text, as a reader completes them: (days, months).

    Days are full dates ("12 August 2024", "2024년 8월 15일") and dates without a year whose month the report gives a
    year elsewhere ("in August 2024 ... on 12 August"); months are the months stated with a year. A year the text
    does not give is never supplied: "on February 28" in a report that names no February of any year stays undated.
    """
    text = "\n".join(paragraphs)
    days, months, years_of_month = set(), set(), {}
    for pattern in _MONTH_OF_YEAR:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month, year = _month(parts), int(parts["year"])
            if 1 <= month <= 12 and 1 <= year <= 9999:
                months.add(datetime.date(year, month, 1))
                years_of_month.setdefault(month, set()).add(year)
    full = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            full.append((match.span(), int(parts["year"]), _month(parts), int(parts["day"])))
    for pattern in _DAY_MONTH:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if any(start <= match.start() < end for (start, end), *_ in full):
                continue
            month = _month(parts)
            years = years_of_month.get(month, set())
            if len(years) == 1:  # one year named for that month: the reader's year; two would be a guess
                full.append((match.span(), next(iter(years)), month, int(parts["day"])))
    for _, year, month, day in full:
        try:
            days.add(datetime.date(year, month, day))
        except ValueError:
            continue
    return sorted(days), sorted(months)


def extract_report_date(paragraphs: list[str]) -> tuple[datetime.date | None, str]:
    """The report's date and its precision: its dateline; else the latest day its text states (a report is
    written after what it tells); else the latest month stated with its year; else none."""
    if dateline := extract_dateline(paragraphs):
        return dateline, DatePrecision.DAY
    days, months = stated_dates(paragraphs)
    if days:
        return days[-1], DatePrecision.DAY
    if months:
        return months[-1], DatePrecision.MONTH
    return None, ""


def parse_stated_date(value: str) -> tuple[datetime.date, str]:
    """A date given as metadata: '2019-03-04', '2019-03', '2019', 'March 2019', 'March 4, 2019', ISO datetimes.

    Returns the date (first day of a partial month or year) and its precision; raises RejectedFile if unreadable.
    """
    text = str(value).strip()
    try:
        if match := _ISO_PARTIAL.match(text):
            year, month, day = match.group("year", "month", "day")
            if day:
                return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
            if month:
                return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
            return datetime.date(int(year), 1, 1), DatePrecision.YEAR
        if match := _MONTH_YEAR.match(text):
            month = _MONTHS[match.group("month").lower().rstrip(".")]
            return datetime.date(int(match.group("year")), month, 1), DatePrecision.MONTH
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(datetime.timezone.utc)
            return moment.date(), DatePrecision.DAY
    except (ValueError, OverflowError):  # no such day; a time zone that moves it out of years 1-9999
        pass
    else:
        if found := find_full_date(text):
            return found, DatePrecision.DAY
    raise RejectedFile(f"date {text[:40]!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")


def extract_plain_text(text: str) -> ExtractedText:
    """Title, body paragraphs, author and dateline of a plain-text report in the seeds' form."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise RejectedFile("the file has no text")
    body, trailer = split_trailer(paragraphs)
    if not body:
        raise RejectedFile("the file has no report text, only a contact blurb")
    if len(body) > 1 and is_headline(body[0]):
        title, body = body[0], body[1:]
    else:
        title = derive_title(body[0])
    author = extract_author(trailer, body)
    if body and _BYLINE.match(body[0]):
        body = body[1:] or body
    published, precision = extract_report_date(body)
    return ExtractedText(
        title=title,
        paragraphs=body,
        author=author,
        published=published,
        precision=precision,
        trailer=trailer,
    )


def detect_language(text: str, stated: str = "") -> str:
    """``ko`` when most of the text's letters are Hangul, else ``en``; a language the document states itself (a JSON
    record's ``language``, an HTML page's ``lang``) wins, as its primary subtag (``en-US`` -> ``en``, ``Korean`` ->
    ``ko``), so that one language has one value for the facet."""
    code = stated.strip().lower().replace("_", "-").split("-")[0]
    if code:
        return _LANGUAGE_NAMES.get(code, code)[:16]
    sample = text[:LANGUAGE_SAMPLE]
    hangul = len(_HANGUL.findall(sample))
    return "ko" if hangul * 2 > len(_LETTER.findall(sample)) else "en"
