"""The frozen view of a document that reasoning (model or offline analyzer) reads."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SourceDocument:
    id: int
    title: str
    kind: str
    text: str
    sha256: str
    segments: list[dict] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    meeting_date: date | None = None
    # o200k tokens of `text`, counted once at extraction; None means count it now.
    tokens: int | None = None

    @classmethod
    def from_document(cls, document) -> "SourceDocument":
        return cls(
            id=document.id,
            title=document.title,
            kind=document.kind,
            text=document.text,
            sha256=document.sha256,
            segments=list(document.segments or []),
            speakers=list(document.speakers or []),
            meeting_date=document.meeting_date,
            tokens=document.tokens,
        )
