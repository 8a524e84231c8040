"""Ranking bench: the archive's ranking measured beside SQLite FTS5 BM25, in one run, on the same documents, on
two public test collections: Cranfield (``../shared/ir/cranfield``) and CACM (``bench/collections/cacm``).

Why: ranking changes (field weights, BM25's parameters, stemming, the AND -> OR fallback) are judged by mean average
precision over a whole collection, never by how a few queries look, and on two collections: parameters are chosen
on one and confirmed on the other, so they are not fitted to one. The FTS5 rows are computed here, not copied, so
the baseline is always from the same documents and machine; on Cranfield they must reproduce the reference figures
of ``../shared/ir/cranfield/README.md`` (OR-ed words: MAP 0.2882), which also defines every measure used here.

The archive is exercised as analysts use it: a fresh data folder, the real ``ingest_paths``, and each question typed
verbatim into ``SearchParams.from_query`` + ``run_search``, syntax characters and all. Each collection is measured in
a process of its own (the data folder is read once, when settings load).

``--grid K1=0.9,1.2 --grid B=0.5,0.75 --grid title=0.5,1`` also ranks the queries under every combination of those
BM25 parameters and title boosts (``archive.search.whoosh.scoring``, ``schema.TITLE_QUERY_BOOST``) over the same
ingest: the small grid the parameters are chosen by.

Usage (from a checkout, or with --repo):
    .venv/bin/python bench/ranking.py [--repo DIR] [--collection DIR ...] [--limit-queries N] [--min-map X]
                                      [--grid NAME=V1,V2 ...]

Exit status: 0 (it is a report), or 1 with --min-map when the archive's MAP is below it on a collection.
"""

import argparse
import itertools
import json
import lzma
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

TOP = 100
CUTOFF = 10
DOC_URL = re.compile(r"^urn:[\w-]+:(\d+)$")  # urn:cranfield:12, urn:cacm:1410
GRID_NAMES = ("K1", "B", "title")
WORD = re.compile(r"[^\W_]+")  # runs of letters and digits


@dataclass
class Run:
    """One system's answers: ranked doc ids per query, plus what went wrong and how long it took."""

    name: str
    ranked: dict[str, list[int]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    partial: int = 0  # queries answered (partly) by the OR fallback, as the archive reports it


@dataclass
class Scores:
    name: str
    map: float
    ndcg: float
    p10: float
    nothing: int
    ms: float


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="the archive checkout to measure (default: the current "
                        "directory if it is one, else the checkout holding this script)")
    parser.add_argument("--collection", type=Path, action="append", help="folder with docs.jsonl (or "
                        "docs.jsonl.xz), queries.json, qrels.json; repeat for several (default: "
                        "<repo>/../shared/ir/cranfield and this bench's collections/cacm)")
    parser.add_argument("--limit-queries", type=int, metavar="N", help="score only the first N judged queries "
                        "(a quick look; the figures that count are over all of them)")
    parser.add_argument("--min-map", type=float, metavar="X", help="exit 1 if the archive's MAP is below X on a "
                        "collection")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2", help="also rank under every "
                        f"combination of these values ({', '.join(GRID_NAMES)}); repeat for each name")
    parser.add_argument("--summary", type=Path, help=argparse.SUPPRESS)  # where a child process writes its rows
    return parser.parse_args(argv)


def parse_grid(specs: list[str]) -> list[dict[str, float]]:
    """``["K1=0.9,1.2", "B=0.75"]`` -> every combination, as {name: value}; [] without a grid."""
    axes = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in GRID_NAMES or not values:
            sys.exit(f"--grid {spec!r}: expected NAME=V1,V2 with NAME one of {', '.join(GRID_NAMES)}")
        try:
            axes[name] = [float(value) for value in values.split(",")]
        except ValueError:
            sys.exit(f"--grid {spec!r}: the values must be numbers")
    return [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())] if axes else []


def locate_repo(requested: Path | None) -> Path:
    """The checkout to measure: so the same script can be pointed at another worktree without merging it."""
    candidates = [requested] if requested else [Path.cwd(), Path(__file__).resolve().parent.parent]
    for candidate in candidates:
        if (candidate / "archive" / "settings.py").is_file():
            return candidate.resolve()
    sys.exit(f"not an archive checkout: {candidates[0]}")


def default_collections(repo: Path) -> list[Path]:
    """Cranfield from the shared folder beside the checkout, CACM from this bench (it is committed with it)."""
    return [repo.parent / "shared" / "ir" / "cranfield", Path(__file__).resolve().parent / "collections" / "cacm"]


def load_collection(folder: Path, limit: int | None) -> tuple[dict[str, str], dict[str, set[int]]]:
    """The judged queries (id -> text) in id order, and their relevant doc ids; unjudged queries are not scored."""
    texts = {q["id"]: q["text"] for q in json.loads((folder / "queries.json").read_text())}
    qrels = {qid: {int(doc) for doc in docs} for qid, docs in json.loads((folder / "qrels.json").read_text()).items()}
    judged = sorted(qrels, key=int)[:limit]
    return {qid: texts[qid] for qid in judged}, {qid: qrels[qid] for qid in judged}


def documents_file(folder: Path, scratch: str) -> Path:
    """The collection's docs.jsonl, decompressed into the scratch folder when it is committed as docs.jsonl.xz."""
    plain = folder / "docs.jsonl"
    if plain.is_file():
        return plain
    packed = folder / "docs.jsonl.xz"
    if not packed.is_file():
        sys.exit(f"{folder} holds neither docs.jsonl nor docs.jsonl.xz")
    unpacked = Path(scratch) / "docs.jsonl"
    unpacked.write_bytes(lzma.decompress(packed.read_bytes()))
    return unpacked


def setup_django(repo: Path, data_dir: str) -> None:
    """The data folder must be in the environment before settings load: settings read it once, at import."""
    os.environ["ARCHIVE_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    sys.path.insert(0, str(repo))
    import django

    django.setup()


def ingest_collection(docs: Path) -> None:
    """Migrate, ingest through the real pipeline (which indexes on commit), and make sure every article is indexed."""
    from django.core.management import call_command
    from haystack.query import SearchQuerySet

    from archive.ingest import ingest_paths
    from archive.models import Article

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    outcomes = list(ingest_paths([docs]))
    ingest_seconds = time.perf_counter() - started
    for outcome in outcomes:
        if outcome.is_rejected:
            sys.exit(f"ingest rejected {outcome}")
    started = time.perf_counter()
    wait_for_index()
    index_seconds = time.perf_counter() - started
    stored, indexed = Article.objects.count(), SearchQuerySet().count()
    print(f"ingest: {stored} articles in {ingest_seconds:.1f} s, then {index_seconds:.1f} s until the index "
          f"writer was done; {indexed} indexed")
    if indexed != stored:
        started = time.perf_counter()
        call_command("rebuild_index", interactive=False, verbosity=0)
        indexed = SearchQuerySet().count()
        print(f"rebuild_index: {indexed} indexed in {time.perf_counter() - started:.1f} s")
        if indexed != stored:
            sys.exit(f"only {indexed} of {stored} articles in the index after a rebuild")


def wait_for_index() -> None:
    """An index written by a queued writer is complete only once its queue drains; a checkout whose indexing
    writes synchronously in on_commit has no wait_for_index and nothing to wait for."""
    from archive.search import indexing

    if hasattr(indexing, "wait_for_index"):
        indexing.wait_for_index()


def run_archive(queries: dict[str, str], name: str = "archive") -> Run:
    """Each question as an analyst would type it, top 100, through the one parser and run_search."""
    from archive.search import SearchParams, run_search

    run = Run(name)
    for qid, text in queries.items():
        started = time.perf_counter()
        try:
            page = run_search(SearchParams.from_query({"q": text, "size": str(TOP)}))
        except Exception as exc:  # noqa: BLE001 - a bench counts failures of the system under test, whatever they are
            run.errors[qid] = f"{type(exc).__name__}: {exc}"[:200]
            run.ranked[qid] = []
            continue
        finally:
            run.seconds.append(time.perf_counter() - started)
        run.ranked[qid] = [int(m.group(1)) for hit in page.hits if (m := DOC_URL.match(hit.article.url))]
        run.partial += page.matched_all < page.count
    return run


def fts5_index(docs: Path) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(title, body, tokenize='porter unicode61')")
    with docs.open(encoding="utf-8") as lines:
        rows = [(int(DOC_URL.match(d["url"]).group(1)), d.get("title", ""), d["body"]) for d in map(json.loads, lines)]
    db.executemany("INSERT INTO doc(rowid, title, body) VALUES (?, ?, ?)", rows)
    return db


def fts5_match(text: str, operator: str) -> str:
    """Words (runs of letters and digits), lower-cased, each quoted so no FTS5 syntax survives, duplicates dropped."""
    words = dict.fromkeys(word.lower() for word in WORD.findall(text))
    return f" {operator} ".join(f'"{word}"' for word in words)


def fts5_search(db: sqlite3.Connection, text: str, operator: str) -> list[int]:
    sql = "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY bm25(doc, 2.0, 1.0) LIMIT ?"
    return [rowid for (rowid,) in db.execute(sql, (fts5_match(text, operator), TOP))]


def run_fts5(db: sqlite3.Connection, queries: dict[str, str], name: str, operators: tuple[str, ...]) -> Run:
    """Try each operator in turn until one finds something: ("OR",), ("AND",), or ("AND", "OR") for the fallback."""
    run = Run(name)
    for qid, text in queries.items():
        started = time.perf_counter()
        for operator in operators:
            run.ranked[qid] = fts5_search(db, text, operator)
            if run.ranked[qid]:
                break
        run.seconds.append(time.perf_counter() - started)
    return run


def average_precision(ranked: list[int], relevant: set[int]) -> float:
    """Over all the query's relevant documents, retrieved or not."""
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:TOP], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def ndcg_at_10(ranked: list[int], relevant: set[int]) -> float:
    """Binary gains, log2(rank + 1) discount, ideal = min(relevant, 10) hits at the top."""
    dcg = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(ranked[:CUTOFF], start=1) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), CUTOFF) + 1))
    return dcg / ideal


def precision_at_10(ranked: list[int], relevant: set[int]) -> float:
    return sum(doc in relevant for doc in ranked[:CUTOFF]) / CUTOFF


def score(run: Run, qrels: dict[str, set[int]]) -> Scores:
    """Means over every judged query; one that found nothing (or failed) scores 0."""
    def mean(measure) -> float:
        return sum(measure(run.ranked.get(qid, []), relevant) for qid, relevant in qrels.items()) / len(qrels)

    return Scores(
        name=run.name,
        map=mean(average_precision),
        ndcg=mean(ndcg_at_10),
        p10=mean(precision_at_10),
        nothing=sum(not run.ranked.get(qid) for qid in qrels),
        ms=1000 * sum(run.seconds) / max(1, len(run.seconds)),
    )


def print_table(rows: list[Scores], queries: int) -> None:
    print(f"\n{'system':<36} {'MAP':>7} {'nDCG@10':>8} {'P@10':>7} {'nothing':>9} {'ms/query':>9}")
    for row in rows:
        print(f"{row.name:<36} {row.map:>7.4f} {row.ndcg:>8.4f} {row.p10:>7.4f} "
              f"{f'{row.nothing}/{queries}':>9} {row.ms:>9.1f}")


def print_ratios(archive: Scores, baseline: Scores) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b else "n/a"

    print(f"\narchive / {baseline.name}: MAP {ratio(archive.map, baseline.map)}, "
          f"nDCG@10 {ratio(archive.ndcg, baseline.ndcg)}, P@10 {ratio(archive.p10, baseline.p10)}")


def print_failures(run: Run, queries: dict[str, str]) -> None:
    """Which questions broke the archive or found nothing: the first place to look when tuning."""
    print(f"archive: {len(run.errors)} queries raised, {run.partial} answered with partial (OR fallback) matches")
    for qid, error in list(run.errors.items())[:10]:
        print(f"  q{qid} {queries[qid][:70]!r}: {error}")
    empty = [qid for qid, ranked in run.ranked.items() if not ranked and qid not in run.errors]
    print(f"archive: {len(empty)} queries found nothing" + (", e.g.:" if empty else ""))
    for qid in empty[:10]:
        print(f"  q{qid} {queries[qid][:100]!r}")


def use_parameters(values: dict[str, float]) -> str:
    """Rank with these BM25 parameters and title boost from now on (a fresh searcher: kept rankings were scored with
    the others); returns them as a label."""
    from haystack import connections

    from archive.search.whoosh import schema, scoring

    scoring.K1 = values.get("K1", scoring.K1)
    scoring.B = values.get("B", scoring.B)
    schema.TITLE_QUERY_BOOST = values.get("title", schema.TITLE_QUERY_BOOST)
    backend = connections["default"].get_backend()
    backend.setup()  # the query parser carries the title boost
    backend.shared.close()  # the searcher carries the weighting, its catalog the rankings
    return f"K1={scoring.K1:g} B={scoring.B:g} title={schema.TITLE_QUERY_BOOST:g}"


def measure(repo: Path, collection: Path, limit: int | None, grid: list[dict[str, float]]) -> list[Scores]:
    """Every row of one collection: the archive as configured, then each grid setting, then the FTS5 baselines."""
    queries, qrels = load_collection(collection, limit)
    print(f"collection: {collection} ({len(queries)} judged queries)")
    with tempfile.TemporaryDirectory(prefix="ranking-") as data_dir:
        setup_django(repo, data_dir)
        docs = documents_file(collection, data_dir)
        ingest_collection(docs)
        runs = [run_archive(queries)]
        for values in grid:
            label = use_parameters(values)
            runs.append(run_archive(queries, f"archive {label}"))
        db = fts5_index(docs)
    baselines = [
        run_fts5(db, queries, "fts5 OR", ("OR",)),
        run_fts5(db, queries, "fts5 AND", ("AND",)),
        run_fts5(db, queries, "fts5 AND->OR", ("AND", "OR")),
    ]
    rows = [score(run, qrels) for run in [*runs, *baselines]]
    print_table(rows, len(qrels))
    print_ratios(rows[0], rows[len(runs)])
    print_failures(runs[0], queries)
    return rows


def measure_apart(repo: Path, collection: Path, args: argparse.Namespace) -> list[Scores]:
    """One collection measured by this script in a process of its own; its rows read back from a summary file."""
    with tempfile.TemporaryDirectory(prefix="ranking-summary-") as folder:
        summary = Path(folder) / "rows.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--repo", str(repo), "--collection", str(collection),
                   "--summary", str(summary), *(f"--grid={spec}" for spec in args.grid)]
        if args.limit_queries:
            command += ["--limit-queries", str(args.limit_queries)]
        if subprocess.run(command, check=False).returncode not in (0, 1) or not summary.is_file():
            sys.exit(f"measuring {collection} failed")
        print()
        return [Scores(**row) for row in json.loads(summary.read_text())]


def print_summary(summaries: dict[str, list[Scores]]) -> None:
    """Each collection's archive MAP beside FTS5's (OR-ed words), and their ratio."""
    print(f"\n{'collection':<12} {'system':<36} {'MAP':>7} {'nDCG@10':>8} {'P@10':>7} {'/ fts5 OR MAP':>14}")
    for name, rows in summaries.items():
        baseline = next(row for row in rows if row.name == "fts5 OR")
        for row in rows:
            if row.name.startswith("archive") or row is baseline:
                print(f"{name:<12} {row.name:<36} {row.map:>7.4f} {row.ndcg:>8.4f} {row.p10:>7.4f} "
                      f"{row.map / baseline.map:>14.2f}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    repo = locate_repo(args.repo)
    collections = [c.resolve() for c in (args.collection or default_collections(repo))]
    print(f"repo: {repo}")
    started = time.perf_counter()
    if len(collections) == 1:
        rows = measure(repo, collections[0], args.limit_queries, parse_grid(args.grid))
        if args.summary:
            args.summary.write_text(json.dumps([asdict(row) for row in rows]))
        summaries = {collections[0].name: rows}
    else:
        summaries = {collection.name: measure_apart(repo, collection, args) for collection in collections}
        print_summary(summaries)
    print(f"total {time.perf_counter() - started:.1f} s")
    below = [name for name, rows in summaries.items() if args.min_map is not None and rows[0].map < args.min_map]
    for name in below:
        print(f"{name}: archive MAP {summaries[name][0].map:.4f} is below --min-map {args.min_map}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
