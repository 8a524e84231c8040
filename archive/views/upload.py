"""Staff upload: files go through the same ingest pipeline as the command, with the same per-file outcomes.

Two edges over one pipeline: the page posts every chosen file at once (works without JavaScript), and
``static/js/upload.js`` sends the files one per request to ``upload_files`` so that a batch of 500 never holds one
request for long and the page can show progress. Both render each file's row with ``includes/upload_row.html``.
"""

import re
from collections import Counter

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from archive.http.decorators import staff_only
from archive.ingest import ADDED, REJECTED, UNCHANGED, UPDATED, Defaults, ingest_upload
from archive.ingest.readers import SUPPORTED_SUFFIXES
from archive.ingest.report import report_rows
from archive.models import Article, Source


class UploadOptions(forms.Form):
    """What the uploader states for the whole batch; the files themselves are read from ``request.FILES``."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        empty_label="As each report states",
        help_text="Sets the source of every report in these files.",
        widget=forms.Select(attrs={"aria-describedby": "source-hint"}),
    )
    default_date = forms.DateField(
        required=False,
        label="Default date",
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "default-date-hint"}),
        help_text="For reports that state no date of their own.",
    )

    replaces = forms.CharField(
        required=False,
        max_length=300,
        label="Replace the text of",
        help_text="Only to correct a report: its key or permalink. The file's one report becomes its new text; the "
                  "old text stays in its history. Leave empty to add reports.",
        widget=forms.TextInput(attrs={"aria-describedby": "replaces-hint", "placeholder": "e.g. 5dkyxqirso"}),
    )

    def clean_replaces(self) -> str:
        """A key, or a permalink pasted whole: ``/articles/<key>/...``."""
        value = self.cleaned_data["replaces"].strip()
        if match := re.search(r"/articles/([^/?#]+)", value):
            value = match.group(1)
        if value and not Article.objects.filter(key=value.lower()).exists():
            raise forms.ValidationError(f"No report has the key {value!r}.")
        return value.lower()

    def defaults(self) -> Defaults:
        return Defaults(source=self.cleaned_data["source"], published=self.cleaned_data["default_date"])


def _files_error(files, options: UploadOptions) -> str:
    """Too many files never get here: the upload limits middleware refuses them before the body is read."""
    if not files:
        return "Choose at least one file."
    if len(files) > 1 and options.is_valid() and options.cleaned_data["replaces"]:
        return "A correction replaces one report: choose one file."
    return ""


def _ingest(request, files, options: UploadOptions):
    replaces = options.cleaned_data["replaces"] or None
    return report_rows(
        [ingest_upload(uploaded, actor=request.user, defaults=options.defaults(), replace=replaces)
         for uploaded in files]
    )


@staff_only
def upload(request):
    """The form, and after a post every file's row; 400 when the form is wrong or any file was rejected."""
    options = UploadOptions(request.POST if request.method == "POST" else None)
    rows, error = [], ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        error = _files_error(files, options)
        if not error and options.is_valid():
            rows = _ingest(request, files, options)
    failed = bool(error or options.errors or any(row.outcome.is_rejected for row in rows))
    context = {
        "options": options,
        "rows": rows,
        "error": error,
        "accepted": ", ".join(SUPPORTED_SUFFIXES),
        "summary": _summary(rows),
    }
    return render(request, "upload.html", context, status=400 if failed else 200)


@staff_only
@require_POST
def upload_files(request):
    """JSON for the page's script: a few files per request, each file's outcome and its rendered report row."""
    options = UploadOptions(request.POST)
    files = request.FILES.getlist("files")
    error = _files_error(files, options)
    if not error and not options.is_valid():
        error = " ".join(message for messages in options.errors.values() for message in messages)
    if error:
        return JsonResponse({"error": error}, status=400)
    rows = _ingest(request, files, options)
    return JsonResponse(
        {
            "files": [
                {
                    "name": row.outcome.name,
                    "status": row.outcome.status,
                    "reason": row.outcome.reason,
                    "keys": row.outcome.keys,
                    "html": render_to_string("includes/upload_row.html", {"row": row}, request),
                }
                for row in rows
            ]
        }
    )


def _summary(rows) -> str:
    """'2 added, 1 rejected': the counts of file outcomes, in a fixed order."""
    counts = Counter(row.outcome.status for row in rows)
    return ", ".join(f"{counts[status]} {status}" for status in (ADDED, UPDATED, UNCHANGED, REJECTED) if counts[status])
