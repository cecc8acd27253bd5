"""DOCX: checks on the zip package itself, before python-docx inflates and parses it.

Zip bombs (by total size and by compression ratio), more paragraphs than a document may
have (counted in the zip stream), and Strict Open XML, which python-docx cannot read.
"""

import io
import re
import zipfile

from .base import ExtractionError, Limits, too_many
from .errors import PASS_THROUGH, damaged

STRICT_NAMESPACE = b"purl.oclc.org/ooxml"
MAX_COMPRESSION_RATIO = 200  # ordinary WordprocessingML compresses 5-30 times
RATIO_CHECK_BYTES = 2 * 1024 * 1024
# The start tag of a paragraph, whatever its prefix (w:p, a:p in drawings): not w:pPr, w:pict.
PARAGRAPH_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")
SCAN_CHUNK = 1024 * 1024


def check_package(data: bytes, *, limits: Limits) -> None:
    """Refuse zip bombs and Strict Open XML from the zip directory, before anything inflates."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > limits.max_docx_uncompressed_bytes:
                raise ExtractionError(
                    f"file too large when uncompressed: {_megabytes(total)} "
                    f"(the limit is {_megabytes(limits.max_docx_uncompressed_bytes)})"
                )
            for info in infos:
                if (
                    info.file_size > RATIO_CHECK_BYTES
                    and info.file_size
                    > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
                ):
                    raise ExtractionError(
                        f"file too large when uncompressed: {info.filename} expands "
                        f"{info.file_size // max(info.compress_size, 1)} times (a zip bomb?)"
                    )
            # python-docx holds the whole XML tree: 1.66 M tiny paragraphs took 2.4 GB.
            # Counting their tags in the zip stream stops such a file before it is parsed.
            _check_paragraphs(archive, infos, limit=limits.max_docx_paragraphs)
            names = {info.filename for info in infos}
            for name in (
                "_rels/.rels",
                "word/_rels/document.xml.rels",
                "word/document.xml",
            ):
                if name in names:
                    with archive.open(name) as part:
                        if STRICT_NAMESPACE in part.read(4096):
                            raise ExtractionError(
                                "Strict Open XML .docx is not supported: save it as a Word Document (.docx)"
                            )
    except (ExtractionError, *PASS_THROUGH):
        raise
    except Exception as error:
        raise damaged(error) from error


def _check_paragraphs(archive, infos, *, limit: int) -> None:
    count = 0
    for info in infos:
        if not (info.filename.startswith("word/") and info.filename.endswith(".xml")):
            continue
        with archive.open(info) as part:
            rest = b""
            while chunk := part.read(SCAN_CHUNK):
                data = rest + chunk
                # A tag cut by the chunk boundary is counted with the next chunk.
                cut = data.rfind(b"<")
                if cut < 0:
                    cut = len(data)
                count += sum(1 for _ in PARAGRAPH_START.finditer(data, 0, cut))
                rest = data[cut:]
                if count > limit:
                    raise too_many(limit, "paragraphs")
            count += sum(1 for _ in PARAGRAPH_START.finditer(rest))
    if count > limit:
        raise too_many(limit, "paragraphs")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
