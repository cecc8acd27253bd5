"""Rendering text we did not write: model output as sanitised Markdown."""

import re
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


# An anchor as the Markdown library writes it (it escapes the text and the URL).
ANCHOR_RE = re.compile(r'<a href="([^"]*)"(?: title="[^"]*")?>(.*?)</a>', re.DOTALL)


def _unlink(match: re.Match) -> str:
    """A link the model wrote, as plain text showing where it points: a document may make
    the model write "[log in](https://evil.example)", and that must not read as the app's."""
    href, text = match.group(1), match.group(2)
    if not href or href == text or f"mailto:{text}" == href:
        return text
    return f"{text} (<code>{href}</code>)"


def render_markdown(text: str) -> str:
    """Markdown to HTML that can hold no script, handler, style or link at all: links the
    model wrote are shown as text with their destination."""
    html = ANCHOR_RE.sub(_unlink, _parser().reset().convert(text or ""))
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={})


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))
