"""Staff upload: files go through the same ingest pipeline as the command, with the same per-file outcomes."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from archive.ingest import ingest_upload
from archive.ingest.readers import SUPPORTED_SUFFIXES

MAX_FILES_PER_UPLOAD = 500


@staff_member_required
def upload(request):
    outcomes, error = [], ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            error = "Choose at least one file."
        elif len(files) > MAX_FILES_PER_UPLOAD:
            error = f"At most {MAX_FILES_PER_UPLOAD} files at once; put more in a .jsonl file or use the ingest command."
        else:
            outcomes = [ingest_upload(uploaded) for uploaded in files]
    status = 400 if error or any(o.is_rejected for o in outcomes) else 200
    context = {"outcomes": outcomes, "error": error, "accepted": ", ".join(SUPPORTED_SUFFIXES)}
    return render(request, "upload.html", context, status=status)
