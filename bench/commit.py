"""What a commit costs the index writer: Whoosh's own terms writer, the archive's (``codec.TermsWriter``) with every
word pair, and the archive's as it writes now, keeping the pairs of common words only (``pairing``), on the same
prepared reports, in the same run.

    .venv/bin/python bench/commit.py [--articles 1000] [--batch 500] [--repeat 3] [--data-dir DIR]

Most terms of a report are word pairs found in that report only (``schema.PairsField``); Whoosh's ``W3FieldWriter``
sets up a postings block, adds each posting with its checks and field length, and sums the block for every one of
them. ``TermsWriter`` writes such a term's entry in one step, the same bytes (tests/test_index_codec.py), and keeps
only the pairs of two words common in the segment (tests/test_word_pairs_kept.py). Each repeat indexes ``--batch``
reports into an index in memory with each writer, alternating, so all see the same load; printed: the medians of
adding the documents (analysis, the same code in all) and of the commit (the terms written), in ms a report, the
pair terms written, and each commit's ratio to Whoosh's. ``--data-dir`` keeps the generated archive and reuses it.
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
    from archive.search.whoosh import pairing
    from archive.search.whoosh.codec import ArchiveCodec, WhooshTermsCodec

    backend = connections["default"].get_backend()
    backend.setup()
    article_index = connections["default"].get_unified_index().get_index(Article)
    documents = backend.prepare_documents(article_index, list(article_index.index_queryset()[:args.batch]))
    every_pair = 0.0
    writers = {"Whoosh's, every pair": (WhooshTermsCodec, every_pair),
               "TermsWriter, every pair": (ArchiveCodec, every_pair),
               "TermsWriter, common pairs": (ArchiveCodec, pairing.COMMON_SHARE)}
    figures = {name: ([], [], []) for name in writers}
    for _ in range(args.repeat):
        for name, (codec, share) in writers.items():
            pairing.COMMON_SHARE = share
            index = RamStorage().create_index(backend.schema)
            writer = index.writer(codec=codec())
            started = time.perf_counter()
            for document in documents:
                writer.add_document(**document)
            added = time.perf_counter()
            writer.commit()
            figures[name][0].append((added - started) * 1000 / len(documents))
            figures[name][1].append((time.perf_counter() - added) * 1000 / len(documents))
            with index.reader() as reader:
                figures[name][2].append(sum(1 for _ in reader.lexicon("text_pairs")))
    print(f"{len(documents)} reports a commit, median of {args.repeat}, ms a report")
    print(f"{'writer':<26} {'add':>6} {'commit':>7} {'pair terms':>11} {'commit ratio':>13}")
    baseline = statistics.median(figures["Whoosh's, every pair"][1])
    for name, (add, commit, pair_terms) in figures.items():
        print(f"{name:<26} {statistics.median(add):6.2f} {statistics.median(commit):7.2f} {pair_terms[-1]:>11,} "
              f"{statistics.median(commit) / baseline:12.2f}x")


if __name__ == "__main__":
    main()
