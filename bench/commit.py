"""What a commit costs the index writer: the archive's codec (``codec.TermsWriter``) beside Whoosh's own terms writer,
on the same prepared reports, in the same run.

    .venv/bin/python bench/commit.py [--articles 1000] [--batch 500] [--repeat 3] [--data-dir DIR]

Most terms of a report are word pairs found in that report only (``schema.PairsField``); Whoosh's ``W3FieldWriter``
sets up a postings block, adds each posting with its checks and field length, and sums the block for every one of
them. ``TermsWriter`` writes such a term's entry in one step, the same bytes (tests/test_index_codec.py). Each repeat
indexes ``--batch`` reports into an index in memory with each writer, alternating, so both see the same load; printed:
the medians of adding the documents (analysis, the same code in both) and of the commit (the terms written), in ms a
report, and the commit's ratio. ``--data-dir`` keeps the generated archive and reuses it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scratch import in_scratch_archive, ingested_corpus, set_up_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000, help="corpus size (default 1,000)")
    parser.add_argument("--batch", type=int, default=500, help="reports per commit (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="commits with each writer")
    parser.add_argument("--data-dir", type=Path, help="keep the archive here and reuse it when it exists")
    args = parser.parse_args()
    in_scratch_archive("commit", measure, args, keep=args.data_dir)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)
    ingested_corpus(data_dir, args.articles)
    from haystack import connections
    from whoosh.filedb.filestore import RamStorage

    from archive.models import Article
    from archive.search.whoosh.codec import ArchiveCodec, WhooshTermsCodec

    backend = connections["default"].get_backend()
    backend.setup()
    index = connections["default"].get_unified_index().get_index(Article)
    documents = backend.prepare_documents(index, list(index.index_queryset()[:args.batch]))
    writers = {"Whoosh's terms writer": WhooshTermsCodec, "archive's TermsWriter": ArchiveCodec}
    figures = {name: ([], []) for name in writers}
    for _ in range(args.repeat):
        for name, codec in writers.items():
            writer = RamStorage().create_index(backend.schema).writer(codec=codec())
            started = time.perf_counter()
            for document in documents:
                writer.add_document(**document)
            added = time.perf_counter()
            writer.commit()
            figures[name][0].append((added - started) * 1000 / len(documents))
            figures[name][1].append((time.perf_counter() - added) * 1000 / len(documents))
    print(f"{len(documents)} reports a commit, median of {args.repeat}, ms a report")
    print(f"{'writer':<24} {'add':>6} {'commit':>7}")
    for name, (add, commit) in figures.items():
        print(f"{name:<24} {statistics.median(add):6.2f} {statistics.median(commit):7.2f}")
    baseline, ours = (statistics.median(figures[name][1]) for name in writers)
    print(f"commit: {ours / baseline:.2f}x Whoosh's terms writer")


if __name__ == "__main__":
    main()
