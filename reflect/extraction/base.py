"""What every extractor returns, and the one error they raise."""

from dataclasses import dataclass, field
from datetime import date


class ExtractionError(Exception):
    """A file could not be read. The message is shown to the person as it is.

    Messages are specific and human: "encrypted PDF: a password is needed",
    "damaged file: <what the parser said>", "empty file".
    """


@dataclass(frozen=True)
class Limits:
    max_pdf_pages: int = 2000
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024


@dataclass
class Extraction:
    """Text as the model will read it, with segments tracing each range to its place.

    `segments` follows the shape documented on `reflect.models.Document.segments`.
    """

    kind: str
    text: str
    segments: list[dict] = field(default_factory=list)
    pages: int | None = None
    speakers: list[str] = field(default_factory=list)
    meeting_date: date | None = None


class TextBuilder:
    """Appends blocks of text separated by blank lines and records a segment for each."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.segments: list[dict] = []

    def add(self, text: str, **locator) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self.segments.append({"start": start, "end": self._length, **locator})

    @property
    def text(self) -> str:
        return "".join(self._parts)
