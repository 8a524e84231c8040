"""The baseline of ``make bench``: the same reports in the standard library's SQLite FTS5, behind a tiny HTTP server.

Why a baseline at all: a figure alone says little about code; a figure beside what a plain, well-known engine does
on the same machine, corpus and queries in the same run says how far the archive is from what is possible. Why over
HTTP: the archive is measured through its production server, so the baseline answers over a socket too (stdlib
``ThreadingHTTPServer``, one process, JSON; no templates, so it is a floor, not a twin).

What it does, as the archive does: BM25 ranking (title weighted 2, as the archive boosts titles), snippets with
``<mark>``, the total count, and the four facets (source, region, year, author) counted with GROUP BY over the
matches, each facet with the other facets' filters applied (disjunctive, as the archive); an empty query lists
newest first from an indexed date column, undated last. Regions come from the text with the same gazetteer (a
city implies its province). Only the standard library: ``sqlite3`` with FTS5 (``porter unicode61``).

    python3 bench/fts5.py build DB REPORTS_DIR     # prints the build time
    python3 bench/fts5.py serve DB PORT            # GET /search?match=...&source=...; POST /ingest (a record)
"""

import json
import re
import sqlite3
import sys
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 20
FACET_LIMITS = {"source": 50, "region": 150, "year": -1, "author": 50}  # as archive/search/facets.py
FACETS = ("source", "region", "year", "author")
WORD = re.compile(r"[^\W_]+")

# The text (docs) apart from the narrow rows that counting and sorting scan (meta), so a GROUP BY over every
# report reads a few bytes a report, not its body.
SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT, source TEXT, author TEXT, url TEXT UNIQUE);
CREATE TABLE meta (id INTEGER PRIMARY KEY, source TEXT, author TEXT, year TEXT, published TEXT);
CREATE TABLE doc_regions (region TEXT, doc_id INTEGER, PRIMARY KEY (region, doc_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='id', tokenize='porter unicode61');
"""
INDEXES = """
CREATE INDEX meta_published ON meta (published IS NULL, published DESC);
CREATE INDEX meta_source ON meta (source);
CREATE INDEX meta_year ON meta (year);
CREATE INDEX meta_author ON meta (author);
CREATE INDEX doc_regions_doc ON doc_regions (doc_id, region);
"""
COLUMNS = {"source": "m.source", "year": "m.year", "author": "m.author"}


# ---- build -----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[tuple[str, str]]], dict[str, str], dict[str, str]]:
    """Place names by their first word (longest name first, each with its slug), slug -> parent, slug -> name."""
    places = json.loads((ROOT / "fixtures" / "gazetteer.json").read_text(encoding="utf-8"))
    by_first_word: dict[str, list[tuple[str, str]]] = {}
    parents, labels = {}, {}
    for place in places:
        labels[place["slug"]] = place["name"]
        parents[place["slug"]] = place["parent"] or ""
        for name in [place["name"], *place["aliases"]]:
            words = WORD.findall(name.lower())
            by_first_word.setdefault(words[0], []).append((" ".join(words), place["slug"]))
    for names in by_first_word.values():
        names.sort(key=lambda item: -len(item[0]))
    return by_first_word, parents, labels


def find_regions(text: str) -> set[str]:
    """Region slugs named in the text, with the provinces containing them: one dictionary look-up per word."""
    by_first_word, parents, _ = _gazetteer()
    words = WORD.findall(text.lower())
    found = set()
    for i, word in enumerate(words):
        for name, slug in by_first_word.get(word, ()):
            if " ".join(words[i:i + name.count(" ") + 1]) == name:
                found.add(slug)
                break
    for slug in list(found):
        while parents.get(slug):
            slug = parents[slug]
            found.add(slug)
    return found


def slugify(text: str) -> str:
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text.lower())).strip("-_")


def _insert(db: sqlite3.Connection, records: list[dict]) -> list[int]:
    ids = []
    for record in records:
        date = str(record.get("date") or "")
        published = (date + "-01-01"[len(date) - 4:]) if date else None  # 2019-05 -> 2019-05-01, as the archive
        source, author = record.get("source") or "", record.get("author") or ""
        doc_id = db.execute("INSERT INTO docs (title, body, source, author, url) VALUES (?, ?, ?, ?, ?)",
                            (record.get("title") or "", record["body"], source, author,
                             record.get("url") or None)).lastrowid
        db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", (doc_id, slugify(source) or None,
                   slugify(author) or None, date[:4] if date else "undated", published))
        db.executemany("INSERT OR IGNORE INTO doc_regions VALUES (?, ?)",
                       [(slug, doc_id) for slug in sorted(find_regions(record["body"]))])
        ids.append(doc_id)
    return ids


def build(db_path: Path, reports: Path) -> int:
    """Load every .jsonl report file, then build the full-text index in one pass and optimize it."""
    db = sqlite3.connect(db_path)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + SCHEMA)
    count = 0
    for path in sorted(reports.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines, db:
            batch = [json.loads(line) for line in lines if line.strip()]
            count += len(_insert(db, batch))
    with db:
        db.executescript(INDEXES)
        db.execute("INSERT INTO fts (fts) VALUES ('rebuild')")
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return count


def index_bytes(db_path: Path) -> int:
    """Bytes of the full-text index and the facet columns' indexes: what the archive's Whoosh folder holds
    (the report text itself, which the archive keeps in its database, is not counted)."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%' OR name LIKE 'meta%' OR name LIKE 'doc_regions%'"
        ).fetchone()[0] or 0
    except sqlite3.OperationalError:  # a sqlite3 without dbstat: the whole file, an upper bound
        return db_path.stat().st_size
    finally:
        db.close()


# ---- search ----------------------------------------------------------------------------------------------------

class Searcher:
    """One connection (per server thread); matches go to a temp table once, then page, count and facets read it."""

    def __init__(self, db_path: Path):
        self.db = sqlite3.connect(db_path, check_same_thread=False)
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY, rank REAL)")
        _, _, self.region_labels = _gazetteer()
        sources = json.loads((ROOT / "fixtures" / "sources.json").read_text(encoding="utf-8"))
        self.labels = {"region": self.region_labels, "source": {s["slug"]: s["name"] for s in sources}}

    def search(self, params: dict[str, list[str]]) -> dict:
        match = (params.get("match") or [""])[-1]
        page = max(1, int((params.get("page") or ["1"])[-1]))
        sort = (params.get("sort") or [""])[-1] or ("relevance" if match else "newest")
        filters = {name: params[name] for name in FACETS if params.get(name)}
        base_where, base_args = [], []
        if match:
            self.db.execute("DELETE FROM hits")
            self.db.execute("INSERT INTO hits SELECT rowid, bm25(fts, 2.0, 1.0) FROM fts WHERE fts MATCH ?", (match,))
        source = "hits h JOIN meta m ON m.id = h.id" if match else "meta m"
        if params.get("author_is"):
            base_where.append("m.author = ?")
            base_args.append(params["author_is"][-1])

        def where(except_facet: str = "") -> tuple[str, list]:
            clauses, args = list(base_where), list(base_args)
            for name, values in filters.items():
                if name == except_facet:
                    continue
                marks = ",".join("?" * len(values))
                clauses.append(f"{COLUMNS[name]} IN ({marks})" if name in COLUMNS else
                               f"m.id IN (SELECT doc_id FROM doc_regions WHERE region IN ({marks}))")
                args += values
            return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

        clause, args = where()
        order = "h.rank" if match and sort == "relevance" else "m.published IS NULL, m.published DESC"
        ids = [row[0] for row in self.db.execute(f"SELECT m.id FROM {source}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                                                 [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE])]
        marks = ",".join("?" * len(ids))
        rows = {row[0]: row for row in self.db.execute(
            f"SELECT d.id, d.title, d.source, d.author, m.published, d.url FROM docs d JOIN meta m ON m.id = d.id "
            f"WHERE d.id IN ({marks})", ids)}
        snippets = dict(self.db.execute(
            f"SELECT rowid, snippet(fts, 1, '<mark>', '</mark>', ' … ', 24) FROM fts WHERE fts MATCH ? "
            f"AND rowid IN ({marks})", [match, *ids]).fetchall()) if match and ids else {}
        regions: dict[int, list[str]] = {}
        for doc_id, region in self.db.execute(f"SELECT doc_id, region FROM doc_regions WHERE doc_id IN ({marks})", ids):
            regions.setdefault(doc_id, []).append(self.region_labels.get(region, region))
        count = self.db.execute(f"SELECT count(*) FROM {source}{clause}", args).fetchone()[0]
        facets = {name: self._facet(name, source, *where(except_facet=name)) for name in FACETS}
        results = [{"id": doc_id, "title": title, "source": source_name, "author": author or None, "date": published,
                    "url": url, "regions": regions.get(doc_id, []), "snippet": snippets.get(doc_id, "")}
                   for doc_id, title, source_name, author, published, url in map(rows.get, ids)]
        return {"count": count, "page": page, "results": results, "facets": facets}

    def _facet(self, name: str, source: str, clause: str, args: list) -> list[dict]:
        limit = FACET_LIMITS[name]
        if name == "region" and source == "meta m" and not clause:  # everything: the region index alone
            sql = "SELECT region, count(*) AS n FROM doc_regions GROUP BY region ORDER BY n DESC, region LIMIT ?"
        elif name == "region":
            sql = (f"SELECT r.region, count(*) AS n FROM {source} JOIN doc_regions r ON r.doc_id = m.id{clause} "
                   "GROUP BY r.region ORDER BY n DESC, r.region LIMIT ?")
        else:
            column = COLUMNS[name]
            sql = (f"SELECT {column}, count(*) AS n FROM {source}{clause} GROUP BY {column} "
                   f"ORDER BY n DESC, {column} LIMIT ?")
        values = [(value, n) for value, n in self.db.execute(sql, [*args, limit]) if value]
        labels = self.labels.get(name, {})
        return [{"value": value, "label": labels.get(value, value), "count": n} for value, n in values]

    def ingest(self, record: dict) -> int:
        """One new report, indexed in its own transaction: searchable as soon as this returns."""
        with self.db:
            (doc_id,) = _insert(self.db, [record])
            self.db.execute("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                            (doc_id, record.get("title") or "", record["body"]))
        return doc_id


def serve(db_path: Path, port: int) -> None:
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        def searcher(self) -> Searcher:
            if not hasattr(local, "searcher"):
                local.searcher = Searcher(db_path)
            return local.searcher

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/healthz":
                return self.reply(200, {"status": "ok"})
            if url.path != "/search":
                return self.reply(404, {"error": "not found"})
            try:
                self.reply(200, self.searcher().search(parse_qs(url.query)))
            except (sqlite3.OperationalError, ValueError) as exc:
                self.reply(400, {"error": str(exc)})

        def do_POST(self):
            if urlparse(self.path).path != "/ingest":
                return self.reply(404, {"error": "not found"})
            record = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.reply(200, {"id": self.searcher().ingest(record)})

        def reply(self, status: int, payload: dict):
            body = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.daemon_threads = True
    with ThreadingHTTPServer(("127.0.0.1", port), Handler) as server:
        server.serve_forever()


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "build":
        started = time.perf_counter()
        count = build(Path(argv[1]), Path(argv[2]))
        print(f"{count} reports in {time.perf_counter() - started:.1f} s, index {index_bytes(Path(argv[1]))} bytes")
    elif len(argv) == 3 and argv[0] == "serve":
        serve(Path(argv[1]), int(argv[2]))
    else:
        sys.exit(__doc__.split("\n\n")[-1])


if __name__ == "__main__":
    main(sys.argv[1:])
