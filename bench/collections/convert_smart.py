"""A SMART-format test collection (CACM; CISI, MED, NPL and TIME alike) -> the layout of ../shared/ir/cranfield.

Why: the ranking bench judges the archive on more than one collection, so weights tuned on one are confirmed on
another; every collection must reach it in the same layout (``docs.jsonl`` ready for ingest, ``queries.json``,
``qrels.json``), made by a script that can be read and run again rather than by hand.

SMART files are records opened by ``.I <id>``, each a run of fields opened by a line ``.X`` (a letter): ``.T`` title,
``.W`` text, ``.A`` authors (one a line), ``.B`` the publication (``CACM December, 1958``), and others (``.N`` entry
note, ``.X`` citations, ``.K`` keywords, ``.C`` categories) that are not kept. The relevance file has one judgement a
line: ``<query id> <doc id> ...``. Output:

- ``docs.jsonl.xz``: ``{"title", "body", "author", "source", "date", "url": "urn:<name>:<id>"}``; the body is the title
  and then the abstract, as in Cranfield (whose abstracts begin with their title), or the title alone for a record
  without an abstract (a report must have a body); lines inside a paragraph are joined. ``date`` is ``YYYY-MM`` when
  ``.B`` names a month and year.
- ``queries.json``: ``[{"id", "text"}]``, ``id`` as the query's ``.I`` (which the relevance file uses), ``text`` its
  ``.W`` with lines joined; a record without text (a stray ``.I`` at the end of a file) is left out, and said.
- ``qrels.json``: ``{query id: {doc id: 1}}``, binary, every listed pair relevant.

Usage:
    .venv/bin/python bench/collections/convert_smart.py --name cacm --source CACM \\
        --docs cacm.all --queries query.text --qrels qrels.text --out bench/collections/cacm
"""

import argparse
import json
import lzma
import re
import sys
from pathlib import Path

FIELD = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")
MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], start=1)}
PUBLISHED = re.compile(r"\b([A-Z][a-z]+),?\s+(\d{4})\b")


def records(text: str) -> list[tuple[str, dict[str, list[str]]]]:
    """(id, {field letter: its lines}) for every ``.I`` record, in file order."""
    found: list[tuple[str, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    letter = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        match = FIELD.match(line)
        if match and match.group(1) == "I":
            current = {}
            found.append((match.group(2).strip(), current))
            letter = ""
        elif match and current is not None and not match.group(2):
            letter = match.group(1)
            current.setdefault(letter, [])
        elif current is not None and letter:
            current[letter].append(line)
    return found


def paragraphs(lines: list[str]) -> list[str]:
    """Blank lines part paragraphs; lines inside one are joined by a space, runs of spaces made one."""
    text = "\n".join(lines)
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def month_of(lines: list[str]) -> str:
    """``1958-12`` for ``CACM December, 1958``; "" when the line names no month and year."""
    match = PUBLISHED.search(" ".join(lines))
    if match and match.group(1).lower() in MONTHS:
        return f"{match.group(2)}-{MONTHS[match.group(1).lower()]:02d}"
    return ""


def document(name: str, source: str, doc_id: str, fields: dict[str, list[str]]) -> dict:
    title = " ".join(paragraphs(fields.get("T", [])))
    body = [title, *paragraphs(fields.get("W", []))] if title else paragraphs(fields.get("W", []))
    record = {
        "title": title,
        "body": "\n\n".join(body),
        "author": "; ".join(line.strip() for line in fields.get("A", []) if line.strip()),
        "source": source,
        "date": month_of(fields.get("B", [])),
        "url": f"urn:{name}:{doc_id}",
    }
    return {key: value for key, value in record.items() if value}


def convert(name: str, source: str, docs: Path, queries: Path, qrels: Path, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    converted = [document(name, source, doc_id, fields) for doc_id, fields in records(docs.read_text("utf-8"))]
    empty = [d["url"] for d in converted if not d.get("body")]
    if empty:
        sys.exit(f"records without title or text (a report needs a body): {', '.join(empty[:10])}")
    lines = "".join(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n" for d in converted)
    # Preset 9 and no file name or time in the stream: the same input makes the same bytes.
    (out / "docs.jsonl.xz").write_bytes(lzma.compress(lines.encode("utf-8"), preset=9))

    asked, skipped = [], []
    for query_id, fields in records(queries.read_text("utf-8")):
        text = " ".join(paragraphs(fields.get("W", [])))
        (asked.append({"id": str(int(query_id)), "text": text}) if text else skipped.append(query_id))
    for query_id in skipped:
        print(f"left out query .I {query_id}: it has no text", file=sys.stderr)
    (out / "queries.json").write_text(json.dumps(asked, indent=1, ensure_ascii=False) + "\n", "utf-8")

    judged: dict[str, dict[str, int]] = {}
    for line in qrels.read_text("utf-8").splitlines():
        if line.strip():
            query_id, doc_id = line.split()[:2]
            judged.setdefault(str(int(query_id)), {})[str(int(doc_id))] = 1
    unknown = sorted(set(judged) - {q["id"] for q in asked}, key=int)
    if unknown:
        sys.exit(f"judgements for queries that have no text: {', '.join(unknown)}")
    ordered = {query_id: judged[query_id] for query_id in sorted(judged, key=int)}
    (out / "qrels.json").write_text(json.dumps(ordered, indent=1) + "\n", "utf-8")
    return {"documents": len(converted), "queries": len(asked), "judged queries": len(judged),
            "pairs": sum(len(docs) for docs in judged.values())}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", required=True, help="short name, used in each document's url (urn:<name>:<id>)")
    parser.add_argument("--source", required=True, help="the documents' source, as the archive shows it")
    parser.add_argument("--docs", type=Path, required=True, help="the SMART documents file (cacm.all)")
    parser.add_argument("--queries", type=Path, required=True, help="the SMART queries file (query.text)")
    parser.add_argument("--qrels", type=Path, required=True, help="the relevance file (qrels.text)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    args = parser.parse_args(argv)
    counts = convert(args.name, args.source, args.docs, args.queries, args.qrels, args.out)
    print(", ".join(f"{value} {key}" for key, value in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
