"""What snippets cost: the page's search (``run_search``) with our highlighter and with Whoosh's own, in the same run.

    .venv/bin/python bench/snippets.py [--articles 2000] [--repeat 5] [--data-dir DIR]

Whoosh's highlighter (``Highlighter.highlight_hit``, as the backend used it before ``snippets.MarkHighlighter``) runs
the analyzer over every word of each of the 20 texts shown; ours reads the words in one regex call and runs the
fragmenter's steps near the matches only. Each repeat runs every query once with each highlighter, alternating, so
both see the same load; printed: the medians over repeats of run_search and of the snippets inside it (time in
``snippets.snippet``), per request, and how many snippets differ (only where fragments score the same: Whoosh picks
among them by memory address, we take the first). ``--data-dir`` keeps the generated archive and reuses it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import load_stats  # noqa: E402
from queries import pick_bands  # noqa: E402
from scratch import in_scratch_archive, ingested_corpus, set_up_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000, help="corpus size (default 2,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the query list with each highlighter")
    parser.add_argument("--data-dir", type=Path, help="keep the archive here and reuse it when it exists")
    args = parser.parse_args()
    in_scratch_archive("snippets", measure, args, keep=args.data_dir)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)
    corpus = ingested_corpus(data_dir, args.articles)
    bands = pick_bands(load_stats(corpus))
    queries = [*bands.common[:6], *bands.mid[:6], f"{bands.common[0]} {bands.mid[0]}", f'"{bands.common[1]} the"',
               f"{bands.mid[1]} -{bands.common[2]}", f"{bands.common[3][:3]}*", "the", "of", *bands.rare[:2]]
    compare(queries, args.repeat)


def compare(queries: list[str], repeat: int) -> None:
    from whoosh.highlight import ContextFragmenter, Highlighter

    from archive.search import SearchParams, run_search
    from archive.search.whoosh import snippets

    ours = snippets.mark_matches

    def whooshs(results):
        results.highlighter = Highlighter(fragmenter=ContextFragmenter(maxchars=snippets.SNIPPET_CHARS,
                                                                       surround=snippets.SURROUND),
                                          formatter=snippets.MarkFormatter())

    spent = [0.0]
    snippet = snippets.snippet

    def timed_snippet(*args):
        started = time.perf_counter()
        try:
            return snippet(*args)
        finally:
            spent[0] += time.perf_counter() - started

    snippets.snippet = timed_snippet
    figures = {"ours": ([], []), "Whoosh's": ([], [])}
    shown = {}
    for run in range(repeat + 1):  # the first run warms both up and is not counted
        for name, mark_matches in (("ours", ours), ("Whoosh's", whooshs)):
            snippets.mark_matches = mark_matches
            spent[0] = 0.0
            started = time.perf_counter()
            for q in queries:
                page = run_search(SearchParams(q=q))
                shown.setdefault(name, {})[q] = [hit.snippet for hit in page.hits]
            if run:
                figures[name][0].append((time.perf_counter() - started) * 1000 / len(queries))
                figures[name][1].append(spent[0] * 1000 / len(queries))
    snippets.mark_matches, snippets.snippet = ours, snippet
    for name, (searches, snippet_times) in figures.items():
        print(f"{name:9} highlighter: run_search {statistics.median(searches):6.1f} ms/request, of which snippets "
              f"{statistics.median(snippet_times):5.1f} ms")
    pairs = [(a, b) for q in queries for a, b in zip(shown["ours"][q], shown["Whoosh's"][q], strict=True)]
    print(f"{len(queries)} queries; {sum(a != b for a, b in pairs)} of {len(pairs)} snippets differ")


if __name__ == "__main__":
    main()
