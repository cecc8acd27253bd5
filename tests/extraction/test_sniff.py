"""Kinds come from the content first and the name second; mismatches are named."""

import io
import zipfile

import pytest

from reflect.extraction import ExtractionError, detect_kind, extract


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("pdf/pypdf/crazyones.pdf", "pdf"),
        ("docx/python-docx/test.docx", "docx"),
        ("docx/pandoc/alternate_document_path.docx", "docx"),
        ("meetings/qmsum/ami-ES2004/ES2004a.txt", "txt"),
        ("meetings/minutes-md/rust-lang-team-triage/2019-10-03.md", "md"),
        ("transcripts/vtt/webvtt-py/captions_with_bom.vtt", "vtt"),
        ("transcripts/vtt/go-astisub/example-in-non-utf8.vtt", "vtt"),
        ("transcripts/srt/pysrt/bom-utf-32-le.srt", "srt"),
        ("transcripts/srt/go-astisub/example-in-carriage-return.srt", "srt"),
    ],
)
def test_kind_of_corpus_files(corpus, relative, kind):
    path = corpus / relative
    assert detect_kind(path.read_bytes(), filename=path.name) == kind


def test_a_text_file_holding_a_transcript_becomes_that_transcript(corpus):
    vtt = (corpus / "transcripts/vtt/webvtt-py/teams_timeframe.vtt").read_bytes()
    srt = (corpus / "transcripts/srt/webvtt-py/sample.srt").read_bytes()

    assert detect_kind(vtt, filename="meeting.txt") == "vtt"
    assert detect_kind(srt, filename="meeting.txt") == "srt"
    assert detect_kind(srt, filename="meeting.vtt") == "srt"
    assert detect_kind(vtt, filename="meeting.srt") == "vtt"


def test_pdf_header_may_follow_junk_within_the_first_kilobyte():
    assert detect_kind(b"\n" * 500 + b"%PDF-1.4\n", filename="x.pdf") == "pdf"


def test_empty_file():
    with pytest.raises(ExtractionError, match="^empty file$"):
        detect_kind(b"", filename="notes.pdf")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            b"MZ\x90\x00\x03" + b"\x00" * 100,
            "report.pdf",
            "^this file is named .pdf but its content is not a PDF \\(it looks like a Windows program\\)$",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "report.pdf",
            "^this file is named .pdf but its content is not a PDF \\(it looks like a PNG image\\)$",
        ),
        (
            b"just some words",
            "report.pdf",
            "^this file is named .pdf but its content is not a PDF$",
        ),
        (
            b"just some words",
            "contract.docx",
            "^this file is named .docx but its content is not a Word document$",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "notes.txt",
            "^this file is named .txt but its content is not text",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "old.doc",
            "^legacy .doc is not supported: save as .docx$",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "old.docx",
            "^legacy .doc is not supported: save as .docx$",
        ),
        (
            b"a,b\n1,2\n",
            "table.csv",
            "^unsupported file type: .csv; supported are PDF, DOCX, TXT, Markdown, WebVTT and SRT$",
        ),
        (
            b"hello",
            "README",
            "^unsupported file type: a file without an extension; supported are",
        ),
    ],
)
def test_refusals_name_the_problem(data, filename, message):
    with pytest.raises(ExtractionError, match=message):
        detect_kind(data, filename=filename)


def test_password_protected_docx_is_named_as_such():
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 600
        + "EncryptedPackage".encode("utf-16-le")
    )

    with pytest.raises(ExtractionError, match="^encrypted .docx: remove the password"):
        detect_kind(data, filename="contract.docx")


def test_a_word_document_under_another_name_is_read_as_docx(corpus):
    data = (corpus / "docx/python-docx/test.docx").read_bytes()

    assert detect_kind(data, filename="test.zip") == "docx"
    assert "python-docx was here!" in extract(data, filename="download").text


def test_exe_renamed_pdf_never_reaches_the_parser():
    with pytest.raises(ExtractionError, match="^this file is named .pdf"):
        extract(b"MZ" + bytes(range(256)) * 10, filename="invoice.pdf")


def test_truncated_zip_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>" * 1000)

    with pytest.raises(ExtractionError):
        extract(buffer.getvalue()[:200], filename="broken.docx")
