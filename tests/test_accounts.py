"""Accounts for analysts: staff create non-staff analysts in the admin; analysts sign in and out at the archive's own
pages (CSRF, a ``next`` that stays on the site); reading stays open to everyone; staff-only pages stay staff-only."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from archive.accounts import ANALYSTS, analysts_group, is_analyst
from tests.conftest import PASSWORD


@pytest.fixture
def analyst(django_user_model):
    user = django_user_model.objects.create_user("analyst", password=PASSWORD)
    user.groups.add(analysts_group())
    return user


def sign_in(client, username="analyst", password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def test_the_analysts_group_is_made_by_the_migrations(db):
    assert Group.objects.filter(name=ANALYSTS).exists()


def test_staff_create_an_analyst_in_the_admin_and_it_is_not_staff(admin_client, django_user_model):
    form = admin_client.get("/admin/auth/user/add/").content.decode()
    assert 'name="analyst"' in form and "checked" in form.split('name="analyst"')[1].split(">")[0]
    response = admin_client.post("/admin/auth/user/add/", {
        "username": "kim.analyst", "usable_password": "true", "password1": "a long analyst password",
        "password2": "a long analyst password", "analyst": "on"})
    assert response.status_code == 302
    user = django_user_model.objects.get(username="kim.analyst")
    assert list(user.groups.values_list("name", flat=True)) == [ANALYSTS]
    assert not user.is_staff and not user.is_superuser
    assert is_analyst(user)


def test_an_account_made_without_the_analyst_box_is_not_an_analyst(admin_client, django_user_model):
    admin_client.post("/admin/auth/user/add/", {
        "username": "reader", "usable_password": "true", "password1": "a long reader password",
        "password2": "a long reader password"})
    user = django_user_model.objects.get(username="reader")
    assert not user.groups.exists() and not is_analyst(user)


def test_the_login_page_has_the_archives_look_and_a_csrf_token(db, client):
    response = client.get("/accounts/login/?next=/search/%3Fq%3Drice")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<header class="site-header">' in page and "<h1>Sign in</h1>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<input type="hidden" name="next" value="/search/?q=rice">' in page
    assert "admin" not in page.split("<main")[1]


def test_an_analyst_signs_in_and_goes_where_next_says(analyst, client):
    response = sign_in(client, next="/search/?q=rice")
    assert response.status_code == 302 and response["Location"] == "/search/?q=rice"
    assert client.session["_auth_user_id"] == str(analyst.pk)


def test_without_next_signing_in_goes_home(analyst, client):
    assert sign_in(client)["Location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/path", "http://evil.example@testserver/",
                                    "javascript:alert(1)", "/\\evil.example"])
def test_a_next_that_leaves_the_site_is_not_followed(analyst, client, target):
    response = sign_in(client, next=target)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_keeps_the_user_name_and_signs_nobody_in(analyst, client):
    response = sign_in(client, password="not the password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in page
    assert 'value="analyst"' in page
    assert "_auth_user_id" not in client.session


def test_a_hostile_user_name_is_shown_as_text(db, client):
    page = sign_in(client, username='"><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&quot;&gt;&lt;script&gt;" in page


def test_signing_in_needs_the_csrf_token(analyst):
    browser = Client(enforce_csrf_checks=True)
    assert sign_in(browser).status_code == 403
    assert "_auth_user_id" not in browser.session


def test_signing_out_is_a_post_with_its_csrf_token(analyst):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(analyst)
    assert browser.get("/accounts/logout/").status_code == 405
    assert browser.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in browser.session
    page = browser.get("/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in browser.session


def test_the_header_offers_sign_in_or_names_the_user_with_sign_out(analyst, client):
    page = client.get("/search/?q=rice").content.decode()
    assert '<a class="sign-in-link" href="/accounts/login/?next=/search/%3Fq%3Drice">Sign in</a>' in page
    assert "Sign out" not in page
    client.force_login(analyst)
    page = client.get("/").content.decode()
    assert "Signed in as <strong>analyst</strong>" in page
    assert 'action="/accounts/logout/"' in page and ">Sign out</button>" in page
    assert "Sign in</a>" not in page
    assert 'href="/upload/"' not in page  # staff links are for staff


@pytest.mark.parametrize("path", ["/", "/search/?q=rice", "/coverage/", "/help/search/", "/about/data/"])
def test_reading_stays_open_to_everyone(db, client, path):
    assert client.get(path).status_code == 200


def test_staff_only_pages_send_visitors_to_the_staff_sign_in_and_refuse_analysts(analyst, client):
    response = client.get("/upload/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/upload/"
    client.force_login(analyst)
    assert client.get("/upload/").status_code == 403
    assert client.get("/admin/").status_code == 302  # the admin's own login: "not authorized" for this account


def test_staff_sign_in_at_the_archives_page_too(client, staff_user):
    response = sign_in(client, username="editor", next="/upload/")
    assert response["Location"] == "/upload/"
    assert client.get("/upload/").status_code == 200
