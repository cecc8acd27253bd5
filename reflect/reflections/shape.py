"""The JSON form of a reflection, as the CLI prints it and the API returns it."""

from __future__ import annotations

from ..models import Reflection
from ..reasoning.usage import empty_usage


def reflection_as_json(reflection: Reflection) -> dict:
    """The reflection as the CLI prints it and an API would return it."""
    result = reflection.result or {}
    usage = {**empty_usage(), **(reflection.usage or {})}
    findings = []
    for finding in result.get("findings", []):
        findings.append(
            {
                "title": finding.get("title", ""),
                "kind": finding.get("kind", "other"),
                "confidence": finding.get("confidence", "low"),
                "observation": finding.get("observation", ""),
                "why_it_matters": finding.get("why_it_matters", ""),
                "supported": bool(finding.get("supported")),
                "agreement": finding.get("agreement"),
                "evidence": [
                    {
                        "document_id": item.get("document_id"),
                        "document_title": item.get("document_title"),
                        "quote": item.get("quote", ""),
                        "verified": bool(item.get("verified")),
                        "match": item.get("match", "unverified"),
                        "locator": item.get("locator"),
                    }
                    for item in finding.get("evidence", [])
                ],
            }
        )
    return {
        "id": reflection.pk,
        "status": reflection.status,
        "question": reflection.question,
        "preset": reflection.preset,
        "provider": reflection.provider,
        "model": reflection.model,
        "effort": reflection.effort,
        "not_urgent": reflection.not_urgent,
        "consensus": reflection.consensus,
        "summary": result.get("summary", ""),
        "findings": findings,
        "follow_up_questions": list(result.get("follow_up_questions", [])),
        "documents_do_not_answer": bool(result.get("documents_do_not_answer")),
        "no_answer_reason": result.get("no_answer_reason", ""),
        "manifest": reflection.manifest,
        "estimate": reflection.estimate,
        "usage": {key: usage[key] for key in empty_usage()},
        # None: unknown, a model the run called has no known price.
        "cost_usd": None if reflection.cost_usd is None else float(reflection.cost_usd),
        "error": reflection.error,
        "error_kind": reflection.error_kind,
    }
