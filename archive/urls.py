from django.contrib import admin
from django.urls import path

from archive import api
from archive.views import articles, pages, upload

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("articles/<str:key>/", articles.article, name="article-short"),
    path("articles/<str:key>/<str:slug>/", articles.article, name="article"),
    path("api/search/", api.search, name="api-search"),
    path("healthz", api.healthz, name="healthz"),
    path("upload/", upload.upload, name="upload"),
    path("admin/", admin.site.urls),
]
