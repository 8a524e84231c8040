"""Reports leaving the archive: one article as a citation file (RIS, BibTeX, CSL-JSON) and a whole search's results
as a file (CSV, JSON Lines, RIS), streamed.

Every format names the author unambiguously from ``archive.names`` (family and given name) and points at the
archive's permalink. ``records`` turns one article into each format's record, ``citations`` names the citation
files, and ``stream`` turns a search's article ids into a file, a chunk of rows at a time.
"""

from archive.exports.citations import CITATION_FORMATS
from archive.exports.stream import EXPORT_FORMATS, stream_export

__all__ = ["CITATION_FORMATS", "EXPORT_FORMATS", "stream_export"]
