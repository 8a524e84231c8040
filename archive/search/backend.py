"""The archive's Whoosh backend for haystack: the only module that imports Whoosh."""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend


class ArchiveWhooshBackend(WhooshSearchBackend):
    pass


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
