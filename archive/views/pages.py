"""Home and search pages: parse the request, call the search module, render."""

from django.shortcuts import render

from archive.errors import BadParameter
from archive.models import Article
from archive.search import SearchParams, run_search


def home(request):
    latest = Article.objects.select_related("source")[:10]
    return render(request, "home.html", {"latest": latest})


def search(request):
    try:
        params = SearchParams.from_query(request.GET)
    except BadParameter as exc:
        return render(request, "search.html", {"error": str(exc)}, status=400)
    return render(request, "search.html", {"page": run_search(params)})
