"""The documents list costs the same number of queries for 5 rows as for 50 with search,
filters and the selection's collections on the page."""

import pytest

from reflect.models import Collection

from .test_query_counts import add_documents, assert_constant

pytestmark = pytest.mark.django_db


def test_documents_search_and_filters(client, owner, django_assert_max_num_queries):
    collection = Collection.objects.create(owner=owner, name="Weekly")
    Collection.objects.create(owner=owner, name="Other")
    collection.documents.add(*add_documents(owner, 5))

    def grow():
        collection.documents.add(*add_documents(owner, 45, start=5))

    assert_constant(
        client,
        django_assert_max_num_queries,
        f"/?q=late&kind=txt&status=ready&collection={collection.pk}",
        grow,
    )
