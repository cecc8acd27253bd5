"""DOCX: body, tables, notes, comments, headers and footers, and the packages we refuse."""

import io
import zipfile

import pytest

from reflect.extraction import ExtractionError, Limits, extract

from .conftest import segment_containing, segment_texts


def test_paragraphs_and_tables_in_document_order(extract_file):
    extraction = extract_file("docx/mammoth/tables.docx")

    assert segment_texts(extraction) == [
        "Above",
        "Top left | Top right",
        "Bottom left | Bottom right",
        "Below",
    ]
    assert extraction.segments[0]["part"] == "body"
    assert extraction.segments[1] | {"start": 0, "end": 0} == {
        "start": 0,
        "end": 0,
        "paragraph": 2,
        "part": "table",
        "table": 1,
        "row": 1,
    }
    assert extraction.segments[2]["row"] == 2


def test_clean_google_docs_export(extract_file):
    extraction = extract_file(
        "docx/docx2python/test-docx2python-conversion-google_docs.docx"
    )

    assert extraction.kind == "docx"
    assert len(extraction.text) > 2000


def test_libreoffice_tender_keeps_paragraphs_and_its_tables(extract_file):
    extraction = extract_file("docx/docx2python/libreoffice_conversion.docx")

    assert "东阳市歌山镇农贸市场" in extraction.text
    assert len({s["table"] for s in extraction.segments if "table" in s}) >= 12


def test_nested_tables_are_reached(extract_file):
    """All the text of this rig procedure sits in tables inside tables."""
    extraction = extract_file("docx/docx2python/240-DOP-1013A Lay Down Tubulars.docx")

    assert (
        "Task Name: | Lay Down Tubulars | Job Location: | Rig Floor" in extraction.text
    )
    assert "Review MSDS for thread dope being used." in extraction.text
    assert len(extraction.text) > 8000
    row = segment_containing(extraction, "Lay Down Tubulars | Job Location")
    assert row["part"] == "table" and row["row"] >= 1 and row["table"] >= 2


def test_table_rows_are_one_line_each(extract_file):
    extraction = extract_file("docx/docx2python/Weekly Schedule.docx")

    for segment in extraction.segments:
        if segment["part"] == "table":
            assert "\n" not in extraction.text[segment["start"] : segment["end"]]


def test_soft_line_breaks_in_a_cell_stay_on_the_row(extract_file):
    extraction = extract_file("docx/docx2python/soft_line_breaks.docx")

    assert "\n" not in extraction.text
    assert extraction.segments[0]["part"] == "table"


@pytest.mark.parametrize(
    ("relative", "quote", "part"),
    [
        (
            "docx/mammoth/footnotes.docx",
            "Footnote 1: A tachyon walks into a bar.",
            "footnote",
        ),
        (
            "docx/mammoth/endnotes.docx",
            "Endnote 1: A tachyon walks into a bar.",
            "endnote",
        ),
        (
            "docx/mammoth/comments.docx",
            "Comment by Michael Williamson: A tachyon walks into a bar.",
            "comment",
        ),
        (
            "docx/pandoc/notes.docx",
            "Endnote 1: This is an endnote at the end of the document.",
            "endnote",
        ),
        ("docx/pandoc/notes.docx", "Footnote 1: My note.", "footnote"),
        ("docx/docx2python/example.docx", "Header text", "header"),
        ("docx/docx2python/example.docx", "Footer text", "footer"),
        ("docx/docx2python/example.docx", "Footnote 2: Second footnote", "footnote"),
    ],
)
def test_text_outside_the_body_is_kept_with_its_part(
    extract_file, relative, quote, part
):
    extraction = extract_file(relative)

    assert segment_containing(extraction, quote)["part"] == part


def test_a_document_with_text_only_in_headers_is_read(extract_file):
    extraction = extract_file("docx/docx2python/has_pict.docx")

    assert extraction.text and {segment["part"] for segment in extraction.segments} == {
        "header"
    }


def test_identical_headers_of_several_sections_appear_once(extract_file):
    extraction = extract_file("docx/python-docx/sct-first-page-hdrftr.docx")

    headers = [
        text
        for text, s in zip(segment_texts(extraction), extraction.segments, strict=False)
        if s["part"] == "header"
    ]
    assert len(headers) == len(set(headers))


@pytest.mark.parametrize(
    ("relative", "quote"),
    [
        ("docx/mammoth/text-box.docx", "Datum plane"),
        ("docx/pandoc/nested_sdt.docx", "Test Paragraph3"),
        (
            "docx/pandoc/track_changes_insertion.docx",
            "This is a text with two exciting insertions.",
        ),
        ("docx/pandoc/sdt_elements.docx", "|"),
        ("docx/pandoc/text_in_shape_format.docx", "Using Microsoft Word 2007/2010"),
        ("docx/docx2python/equations.docx", "\\int_{0}^{1}x"),
        ("docx/docx2python/checked_boxes.docx", "☒ Adult Protective Services"),
    ],
)
def test_text_python_docx_would_lose_is_found(extract_file, relative, quote):
    assert quote in extract_file(relative).text


def test_a_moved_sentence_appears_exactly_once(extract_file):
    extraction = extract_file("docx/pandoc/track_changes_move.docx")

    assert extraction.text.count("Here is the text to be moved.") == 1


def test_tracked_deletions_are_dropped(extract_file):
    extraction = extract_file("docx/pandoc/track_changes_deletion.docx")

    assert "excessively modified" not in extraction.text


def test_headings_and_list_items_are_marked(extract_file):
    example = extract_file("docx/docx2python/example.docx")
    lists = extract_file("docx/mammoth/simple-list.docx")

    assert "# Heading 1\n\n## Heading 2" in example.text
    assert all(text.startswith("- ") for text in segment_texts(lists))


def test_main_part_found_through_relationships(extract_file):
    assert "Test" in extract_file("docx/pandoc/alternate_document_path.docx").text
    assert extract_file("docx/docx2python/renamed_document_xml.docx").text


@pytest.mark.parametrize(
    "relative", ["docx/docx2python/strict.docx", "docx/mammoth/strict-format.docx"]
)
def test_strict_open_xml_is_refused_by_name(extract_file, relative):
    with pytest.raises(
        ExtractionError, match="^Strict Open XML .docx is not supported"
    ):
        extract_file(relative)


def test_package_missing_a_part_is_damaged(extract_file):
    with pytest.raises(
        ExtractionError,
        match="^damaged file: There is no item named 'word/media/image16.png'",
    ):
        extract_file("docx/docx2python/nested_paragraphs_in_header3b.docx")


@pytest.mark.parametrize(
    "relative",
    [
        "docx/mammoth/empty.docx",
        "docx/python-docx/having-images.docx",
        "docx/mammoth/external-picture.docx",
    ],
)
def test_a_document_without_text_is_an_empty_file(extract_file, relative):
    with pytest.raises(ExtractionError, match="^empty file: the document has no text$"):
        extract_file(relative)


def _zip_bomb(path, size: int) -> bytes:
    """A docx whose document.xml inflates to `size` bytes of zeros, written in chunks."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path.read_bytes()


def test_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    data = _zip_bomb(tmp_path / "bomb.docx", 300 * 1024 * 1024)
    assert len(data) < 1024 * 1024

    with pytest.raises(
        ExtractionError,
        match=r"^file too large when uncompressed: 300 MB \(the limit is 200 MB\)",
    ):
        extract(data, filename="bomb.docx")


def test_absurd_compression_ratio_is_refused_under_the_size_limit(tmp_path):
    data = _zip_bomb(tmp_path / "bomb.docx", 20 * 1024 * 1024)

    with pytest.raises(
        ExtractionError,
        match="^file too large when uncompressed: word/document.xml expands",
    ):
        extract(data, filename="bomb.docx", limits=Limits())


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(
        ExtractionError,
        match="^this file is named .docx but its content is not a Word document",
    ):
        extract(buffer.getvalue(), filename="budget.docx")
