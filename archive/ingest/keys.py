"""Permalink keys: derived from what identifies the source document, never from a database id."""

import base64
import hashlib

KEY_LENGTH = 10


def article_key(origin: str) -> str:
    """Ten lowercase base32 characters of SHA-256(origin): URL-safe, and the same in every database.

    ``origin`` is the document's own URL when it has one, else its file name (and record number in a JSON file),
    so an edited file re-ingested keeps its key and its permalink.
    """
    digest = hashlib.sha256(origin.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:KEY_LENGTH]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
