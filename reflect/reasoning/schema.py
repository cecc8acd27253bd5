"""The shape of a reflection result, shared by the model provider and the offline analyzer.

A result is a dict:
    {"summary": str,
     "findings": [{"title", "kind", "confidence", "observation", "why_it_matters",
                   "evidence": [{"document_id": int, "quote": str}]}],
     "follow_up_questions": [str]}
Verification (ours, reflect.reasoning.citations) later adds to each evidence item "verified"
(bool: exact or normalised match), "match" ("exact", "normalised", "approximate" or
"unverified"), "start", "end", "locator", "document_title" and "source_text"; and to each
finding "supported" (at least one quote found, approximately or better).
"""

import hashlib
import json

FINDING_KINDS = [
    "blind_spot",
    "contradiction",
    "dropped_action",
    "unanswered_question",
    "risk",
    "trend",
    "other",
]
CONFIDENCES = ["low", "medium", "high"]

EVIDENCE_SCHEMA = {
    "type": "object",
    "properties": {
        "document_id": {"type": "integer"},
        "quote": {"type": "string"},
    },
    "required": ["document_id", "quote"],
    "additionalProperties": False,
}

FINDING_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "kind": {"type": "string", "enum": FINDING_KINDS},
        "confidence": {"type": "string", "enum": CONFIDENCES},
        "observation": {"type": "string"},
        "why_it_matters": {"type": "string"},
        "evidence": {"type": "array", "items": EVIDENCE_SCHEMA},
    },
    "required": [
        "title",
        "kind",
        "confidence",
        "observation",
        "why_it_matters",
        "evidence",
    ],
    "additionalProperties": False,
}

RESULT_SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "findings": {"type": "array", "items": FINDING_SCHEMA},
        "follow_up_questions": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["summary", "findings", "follow_up_questions"],
    "additionalProperties": False,
}

# Part of every cache fingerprint: results asked for under another schema are not reused.
SCHEMA_VERSION = hashlib.sha256(
    json.dumps(RESULT_SCHEMA, sort_keys=True).encode()
).hexdigest()[:12]
