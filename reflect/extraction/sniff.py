"""Decide what kind of file some bytes are, from their content first and their name second.

Content wins when it is unambiguous and harmless (a PDF named notes.txt is read as a PDF; a
.txt holding a WebVTT transcript is read as WebVTT). A name that promises a binary format
the content does not have is refused with a message naming both, so a person sees that the
file is not what its name says.
"""

import io
import re
import zipfile
from pathlib import PurePath

from .base import ExtractionError
from .textcodec import decode_text

SUPPORTED = "supported are PDF, DOCX, TXT, Markdown, WebVTT and SRT"

EXTENSION_KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
}
TEXT_KINDS = {"txt", "md", "vtt", "srt"}
KIND_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "txt": "text",
    "md": "text",
    "vtt": "WebVTT",
    "srt": "SubRip",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx is an OLE2 compound file holding an "EncryptedPackage" stream.
OLE2_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
BINARY_SIGNATURES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)

# A cue timing line: start --> end, hours optional and unbounded, milliseconds optional.
TIMING = re.compile(
    r"^[ \t]*(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?[ \t]*-->[ \t]*\S", re.MULTILINE
)
SRT_TIMING = re.compile(r"^[ \t]*\d+:\d{1,2}:\d{1,2},\d{1,3}[ \t]*-->", re.MULTILINE)
SNIFF_BYTES = 64 * 1024


def detect_kind(data: bytes, *, filename: str) -> str:
    """Return "pdf", "docx", "txt", "md", "vtt" or "srt", or raise ExtractionError."""
    suffix = PurePath(filename or "").suffix.lower()
    named = EXTENSION_KINDS.get(suffix)
    if not data:
        raise ExtractionError("empty file")

    content = _binary_kind(data, suffix)
    if content is not None:
        if named in (None, content) or named in TEXT_KINDS:
            return content
        raise ExtractionError(_mismatch(suffix, named))

    if named in ("pdf", "docx"):
        raise ExtractionError(_mismatch(suffix, named, _describe_binary(data)))

    if suffix == ".doc" and data.startswith(OLE2_MAGIC):
        raise ExtractionError("legacy .doc is not supported: save as .docx")

    head = decode_text(data[:SNIFF_BYTES], partial=True)
    if head is not None and "\r" in head:
        head = head.replace("\r\n", "\n").replace("\r", "\n")
    if head is None:
        if named is None:
            raise ExtractionError(_unsupported(suffix))
        raise ExtractionError(_mismatch(suffix, named, _describe_binary(data)))

    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ExtractionError("empty file")
    if stripped.startswith("WEBVTT") and (
        len(stripped) == 6 or stripped[6] in " \t\r\n"
    ):
        return "vtt"
    if SRT_TIMING.search(head):
        return "srt"
    if named == "vtt":
        # A .vtt without the WEBVTT signature is still read when it holds cue timings:
        # people hand-edit captions and drop the header; the cues are what matters.
        # Without any timing line the file is not a transcript, so it is refused.
        if TIMING.search(head):
            return "vtt"
        raise ExtractionError(_mismatch(suffix, named))
    if named == "srt" and TIMING.search(head):
        return "srt"
    if named == "srt":
        raise ExtractionError(_mismatch(suffix, named))
    if named is not None:
        return named
    raise ExtractionError(_unsupported(suffix))


def _binary_kind(data: bytes, suffix: str) -> str | None:
    """Recognise PDF and DOCX content, and refuse legacy or encrypted Word files."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        if (
            OLE2_ENCRYPTED_PACKAGE in data[:SNIFF_BYTES]
            or OLE2_ENCRYPTED_PACKAGE in data[-SNIFF_BYTES:]
        ):
            raise ExtractionError(
                "encrypted .docx: remove the password in Word and upload it again"
            )
        if suffix in (".doc", ".docx", ".dot", ".rtf"):
            raise ExtractionError("legacy .doc is not supported: save as .docx")
        return None
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if is_wordprocessing_zip(data):
            return "docx"
        if suffix == ".docx":
            raise ExtractionError(
                "this file is named .docx but its content is not a Word document "
                "(a zip without word/document.xml)"
            )
    return None


def is_wordprocessing_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return True
            # The main part may live elsewhere (word/document2.xml): its content type says so.
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size < 1024 * 1024:
                    types = archive.read(info)
                    return b"wordprocessingml.document.main" in types
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        KeyError,
    ):
        return False
    return False


def _describe_binary(data: bytes) -> str | None:
    for magic, description in BINARY_SIGNATURES:
        if data.startswith(magic):
            return description
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if data.startswith(OLE2_MAGIC):
        return "an old Microsoft Office file"
    return None


def _mismatch(suffix: str, named: str, actual: str | None = None) -> str:
    message = f"this file is named {suffix} but its content is not {KIND_NAMES[named]}"
    return f"{message} (it looks like {actual})" if actual else message


def _unsupported(suffix: str) -> str:
    what = suffix if suffix else "a file without an extension"
    return f"unsupported file type: {what}; {SUPPORTED}"
