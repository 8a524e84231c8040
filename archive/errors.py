"""Errors with messages fit for users; each edge (command, page, API) maps them once."""


class ArchiveError(Exception):
    """Base of the archive's expected failures. ``str(error)`` is safe to show to a user."""


class RejectedFile(ArchiveError):
    """A file that ingest will not store: empty, binary, undecodable, oversized or malformed."""


class BadParameter(ArchiveError):
    """A search or API parameter that cannot be read (an invalid date, page or sort)."""


class RefusedChange(ArchiveError):
    """A withdrawal or merge that would break a permalink's promise (merging into itself, into a withdrawn report)."""


class IndexUnavailable(ArchiveError):
    """The search index folder is missing or unreadable: searches cannot be answered until ``rebuild_index``."""


class IndexNotCaughtUp(ArchiveError):
    """``wait_for_index`` gave up: pending index updates remain (their ``last_error`` says why)."""


class IndexWriteLost(ArchiveError):
    """An index commit holds fewer documents than were written (an indexing process died): the write is retried."""


class SnapshotRefused(ArchiveError):
    """A result-set snapshot the archive will not make or change: too many results, a title or note too long, or a
    snapshot that is not the user's to delete."""

    status = 400


class SnapshotLimitReached(SnapshotRefused):
    """The user made as many snapshots as a day allows."""

    status = 429


class SavedSearchRefused(ArchiveError):
    """A saved search the archive will not keep: no name, a name too long or already taken, or one too many."""
