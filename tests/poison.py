"""Files that once stopped a batch or were stored as reports, and a batch of 20 with them among good reports.

Shared by the ingest tests (``manage.py ingest``) and the browser test of the upload page, so both meet the same
files. Each poison file is paired with the reason a user is shown."""

import json

# A published XSS vector that browsers parse without complaint; Python's html.parser refused it and ended the batch.
XSS_VECTOR = '<![><img src="]><img src=x onerror=alert(1)//">'
HYESAN = "Rice prices soar in Hyesan\n\nA source in Hyesan said rice now costs twice what it did in spring.\n"

POISON = {
    # Only the vector: a browser shows nothing readable, so there is no article text to store.
    "vector-only.html": (f"<!doctype html><html><body>{XSS_VECTOR}</body></html>".encode(),
                         "the HTML has no article text"),
    "deep.json": (b'{"body": "Rice in Hyesan", "notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                  "the JSON is nested too deeply to be a report"),
    "junk.txt": (b"\xff\xfe\x00" * 200, "the file is not readable text"),
    "long-number.json": (b'{"body": "Rice in Hyesan", "date": ' + b"9" * 5000 + b"}",
                         "the JSON holds a number too long to read"),
    "private-use.txt": (("\ue000\ue001\ue002 " * 100).encode(), "the file is not readable text"),
}


def good_files() -> dict[str, bytes]:
    """Fifteen good reports in every format, each different; one HTML page carries the XSS vector in its text."""
    files = {}
    for n in range(5):
        files[f"report-{n:02d}.txt"] = f"Market report {n} from Hyesan\n\nTraders in Hyesan said item {n} sold well.\n".encode()
        record = {"title": f"Fuel report {n}", "body": f"Diesel number {n} is short in Chongjin.",
                  "url": f"https://example.org/fuel/{n}"}
        files[f"report-{n:02d}.json"] = json.dumps(record).encode()
    for n in range(4):
        files[f"report-{n:02d}.html"] = (
            f"<!doctype html><html><head><title>Border report {n}</title></head><body><article>"
            f"<p>Guards on the border near Sinuiju were replaced, report {n} says.</p>{XSS_VECTOR}</article></body></html>"
        ).encode()
    files["report-records.jsonl"] = "\n".join(
        json.dumps({"title": f"Record {n}", "body": f"Students in Wonsan were mobilised, record {n}."})
        for n in range(3)
    ).encode()
    return files


def batch() -> dict[str, bytes]:
    """Twenty files: the fifteen good ones with the five poison files among them (names sort them in between)."""
    files = good_files()
    files.update({f"report-{n:02d}-{name}": data for n, (name, (data, _)) in enumerate(POISON.items())})
    assert len(files) == 20
    return dict(sorted(files.items()))


def expected_reason(name: str) -> str | None:
    """The reason shown for a file of ``batch()``, or None for a good file."""
    for poison, (_, reason) in POISON.items():
        if name.endswith(poison):
            return reason
    return None
