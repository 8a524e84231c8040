"""One report as a record of each format: a CSV row, a JSON Lines object, RIS, BibTeX and CSL-JSON.

Each takes a ``Report`` (the fields every format draws on: ``report_of`` reads them from an article, its source and
regions loaded; ``archive.snapshots`` from the version a result-set snapshot froze) and its absolute permalink, so a
file written from a frozen version and one written from the live article are the same formats, byte for byte alike
when their fields are. Text is cleaned for the format:
control characters go everywhere (no format may hold them, and a CSV or RIS line must not be broken by one); line
breaks go in RIS (a record is one tag a line) and BibTeX; LaTeX's special characters are escaped in BibTeX.
"""

import re
from dataclasses import dataclass

from archive.citation import SITE_NAME, original_url
from archive.models import Article, DatePrecision
from archive.names import PersonName, person_name

COLUMNS = ("key", "title", "date", "source", "regions", "author", "language", "permalink", "original_url")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"): such a cell gets a
# leading apostrophe, which spreadsheets hide and which tells them it is text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def without_control(text: str) -> str:
    """Control characters removed; tabs and line breaks kept."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    return " ".join(without_control(text).split())


@dataclass(frozen=True)
class Report:
    """What the formats write about one report; "" (or None, for ``name``) where the report does not say."""

    key: str
    title: str
    date: str  # ISO 8601 at its precision: 2019-03-04, 2019-03 or 2019
    source: str
    regions: list[str]  # provinces and special cities first
    author: str
    name: PersonName | None
    language: str
    original_url: str  # the publisher's address when it is a web link
    text: str = ""  # the plain text, when the format writes it

    @property
    def date_precision(self) -> str:
        """Day, month or year, from the date's length: the ISO form says as much as is known."""
        return {4: DatePrecision.YEAR, 7: DatePrecision.MONTH, 10: DatePrecision.DAY}.get(len(self.date), "")


def region_names(article: Article) -> list[str]:
    """Provinces and special cities first, as the article page lists them."""
    return [region.name for region in sorted(article.regions.all(), key=lambda r: (not r.is_top_level, r.name))]


def report_of(article: Article, with_text: bool = True) -> Report:
    return Report(
        key=article.key, title=article.title, date=article.published_iso,
        source=article.source.name if article.source else "", regions=region_names(article), author=article.author,
        name=person_name(article), language=article.language, original_url=original_url(article),
        text=article.body_text if with_text else "",
    )


def csv_row(report: Report, permalink: str) -> list[str]:
    values = [report.key, report.title, report.date, report.source, "; ".join(report.regions), report.author,
              report.language, permalink, report.original_url]
    return [_as_text_cell(without_control(value)) for value in values]


def json_record(report: Report, permalink: str) -> dict:
    """The CSV's columns (regions as a list), the author's name parts, the date's precision and the plain text."""
    name = report.name
    return {
        "key": report.key,
        "title": without_control(report.title),
        "date": report.date or None,
        "date_precision": report.date_precision or None,
        "source": report.source or None,
        "regions": report.regions,
        "author": report.author or None,
        "author_family": name.family if name else None,
        "author_given": name.given if name else None,
        "language": report.language,
        "permalink": permalink,
        "original_url": report.original_url or None,
        "text": without_control(report.text),
    }


def ris_record(report: Report, permalink: str) -> str:
    """``TY  - NEWS`` (newspaper article), one tag a line, CRLF as the RIS specification has it."""
    lines = [("TY", "NEWS"), ("TI", report.title)]
    if name := report.name:
        lines.append(("AU", name.inverted))
    if report.date:
        year, month, day = report.date.split("-") + [""] * (2 - report.date.count("-"))
        lines += [("PY", year), ("DA", f"{year}/{month}/{day}/")]
    if report.source:
        lines.append(("T2", report.source))
    lines += [("KW", region) for region in report.regions]
    lines += [("LA", report.language), ("UR", permalink), ("DB", SITE_NAME), ("AN", report.key)]
    if url := report.original_url:
        lines.append(("N1", f"Originally published at {url}"))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines) + "ER  - \r\n"


def bibtex_entry(report: Report, permalink: str) -> str:
    """``@article`` with ``entrysubtype = {newspaper}`` (biblatex's newspaper article; BibTeX styles read it as an
    article in ``journal``). The author as ``{Family}, Given``; the title in double braces, so styles keep its case."""
    fields = [("title", f"{{{_latex(report.title)}}}")]
    if name := report.name:
        fields.append(("author", f"{{{_latex(name.family)}}}" + (f", {_latex(name.given)}" if name.given else "")))
    if report.source:
        fields += [("journal", _latex(report.source)), ("entrysubtype", "newspaper")]
    if report.date:
        fields += [("date", report.date), ("year", report.date[:4])]
        if report.date_precision != DatePrecision.YEAR:
            fields.append(("month", _MONTHS[int(report.date[5:7]) - 1]))
        if report.date_precision == DatePrecision.DAY:
            fields.append(("day", str(int(report.date[8:10]))))
    if report.regions:
        fields.append(("keywords", _latex(", ".join(report.regions))))
    fields += [("language", _latex(report.language)), ("url", permalink)]
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@article{{{report.key},\n{body}\n}}\n"


def csl_item(report: Report, permalink: str) -> dict:
    """CSL-JSON ``article-newspaper``, as Zotero, Mendeley and pandoc read it."""
    item = {"id": report.key, "type": "article-newspaper", "title": without_control(report.title)}
    if name := report.name:
        item["author"] = [{"family": name.family, **({"given": name.given} if name.given else {})}]
    if report.source:
        item["container-title"] = report.source
    if report.date:
        item["issued"] = {"date-parts": [[int(part) for part in report.date.split("-")]]}
    item.update({"language": report.language, "URL": permalink, "archive": SITE_NAME, "archive_location": report.key})
    if url := report.original_url:
        item["note"] = f"Originally published at {url}"
    return item


def _as_text_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in one_line(text))
