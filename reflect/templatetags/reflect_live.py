"""Where the page's EventSource connects (the stream has its own server; reflect.events),
and search headlines with their matches marked (reflect.search)."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from .. import search
from ..events import stream_url

register = template.Library()


@register.simple_tag(takes_context=True)
def events_url(context) -> str:
    request = context.get("request")
    return stream_url(request) if request is not None else reverse("events")


@register.filter
def highlighted(headline: str) -> SafeString:
    return search.highlighted(headline)
