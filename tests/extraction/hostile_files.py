"""Files that pass the size, page and compression checks yet used to take a worker down (#14).

Shared by the extraction and document tests and by bench/hostile. Each is generated in well
under a second and stays a few MB.
"""

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def docx_of_paragraphs(paragraphs, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .docx whose body is one w:p per string of `paragraphs` (an iterable)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        with archive.open("word/document.xml", "w") as part:
            part.write(
                f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
            )
            chunk = []
            for text in paragraphs:
                chunk.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
                if len(chunk) == 10_000:
                    part.write("".join(chunk).encode())
                    chunk = []
            part.write(("".join(chunk) + "</w:body></w:document>").encode())
    return buffer.getvalue()


def paragraph_bomb(count: int = 1_660_000) -> bytes:
    """Many tiny paragraphs (the #14 file: 1.66 M of them, 60 MB inflated, 7.4 MB zipped).

    Each paragraph holds a different number, so the package compresses like real text
    (about 8 times) and passes the zip-bomb ratio check.
    """
    return docx_of_paragraphs(f"{n * 7919 % 1_000_003:x}" for n in range(count))


def shared_stream_pdf(pages: int = 2000, *, lines: int = 300) -> bytes:
    """A PDF whose `pages` pages all draw one content stream of `lines` lines of text.

    The file is a few hundred KB; its text is pages × lines × about 70 characters.
    """
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    resources = writer._add_object(
        DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    )
    body = ["BT /F1 8 Tf 10 TL 20 780 Td"]
    for line in range(lines):
        body.append(
            f"(Line {line:04d}: the same words drawn on every page of this file.) '"
        )
    body.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(body).encode())
    content = writer._add_object(stream.flate_encode())
    box = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(612), FloatObject(792)]
    )
    for _ in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Contents")] = content
        page[NameObject("/Resources")] = resources
        page[NameObject("/MediaBox")] = box
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
