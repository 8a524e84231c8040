"""The audit log: who uploaded, edited, withdrew or merged which article, and when.

Callers write the entry inside the transaction that makes the change, so the log and the articles never disagree.
"""

from archive.models import Article, AuditEntry

Action = AuditEntry.Action


def audit(action: str, article: Article, actor=None, detail: str = "") -> AuditEntry:
    """Record one change; ``actor`` is the Django user, or None for the ingest command."""
    return AuditEntry.objects.create(
        action=action, article=article, article_key=article.key, actor=_user_or_none(actor), detail=detail[:2000]
    )


def _user_or_none(actor):
    """An anonymous user (never staff, but a view could pass request.user) is recorded as no one."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
