import hashlib
import re
from pathlib import Path

import pytest

from reflect.reasoning.sources import SourceDocument

SPEAKER_RE = re.compile(r"^([^:\n]{1,60}):\s")


def natural_key(path: Path):
    return [
        int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem)
    ]


def plain_text(doc_id: int, path: Path, kind: str = "txt") -> SourceDocument:
    """A text file as extraction stores plain text and Markdown: one segment per line; for
    `Speaker: text` transcripts (QMSum) the speakers found at line starts."""
    text = path.read_text(encoding="utf-8")
    segments, speakers, offset = [], [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        if body:
            segments.append(
                {"start": offset, "end": offset + len(body), "line": number}
            )
            match = SPEAKER_RE.match(body)
            if kind == "txt" and match and match.group(1) not in speakers:
                speakers.append(match.group(1))
        offset += len(line)
    return SourceDocument(
        id=doc_id,
        title=path.stem,
        kind=kind,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        segments=segments,
        speakers=speakers,
    )


def qmsum_series(folder: Path) -> list[SourceDocument]:
    paths = sorted(folder.glob("*.txt"), key=natural_key)
    return [plain_text(number, path) for number, path in enumerate(paths, start=1)]


@pytest.fixture
def qmsum(corpus):
    def load(series: str) -> list[SourceDocument]:
        return qmsum_series(corpus / "meetings" / "qmsum" / series)

    return load
