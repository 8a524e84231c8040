"""Who may see what: every view not declared public refuses anonymous and non-staff users, and nothing serves an
uploaded file as it was sent."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve

from archive.models import Article
from archive.search import SearchParams
from archive.snapshots import save_snapshot

# The views anyone may use. A new view is staff-only until it is named here.
PUBLIC = {
    "home", "search", "about-data", "browse-region", "browse-source", "browse-year", "browse-author", "browse-person",
    "browse-language", "article-short", "article",
    "article-history", "article-version", "article-related", "api-search", "healthz", "admin:login", "admin:logout",
    "search-feed", "search-export", "article-cite", "api-docs", "api-not-found", "api-v1:openapi-json",
    "api-v1:search", "api-v1:article", "api-v1-root", "api-v1:api-root", "coverage", "search-help",
    "login", "logout", "snapshot", "snapshot-export", "snapshot-canonical", "snapshot-again",
}
# Forms that analysts post (tests/test_snapshots.py); a GET is refused like a staff-only view's.
ANALYSTS_POST = {"snapshot-create", "snapshot-delete"}
# The views of any signed-in user, staff or not (an analyst's own saved searches): anonymous users are sent to log in.
SIGNED_IN = {"my-searches", "saved-search-save", "saved-search-open", "saved-search-rename", "saved-search-digest",
             "saved-search-new-feed-address", "saved-search-delete"}
# Opened by an address that holds a secret token, not by signing in (tests/test_saved_searches.py checks the token).
BY_TOKEN = {"saved-search-feed"}
# The two sign-in pages: the admin's (staff-only views) and the archive's own (LOGIN_URL, analysts' views).
LOGINS = {"/admin/login/", "/accounts/login/"}


def _sample_path(route: str, values: dict[str, str]) -> str:
    """A concrete path for a route that names a real object: a parameter takes its value from ``values`` (an
    article's key, slug and id), else 1; a regex group its last alternative, or any text."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), route)
    path = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[-1], path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "anything/", path)
    return "/" + path.replace("^", "").replace("$", "")


def _routes(patterns=None, prefix="", namespace=""):
    """(name, route, pattern) for every view in the URLconf, admin included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


STAFF_ONLY = [(name, route) for name, route, _ in _routes() if name not in PUBLIC | SIGNED_IN | BY_TOKEN]


@pytest.fixture
def article(db, ingest, django_user_model):
    from tests.conftest import DATA

    ingest(DATA / "ingest" / "reports.jsonl")
    article = Article.objects.filter(author_slug__gt="").exclude(published=None).exclude(source=None).first()
    article.snapshot = save_snapshot(django_user_model.objects.create_user("analyst"), SearchParams())
    return article


def _path(route: str, article) -> str:
    """Browse routes get a value the article has (an unknown one is a 404)."""
    values = {"regions/": article.regions.first().slug, "sources/": article.source.slug,
              "years/": article.published.year if article.published else "undated", "authors/": article.author_slug,
              "people/": getattr(article.people.first(), "slug", "kim-jong-un"), "languages/": article.language}
    value = next((str(v) for prefix, v in values.items() if route.startswith(prefix)), "2020")
    return _sample_path(route, {"key": article.key, "slug": article.slug, "object_id": str(article.pk),
                                "id": str(article.pk), "value": value, "suffix": "ris",
                                "snapshot_id": article.snapshot.id})


def _refused(client, path: str) -> bool:
    """Refused: a 403 or 405, or (after any redirects) the login page instead of the view. A 404 is not a refusal:
    the paths name a real article, so a view answering 404 was not asked the question."""
    response = client.get(path, follow=True)
    return response.status_code in (403, 405) or response.request["PATH_INFO"] in LOGINS


def test_the_urlconf_has_staff_only_views_to_check():
    names = {name for name, _ in STAFF_ONLY}
    assert {"upload", "admin:index", "admin:archive_article_changelist", "admin:archive_article_change"} <= names
    assert ANALYSTS_POST <= names


@pytest.mark.parametrize("name,route", STAFF_ONLY)
def test_anonymous_users_are_refused(client, article, name, route):
    path = _path(route, article)
    assert _refused(client, path), f"{name} ({path}) answered an anonymous user"


@pytest.mark.parametrize("name,route", STAFF_ONLY)
def test_signed_in_users_who_are_not_staff_are_refused(client, article, django_user_model, name, route):
    client.force_login(django_user_model.objects.create_user("reader", password="a long password"))
    path = _path(route, article)
    assert _refused(client, path), f"{name} ({path}) answered a non-staff user"


@pytest.mark.parametrize("name", sorted(PUBLIC - {"admin:logout", "logout", "api-not-found"}))  # the last: a JSON 404
def test_the_public_views_answer_anonymous_users(client, article, name):
    """So the sample paths name real objects: each public view answers them (a redirect to itself counts)."""
    route = next(route for n, route, _ in _routes() if n == name)
    response = client.get(_path(route, article), follow=True)
    assert response.status_code == 200, name


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_the_signed_in_views_refuse_anonymous_users(client, article, name):
    route = next(route for n, route, _ in _routes() if n == name)
    assert _refused(client, _path(route, article)), name


def test_a_signed_in_user_who_is_not_staff_gets_their_searches(client, article, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a long password"))
    assert client.get("/my/searches/").status_code == 200


def test_staff_do_get_the_upload_page_and_the_article_admin(admin_client, article):
    """So the refusals above are about who asks, not broken URLs."""
    client = admin_client
    assert client.get("/upload/").status_code == 200
    assert client.get(f"/admin/archive/article/{article.pk}/change/").status_code == 200


def test_no_route_serves_files_from_disk():
    assert not [path for _, path, pattern in _routes() if isinstance(pattern, URLPattern) and pattern.callback is serve]
    assert not settings.MEDIA_ROOT  # no media folder: uploads are not media
    assert not getattr(settings, "WHITENOISE_ROOT", None)
    static_sources = [*map(str, settings.STATICFILES_DIRS), str(settings.STATIC_ROOT)]
    assert not [s for s in static_sources if s.startswith(str(settings.ARCHIVE_UPLOAD_DIR))]
    assert not [s for s in static_sources if str(settings.ARCHIVE_UPLOAD_DIR).startswith(s)]


def test_an_uploaded_file_is_never_served_as_it_was_sent(client, django_user_model, django_capture_on_commit_callbacks):
    raw = (b"<html><head><title>Famine in Ryanggang</title></head><body><article><p>Hunger spread in Hyesan."
           b"<script>alert('raw')</script></p></article></body></html>")
    client.force_login(django_user_model.objects.create_user("editor", password="a long password", is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/upload/", {"files": [SimpleUploadedFile("famine-raw.html", raw)]})
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content
    assert b"Hunger spread in Hyesan." in page
    assert b"alert('raw')" not in page
    stored = [p for p in settings.ARCHIVE_UPLOAD_DIR.rglob("*") if p.is_file()] if settings.ARCHIVE_UPLOAD_DIR.exists() else []
    candidates = ["famine-raw.html", *(str(p.relative_to(settings.ARCHIVE_UPLOAD_DIR)) for p in stored)]
    for name in candidates:
        for prefix in ("/", "/uploads/", "/media/", "/static/", "/static/uploads/", "/var/uploads/"):
            response = client.get(prefix + name)
            assert response.status_code == 404, prefix + name
