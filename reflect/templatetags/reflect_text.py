"""Rendering text we did not write: model output as sanitised Markdown."""

import threading

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


_parsers = threading.local()


def _parser() -> markdown_lib.Markdown:
    # Building a parser costs more than converting a short text (bench/load, reflection page);
    # one per thread, since a Markdown instance keeps state while it converts.
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = _parsers.markdown = markdown_lib.Markdown(
            extensions=["tables"], output_format="html"
        )
    return parser


def render_markdown(text: str) -> str:
    """Markdown to HTML that can hold no script, handler, style or javascript: link."""
    html = _parser().reset().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))
