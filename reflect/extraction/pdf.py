"""PDF: the text layer of every page through pypdf, one segment per page."""

import io
import logging

from pypdf import PdfReader

from .base import Extraction, ExtractionError, Limits, TextBuilder
from .errors import PASS_THROUGH, damaged
from .textcodec import normalize_text

# pypdf logs a warning for every oddity it repairs (and a font dictionary dump per page when
# fontTools is missing); the outcome is judged here, so only its errors are worth a log line.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract_pdf(data: bytes, *, limits: Limits) -> Extraction:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # decrypt() returns a PasswordType, an IntEnum whose NOT_DECRYPTED is 0.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("encrypted PDF: a password is needed")
        pages = reader.pages
        count = len(pages)
    except (ExtractionError, *PASS_THROUGH):
        raise
    except Exception as error:
        raise damaged(error) from error
    if count > limits.max_pdf_pages:
        raise ExtractionError(
            f"too many pages: {count} (the limit is {limits.max_pdf_pages})"
        )

    builder = TextBuilder(max_chars=limits.max_extracted_chars)
    failure = None
    for number in range(1, count + 1):
        try:
            text = pages[number - 1].extract_text()
        except PASS_THROUGH:
            raise
        except Exception as error:  # one broken page must not cost the whole document
            failure = failure or error
            continue
        if text:
            builder.add(normalize_text(text).strip(), page=number)

    text = builder.text
    if not any(character.isalnum() for character in text):
        if failure is not None:
            raise damaged(failure)
        raise ExtractionError(
            "no text layer: this looks like a scanned PDF (text recognition is not supported)"
        )
    return Extraction(kind="pdf", text=text, segments=builder.segments, pages=count)
