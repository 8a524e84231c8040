"""The archive under load, in the suite so CI runs it (``make load`` runs it alone): gunicorn with 4 workers searched
by 6 threads while 3 ingests add 300 articles each and a fourth is killed half-way and run again; on the suite's
database (SQLite, or a database of its own on the suite's PostgreSQL server in the PostgreSQL pass)."""

import io
import sys

from tests.processes import ROOT, suite_database_server

sys.path.insert(0, str(ROOT / "bench"))
from load import run_load  # noqa: E402


def test_concurrent_ingests_and_a_killed_one_under_search_load_lose_nothing_and_never_answer_5xx(capsys):
    report = io.StringIO()
    figures = run_load(per_ingest=300, searchers=6, workers=4, out=report, database_server=suite_database_server())
    with capsys.disabled():  # the figures belong in CI's log, pass or fail
        print("\n" + report.getvalue())
    assert figures["failures"] == [], report.getvalue()
    assert figures["5xx"] == 0 and figures["errors"] == 0 and figures["requests"] > 0
    assert figures["articles"] == figures["expected"] == figures["indexed"] == 1201
    assert figures["pending"] == 0
