"""The citation files of one article (``/articles/<key>/cite.<suffix>``): what each is called, served as, made by."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from archive.exports.records import bibtex_entry, csl_item, report_of, ris_record
from archive.models import Article


@dataclass(frozen=True)
class CitationFormat:
    label: str  # the download button's
    content_type: str
    write: Callable  # (Report, absolute permalink) -> the file

    def render(self, article: Article, permalink: str) -> str:
        return self.write(report_of(article), permalink)


def _csl_json(report, permalink: str) -> str:
    """CSL-JSON is a list of items, even of one."""
    return json.dumps([csl_item(report, permalink)], ensure_ascii=False, indent=2) + "\n"


CITATION_FORMATS = {
    "ris": CitationFormat("RIS", "application/x-research-info-systems; charset=utf-8", ris_record),
    "bib": CitationFormat("BibTeX", "application/x-bibtex; charset=utf-8", bibtex_entry),
    "json": CitationFormat("CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", _csl_json),
}
