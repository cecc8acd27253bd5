"""What every extractor returns, and the one error they raise."""

from dataclasses import dataclass, field
from datetime import date


class ExtractionError(Exception):
    """A file could not be read. The message is shown to the person as it is.

    Messages are specific and human: "encrypted PDF: a password is needed",
    "damaged file: <what the parser said>", "empty file".
    """


CHARS_PER_TOKEN = (
    4  # o200k on English prose; only for the message, the limit is in characters
)


@dataclass(frozen=True)
class Limits:
    """What one file may hold. Each is checked while extracting, so a file over one stops
    there instead of after its whole text was built (#14)."""

    max_pdf_pages: int = 2000
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    # About 500k tokens: a 40-hour transcript or a 1,000-page report.
    max_extracted_chars: int = 2_000_000
    max_docx_paragraphs: int = 100_000
    max_transcript_cues: int = 100_000
    max_text_lines: int = 200_000


def too_much_text(limit: int) -> ExtractionError:
    return ExtractionError(
        f"the text is longer than {limit:,} characters "
        f"(about {limit // CHARS_PER_TOKEN:,} tokens): split the file"
    )


def too_many(limit: int, what: str) -> ExtractionError:
    return ExtractionError(f"more than {limit:,} {what}: split the file")


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
    """Appends blocks of text separated by blank lines and records a segment for each.

    Raises ExtractionError as soon as the text passes `max_chars`.
    """

    def __init__(self, *, max_chars: int) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.max_chars = max_chars
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
        if self._length > self.max_chars:
            raise too_much_text(self.max_chars)
        self.segments.append({"start": start, "end": self._length, **locator})

    @property
    def text(self) -> str:
        return "".join(self._parts)
