"""Which engine answers a reflection: an OpenAI-compatible model, or the offline analyzer."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from .sources import SourceDocument

OPENAI = "openai"
OFFLINE = "offline"


def default_provider() -> str:
    """The configured provider: forced by REFLECT_PROVIDER, else a model if one is configured."""
    if settings.REFLECT_PROVIDER:
        return settings.REFLECT_PROVIDER
    return OPENAI if (settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL) else OFFLINE


def resolve_provider(requested: str | None) -> str:
    provider = requested or default_provider()
    if provider not in (OPENAI, OFFLINE):
        raise ValueError(f"unknown provider {provider!r}: choose openai or offline")
    return provider


def models_for(provider: str) -> tuple[str, str]:
    """(main model, map model) recorded on a reflection."""
    if provider == OFFLINE:
        from . import offline

        return offline.LABEL, ""
    return settings.REFLECT_MODEL, settings.REFLECT_MAP_MODEL


def run_offline(documents: Sequence[SourceDocument], *, preset: str) -> dict:
    """The deterministic analyzer: no model, no tokens, honestly labelled."""
    from . import offline

    kinds = offline.PRESET_KINDS.get(preset) if preset else None
    return offline.analyze(documents, kinds=kinds, limit=10)
