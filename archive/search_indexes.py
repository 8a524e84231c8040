"""The haystack index of articles. Facet fields hold slugs, so one value has one name in URL, API and index.

Facet fields are haystack's own ``Facet*Field``s, which every engine stores whole: our Whoosh backend as ID/KEYWORD
columns, Elasticsearch as ``keyword``, Solr as ``string``.
"""

from haystack import indexes
from haystack.fields import FacetMultiValueField

from archive.models import Article
from archive.search.params import UNDATED


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Title and body as plain text (prepare_text: no template to render, and no autoescaping, so "Kim's" stays).
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    key = indexes.CharField(model_attr="key", indexed=False)
    # Facet and date fields are columns the backend counts and sorts by; result rows come from the database, so they
    # are not stored in the index as well (stored=False).
    source = indexes.FacetCharField(stored=False)
    regions = FacetMultiValueField(stored=False)  # ingest tags a city's article with its province too, so both count
    author = indexes.FacetCharField(stored=False)
    language = indexes.FacetCharField(stored=False)  # "en" or "ko", as ingest detected it
    people = FacetMultiValueField(stored=False)  # person slugs, tagged at ingest like regions
    # "2019", or "undated" so that undated articles can be counted and chosen
    year = indexes.FacetCharField(stored=False)
    published = indexes.DateTimeField(null=True, stored=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """What the index must hold: withdrawn and merged articles leave search (their permalinks explain why)."""
        return Article.objects.searchable().select_related("source").prefetch_related("regions", "people")

    def prepare_text(self, article):
        return f"{article.title}\n\n{article.body_text}"

    def prepare_source(self, article):
        return article.source.slug if article.source else None

    def prepare_regions(self, article):
        return sorted(region.slug for region in article.regions.all())

    def prepare_people(self, article):
        return sorted(person.slug for person in article.people.all())

    def prepare_language(self, article):
        return article.language or None

    def prepare_author(self, article):
        return article.author_slug or None

    def prepare_year(self, article):
        return str(article.published.year) if article.published else UNDATED

    def prepare_published(self, article):
        return article.published_datetime
