"""The archive's Whoosh index behind haystack: the only package that imports Whoosh.

``ArchiveWhooshEngine`` is what ``HAYSTACK_CONNECTIONS`` names; ``archive.search.engine`` asks ``ArchiveWhooshBackend``
for what other haystack engines do not offer. Inside, one job a module:

- ``backend``: the haystack adapter (search, write, clear), small; it calls the others.
- ``schema``: the fields (facet values whole, dates sortable, word pairs beside each text field) and the query parser.
- ``generations``: the open index shared by a process's threads; bulk rebuilds as generations behind ``CURRENT``.
- ``writing``: one commit per batch, parallel bulk writes, which segments merge.
- ``catalog``: per-value document sets, the date order and kept rankings, for facet counts and pages.
- ``phrases``: the fast paths: phrases from word pairs, NOT as a set subtraction, prefixes as unions of sets.
- ``snippets``: marked fragments of the results and spelling suggestions.
"""

from archive.search.whoosh.backend import ArchiveWhooshBackend, ArchiveWhooshEngine, ArchiveWhooshSearchQuery

__all__ = ["ArchiveWhooshBackend", "ArchiveWhooshEngine", "ArchiveWhooshSearchQuery"]
