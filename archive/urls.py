from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from archive.views import accounts, api, articles, exports, pages, snapshots, upload, watches
from archive.views.feeds import SavedSearchFeed, SearchFeed

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("search/feed/", SearchFeed(), name="search-feed"),
    path("search/export.<str:suffix>", exports.export, name="search-export"),
    path("about/data/", pages.about_data, name="about-data"),
    path("regions/<slug:value>/", pages.browse, {"facet": "region"}, name="browse-region"),
    path("sources/<slug:value>/", pages.browse, {"facet": "source"}, name="browse-source"),
    path("years/<slug:value>/", pages.browse, {"facet": "year"}, name="browse-year"),
    path("authors/<slug:value>/", pages.browse, {"facet": "author"}, name="browse-author"),
    path("coverage/", pages.coverage_page, name="coverage"),
    path("help/search/", pages.search_help, name="search-help"),
    path("people/<slug:value>/", pages.browse, {"facet": "person"}, name="browse-person"),
    path("languages/<slug:value>/", pages.browse, {"facet": "language"}, name="browse-language"),
    path("articles/<str:key>/", articles.article, name="article-short"),
    path("articles/<str:key>/cite.<str:suffix>", articles.citation_file, name="article-cite"),
    # Before the slug route, which would take "v" or "related" for a slug (models.ARTICLE_SUBPAGES).
    path("articles/<str:key>/v/", articles.history, name="article-history"),
    path("articles/<str:key>/related/", articles.related, name="article-related"),
    path("articles/<str:key>/v/<int:number>/", articles.version, name="article-version"),
    path("articles/<str:key>/<str:slug>/", articles.article, name="article"),
    path("my/searches/", watches.my_searches, name="my-searches"),
    path("my/searches/save/", watches.save, name="saved-search-save"),
    path("my/searches/<int:pk>/", watches.open_search, name="saved-search-open"),
    path("my/searches/<int:pk>/rename/", watches.rename, name="saved-search-rename"),
    path("my/searches/<int:pk>/digest/", watches.digest, name="saved-search-digest"),
    path("my/searches/<int:pk>/feed-address/", watches.new_feed_address, name="saved-search-new-feed-address"),
    path("my/searches/<int:pk>/delete/", watches.delete, name="saved-search-delete"),
    path("my/searches/<int:pk>/feed/<str:token>/", SavedSearchFeed(), name="saved-search-feed"),
    path("api/search/", api.search, name="api-search"),
    path("api/v1/docs/", api.docs, name="api-docs"),
    path("api/v1/", RedirectView.as_view(pattern_name="api-docs"), name="api-v1-root"),  # before Ninja's own root
    path("api/v1/", api.v1.urls),
    re_path(r"^api/", api.not_found, name="api-not-found"),
    path("healthz", api.healthz, name="healthz"),
    path("upload/", upload.upload, name="upload"),
    path("upload/files/", upload.upload_files, name="upload-files"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("snapshots/", snapshots.create, name="snapshot-create"),
    path("snapshots/<str:snapshot_id>/", snapshots.detail, name="snapshot"),
    path("snapshots/<str:snapshot_id>/export.<str:suffix>", snapshots.export, name="snapshot-export"),
    path("snapshots/<str:snapshot_id>/canonical.json", snapshots.canonical, name="snapshot-canonical"),
    path("snapshots/<str:snapshot_id>/again/", snapshots.again, name="snapshot-again"),
    path("snapshots/<str:snapshot_id>/delete/", snapshots.delete, name="snapshot-delete"),
    path("admin/", admin.site.urls),
]
