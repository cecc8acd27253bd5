"""OpenAI's service tiers: flex for work that can wait, the standard tier otherwise.

Flex costs about half (pricing.FLEX_DISCOUNT), queues longer (its own request timeout) and
answers 429 "Resource Unavailable" when it lacks capacity; such a request is not billed and
is sent once more at the standard tier.
"""

from __future__ import annotations

import openai

FLEX = "flex"


def tier_for(*, not_urgent: bool) -> str:
    """The service tier a reflection asks for ("" is the project's default tier)."""
    return FLEX if not_urgent else ""


def flex_unavailable(exc: Exception) -> bool:
    """Whether a refusal says flex has no capacity now (not a rate limit of the account)."""
    if not isinstance(exc, openai.RateLimitError):
        return False
    code = (exc.code or "").lower() if isinstance(exc.code, str) else ""
    return code == "resource_unavailable" or "resource unavailable" in str(exc).lower()
