"""The model's reasoning summaries, read from a reflection's manifest for its result page."""

from django import template

from ..reasoning.summaries import summaries_of

register = template.Library()


@register.filter
def reasoning_summaries(reflection) -> list[dict]:
    return summaries_of(getattr(reflection, "manifest", None))
