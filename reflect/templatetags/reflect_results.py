"""How a reflection's cost and running time read on a page."""

from django import template

from .. import progress, results

register = template.Library()


@register.filter
def cost(reflection) -> str:
    """ "$0.0123", or "unknown — no price for model X"."""
    return results.cost_text(reflection)


@register.filter
def running_for(started_at) -> str:
    """ "1 min 05 s" since `started_at` (the fragment is re-rendered every few seconds)."""
    return progress.running_for(started_at)
