"""Withdrawing a report (its permalink answers 410 Gone) and merging a duplicate into a survivor (301).

Neither deletes anything: the row and its key stay, so the key is never given to another report and the permalink
can explain itself for ever. Both leave search after commit (``Article.objects.searchable()`` excludes them).
"""

from django.db import transaction
from django.utils import timezone

from archive.audit import Action, audit
from archive.errors import RefusedChange
from archive.models import Article
from archive.search.indexing import index_after_commit

MAX_CHAIN = 100  # merges form chains (A into B, later B into C); guards build no cycles, this guards the guard


def withdraw(article: Article, reason: str, actor=None) -> Article:
    """Withdraw a live article with a reason readers will see."""
    reason = reason.strip()
    if not reason:
        raise RefusedChange("Give a reason: readers see it where the report was.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        _require_live(article, "withdraw")
        article.withdrawn_at = timezone.now()
        article.withdrawal_reason = reason
        article.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        audit(Action.WITHDREW, article, actor, reason)
        index_after_commit([article.pk])
    return article


def merge(duplicate: Article, survivor: Article, actor=None, reason: str = "") -> Article:
    """Merge a live duplicate into a live survivor; the duplicate's permalink then redirects to the survivor."""
    if duplicate.pk == survivor.pk:
        raise RefusedChange(f"Report {duplicate.key} cannot be merged into itself.")
    with transaction.atomic():
        duplicate = Article.objects.select_for_update().get(pk=duplicate.pk)
        survivor = Article.objects.select_for_update().get(pk=survivor.pk)
        _require_live(duplicate, "merge")
        if survivor.is_withdrawn:
            raise RefusedChange(f"Report {survivor.key} was withdrawn; merge into a report readers can see.")
        if survivor.is_merged:
            final = final_survivor(survivor)
            raise RefusedChange(f"Report {survivor.key} was itself merged into {final.key}; merge into {final.key}.")
        duplicate.merged_into = survivor
        duplicate.merged_at = timezone.now()
        duplicate.save(update_fields=["merged_into", "merged_at"])
        audit(Action.MERGED, duplicate, actor, "; ".join(filter(None, [f"into {survivor.key}", reason.strip()])))
        index_after_commit([duplicate.pk])
    return duplicate


def final_survivor(article: Article) -> Article:
    """The article a merged one finally redirects to, following chains in one hop for the reader."""
    for _ in range(MAX_CHAIN):
        if not article.is_merged:
            return article
        article = Article.objects.get(pk=article.merged_into_id)
    raise RefusedChange(f"The merges from {article.key} form a chain longer than {MAX_CHAIN}.")


def _require_live(article: Article, verb: str) -> None:
    if article.is_withdrawn:
        raise RefusedChange(f"Report {article.key} is already withdrawn.")
    if article.is_merged:
        final = final_survivor(article)
        raise RefusedChange(f"Report {article.key} was merged into {final.key}; {verb} that one instead.")
