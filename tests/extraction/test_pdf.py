"""PDF: text page by page, passwords, scans, broken files and the page limit."""

import io

import pytest
from pypdf import PdfWriter

from reflect.extraction import ExtractionError, Limits, extract

from .conftest import segment_containing

PARSER_RAISES = [
    "pdf/pdfjs/bug1020226.pdf",
    "pdf/pdfjs/bug1250079.pdf",
    "pdf/pdfjs/issue15590.pdf",
    "pdf/pdfjs/issue19800.pdf",
    "pdf/pdfjs/Pages-tree-refs.pdf",
    "pdf/pdfjs/REDHAT-1531897-0.pdf",
    "pdf/pdfjs/poppler-937-0-fuzzed.pdf",
    "pdf/pdfjs/PDFBOX-3148-2-fuzzed.pdf",
    "pdf/pdfjs/issue19484_1.pdf",  # decrypts with a wrongly derived key: garbage objects
    "pdf/pdfjs/issue19484_2.pdf",  # the crypto layer raises a plain ValueError
    "pdf/pdfjs/operator-in-TJ-array.pdf",  # the only page fails to parse
]
PASSWORD_NEEDED = [
    "pdf/pdfjs/issue6010_2.pdf",
    "pdf/pdfjs/saslprep-r6.pdf",
    "pdf/pdfjs/issue21579.pdf",
    "pdf/pdfjs/pr6531_1.pdf",
    "pdf/pdfjs/print_protection.pdf",
    "pdf/pdfjs/auth-event-ef-open.pdf",
    "pdf/pypdf/encryption-r2-user-password.pdf",
    "pdf/pypdf/encryption-r4-aes-user-password.pdf",
    "pdf/pypdf/encryption-r6-both-passwords.pdf",
    "pdf/pypdf/libreoffice-writer-password.pdf",
    "pdf/pypdf/crazyones-encrypted-256.pdf",
]
NO_TEXT_LAYER = [
    "pdf/pdfjs/issue1985.pdf",
    "pdf/pypdf/git.pdf",
    "pdf/pypdf/imagemagick-CCITTFaxDecode.pdf",
    "pdf/pdfjs/empty_protected.pdf",  # opens with the empty password, blank page
    "pdf/pypdf/encrypted_doc_no_id.pdf",  # opens with the empty password, no text
]


def test_text_of_each_page_has_a_page_locator(extract_file):
    extraction = extract_file("pdf/pdfjs/file_pdfjs_test.pdf")

    assert extraction.kind == "pdf"
    assert extraction.pages == 5
    assert (
        "You've just written a feature and (hopefully!) want to test it."
        in extraction.text
    )
    assert (
        segment_containing(extraction, "Tests specifically for the JavaScript engine.")[
            "page"
        ]
        == 2
    )
    assert [segment["page"] for segment in extraction.segments] == [1, 2, 3, 4, 5]


def test_pages_are_joined_by_blank_lines(extract_file):
    extraction = extract_file("pdf/pdfjs/pdkids.pdf")

    first, second = extraction.segments[:2]
    assert extraction.text[first["end"] : second["start"]] == "\n\n"
    assert (
        segment_containing(
            extraction, "In my old Granny's days, long, long--oh, so long ago"
        )["page"]
        == 1
    )


def test_a_book_keeps_every_page_in_order(extract_file):
    extraction = extract_file("pdf/pdfjs/freeculture.pdf")

    assert extraction.pages == 352
    pages = [segment["page"] for segment in extraction.segments]
    assert pages == sorted(pages) and len(pages) > 300
    assert "Free Culture" in extraction.text


def test_meeting_date_comes_from_the_first_lines(extract_file):
    extraction = extract_file("pdf/pypdf/crazyones.pdf")

    assert "The round pegs in the square holes." in extraction.text
    assert str(extraction.meeting_date) == "1998-10-14"


@pytest.mark.parametrize(
    "relative",
    [
        "pdf/pdfjs/issue9972-1.pdf",
        "pdf/pdfjs/issue7665.pdf",
        "pdf/pypdf/encryption-r6-user-password.pdf",
    ],
)
def test_pdf_encrypted_with_an_empty_password_just_opens(extract_file, relative):
    extraction = extract_file(relative)

    assert extraction.text.strip()


@pytest.mark.parametrize("relative", PASSWORD_NEEDED)
def test_pdf_needing_a_password_says_so(extract_file, relative):
    with pytest.raises(ExtractionError, match="^encrypted PDF: a password is needed$"):
        extract_file(relative)


@pytest.mark.parametrize("relative", NO_TEXT_LAYER)
def test_pdf_without_a_text_layer_is_called_a_scan(extract_file, relative):
    with pytest.raises(
        ExtractionError, match="^no text layer: this looks like a scanned PDF"
    ):
        extract_file(relative)


def test_scanned_pdf_with_an_ocr_layer_is_read(extract_file):
    extraction = extract_file("pdf/pypdf/Seige_of_Vicksburg_Sample_OCR.pdf")

    assert "VICKSBURG" in extraction.text
    assert extraction.pages == 6


@pytest.mark.parametrize("relative", PARSER_RAISES)
def test_broken_pdf_is_a_damaged_file_with_the_parser_reason(extract_file, relative):
    with pytest.raises(ExtractionError, match="^damaged file: .+") as caught:
        extract_file(relative)

    detail = str(caught.value)
    assert "\n" not in detail and len(detail) <= 220


def test_crypto_value_error_is_reported_in_its_own_words(extract_file):
    with pytest.raises(ExtractionError, match="^damaged file: Invalid key size"):
        extract_file("pdf/pdfjs/issue19484_2.pdf")


def test_control_characters_never_reach_the_text(extract_file):
    extraction = extract_file("pdf/pdfjs/standard_fonts.pdf")

    assert "TCPDF Example 055" in extraction.text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in extraction.text)


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_many_blank_pages_have_no_text_layer():
    with pytest.raises(ExtractionError, match="^no text layer"):
        extract(_blank_pdf(300), filename="blank.pdf")


def test_page_limit_is_checked_before_reading_pages():
    with pytest.raises(
        ExtractionError, match=r"^too many pages: 300 \(the limit is 100\)$"
    ):
        extract(_blank_pdf(300), filename="blank.pdf", limits=Limits(max_pdf_pages=100))


def test_a_pdf_whose_name_says_otherwise_is_still_read(corpus):
    data = (corpus / "pdf/pypdf/crazyones.pdf").read_bytes()

    assert extract(data, filename="notes.txt").kind == "pdf"


def test_a_celery_soft_time_limit_reaches_the_task(corpus, monkeypatch):
    """The task reports "took too long" itself, so the limit must not become "damaged file"."""
    from billiard.exceptions import SoftTimeLimitExceeded
    from pypdf import PageObject

    def out_of_time(self, *args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(PageObject, "extract_text", out_of_time)

    with pytest.raises(SoftTimeLimitExceeded):
        extract(
            (corpus / "pdf/pypdf/crazyones.pdf").read_bytes(), filename="crazyones.pdf"
        )
