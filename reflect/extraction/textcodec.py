"""Turn the bytes of a text file into str without ever failing on them."""

import codecs
import re

BOMS = (
    (
        codecs.BOM_UTF32_LE,
        "utf-32-le",
    ),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab and newline, DEL, and the C1 controls: they carry no meaning for
# a reader, and PostgreSQL refuses NUL in text.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)])
_CONTROLS[0xFEFF] = None
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def decode_text(data: bytes, *, partial: bool = False) -> str | None:
    """Decode by BOM, then UTF-8, then UTF-16 without BOM, then cp1252.

    Returns None when the bytes are not text at all (NUL bytes that no UTF-16/32 layout
    explains). `partial` tolerates a multi-byte character cut at the end of `data`.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    sample = data[:4096]
    if b"\x00" in sample:
        encoding = _bomless_utf16(sample)
        if encoding is None:
            return None
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if (
            partial
            and error.start >= len(data) - 3
            and error.reason == "unexpected end of data"
        ):
            return data[: error.start].decode("utf-8")
    # cp1252 leaves five bytes undefined; "replace" keeps even those from failing.
    return data.decode("cp1252", errors="replace")


def _bomless_utf16(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def normalize_text(text: str) -> str:
    """Unify line endings and drop control characters (lengths change: call before indexing)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        text = text.translate(_CONTROLS)
    return text
