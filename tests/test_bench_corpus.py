"""The benchmark's corpus and query mix (bench/): deterministic, ingestible as real reports, and a fair mix.

No timing here: speed is measured by ``make bench`` only. These tests pin what makes its figures comparable between
runs and machines.
"""

import hashlib
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings

from archive.models import Article

sys.path.insert(0, str(Path(settings.BASE_DIR) / "bench"))

import corpus  # noqa: E402
import fts5  # noqa: E402
import queries  # noqa: E402


def _digest(folder: Path) -> str:
    files = sorted(corpus.reports_dir(folder).glob("*.jsonl"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def test_the_same_seed_writes_the_same_corpus_and_another_seed_a_different_one(tmp_path):
    corpus.generate(tmp_path / "a", 120)
    corpus.generate(tmp_path / "b", 120)
    corpus.generate(tmp_path / "c", 120, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_reports_are_news_sized_spread_over_sources_years_and_authors_with_some_undated(tmp_path):
    stats = corpus.generate(tmp_path, 600)
    records = [json.loads(line) for f in sorted(corpus.reports_dir(tmp_path).glob("*.jsonl")) for line in f.open()]
    assert len(records) == 600 and len(list(corpus.reports_dir(tmp_path).glob("*.jsonl"))) == 2
    words = sorted(len(r["body"].split()) for r in records)
    assert 400 <= words[len(words) // 2] <= 650
    assert len({r["url"] for r in records}) == 600
    known = {s["name"] for s in json.loads((Path(settings.BASE_DIR) / "fixtures" / "sources.json").read_text())}
    assert {r["source"] for r in records} == known
    undated = sum("date" not in r for r in records)
    assert 10 <= undated <= 80 and stats.dated == 600 - undated
    assert len({r["date"][:4] for r in records if "date" in r}) == 20
    assert len({r["author"] for r in records}) > 100


def test_word_frequencies_follow_a_long_tail(tmp_path):
    stats = corpus.generate(tmp_path, 400)
    frequencies = sorted(stats.document_frequency.values(), reverse=True)
    assert frequencies[0] == 400  # some words are in every report
    assert sum(1 for n in frequencies if n <= 4) > len(frequencies) / 3  # most words are in a handful


def test_ingest_reads_the_corpus_and_finds_regions_in_the_text(tmp_path, ingest):
    corpus.generate(tmp_path, 150)
    outcomes = ingest(corpus.reports_dir(tmp_path))
    assert [o.status for o in outcomes] == ["added"]
    assert Article.objects.count() == 150
    with_regions = Article.objects.filter(regions__isnull=False).distinct().count()
    assert with_regions > 100
    assert Article.objects.filter(published__isnull=True).exists()


def test_the_query_mix_has_every_category_and_bands_that_match_their_share(tmp_path):
    stats = corpus.generate(tmp_path, 1000)
    loaded = corpus.load_stats(tmp_path)
    mix = queries.build_mix(loaded)
    assert len(mix) >= 200
    assert Counter(q.category for q in mix) == {c: queries.PER_CATEGORY for c in queries.CATEGORIES}
    assert queries.build_mix(corpus.load_stats(tmp_path)) == mix
    bands = queries.pick_bands(loaded)
    assert all(250 <= stats.document_frequency[w] <= 700 for w in bands.common)
    assert all(10 <= stats.document_frequency[w] <= 50 for w in bands.mid)
    assert all(2 <= stats.document_frequency[w] <= 5 for w in bands.rare)


def test_the_fts5_baseline_answers_the_mix_with_counts_and_all_facets(tmp_path):
    corpus.generate(tmp_path, 300)
    db = tmp_path / "fts5.sqlite3"
    assert fts5.build(db, corpus.reports_dir(tmp_path)) == 300
    searcher = fts5.Searcher(db)
    for query in queries.build_mix(corpus.load_stats(tmp_path)):
        params: dict[str, list[str]] = {}
        for name, value in query.baseline:
            params.setdefault(name, []).append(value)
        answer = searcher.search(params)
        assert set(answer["facets"]) == {"source", "region", "year", "author"}, query
        if query.category == "word, common":
            assert answer["count"] >= 75 and len(answer["results"]) == 20
            assert "<mark>" in answer["results"][0]["snippet"]
    newest = searcher.search({})["results"]
    assert [r["date"] for r in newest] == sorted((r["date"] for r in newest), reverse=True)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM doc_regions").fetchone()[0] > 300
