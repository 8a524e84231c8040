"""The search help page's examples, and the home page's: each a query an analyst can click to run.

The examples are data here, not markup, so the help page and the home page show the same queries with the same
links (``search_url``), and a test can run every one of them.
"""

from dataclasses import dataclass

from archive.search import SearchParams
from archive.views.search_links import search_url


@dataclass(frozen=True)
class Example:
    query: str
    finds: str
    params: dict  # other parameters than q, as the URL has them

    @property
    def url(self) -> str:
        return search_url(SearchParams.from_query({"q": self.query, **self.params}))


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    text: str
    examples: tuple[Example, ...]


def _example(query: str, finds: str, **params) -> Example:
    return Example(query, finds, params)


TOPICS = (
    Topic("words", "Words", "Words side by side must all be in a report. Endings do not matter: a word finds its "
          "other forms (smuggle, smuggled, smuggling). Capitals do not matter either.", (
              _example("smuggling Hyesan", "reports that name both; when fewer than 20 do, those naming either "
                       "follow, marked “partial match”"),
              _example("smuggle", "smuggle, smuggles, smuggled, smuggling (but not smuggler, a word of its own)"),
          )),
    Topic("phrases", "Exact phrases", "Quotation marks keep words together and in order.", (
        _example('"border patrol"', "the two words side by side, in that order"),
        _example('"rice prices" Hyesan', "the phrase, and the word anywhere in the same report"),
    )),
    Topic("operators", "OR, AND, NOT and brackets", "OR finds either word; NOT, or a minus sign before a word, "
          "leaves out reports holding it; brackets group. Write OR, AND and NOT in capitals: in lower case they "
          "are words like any other.", (
              _example("market OR prices", "reports holding either word"),
              _example("smuggling NOT China", "reports on smuggling that do not mention China"),
              _example("smuggling -Hyesan", "the same with a minus sign"),
              _example("(rice OR corn) prices", "prices of rice, or of corn"),
          )),
    Topic("prefixes", "Beginnings of words", "A star at the end of a word finds every word beginning so.", (
        _example("smugg*", "smuggle, smuggler, smuggling, ..."),
        _example("defect*", "defect, defector, defection, ..."),
    )),
    Topic("fields", "Fields", "A field name and a colon search one part of a report: title:, author:, source: "
          "and region:. Quote a value of several words.", (
              _example("title:market", "reports with the word in their headline"),
              _example("source:daily-nk electricity", "Daily NK's reports that mention electricity"),
              _example("region:ryanggang", "reports tagged with Ryanggang (a city's reports are its province's "
                       "too)"),
              _example('author:"Kim Min-ji"', "reports by one author"),
          )),
    Topic("dates", "Dates", "The date fields beside the results take a year (2019), a month (2019-03) or a day "
          "(2019-03-04): “from 2019” starts on 1 January, “to 2019-03” ends on 31 March. The timeline above the "
          "results narrows to a year or a month when you click a bar, or to a range when you drag across bars.", (
              _example("famine", "reports on famine from 2018 to 2019", **{"from": "2018", "to": "2019"}),
              _example("floods", "reports on floods in August 2020", **{"from": "2020-08", "to": "2020-08"}),
          )),
)

HOME_EXAMPLES = ("smuggling Hyesan", '"border patrol"', "market OR prices", "source:daily-nk electricity", "smugg*")


def home_examples() -> list[Example]:
    by_query = {example.query: example for topic in TOPICS for example in topic.examples}
    return [by_query[query] for query in HOME_EXAMPLES]
