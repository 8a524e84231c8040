"""A re-ingest of a changed report and the withdrawal of that report, made at the same moment by two processes, never
undo the withdrawal and never lose the update: either the re-ingest finds the report withdrawn and leaves it alone,
or its update lands first and the withdrawal follows. 50 rounds, a different report each, so every round starts
with a live report; real processes on the archive's database (SQLite, or PostgreSQL in the PostgreSQL pass).
"""

import json

import pytest

from tests.change_worker import REASON
from tests.processes import Archive, at_once, write_reports

ROUNDS = 50


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as archive:
        archive.manage("migrate", "--noinput")
        yield archive


def changed_versions(originals, folder):
    """For each report, a JSON file with the same URL (the same article) and a corrected title and text."""
    folder.mkdir()
    paths = {}
    for n, line in enumerate(originals.read_text().splitlines()):
        record = json.loads(line)
        record["title"] += " (corrected)"
        record["body"] += " The figures were corrected."
        paths[record["url"]] = folder / f"{n:02d}.json"
        paths[record["url"]].write_text(json.dumps(record))
    return paths


def test_a_reingest_racing_a_withdrawal_never_undoes_it_and_lands_before_it_or_not_at_all(archive, tmp_path):
    originals = write_reports(tmp_path / "originals.jsonl", ROUNDS, prefix="race")
    archive.manage("ingest", str(originals))
    articles = {url: (key, title) for url, key, title in archive.rows("SELECT url, key, title FROM archive_article")}
    changed = changed_versions(originals, tmp_path / "changed")

    reingested, withdrawn = {}, {}
    with archive.worker("ingest") as reingest, archive.worker("withdraw") as withdraw:
        for url, (key, _) in articles.items():
            outcome, withdrawn[url] = at_once((reingest, str(changed[url])), (withdraw, key))
            reingested[url] = outcome.removeprefix(f"{changed[url]}: ")

    assert set(withdrawn.values()) == {"withdrawn"}  # every round began with a live article
    assert set(reingested.values()) <= {"updated", "unchanged"}
    expected = {}
    for url, (_key, title) in articles.items():
        if reingested[url] == "unchanged":  # the re-ingest found the article withdrawn and left it alone
            expected[url] = (title, True, REASON, ["uploaded", "withdrew"])
        else:  # its update landed first, then the withdrawal
            expected[url] = (f"{title} (corrected)", True, REASON, ["uploaded", "reingested", "withdrew"])
    assert stored_outcomes(archive) == expected
    check = archive.manage("index_check")
    assert "articles to index: 0, documents in the index: 0" in check.stdout  # none of them searchable
    assert "missing: 0, extra: 0, stale: 0" in check.stdout


def stored_outcomes(archive: Archive) -> dict[str, tuple]:
    """Per article URL: its title, whether it is withdrawn, the reason, and its audit log's actions in order."""
    actions = {}
    for url, action in archive.rows("SELECT a.url, e.action FROM archive_auditentry e "
                                    "JOIN archive_article a ON a.id = e.article_id ORDER BY e.id"):
        actions.setdefault(url, []).append(action)
    return {url: (title, bool(withdrawn), reason, actions[url]) for url, title, withdrawn, reason in archive.rows(
        "SELECT url, title, withdrawn_at IS NOT NULL, withdrawal_reason FROM archive_article")}
