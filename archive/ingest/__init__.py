"""The only way reports get in. ``pipeline`` reads a file, extracts its metadata, sanitizes and stores it in one
transaction; ``readers`` has one reader per format, ``extract`` the metadata rules, ``gazetteer`` the place names,
``keys`` the permalink keys and ``report`` the upload page's rows."""

from archive.ingest.pipeline import (
    ADDED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Defaults,
    Outcome,
    ingest_bytes,
    ingest_file,
    ingest_paths,
    ingest_upload,
)

__all__ = ["ADDED", "REJECTED", "UNCHANGED", "UPDATED", "Defaults", "Outcome", "ingest_bytes", "ingest_file",
           "ingest_paths", "ingest_upload"]
