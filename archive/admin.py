"""Admin: correct articles' metadata; sources and the gazetteer. Saving or deleting re-indexes after commit."""

from django.contrib import admin

from archive.models import Article, Region, Source
from archive.search.indexing import index_after_commit


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published", "author", "key", "ingested_at")
    list_filter = ("source", "published_precision", "language")
    search_fields = ("title", "author", "key", "url")
    readonly_fields = ("key", "slug", "origin", "content_hash", "ingested_at", "updated_at", "body_text", "body_html")
    autocomplete_fields = ("regions",)
    fields = ("title", "author", "source", "published", "published_precision", "regions", "url", "language",
              "body_text", "body_html", "key", "slug", "origin", "content_hash", "ingested_at", "updated_at")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        index_after_commit([form.instance.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        index_after_commit([pk])  # an id no longer in the database is removed from the index

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        index_after_commit(pks)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases")
