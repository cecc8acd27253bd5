"""Plain text and Markdown: the words as written, a segment per block, speakers when present."""

import pytest

from reflect.extraction import ExtractionError, extract

from .conftest import segment_containing, segment_texts


def test_markdown_minutes_keep_their_text_and_date(extract_file, corpus):
    extraction = extract_file("meetings/minutes-md/rust-lang-team-triage/2019-10-03.md")
    original = (
        corpus / "meetings/minutes-md/rust-lang-team-triage/2019-10-03.md"
    ).read_text("utf-8")

    assert extraction.kind == "md"
    assert extraction.text == original.replace("\r\n", "\n")
    assert str(extraction.meeting_date) == "2019-10-03"
    assert segment_containing(extraction, "# Meeting details")["line"] == 3
    assert extraction.speakers == []


def test_speaker_lines_of_a_meeting_transcript(extract_file):
    extraction = extract_file("meetings/qmsum/ami-ES2004/ES2004a.txt")

    assert extraction.kind == "txt"
    assert sorted(extraction.speakers) == [
        "Industrial Designer",
        "Marketing",
        "Project Manager",
        "User Interface",
    ]
    assert len(extraction.segments) == 320  # one per turn, as QMSum counts them
    assert [s["line"] for s in extraction.segments[:3]] == [1, 2, 3]


def test_speaker_names_with_titles(extract_file):
    extraction = extract_file(
        "meetings/qmsum/senedd-cype-punishment-bill/education_12.txt"
    )

    assert extraction.speakers[0] == "Lynne Neagle AM"
    assert "Julie Morgan AM" in extraction.speakers


def test_paragraph_blocks_and_their_first_line():
    data = b"Title\n\nFirst paragraph\nstill first.\n\n\n  Second one.  \n"

    extraction = extract(data, filename="notes.txt")

    assert segment_texts(extraction) == [
        "Title",
        "First paragraph\nstill first.",
        "Second one.",
    ]
    assert [s["line"] for s in extraction.segments] == [1, 3, 7]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Grüße aus Köln – €10".encode("utf-8-sig"), "Grüße aus Köln – €10"),
        ("Grüße aus Köln – €10".encode("utf-16"), "Grüße aus Köln – €10"),
        ("Grüße aus Köln – €10".encode("utf-16-be"), "Grüße aus Köln – €10"),
        (b"\x00\x00\xfe\xff" + "Grüße".encode("utf-32-be"), "Grüße"),
        ("Grüße aus Köln – €10".encode("utf-32"), "Grüße aus Köln – €10"),
        ("Grüße aus Köln – €10".encode("cp1252"), "Grüße aus Köln – €10"),
        (b"line one\r\nline two\rline three", "line one\nline two\nline three"),
        (b"bad \x81 byte", "bad \ufffd byte"),
    ],
)
def test_encodings_and_line_endings(data, expected):
    assert extract(data, filename="notes.txt").text == expected


def test_bomless_utf16_text_is_recognised():
    assert (
        extract(
            "Hello there, meeting notes".encode("utf-16-le"), filename="notes.txt"
        ).text
        == "Hello there, meeting notes"
    )


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"  \n\r\n\t ", "\ufeff".encode("utf-16")]
)
def test_nothing_but_whitespace_is_an_empty_file(data):
    with pytest.raises(ExtractionError, match="^empty file$"):
        extract(data, filename="notes.txt")


def test_control_characters_are_dropped():
    assert extract(b"a\x0cb\x07c\x1bd\x7f", filename="notes.md").text == "abcd"


def test_nul_bytes_mean_the_file_is_not_text():
    with pytest.raises(
        ExtractionError, match="^this file is named .md but its content is not text$"
    ):
        extract(b"a\x00b\x00\x00\x00\x01\x02 binary", filename="notes.md")
