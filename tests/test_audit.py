"""The audit log: who uploaded, edited, withdrew, merged or deleted which article and when, written in the same
transaction as the change and visible to staff in the admin, read-only."""

import pytest
from django.db import transaction

from archive.ingest import ingest_paths
from archive.models import Article, AuditEntry
from archive.withdrawal import merge, withdraw
from tests.admin_helpers import edit_in_admin
from tests.history_helpers import write_report


def entries():
    return [(e.action, e.actor.username if e.actor else None, e.article_key, e.detail)
            for e in AuditEntry.objects.order_by("pk")]


def test_the_ingest_command_is_audited_as_no_one(ingest, tmp_path):
    ingest(write_report(tmp_path))
    article = Article.objects.get()
    assert entries() == [("uploaded", None, article.key, "url:https://example.org/reports/hyesan-guards")]


def test_an_upload_is_audited_with_its_actor(db, tmp_path, django_user_model):
    archivist = django_user_model.objects.create_user("archivist", is_staff=True)
    [outcome] = list(ingest_paths([write_report(tmp_path)], actor=archivist))
    assert [(e[0], e[1], e[2]) for e in entries()] == [("uploaded", "archivist", outcome.keys[0])]


def test_an_admin_edit_is_audited_with_what_changed(ingest, tmp_path, admin_client):
    ingest(write_report(tmp_path))
    article = Article.objects.get()
    response = edit_in_admin(admin_client, article, regions=["samsu", "ryanggang"], correction_reason="Wrong city")
    assert response.status_code == 302
    assert entries()[-1] == ("edited", "admin", article.key, "regions: Hyesan -> Samsu; Wrong city")


def test_a_reingest_of_a_changed_file_is_audited(ingest, tmp_path):
    ingest(write_report(tmp_path))
    ingest(write_report(tmp_path, author="Kim Ji Eun"))
    assert entries()[-1][:2] == ("reingested", None)
    assert entries()[-1][3] == "author: Kang Mi Jin -> Kim Ji Eun"


def test_an_unchanged_reingest_is_not_audited(ingest, tmp_path):
    ingest(write_report(tmp_path))
    ingest(write_report(tmp_path))
    assert [e[0] for e in entries()] == ["uploaded"]


def test_withdrawals_and_merges_are_audited_with_their_actor(ingest, tmp_path, admin_user):
    ingest(write_report(tmp_path, "a.json"), write_report(tmp_path, "b.json", url="https://example.org/b"),
           write_report(tmp_path, "c.json", url="https://example.org/c"))
    a, b, c = Article.objects.order_by("pk")
    withdraw(a, "Unconfirmed.", admin_user)
    merge(b, c, admin_user, "Same report")
    assert entries()[-2:] == [("withdrew", "admin", a.key, "Unconfirmed."),
                              ("merged", "admin", b.key, f"into {c.key}; Same report")]


def test_the_entry_is_part_of_the_change_s_transaction(ingest, tmp_path):
    ingest(write_report(tmp_path))
    article = Article.objects.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        withdraw(article, "Unconfirmed.")
        raise RuntimeError("the request failed after the withdrawal")
    assert not Article.objects.get().is_withdrawn
    assert [e[0] for e in entries()] == ["uploaded"]


def test_a_deletion_is_audited_and_the_entry_keeps_the_key(ingest, tmp_path, admin_client):
    ingest(write_report(tmp_path))
    article = Article.objects.get()
    assert admin_client.post(f"/admin/archive/article/{article.pk}/delete/", {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="deleted")
    assert (entry.article, entry.article_key, entry.actor.username) == (None, article.key, "admin")


def test_staff_see_the_log_in_the_admin_filtered_by_action(ingest, tmp_path, admin_client):
    ingest(write_report(tmp_path))
    withdraw(Article.objects.get(), "Unconfirmed.")
    page = admin_client.get("/admin/archive/auditentry/?action__exact=withdrew").content.decode()
    assert "Unconfirmed." in page
    assert "url:https://example.org/reports/hyesan-guards" not in page  # the upload entry is filtered out


def test_the_log_is_read_only(ingest, tmp_path, admin_client):
    ingest(write_report(tmp_path))
    entry = AuditEntry.objects.get()
    assert admin_client.get("/admin/archive/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/archive/auditentry/{entry.pk}/change/", {"detail": "forged"}).status_code == 403
    assert admin_client.post(f"/admin/archive/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().detail == entry.detail


def test_the_log_is_not_public(ingest, tmp_path, client):
    ingest(write_report(tmp_path))
    response = client.get("/admin/archive/auditentry/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
