"""Text extraction: bytes of an uploaded file in, text with locators out.

`extract` is the one entry point. Whatever goes wrong inside a parser comes out as an
ExtractionError whose message a person can read; nothing else escapes.
"""

from .base import Extraction, ExtractionError, Limits
from .dates import meeting_date
from .errors import PASS_THROUGH, damaged
from .sniff import detect_kind

__all__ = ["Extraction", "ExtractionError", "Limits", "detect_kind", "extract"]


def extract(data: bytes, *, filename: str, limits: Limits | None = None) -> Extraction:
    """Extract the text of `data`, deciding its kind from its content and `filename`."""
    limits = limits or Limits()
    try:
        kind = detect_kind(data, filename=filename)
        extraction = _EXTRACTORS[kind](data, kind=kind, limits=limits)
        extraction.text = _encodable(extraction.text)
        extraction.meeting_date = meeting_date(filename=filename, text=extraction.text)
    except (ExtractionError, *PASS_THROUGH):
        raise
    except MemoryError as error:
        raise ExtractionError(
            "file too large: it does not fit in memory when opened"
        ) from error
    except RecursionError as error:
        raise ExtractionError("damaged file: the structure nests too deeply") from error
    except Exception as error:  # a parser failing in a way nobody anticipated
        raise damaged(error) from error
    return extraction


def _encodable(text: str) -> str:
    """Replace lone surrogates (broken PDF fonts make them) one for one, keeping offsets."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text


def _pdf(data, *, kind, limits):
    from .pdf import extract_pdf

    return extract_pdf(data, limits=limits)


def _docx(data, *, kind, limits):
    from .wordprocessing import extract_docx

    return extract_docx(data, limits=limits)


def _plaintext(data, *, kind, limits):
    from .plaintext import extract_plaintext

    return extract_plaintext(data, kind=kind, limits=limits)


def _transcript(data, *, kind, limits):
    from .transcripts import extract_transcript

    return extract_transcript(data, kind=kind, limits=limits)


_EXTRACTORS = {
    "pdf": _pdf,
    "docx": _docx,
    "txt": _plaintext,
    "md": _plaintext,
    "vtt": _transcript,
    "srt": _transcript,
}
