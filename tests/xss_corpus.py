"""The XSS corpus (``tests/data/xss/vectors.json``) as files to upload: each vector in an HTML page of its own, and
all of them in the titles, authors and bodies of JSON Lines, JSON and plain-text reports."""

import json
from pathlib import Path

VECTORS = json.loads((Path(__file__).parent / "data" / "xss" / "vectors.json").read_text())


def has_null_byte(vector: dict) -> bool:
    """Ingest refuses a file with a NUL byte as binary; such vectors reach the sanitizer through JSON's \\u0000."""
    return "\0" in vector["payload"]


def html_files() -> list[tuple[str, bytes]]:
    """One web page per vector, the payload in its article."""
    files = []
    for number, vector in enumerate(VECTORS, 1):
        page = (
            f"<!doctype html><html><head><title>XSS vector {number}</title></head><body>"
            f"<article><h1>XSS vector {number}: {vector['name']}</h1><p>Before the payload.</p>"
            f"{vector['payload']}<p>After the payload.</p></article></body></html>"
        )
        files.append((f"xss-{number:03d}.html", page.encode("utf-8")))
    return files


def _record(number: int, vector: dict) -> dict:
    return {
        "title": f"XSS record {number} {vector['payload']}"[:300],
        "author": vector["payload"][:200],
        "body": f"<p>XSS record {number}: {vector['name']}.</p>{vector['payload']}",
        "url": f"https://example.org/xss/{number}",
    }


def jsonl_file() -> tuple[str, bytes]:
    lines = [json.dumps(_record(number, vector)) for number, vector in enumerate(VECTORS, 1)]
    return "xss-records.jsonl", "\n".join(lines).encode("utf-8")


def json_file() -> tuple[str, bytes]:
    """All payloads in the body of one JSON report, and its title: a JSON body is HTML when it holds markup."""
    body = "\n\n".join(f"XSS text {n}. {v['payload']}" for n, v in enumerate(VECTORS, 1))
    return "xss-text.json", json.dumps({"title": "XSS vectors as JSON text", "body": body}).encode("utf-8")


def txt_file() -> tuple[str, bytes]:
    paragraphs = [f"XSS paragraph {n}: {v['payload']}" for n, v in enumerate(VECTORS, 1) if not has_null_byte(v)]
    return "xss-plain.txt", ("XSS vectors in plain text\n\n" + "\n\n".join(paragraphs)).encode("utf-8")


def all_files() -> list[tuple[str, bytes]]:
    return [*html_files(), jsonl_file(), json_file(), txt_file()]
