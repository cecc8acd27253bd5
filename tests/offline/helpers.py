"""Small hand-written corpora: a transcript is a list of (speaker, text) turns."""

import hashlib
from datetime import date

from reflect.reasoning.sources import SourceDocument


def transcript(
    doc_id: int,
    turns: list[tuple[str, str]],
    *,
    day: int | None = None,
    title: str = "",
) -> SourceDocument:
    """A VTT-style transcript as extraction renders it: `[HH:MM:SS] Speaker: text` blocks."""
    blocks, segments, offset = [], [], 0
    for number, (speaker, said) in enumerate(turns):
        stamp = f"00:{number // 60:02d}:{number % 60:02d}"
        block = f"[{stamp}] {speaker}: {said}"
        segments.append(
            {
                "start": offset,
                "end": offset + len(block),
                "time": stamp,
                "seconds": number,
                "speaker": speaker,
            }
        )
        blocks.append(block)
        offset += len(block) + 2
    text = "\n\n".join(blocks)
    return SourceDocument(
        id=doc_id,
        title=title or f"Meeting {doc_id}",
        kind="vtt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        segments=segments,
        speakers=sorted({s for s, _ in turns}),
        meeting_date=date(2024, 3, day) if day else None,
    )


def plain(
    doc_id: int, text: str, *, kind: str = "md", title: str = ""
) -> SourceDocument:
    return SourceDocument(
        id=doc_id,
        title=title or f"Notes {doc_id}",
        kind=kind,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def kinds_of(result: dict) -> list[str]:
    return [f["kind"] for f in result["findings"]]


def quotes_of(result: dict, kind: str) -> list[str]:
    return [
        e["quote"]
        for f in result["findings"]
        if f["kind"] == kind
        for e in f["evidence"]
    ]
