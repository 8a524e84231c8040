"""Admin: the archivist's desk. Correct articles (every change keeps a version and an audit entry), withdraw or merge
them, link their other-language editions, re-index them; sources, the gazetteer and people; the audit log, read-only.

It calls the same modules as the public side: ``archive.sanitize`` for the body, ``archive.history`` for
corrections, ``archive.withdrawal`` for withdrawals and merges, and the index after commit.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from archive.accounts import ANALYSTS, analysts_group
from archive.audit import Action, audit
from archive.errors import RefusedChange
from archive.history import CORRECTABLE_FIELDS, LINK_FIELDS, correct
from archive.models import Article, ArticleVersion, AuditEntry, Person, Region, ResultSnapshot, Source
from archive.names import guess_name_parts
from archive.sanitize import clean_html, html_to_text
from archive.search.indexing import index_after_commit
from archive.search.params import UNDATED
from archive.withdrawal import merge, withdraw


class ArticleForm(forms.ModelForm):
    correction_reason = forms.CharField(
        required=False, max_length=500, label="Reason for the correction",
        help_text="Optional; readers see it in the report's history.",
    )

    class Meta:
        model = Article
        fields = "__all__"

    def clean_body_html(self):
        """The one bleach policy, at the door: the body is stored as it will be shown."""
        cleaned = clean_html(self.cleaned_data["body_html"])
        if not html_to_text(cleaned):
            raise ValidationError("No text is left once disallowed markup is removed; the report needs a body.")
        return cleaned

    def clean(self):
        """A changed byline whose name parts were left as they were gets them guessed again, as ingest would."""
        cleaned = super().clean()
        if "author" in self.changed_data and not {"author_family", "author_given"} & set(self.changed_data):
            cleaned["author_family"], cleaned["author_given"] = guess_name_parts(cleaned.get("author", ""))
            self.changed_data.extend(["author_family", "author_given"])
        return cleaned


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = [str(day.year) for day in Article.objects.dates("published", "year", order="DESC")]
        return [(year, year) for year in years] + [(UNDATED, UNDATED)]

    def queryset(self, request, queryset):
        if self.value() == UNDATED:
            return queryset.filter(published__isnull=True)
        if self.value():
            return queryset.filter(published__year=self.value())
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("live", "live"), ("withdrawn", "withdrawn"), ("merged", "merged")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.searchable()
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        if self.value() == "merged":
            return queryset.filter(merged_into__isnull=False)
        return queryset


class WithdrawForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text="Readers see it, with the date, where the report was (410 Gone).")


class MergeForm(forms.Form):
    survivor = forms.CharField(label="Key of the report to keep", max_length=16,
                               help_text="The selected duplicates' permalinks will redirect (301) to it.")
    reason = forms.CharField(required=False, max_length=500)

    def clean_survivor(self):
        key = self.cleaned_data["survivor"].strip()
        survivor = Article.objects.filter(key=key).first()
        if survivor is None:
            raise ValidationError(f"No report has the key {key}.")
        return survivor


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("number", "edited_at", "edited_by", "reason", "public_link")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="as it was")
    def public_link(self, version):
        return format_html('<a href="{}">version {}</a>', version.get_absolute_url(), version.number)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title", "source", "published", "language", "key", "status", "public_link")
    list_filter = ("source", ("regions", admin.RelatedOnlyFieldListFilter), YearFilter, "language", StatusFilter)
    list_select_related = ("source", "merged_into")
    search_fields = ("title", "author", "key", "url", "origin")
    date_hierarchy = "published"
    autocomplete_fields = ("regions", "people", "translation_of")
    readonly_fields = ("key", "content_hash", "slug", "origin", "ingested_at", "updated_at", "body_text", "status",
                       "history_link")
    fieldsets = [
        (None, {"fields": ("title", "author", ("author_family", "author_given"), "source", "published",
                           "published_precision", "regions", "people", "url", "language", "translation_of",
                           "body_html", "correction_reason")}),
        ("Record", {"fields": ("key", "status", "history_link", "slug", "origin", "content_hash", "ingested_at",
                               "updated_at", "body_text")}),
    ]
    inlines = [VersionInline]
    actions = ["reindex_selected", "withdraw_selected", "merge_selected"]

    def has_add_permission(self, request):
        """Reports come in through ingest (the upload page or the command), which derives their keys."""
        return False

    @admin.display(description="status")
    def status(self, article):
        if article.is_withdrawn:
            return f"withdrawn {article.withdrawn_at:%Y-%m-%d}: {article.withdrawal_reason}"
        if article.is_merged:
            return f"merged into {article.merged_into.key}"
        return "live"

    @admin.display(description="public page")
    def public_link(self, article):
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), article.key)

    @admin.display(description="history")
    def history_link(self, article):
        return format_html('<a href="{}">versions and changes</a>', reverse("article-history", args=[article.key]))

    def save_model(self, request, obj, form, change):
        """Nothing is saved here: ``save_related`` makes the whole correction in one call once the form's regions
        and people are known too, so the state before it is read with none of them written yet."""

    def save_related(self, request, form, formsets, change):
        """One ``archive.history.correct``: the row locked, only the changed columns written, the versions, the
        audit entry and the index update. The regions and people are passed on only if the form changed them."""
        data, changed = form.cleaned_data, form.changed_data
        edited = {name: data[name] for name in changed if name in CORRECTABLE_FIELDS | LINK_FIELDS}
        related = {name: data[name] if name in changed else None for name in ("regions", "people")}
        correct(form.instance, edited, **related, actor=request.user,
                reason=data.get("correction_reason", ""))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        audit(Action.DELETED, obj, request.user, obj.title)
        pk = obj.pk
        super().delete_model(request, obj)
        index_after_commit([pk])  # an id no longer in the database is removed from the index

    def delete_queryset(self, request, queryset):
        for article in queryset:
            audit(Action.DELETED, article, request.user, article.title)
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        index_after_commit(pks)

    @admin.action(description="Re-index selected articles")
    def reindex_selected(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        index_after_commit(pks)
        self.message_user(request, f"{len(pks)} article{pluralize(len(pks))} queued for re-indexing.")

    @admin.action(description="Withdraw selected articles (410 Gone)")
    def withdraw_selected(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._action_page(request, queryset, form, "withdraw_selected", "Withdraw",
                                     "Withdraw these reports? Their permalinks will answer 410 Gone with your reason.")
        done = self._each(request, queryset, lambda a: withdraw(a, form.cleaned_data["reason"], request.user))
        if done:
            self.message_user(request, f"Withdrew {done} article{pluralize(done)}.", messages.SUCCESS)
        return None

    @admin.action(description="Merge selected duplicates into another article (301)")
    def merge_selected(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._action_page(request, queryset, form, "merge_selected", "Merge",
                                     "Merge these duplicates into the report whose key you give.")
        survivor = form.cleaned_data["survivor"]
        done = self._each(request, queryset,
                          lambda a: merge(a, survivor, request.user, form.cleaned_data["reason"]))
        if done:
            self.message_user(request, f"Merged {done} article{pluralize(done)} into {survivor.key}.",
                              messages.SUCCESS)
        return None

    def _each(self, request, queryset, change) -> int:
        """Apply a change to each article; refusals are reported one by one and do not stop the others."""
        done = 0
        for article in queryset:
            try:
                change(article)
                done += 1
            except RefusedChange as exc:
                self.message_user(request, str(exc), messages.ERROR)
        return done

    def _action_page(self, request, queryset, form, action, submit, intro):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": f"{submit} articles",
                   "articles": queryset, "form": form, "action": action, "submit": submit, "intro": intro}
        return TemplateResponse(request, "admin/archive/article/action_form.html", context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the changes themselves, in their transactions."""

    list_display = ("at", "actor", "action", "article_link", "detail")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("article_key", "detail", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor", "article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="article", ordering="article_key")
    def article_link(self, entry):
        if entry.article is None:
            return f"{entry.article_key} (deleted)"
        return format_html('<a href="{}">{}</a>', reverse("admin:archive_article_change", args=[entry.article_id]),
                           entry.article_key)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "slug", "wof_id")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases", "hangul")
    autocomplete_fields = ("parent",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "slug")
    search_fields = ("name", "slug", "aliases", "hangul")


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(admin.ModelAdmin):
    """Read-only: a snapshot is never edited. Its owner or staff delete one from its own page, which keeps the row so
    its link answers 410 Gone; the admin's delete would remove it without a trace."""

    list_display = ("id", "title", "owner", "created_at", "count", "deleted_at", "page_link")
    list_filter = (("owner", admin.RelatedOnlyFieldListFilter), "deleted_at")
    search_fields = ("id", "title", "query", "owner__username")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
    exclude = ("deleted_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="page")
    def page_link(self, snapshot):
        return format_html('<a href="{}">{}</a>', snapshot.get_absolute_url(), snapshot.get_absolute_url())


class AnalystCreationForm(AdminUserCreationForm):
    analyst = forms.BooleanField(
        required=False, initial=True, label="Analyst",
        help_text=f"In the {ANALYSTS} group: signs in at /accounts/login/ and may save result-set snapshots. Not "
                  "staff: the admin and the upload page stay closed to this account.",
    )


admin.site.unregister(User)


@admin.register(User)
class ArchiveUserAdmin(UserAdmin):
    """Django's user admin, with new accounts made analysts unless staff untick the box."""

    add_form = AnalystCreationForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2",
                                                              "analyst")}),)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("analyst"):
            obj.groups.add(analysts_group())
