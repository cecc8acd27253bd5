"""A reflection's result as people read it: grouped findings, marks, Markdown export."""

from .extraction import locators
from .models import Reflection

KIND_TITLES = {
    "blind_spot": "Blind spots",
    "contradiction": "Contradictions",
    "dropped_action": "Dropped actions",
    "unanswered_question": "Unanswered questions",
    "risk": "Risks",
    "trend": "Changes and trends",
    "other": "Other findings",
}
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


def evidence_mark(evidence: dict) -> str:
    """verified, approximate or unverified: what the person is told about a quote."""
    match = evidence.get("match")
    if match in ("exact", "normalised") or (match is None and evidence.get("verified")):
        return "verified"
    if match == "approximate":
        return "approximate"
    return "unverified"


def grouped_findings(result: dict | None) -> list[dict]:
    """Findings grouped by kind in a fixed order, each group sorted by confidence."""
    groups: dict[str, list] = {}
    for finding in (result or {}).get("findings", []):
        evidence = [
            {**e, "mark": evidence_mark(e), "where": locators.label(e.get("locator"))}
            for e in finding.get("evidence", [])
        ]
        groups.setdefault(finding.get("kind") or "other", []).append(
            {**finding, "evidence": evidence}
        )
    ordered = [k for k in KIND_TITLES if k in groups] + sorted(
        k for k in groups if k not in KIND_TITLES
    )
    return [
        {
            "kind": kind,
            "title": KIND_TITLES.get(kind, kind.replace("_", " ").title()),
            "findings": sorted(
                groups[kind], key=lambda f: CONFIDENCE_ORDER.get(f.get("confidence"), 3)
            ),
        }
        for kind in ordered
    ]


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
    lines.append(f"- Cost: ${reflection.cost_usd}")
    if reflection.error:
        lines += ["", f"**Error:** {reflection.error}"]
    if result.get("summary"):
        lines += ["", "## Summary", "", result["summary"]]
    for group in grouped_findings(result):
        lines += ["", f"## {group['title']}"]
        for finding in group["findings"]:
            support = "" if finding.get("supported", True) else " (unsupported)"
            lines += [
                "",
                f"### {finding.get('title', '')}{support}",
                f"*Confidence: {finding.get('confidence', '?')}*",
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
