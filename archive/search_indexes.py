"""The haystack index of articles. Facet fields hold slugs, so one value has one name in URL, API and index."""

from haystack import indexes

from archive.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Title and body as plain text; the template turns autoescaping off, so "Kim's" stays "Kim's".
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    key = indexes.CharField(model_attr="key", indexed=False)
    source = indexes.CharField(null=True)
    regions = indexes.MultiValueField()
    author = indexes.CharField(null=True)
    year = indexes.CharField()
    published = indexes.DateTimeField(null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.select_related("source").prefetch_related("regions")

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
