"""The JSON API's contract (version 1): what each endpoint takes and answers. Django Ninja turns these classes into
the OpenAPI document (``/api/v1/openapi.json``; a copy is committed as ``openapi.json`` and the tests compare the
two), so the document cannot drift from the code.

Search parameters are declared here for the document only: ``SearchParams.from_query`` reads them, for the API as for
the search page, the feed and the exports.
"""

import datetime
from typing import Literal

from ninja import Field, Schema

from archive.search.params import UNDATED


class SearchQuery(Schema):
    q: str | None = Field(None, description="Query text: words, \"phrases\", AND, OR, NOT, -word, (brackets), "
                                            "title:, author:, source:, region:, person:, prefix*.")
    source: list[str] | None = Field(None, description="Source slugs; repeat for several (OR-ed).")
    region: list[str] | None = Field(None, description="Region slugs; a province includes its cities.")
    year: list[str] | None = Field(None, description=f"Four-digit years, or '{UNDATED}'.")
    author: list[str] | None = Field(None, description="Author slugs.")
    language: list[str] | None = Field(None, description="Languages: en, ko.")
    person: list[str] | None = Field(None, description="Person slugs (kim-jong-un); repeat for several (OR-ed).")
    exact: str | None = Field(None, description="1: every name as typed. By default a place's or person's name "
                                                "also finds its other spellings, in Latin letters and in Hangul.")
    date_from: str | None = Field(None, alias="from", description="First date: YYYY-MM-DD, YYYY-MM or YYYY.")
    date_to: str | None = Field(None, alias="to", description="Last date: YYYY-MM-DD, YYYY-MM or YYYY.")
    sort: str | None = Field(None, description="relevance, newest or oldest; by default relevance with a query, "
                                               "else newest. Undated reports come last.")
    page: str | None = Field(None, description="Page number from 1 (at most 1000).")
    size: str | None = Field(None, description="Results a page, 20 by default, at most 100.")


class Error(Schema):
    error: str = Field(description="What was wrong, in words fit to show a person.")


class Withdrawn(Schema):
    error: str
    key: str
    title: str
    withdrawn_at: datetime.datetime
    reason: str


class FacetCount(Schema):
    value: str = Field(description="The slug, as the search parameter takes it.")
    label: str
    count: int


class Matched(Schema):
    form: str = Field(description="The spelling found, or the tag's name.")
    field: Literal["title", "text", "region", "person"]


class SearchResult(Schema):
    key: str
    title: str
    url: str = Field(description="The permalink.")
    source: str | None
    regions: list[str]
    date: str | None = Field(description="ISO 8601 at the known precision: 2019-03-04, 2019-03 or 2019.")
    author: str | None
    snippet: str = Field(description="HTML: the matching words in <mark>, nothing else.")
    match: Literal["all", "partial"] = Field(description="'partial': holds some of the query's words, not all.")
    matched: list[Matched] = Field(description="Which spelling of a name in the query the report holds, and where.")


class SearchAnswer(Schema):
    count: int = Field(description="Every listed result, partial matches included.")
    matched_all: int = Field(description="Results holding every word of the query.")
    page: int
    pages: int
    query: str = Field(description="How the query was read.")
    suggestion: str | None = Field(description="A spelling to try, when the search found little.")
    results: list[SearchResult]
    facets: dict[str, list[FacetCount]] = Field(description="source, region, year, author, language, person: each "
                                                            "counted with the other facets' filters applied.")
    months: list[FacetCount] = Field(description="The month histogram of a chosen year; empty unless one year is "
                                                 "chosen.")


class Author(Schema):
    name: str = Field(description="As the report writes it.")
    family: str
    given: str | None


class Version(Schema):
    number: int
    date: datetime.datetime
    reason: str | None = Field(description="Why it was corrected; none for the first version.")
    url: str = Field(description="The version as it was.")


class ArticleAnswer(Schema):
    key: str
    title: str
    permalink: str
    original_url: str | None = Field(description="Where the report was first published, when it is a web link.")
    source: str | None
    regions: list[str]
    date: str | None = Field(description="ISO 8601 at the known precision: 2019-03-04, 2019-03 or 2019.")
    date_precision: Literal["day", "month", "year"] | None
    author: Author | None
    language: str
    body_html: str = Field(description="Sanitized HTML.")
    body_text: str
    versions: list[Version] = Field(description="Oldest first; the last is the text shown now.")
