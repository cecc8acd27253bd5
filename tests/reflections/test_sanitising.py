"""Nothing from a document or a model reaches the page as live HTML."""

import pytest

from reflect.templatetags.reflect_text import render_markdown

from ..factories import make_document, make_reflection, make_user, verified_result

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">[click](javascript:alert(2))'


def test_markdown_from_the_model_loses_scripts_handlers_and_javascript_links():
    html = render_markdown(f"**bold** {HOSTILE} [ok](https://example.org)")

    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "onerror" not in html
    assert "<a " not in html  # no link the model wrote is live
    assert "ok (<code>https://example.org</code>)" in html


def test_a_link_the_model_wrote_shows_where_it_points_and_cannot_pose_as_the_app():
    """A prompt-injected document can make the model write a friendly link; it is shown
    as its text and real destination, never as something to click."""
    html = render_markdown(
        "Please [log in again](https://evil.example/login) or see <https://example.org>."
    )

    assert "<a" not in html and "<button" not in html
    assert "log in again (<code>https://evil.example/login</code>)" in html
    assert "https://example.org" in html


def test_hostile_summary_finding_and_quote_render_inert(client):
    owner = make_user()
    document = make_document(owner, title="<b>doc</b>", text=f"Eve: {HOSTILE}")
    result = verified_result(
        document, HOSTILE, title=f"Title {HOSTILE}", summary=f"Summary {HOSTILE}"
    )
    result["findings"][0]["observation"] = HOSTILE
    result["follow_up_questions"] = [HOSTILE]
    reflection = make_reflection(owner, result=result, documents=[document])
    client.force_login(owner)

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert 'onerror="alert' not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_hostile_document_text_is_escaped_on_the_document_page(client):
    owner = make_user()
    document = make_document(owner, text=f"Eve: {HOSTILE}")
    client.force_login(owner)

    html = client.get(f"/documents/{document.pk}/?hl=0-10").content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html
