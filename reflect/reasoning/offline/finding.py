"""A finding while the analyzer works on it: the result dict plus what ranking needs."""

from dataclasses import dataclass, field


@dataclass
class Finding:
    kind: str
    title: str
    observation: str
    why_it_matters: str
    confidence: str
    evidence: list[tuple[int, str]]  # (document id, exact quote)
    score: float  # 0..1 before ranking: strength of the signal and how completely it dropped
    doc: int  # chronological index of the document it happened in (recency)
    follow_up: str  # one specific question a person could ask next
    dated: bool = False  # mentions a date or deadline
    keys: frozenset = field(
        default_factory=frozenset
    )  # content lemmas, to drop near-duplicates

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "confidence": self.confidence,
            "observation": self.observation,
            "why_it_matters": self.why_it_matters,
            "evidence": [
                {"document_id": doc_id, "quote": quote}
                for doc_id, quote in self.evidence
            ],
        }
