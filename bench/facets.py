"""What facets cost: run_search with and without facet counting at 20,000 articles, in the same run.

    .venv/bin/python bench/facets.py [--articles 20000] [--repeat 7]

Builds a synthetic but realistic corpus (Zipf-distributed vocabulary, 6 sources, gazetteer regions, 80 authors,
dates over twenty years with some undated reports) as one .jsonl in a temporary ARCHIVE_DATA_DIR, ingests it through
the real pipeline, then times each query as the page runs it (``run_search``: page, counts, four facets, months)
against the same search without facet requests (page and count only), and prints the medians and their ratio.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20,000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query; the median is shown")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="archive-bench-facets-")
    os.environ["ARCHIVE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    corpus = Path(data_dir) / "corpus.jsonl"
    write_corpus(corpus, args.articles)

    from archive.ingest import ingest_paths
    from archive.search.indexing import indexed_count, wait_for_index

    started = time.perf_counter()
    outcomes = list(ingest_paths([corpus], max_bytes=corpus.stat().st_size + 1))
    wait_for_index()
    print(f"ingested and indexed {indexed_count()} articles in {time.perf_counter() - started:.0f} s "
          f"({outcomes[0]})")
    run_queries(args.repeat)


def write_corpus(path: Path, count: int) -> None:
    rng = random.Random(4)
    vocabulary = [f"{syllables(rng)}" for _ in range(6000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf: a few words everywhere, most rare
    vocabulary[:3] = ["market", "border", "smuggling"]  # common words for the broad queries
    from archive.ingest.gazetteer import load_gazetteer

    places = [place["name"] for place in load_gazetteer()]
    sources = ["Daily NK", "NK News", "Rimjin-gang", "Radio Free Asia", "Yonhap", "38 North"]
    authors = [f"{syllables(rng).title()} {syllables(rng).title()}" for _ in range(80)]
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            words = rng.choices(vocabulary, weights, k=rng.randint(120, 320))
            record = {
                "title": " ".join(rng.choices(vocabulary, weights, k=rng.randint(5, 9))).capitalize(),
                "body": "\n\n".join(" ".join(words[i:i + 60]).capitalize() + "." for i in range(0, len(words), 60)),
                "source": rng.choice(sources),
                "author": rng.choice(authors) if rng.random() < 0.8 else "",
                "regions": rng.sample(places, rng.randint(0, 2)),
                "url": f"https://example.org/bench/{number}",
            }
            if rng.random() < 0.95:
                record["date"] = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps(record) + "\n")


def syllables(rng: random.Random) -> str:
    return "".join(rng.choice("bcdghjkmnprstwy") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def run_queries(repeat: int) -> None:
    from haystack.query import SearchQuerySet

    from archive.models import Article
    from archive.search import SearchParams, run_search
    from archive.search import facets as facet_module
    from archive.search.query import read_query

    def without_facets(params):
        """The page's search alone: the query, filters, sort, snippets, page and count; no facet requested."""
        reading = read_query(params.q)
        sqs = SearchQuerySet().models(Article)
        if params.effective_sort != "relevance":
            sqs = sqs.order_by("-published")
        if reading.sq is not None:
            sqs = sqs.filter(reading.sq)
        sqs = facet_module.narrowed(sqs, params).highlight()
        list(sqs[0:params.page_size])
        return sqs.count()

    queries = {
        "everything (no q)": {},
        "broad: market": {"q": "market"},
        "broad + source chosen": {"q": "market", "source": "daily-nk"},
        "broad + source + year": {"q": "border", "source": "daily-nk", "year": "2019"},
        "medium: two words AND": {"q": "market border"},
        "narrow: rare word": {"q": rare_word()},
        "narrow + source chosen": {"q": rare_word(), "source": "nk-news"},
    }
    print(f"\n{'query':28} {'matches':>8} {'no facets':>10} {'facets':>10} {'ratio':>6}")
    for name, query in queries.items():
        params = SearchParams.from_query(query)
        matches = without_facets(params)
        run_search(params)  # warm the searcher and the caches of both paths
        base = median_ms(lambda: without_facets(params), repeat)
        faceted = median_ms(lambda: run_search(params), repeat)
        print(f"{name:28} {matches:>8} {base:>8.1f}ms {faceted:>8.1f}ms {faceted / base:>5.1f}x")


def rare_word() -> str:
    rng = random.Random(4)
    vocabulary = [syllables(rng) for _ in range(6000)]
    return vocabulary[900]


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
