"""``manage.py retag``: reports stored before the gazetteer knew a place or a person gain its tags, and lose none."""

from io import StringIO

from django.core.management import call_command

from archive.ingest import ingest_bytes
from archive.models import Article, Person, Region
from archive.withdrawal import withdraw


def stored(text: str, name: str = "report.txt") -> Article:
    ingest_bytes(name, f"A report\n\n{text}\n".encode())
    return Article.objects.get(title="A report", body_text__contains=text[:20])


def retag(*args) -> str:
    out = StringIO()
    call_command("retag", *args, stdout=out)
    return out.getvalue()


def regions_of(article: Article) -> set[str]:
    return set(article.regions.values_list("slug", flat=True))


def test_a_person_added_to_the_list_after_ingest_is_tagged_on_the_reports_that_name_him(db):
    article = stored("Ri Pyong Chol inspected the launch.")
    Person.objects.filter(slug="ri-pyong-chol").delete()  # the list as it was before he was added
    article = stored("Ri Pyong Chol watched a test.", "later.txt")
    assert not article.people.exists()
    Person.objects.create(name="Ri Pyong Chol", slug="ri-pyong-chol", hangul=["리병철"], aliases=["Ri Byong Chol"])

    assert retag().strip() == "articles checked: 2; gained regions: 0; gained people: 2"
    assert set(Article.objects.filter(people__slug="ri-pyong-chol").values_list("pk", flat=True)) == set(
        Article.objects.values_list("pk", flat=True))


def test_regions_found_in_the_text_are_added_and_kept_as_a_correction_with_its_reason(db):
    article = stored("Traders in Hyesan said prices rose.")
    article.regions.clear()  # stored when the gazetteer did not know Hyesan
    retag()
    assert regions_of(article) == {"hyesan", "ryanggang"}
    latest = article.versions.order_by("-number").first()
    assert latest.reason == "tagged again with the current gazetteer"


def test_a_region_set_by_hand_is_never_taken_away(db):
    article = stored("Traders in Hyesan said prices rose.")
    article.regions.add(Region.objects.get(slug="sinuiju"))
    retag()
    assert regions_of(article) == {"hyesan", "ryanggang", "sinuiju"}


def test_a_dry_run_counts_and_writes_nothing(db):
    article = stored("Traders in Hyesan said prices rose.")
    article.regions.clear()
    assert retag("--dry-run").strip() == "articles checked: 1; would gain regions: 1; would gain people: 0"
    assert regions_of(article) == set()
    assert not article.versions.exists()


def test_retagging_twice_changes_nothing_the_second_time(db):
    article = stored("Traders in Hyesan said prices rose.")
    article.regions.clear()
    retag()
    versions = article.versions.count()
    assert retag().strip() == "articles checked: 1; gained regions: 0; gained people: 0"
    assert article.versions.count() == versions


def test_a_withdrawn_report_is_left_as_it_was_withdrawn(db):
    article = stored("Traders in Hyesan said prices rose.")
    article.regions.clear()
    withdraw(article, "published in error")
    assert retag().strip() == "articles checked: 0; gained regions: 0; gained people: 0"
    assert regions_of(article) == set()
