"""Files within every size limit whose text is still too much fail early with a message that
names the limit: extracted characters, DOCX paragraphs, PDF pages, transcript cues, text lines.
"""

import re
import time
import zipfile

import pytest

from reflect.extraction import ExtractionError, Limits, extract

from .hostile_files import docx_of_paragraphs, paragraph_bomb, shared_stream_pdf

CHARS = "the text is longer than 2,000,000 characters (about 500,000 tokens): split the file"


def test_the_paragraph_bomb_fails_on_its_paragraph_count_before_the_xml_is_parsed():
    data = paragraph_bomb()
    assert len(data) < 10 * 1024 * 1024

    started = time.monotonic()
    with pytest.raises(ExtractionError) as raised:
        extract(data, filename="minutes.docx")

    assert str(raised.value) == "more than 100,000 paragraphs: split the file"
    # Parsing it took 20 s and 2.4 GB; the count reads the zip stream and stops.
    assert time.monotonic() - started < 5


def test_a_docx_just_under_the_paragraph_limit_is_read():
    data = docx_of_paragraphs(f"paragraph {n}" for n in range(2_000))

    extraction = extract(
        data, filename="long.docx", limits=Limits(max_docx_paragraphs=2_000)
    )

    assert len(extraction.segments) == 2_000


def test_a_docx_with_few_long_paragraphs_fails_on_its_characters():
    words = "word " * 20_000  # 100,000 characters per paragraph
    data = docx_of_paragraphs([words] * 21, compression=zipfile.ZIP_STORED)

    with pytest.raises(ExtractionError, match="^" + re.escape(CHARS) + "$"):
        extract(data, filename="long.docx")


def test_the_shared_stream_pdf_stops_at_the_character_limit_not_after_2000_pages():
    data = shared_stream_pdf()
    assert len(data) < 400 * 1024

    started = time.monotonic()
    with pytest.raises(ExtractionError, match="^" + re.escape(CHARS) + "$"):
        extract(data, filename="report.pdf")

    # All 2,000 pages take 30 s here; the limit is reached after about 110 of them.
    assert time.monotonic() - started < 15


def test_the_character_limit_is_configurable_and_named_in_the_message():
    data = shared_stream_pdf(pages=10, lines=20)

    with pytest.raises(ExtractionError) as raised:
        extract(data, filename="report.pdf", limits=Limits(max_extracted_chars=4_000))

    assert str(raised.value) == (
        "the text is longer than 4,000 characters (about 1,000 tokens): split the file"
    )


def test_a_pdf_over_the_page_limit_still_fails_on_its_pages():
    with pytest.raises(
        ExtractionError, match=r"^too many pages: 30 \(the limit is 20\)$"
    ):
        extract(
            shared_stream_pdf(pages=30, lines=1),
            filename="r.pdf",
            limits=Limits(max_pdf_pages=20),
        )


def test_plain_text_over_the_character_limit_fails():
    with pytest.raises(ExtractionError, match="^" + re.escape(CHARS) + "$"):
        extract(("All work and no play. " * 100_000).encode(), filename="notes.txt")


def test_plain_text_with_too_many_lines_fails_on_its_lines():
    with pytest.raises(ExtractionError) as raised:
        extract(b"a\n" * 200_001, filename="log.txt")

    assert str(raised.value) == "more than 200,000 lines: split the file"


def test_markdown_uses_the_same_line_limit():
    with pytest.raises(ExtractionError, match="^more than 10 lines: split the file$"):
        extract(b"# t\n" * 11, filename="n.md", limits=Limits(max_text_lines=10))


def vtt(cues: int) -> bytes:
    lines = ["WEBVTT", ""]
    for n in range(cues):
        lines += [
            f"00:{n // 60 % 60:02d}:{n % 60:02d}.000 --> 00:{n // 60 % 60:02d}:{n % 60:02d}.900",
            f"Cue {n}",
            "",
        ]
    return "\n".join(lines).encode()


def test_a_transcript_with_too_many_cues_fails_on_its_cues():
    with pytest.raises(ExtractionError) as raised:
        extract(vtt(100_001), filename="call.vtt")

    assert str(raised.value) == "more than 100,000 cues: split the file"


def test_an_srt_transcript_uses_the_same_cue_limit():
    srt = "".join(
        f"{n + 1}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\nLine {n}\n\n"
        for n in range(6)
    ).encode()

    with pytest.raises(ExtractionError, match="^more than 5 cues: split the file$"):
        extract(srt, filename="call.srt", limits=Limits(max_transcript_cues=5))


def test_a_transcript_over_the_character_limit_fails():
    with pytest.raises(ExtractionError) as raised:
        extract(vtt(200), filename="call.vtt", limits=Limits(max_extracted_chars=1_000))

    assert str(raised.value).startswith("the text is longer than 1,000 characters")
