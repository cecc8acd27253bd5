"""The documents list: search by title and text from the index, filters by kind, status and
collection that narrow and survive paging, and a selection that opens the ask form or joins
a collection. Runs on both databases (DATABASE_URL for PostgreSQL)."""

import re

import pytest

from reflect.models import Collection, Document

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


def titles(client, query: str = "") -> list[str]:
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    return [d.title for d in response.context["page"]]


def test_search_finds_a_document_by_a_word_of_its_title(client, owner):
    make_document(owner, title="Budget review", text="Alice: numbers.")
    make_document(owner, title="Standup", text="Bob: nothing new.")

    assert titles(client, "q=budget") == ["Budget review"]
    assert titles(client, "q=budg") == ["Budget review"], "a word's start matches too"


def test_search_finds_a_document_by_a_word_of_its_text(client, owner):
    make_document(owner, title="Standup 3", text="Bob: the vendor contract expires.")
    make_document(owner, title="Standup 4", text="Alice: lunch is at noon.")

    assert titles(client, "q=vendor+contract") == ["Standup 3"]
    assert titles(client, "q=vendor+lunch") == [], "every word must match"


def test_text_recorded_by_extraction_is_searchable(client, owner):
    """Extraction writes the text with an UPDATE after the row exists: the index follows."""
    document = make_document(owner, title="Call", text="", status="pending")
    Document.objects.filter(pk=document.pk).update(text="the pilot slipped a week")

    assert titles(client, "q=pilot") == ["Call"]


def test_search_never_shows_another_persons_documents(client, owner):
    make_document(make_user("stranger"), title="Budget secrets", text="budget")
    make_document(owner, title="Mine", text="no match here")

    assert titles(client, "q=budget") == []


def test_punctuation_alone_matches_nothing_and_is_no_error(client, owner):
    make_document(owner, title="Budget", text="budget")

    assert titles(client, "q=%22%2A%28") == []


def test_the_kind_filter_narrows_the_list(client, owner):
    make_document(owner, title="Notes", kind="txt")
    make_document(owner, title="Call", kind="vtt")

    assert titles(client, "kind=vtt") == ["Call"]


def test_the_status_filter_narrows_the_list(client, owner):
    make_document(owner, title="Fine", status="ready")
    make_document(owner, title="Broken", status="failed", error="damaged file")
    make_document(owner, title="Waiting", status="pending")

    assert titles(client, "status=failed") == ["Broken"]
    assert titles(client, "status=pending") == ["Waiting"]


def test_the_collection_filter_narrows_the_list(client, owner):
    inside = make_document(owner, title="Planning call")
    make_document(owner, title="Elsewhere")
    collection = Collection.objects.create(owner=owner, name="Q3")
    collection.documents.add(inside)

    assert titles(client, f"collection={collection.pk}") == ["Planning call"]


def test_filters_combine(client, owner):
    make_document(owner, title="Budget call", kind="vtt", text="budget")
    make_document(owner, title="Budget notes", kind="txt", text="budget")

    assert titles(client, "q=budget&kind=txt") == ["Budget notes"]


def test_page_links_keep_the_filters(client, owner):
    for n in range(55):
        make_document(owner, title=f"Budget {n}", text="budget", kind="txt")
    make_document(owner, title="Call", kind="vtt", text="budget")

    response = client.get("/?q=budget&kind=txt")
    html = response.content.decode()
    [older] = re.findall(r'href="\?([^"]*page=2)"', html)

    assert "q=budget" in older and "kind=txt" in older
    page_two = client.get("/?" + older.replace("&amp;", "&"))
    assert [d.title for d in page_two.context["page"]] != []
    assert all(d.kind == "txt" for d in page_two.context["page"])


def test_the_live_table_polls_with_the_filters(client, owner):
    make_document(owner, title="Waiting", status="pending", kind="txt")

    html = client.get("/?kind=txt").content.decode()

    [poll] = re.findall(r'<div id="document-table"\s+hx-get="([^"]*)"', html)
    assert "kind=txt" in poll


def test_the_selection_submits_the_ticked_ids_to_the_ask_form(client, owner):
    first = make_document(owner, title="One")
    second = make_document(owner, title="Two")

    html = client.get("/").content.decode()

    form = re.search(
        r'<form id="document-selection" method="get" action="([^"]+)"', html
    )
    assert form and form.group(1) == "/reflections/new/"
    selection = html[form.start() : html.index("</form>", form.start())]
    boxes = re.findall(
        r'<input type="checkbox" name="documents" value="(\d+)"', selection
    )
    assert sorted(boxes) == sorted([str(first.pk), str(second.pk)])
    assert 'aria-label="Select One"' in selection
    assert '<button type="submit">Ask about selected</button>' in selection


def test_add_selected_puts_the_ticked_documents_in_the_collection(client, owner):
    ticked = make_document(owner, title="One")
    make_document(owner, title="Two")
    collection = Collection.objects.create(owner=owner, name="Q3")

    response = client.post(
        "/documents/collect/",
        {"documents": [ticked.pk], "to_collection": collection.pk},
        HTTP_HX_REQUEST="true",
    )

    assert response.headers["HX-Redirect"] == collection.get_absolute_url()
    assert list(collection.documents.all()) == [ticked]


def test_add_selected_refuses_another_persons_collection(client, owner):
    ticked = make_document(owner, title="One")
    theirs = Collection.objects.create(owner=make_user("stranger"), name="Theirs")

    response = client.post(
        "/documents/collect/", {"documents": [ticked.pk], "to_collection": theirs.pk}
    )

    assert response.status_code == 404
    assert not theirs.documents.exists()


def test_a_long_text_of_distinct_words_is_recorded_and_its_start_searchable(
    client, owner
):
    """PostgreSQL refuses a tsvector over 1 MB of words: the index reads the start of a
    long text, so recording the extraction never fails (2 MB of distinct words here)."""
    document = make_document(owner, title="Dump", text="", status="pending")
    text = "kickoff " + " ".join(f"{n:x}q{n * 7919:x}" for n in range(170_000))
    assert len(text) > 2_000_000

    Document.objects.filter(pk=document.pk).update(text=text)

    assert Document.objects.get(pk=document.pk).text == text
    assert titles(client, "q=kickoff") == ["Dump"]


def test_a_number_matches_titles_and_text_never_the_owner_column(client, owner):
    """The index also holds the owner's id; searching that number finds nothing of it."""
    make_document(owner, title="Notes", text="Alice: the budget.")
    make_document(owner, title=f"Room {owner.pk}", text="Bob: booked.")

    assert titles(client, f"q={owner.pk}") == [f"Room {owner.pk}"]
