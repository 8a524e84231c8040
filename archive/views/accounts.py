"""Signing in and out at the archive's own pages (``/accounts/login/``, ``/accounts/logout/``).

Django's views do the work: the login form checks the password, and ``next`` is followed only when it stays on this
site (``url_has_allowed_host_and_scheme``); anything else goes home. Signing out is a POST with its CSRF token.
Attempts are counted by the sign-in throttle (``archive.http.login_throttle``), as the admin's are.
"""

from django.contrib.auth import views as auth_views

login = auth_views.LoginView.as_view(template_name="login.html")
logout = auth_views.LogoutView.as_view()
