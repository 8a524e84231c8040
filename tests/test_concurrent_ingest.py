"""Two ingests at the same moment never cost each other a file: when both store the same new report, name the same
new source or keep the same former key, the one that commits second stores its file again and everything is kept.
20 rounds, two real processes started together each round, on the archive's database (SQLite, or PostgreSQL in the
PostgreSQL pass, where the two transactions really run side by side).
"""

import json

import pytest

from tests.processes import Archive, at_once

ROUNDS = 20


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as archive:
        archive.manage("migrate", "--noinput")
        yield archive


def ingest_in_pairs(archive: Archive, pairs: list[tuple]) -> list[list[str]]:
    """Each pair of files ingested by two processes at once; the outcome lines, a pair per round."""
    with archive.worker("ingest") as first, archive.worker("ingest") as second:
        return [at_once((first, str(one)), (second, str(other))) for one, other in pairs]


def report(url: str, source: str, title: str) -> str:
    return json.dumps({"title": title, "body": f"{title}: traders in Hyesan say rice prices rose.", "url": url,
                       "source": source, "date": "2024-03-01"})


def test_two_ingests_at_once_of_files_sharing_a_new_report_and_a_new_source_store_both_files(archive, tmp_path):
    pairs = []
    for n in range(ROUNDS):
        shared = report(f"https://example.org/shared/{n}", f"New Source {n}", f"Shared report {n}")
        for side in ("a", "b"):
            path = tmp_path / side / f"{n:02d}.jsonl"
            path.parent.mkdir(exist_ok=True)
            path.write_text(shared + "\n" + report(f"https://example.org/{side}/{n}", f"New Source {n}",
                                                   f"Report {n} of side {side}") + "\n")
        pairs.append((tmp_path / "a" / f"{n:02d}.jsonl", tmp_path / "b" / f"{n:02d}.jsonl"))

    outcomes = ingest_in_pairs(archive, pairs)

    # Whichever stored the shared report first added both of its reports; the other found that one stored.
    assert [sorted(line.split(": ", 1)[1] for line in answers) for answers in outcomes] == \
        [["added (1 added, 1 unchanged)", "added (2 added)"]] * ROUNDS
    assert archive.rows("SELECT COUNT(*), COUNT(DISTINCT url) FROM archive_article") == [(3 * ROUNDS, 3 * ROUNDS)]
    per_source = archive.rows("SELECT s.name, COUNT(*) FROM archive_article a JOIN archive_source s "
                              "ON s.id = a.source_id GROUP BY s.name")
    assert sorted(per_source) == sorted((f"New Source {n}", 3) for n in range(ROUNDS))


def test_two_ingests_at_once_of_reports_without_a_url_under_one_file_name_store_both_and_one_former_key(
        archive, tmp_path):
    """Before identity came from content, a report without a URL was keyed by its file name: the first report
    stored under that name keeps the name's key as a former key, and two stored at once cannot both take it."""
    pairs = []
    for n in range(ROUNDS):
        for side in ("a", "b"):
            path = tmp_path / side / f"report{n}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"Report {n} from side {side}\n\nTraders in Hyesan say rice prices rose ({side}{n}).\n")
        pairs.append((tmp_path / "a" / f"report{n}.txt", tmp_path / "b" / f"report{n}.txt"))

    outcomes = ingest_in_pairs(archive, pairs)

    assert outcomes == [[f"{one}: added", f"{other}: added"] for one, other in pairs]
    assert archive.count("archive_article") == 2 * ROUNDS
    assert archive.count("archive_formerkey") == ROUNDS
