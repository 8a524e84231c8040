"""Tag the archive's articles again after the gazetteer or the list of people grew (``manage.py retag``).

Ingest tags a report with the places and people the gazetteer knew that day; a gazetteer rebuilt later (new places,
new spellings, new people) reaches the reports already stored only through here. Retagging only adds: a region a
record listed, or one an archivist set by hand, is never taken away. A change of regions is kept as a correction
(readers see regions, so the article's history says when and why they changed); people are added without a version,
as ingest adds them.
"""

from dataclasses import dataclass

from archive.history import correct
from archive.ingest.gazetteer import table_version, tag
from archive.models import Article

REASON = "tagged again with the current gazetteer"
BATCH = 500  # articles read at a time: the whole archive is never held in memory


@dataclass
class Retagged:
    checked: int = 0
    regions_added: int = 0  # articles that gained regions
    people_added: int = 0   # articles that gained people


def retag(dry_run: bool = False, progress=None) -> Retagged:
    """Add to every searchable article (neither withdrawn nor merged) the regions and people its title and text
    name that it does not have yet."""
    version = table_version()
    outcome = Retagged()
    last_pk = 0
    while True:
        batch = list(Article.objects.searchable().filter(pk__gt=last_pk).order_by("pk")
                     .prefetch_related("regions", "people")[:BATCH])
        if not batch:
            return outcome
        for article in batch:
            found = tag([article.title, *article.body_text.split("\n\n")], version)
            regions = {region.pk: region for region in article.regions.all()}
            people = {person.pk: person for person in article.people.all()}
            new_regions = [region for region in found.regions if region.pk not in regions]
            new_people = [person for person in found.people if person.pk not in people]
            outcome.checked += 1
            outcome.regions_added += bool(new_regions)
            outcome.people_added += bool(new_people)
            if (new_regions or new_people) and not dry_run:
                correct(article, {}, regions=[*regions.values(), *new_regions] if new_regions else None,
                        people=[*people.values(), *new_people] if new_people else None, reason=REASON)
            if progress is not None:
                progress.update(outcome.checked)
        last_pk = batch[-1].pk
