"""A whole search's results as a file, streamed: the matching ids are resolved once (``archive.search.matching_ids``,
one search), then the rows come from the database ``CHUNK`` articles at a time (two queries a chunk: the articles with
their sources, and their regions). Memory holds the ids and one chunk, never the result set's rows; the search is
never re-run page by page.
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from archive.exports.records import COLUMNS, Report, csv_row, json_record, report_of, ris_record
from archive.models import Article

CHUNK = 500  # articles a query; below SQLite's 999 parameters
BOM = "\ufeff"  # spreadsheets open UTF-8 CSV as UTF-8 (Korean titles intact) only with it


@dataclass(frozen=True)
class ExportFormat:
    suffix: str
    content_type: str
    with_text: bool  # whether the records hold the article's text (else it is not read from the database)


EXPORT_FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", with_text=False),
    "jsonl": ExportFormat("jsonl", "application/jsonl; charset=utf-8", with_text=True),
    "ris": ExportFormat("ris", "application/x-research-info-systems; charset=utf-8", with_text=False),
}


def stream_export(ids: list[int], format_name: str, permalink: Callable[[Article], str]) -> Iterator[bytes]:
    """The file, a chunk of rows at a time; articles withdrawn or merged since the search are left out."""
    with_text = EXPORT_FORMATS[format_name].with_text
    articles = articles_in_order(ids, with_text=with_text)
    return write_export(((report_of(a, with_text), permalink(a)) for a in articles), format_name)


def write_export(reports: Iterable[tuple[Report, str]], format_name: str) -> Iterator[bytes]:
    """(report, absolute permalink) pairs as the file, a chunk at a time: the one writer of every export, a search's
    and a result-set snapshot's. Nothing in it depends on when it is written."""
    if format_name == "csv":
        writer = csv.writer(_Line())
        yield (BOM + writer.writerow(COLUMNS)).encode()
        yield from _chunked(writer.writerow(csv_row(report, permalink)) for report, permalink in reports)
    elif format_name == "jsonl":
        yield from _chunked(json.dumps(json_record(report, permalink), ensure_ascii=False) + "\n"
                            for report, permalink in reports)
    else:
        yield from _chunked(ris_record(report, permalink) + "\r\n" for report, permalink in reports)


def articles_in_order(ids: list[int], with_text: bool = False, chunk: int = CHUNK) -> Iterator[Article]:
    loaded = Article.objects.searchable().select_related("source").prefetch_related("regions")
    loaded = loaded.defer("body_html", "origin", "content_hash") if with_text else loaded.defer(
        "body_html", "body_text", "origin", "content_hash")
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        found = loaded.in_bulk(part)
        yield from (found[pk] for pk in part if pk in found)


class _Line:
    """csv.writer writes one row into this and hands it back (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def _chunked(lines: Iterable[str], size: int = CHUNK) -> Iterator[bytes]:
    """Lines joined into pieces of ``size``: one write a chunk, not one a row."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch).encode()
            batch.clear()
    if batch:
        yield "".join(batch).encode()
