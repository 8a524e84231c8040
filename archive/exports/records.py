"""One article as a record of each format: a CSV row, a JSON Lines object, RIS, BibTeX and CSL-JSON.

Each takes the article (its source and regions loaded) and its absolute permalink. Text is cleaned for the format:
control characters go everywhere (no format may hold them, and a CSV or RIS line must not be broken by one); line
breaks go in RIS (a record is one tag a line) and BibTeX; LaTeX's special characters are escaped in BibTeX.
"""

import re

from archive.citation import SITE_NAME, original_url
from archive.models import Article, DatePrecision
from archive.names import person_name

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


def region_names(article: Article) -> list[str]:
    """Provinces and special cities first, as the article page lists them."""
    return [region.name for region in sorted(article.regions.all(), key=lambda r: (not r.is_top_level, r.name))]


def csv_row(article: Article, permalink: str) -> list[str]:
    values = [article.key, article.title, article.published_iso, article.source.name if article.source else "",
              "; ".join(region_names(article)), article.author, article.language, permalink, original_url(article)]
    return [_as_text_cell(without_control(value)) for value in values]


def json_record(article: Article, permalink: str) -> dict:
    """The CSV's columns (regions as a list), the author's name parts, the date's precision and the plain text."""
    name = person_name(article)
    return {
        "key": article.key,
        "title": without_control(article.title),
        "date": article.published_iso or None,
        "date_precision": article.published_precision or None,
        "source": article.source.name if article.source else None,
        "regions": region_names(article),
        "author": article.author or None,
        "author_family": name.family if name else None,
        "author_given": name.given if name else None,
        "language": article.language,
        "permalink": permalink,
        "original_url": original_url(article) or None,
        "text": without_control(article.body_text),
    }


def ris_record(article: Article, permalink: str) -> str:
    """``TY  - NEWS`` (newspaper article), one tag a line, CRLF as the RIS specification has it."""
    lines = [("TY", "NEWS"), ("TI", article.title)]
    if name := person_name(article):
        lines.append(("AU", name.inverted))
    if article.published:
        year, month, day = article.published_iso.split("-") + [""] * (2 - article.published_iso.count("-"))
        lines += [("PY", year), ("DA", f"{year}/{month}/{day}/")]
    if article.source:
        lines.append(("T2", article.source.name))
    lines += [("KW", region) for region in region_names(article)]
    lines += [("LA", article.language), ("UR", permalink), ("DB", SITE_NAME), ("AN", article.key)]
    if url := original_url(article):
        lines.append(("N1", f"Originally published at {url}"))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines) + "ER  - \r\n"


def bibtex_entry(article: Article, permalink: str) -> str:
    """``@article`` with ``entrysubtype = {newspaper}`` (biblatex's newspaper article; BibTeX styles read it as an
    article in ``journal``). The author as ``{Family}, Given``; the title in double braces, so styles keep its case."""
    fields = [("title", f"{{{_latex(article.title)}}}")]
    if name := person_name(article):
        fields.append(("author", f"{{{_latex(name.family)}}}" + (f", {_latex(name.given)}" if name.given else "")))
    if article.source:
        fields += [("journal", _latex(article.source.name)), ("entrysubtype", "newspaper")]
    if article.published:
        fields += [("date", article.published_iso), ("year", str(article.published.year))]
        if article.published_precision != DatePrecision.YEAR:
            fields.append(("month", _MONTHS[article.published.month - 1]))
        if article.published_precision == DatePrecision.DAY:
            fields.append(("day", str(article.published.day)))
    if regions := region_names(article):
        fields.append(("keywords", _latex(", ".join(regions))))
    fields += [("language", _latex(article.language)), ("url", permalink)]
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@article{{{article.key},\n{body}\n}}\n"


def csl_item(article: Article, permalink: str) -> dict:
    """CSL-JSON ``article-newspaper``, as Zotero, Mendeley and pandoc read it."""
    item = {"id": article.key, "type": "article-newspaper", "title": without_control(article.title)}
    if name := person_name(article):
        item["author"] = [{"family": name.family, **({"given": name.given} if name.given else {})}]
    if article.source:
        item["container-title"] = article.source.name
    if article.published:
        item["issued"] = {"date-parts": [[int(part) for part in article.published_iso.split("-")]]}
    item.update({"language": article.language, "URL": permalink, "archive": SITE_NAME, "archive_location": article.key})
    if url := original_url(article):
        item["note"] = f"Originally published at {url}"
    return item


def _as_text_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in one_line(text))
