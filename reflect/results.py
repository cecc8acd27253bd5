"""A reflection's result as people read it: ranked findings, marks, cost, Markdown export."""

from .extraction import locators
from .models import Reflection
from .reasoning import pricing

KIND_LABELS = {
    "blind_spot": "Blind spot",
    "contradiction": "Contradiction",
    "dropped_action": "Dropped action",
    "unanswered_question": "Unanswered question",
    "risk": "Risk",
    "trend": "Change or trend",
    "other": "Other",
}


def evidence_mark(evidence: dict) -> str:
    """verified, approximate or unverified: what the person is told about a quote."""
    match = evidence.get("match")
    if match in ("exact", "normalised") or (match is None and evidence.get("verified")):
        return "verified"
    if match == "approximate":
        return "approximate"
    return "unverified"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def ranked_findings(result: dict | None, *, kind: str = "") -> list[dict]:
    """Findings in the order the result ranks them (most important first), each with its
    rank, its kind as a label and its evidence marked; only those of `kind` if given.

    A finding keeps its rank when others are filtered out, so "3" still means third."""
    ranked = []
    for rank, finding in enumerate((result or {}).get("findings", []), 1):
        finding_kind = finding.get("kind") or "other"
        if kind and finding_kind != kind:
            continue
        evidence = [
            {**e, "mark": evidence_mark(e), "where": locators.label(e.get("locator"))}
            for e in finding.get("evidence", [])
        ]
        ranked.append(
            {
                **finding,
                "rank": rank,
                "kind": finding_kind,
                "kind_label": kind_label(finding_kind),
                "evidence": evidence,
            }
        )
    return ranked


def finding_kinds(result: dict | None) -> list[dict]:
    """The kinds present, in the order their first finding ranks, with how many of each."""
    counts: dict[str, int] = {}
    for finding in (result or {}).get("findings", []):
        kind = finding.get("kind") or "other"
        counts[kind] = counts.get(kind, 0) + 1
    return [
        {"kind": kind, "label": kind_label(kind), "count": count}
        for kind, count in counts.items()
    ]


def unpriced_models(reflection: Reflection) -> list[str]:
    """The models that left the cost unknown (the manifest says; the list page defers it)."""
    if "manifest" not in reflection.get_deferred_fields():
        named = (reflection.manifest or {}).get("unpriced_models")
        if named:
            return list(named)
    return [reflection.model]


def cost_text(reflection: Reflection) -> str:
    """ "$0.0123", or "unknown — no price for model X" when a model had no known price."""
    if reflection.cost_usd is None:
        return pricing.unknown_cost_text(unpriced_models(reflection))
    return f"${reflection.cost_usd:.4f}"


def as_markdown(*, reflection: Reflection) -> str:
    result = reflection.result or {}
    lines = [f"# {reflection.question}", ""]
    lines.append(f"- Status: {reflection.status}")
    lines.append(f"- Asked: {reflection.created_at:%Y-%m-%d %H:%M} UTC")
    lines.append(
        f"- Provider: {reflection.get_provider_display()}"
        + (f" ({reflection.model})" if reflection.model else "")
    )
    usage = reflection.usage or {}
    if usage:
        lines.append(
            "- Tokens: "
            + ", ".join(f"{k.replace('_tokens', '')} {v}" for k, v in usage.items())
        )
    lines.append(f"- Cost: {cost_text(reflection)}")
    if reflection.error:
        lines += ["", f"**Error:** {reflection.error}"]
    if result.get("summary"):
        lines += ["", "## Summary", "", result["summary"]]
    findings = ranked_findings(result)
    if findings:
        lines += ["", "## Findings"]
    for finding in findings:
        support = "" if finding.get("supported", True) else " (unsupported)"
        agreement = finding.get("agreement")
        agreed = (
            f" · {agreement['found_by']} of {agreement['answers']} answers found this"
            if agreement
            else ""
        )
        lines += [
            "",
            f"### {finding['rank']}. {finding.get('title', '')}{support}",
            f"*{finding['kind_label']} · confidence: {finding.get('confidence', '?')}"
            f"{agreed}*",
            "",
            finding.get("observation", ""),
            "",
            f"**Why it matters:** {finding.get('why_it_matters', '')}",
            "",
        ]
        for e in finding["evidence"]:
            source = e.get("document_title") or f"document {e.get('document_id')}"
            where = f", {e['where']}" if e["where"] else ""
            lines.append(f"> {e.get('quote', '')}")
            lines.append(f"> — {source}{where} [{e['mark']}]")
            lines.append("")
    if result.get("follow_up_questions"):
        lines += ["## Follow-up questions", ""] + [
            f"- {q}" for q in result["follow_up_questions"]
        ]
    return "\n".join(lines).rstrip() + "\n"
