"""The haystack index of articles. Facet fields hold slugs, so one value has one name in URL, API and index.

Facet fields are haystack's own ``Facet*Field``s, which every engine stores whole: our Whoosh backend as ID/KEYWORD
columns, Elasticsearch as ``keyword``, Solr as ``string``.
"""

from haystack import indexes
from haystack.fields import FacetMultiValueField

from archive.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Title and body as plain text; the template turns autoescaping off, so "Kim's" stays "Kim's".
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    key = indexes.CharField(model_attr="key", indexed=False)
    source = indexes.FacetCharField()
    regions = FacetMultiValueField()  # ingest tags a city's article with its province too, so both count
    author = indexes.FacetCharField()
    year = indexes.FacetCharField()  # "2019", or "undated" so that undated articles can be counted and chosen
    published = indexes.DateTimeField(null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """What the index must hold: withdrawn and merged articles leave search (their permalinks explain why)."""
        return Article.objects.searchable().select_related("source").prefetch_related("regions")

    def prepare_source(self, article):
        return article.source.slug if article.source else None

    def prepare_regions(self, article):
        return sorted(region.slug for region in article.regions.all())

    def prepare_author(self, article):
        return article.author_slug or None

    def prepare_year(self, article):
        return str(article.published.year) if article.published else "undated"

    def prepare_published(self, article):
        return article.published_datetime
