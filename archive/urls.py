from django.contrib import admin
from django.urls import path

from archive import api
from archive.views import articles, pages, upload

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("regions/<slug:value>/", pages.browse, {"facet": "region"}, name="browse-region"),
    path("sources/<slug:value>/", pages.browse, {"facet": "source"}, name="browse-source"),
    path("years/<slug:value>/", pages.browse, {"facet": "year"}, name="browse-year"),
    path("authors/<slug:value>/", pages.browse, {"facet": "author"}, name="browse-author"),
    path("coverage/", pages.coverage_page, name="coverage"),
    path("help/search/", pages.search_help, name="search-help"),
    path("articles/<str:key>/", articles.article, name="article-short"),
    # Before the slug route, which would take "v" for a slug.
    path("articles/<str:key>/v/", articles.history, name="article-history"),
    path("articles/<str:key>/v/<int:number>/", articles.version, name="article-version"),
    path("articles/<str:key>/<str:slug>/", articles.article, name="article"),
    path("api/search/", api.search, name="api-search"),
    path("healthz", api.healthz, name="healthz"),
    path("upload/", upload.upload, name="upload"),
    path("upload/files/", upload.upload_files, name="upload-files"),
    path("admin/", admin.site.urls),
]
