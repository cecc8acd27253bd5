"""Where the page's EventSource connects (the stream has its own server; reflect.events)."""

from django import template

from ..events import stream_url

register = template.Library()


@register.simple_tag(takes_context=True)
def events_url(context) -> str:
    return stream_url(context["request"])
