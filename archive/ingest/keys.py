"""Permalink keys: derived from what identifies the report, never from a database id or a bare file name."""

import base64
import hashlib

KEY_LENGTH = 10


def identity(url: str, digest: str) -> str:
    """What a report is: its own URL when it has one, else its content (the SHA-256 of its bytes as ingested).

    Never the file's name: staff upload a ``report.txt`` week after week, and each is a report of its own. The same
    bytes ingested again are the same report (``unchanged``); replacing a report's text is an explicit correction.
    """
    return f"url:{url}" if url else f"sha256:{digest}"


def article_key(origin: str) -> str:
    """Ten lowercase base32 characters of SHA-256(origin): URL-safe, and the same in every database, so a report
    ingested into a fresh database, or a database moved to PostgreSQL, keeps its permalink."""
    digest = hashlib.sha256(origin.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:KEY_LENGTH]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
