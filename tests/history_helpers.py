"""A report written to a file for the corrections tests, so a test can change it and ingest it again."""

import json
from pathlib import Path

REPORT = {
    "title": "Border guards in Hyesan ordered to join smuggling",
    "body": "Border guards in Hyesan were ordered to help trading companies move goods.\n\n"
            "The order came from the intelligence agency, a source said.\n\n"
            "Traders expect prices to fall once the goods arrive.",
    "source": "Daily NK",
    "regions": ["Hyesan"],
    "url": "https://example.org/reports/hyesan-guards",
    "date": "2019-03-04",
    "author": "Kang Mi Jin",
    "language": "en",
}


def write_report(folder: Path, name: str = "guards.json", **changes) -> Path:
    """The report as a JSON file; its URL is its origin, so writing it again with changes updates the same key."""
    path = folder / name
    path.write_text(json.dumps({**REPORT, **changes}), encoding="utf-8")
    return path


def correct(article, reason: str = "", regions=None, **changes):
    """Correct an article as the admin does, through ``archive.history.correct``; regions given by slug."""
    from archive.history import correct
    from archive.models import Region

    if regions is not None:
        regions = Region.objects.filter(slug__in=regions)
    return correct(article, changes, regions=regions, reason=reason)
