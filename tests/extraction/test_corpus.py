"""Every file of the shared corpus: extract either succeeds with sound segments or says why."""

import pytest

from reflect.extraction import ExtractionError

from ..conftest import SHARED_CORPUS

FILES = sorted(
    str(path.relative_to(SHARED_CORPUS))
    for path in SHARED_CORPUS.rglob("*")
    if path.is_file() and path.name != "SOURCES.md"
)


@pytest.mark.parametrize("relative", FILES)
def test_extract_succeeds_with_ordered_disjoint_segments_or_raises_extraction_error(
    extract_file, relative
):
    try:
        extraction = extract_file(relative)
    except ExtractionError as error:
        assert str(error) and "\n" not in str(error)
        return

    assert extraction.kind in {"pdf", "docx", "txt", "md", "vtt", "srt"}
    text = extraction.text
    previous_end = 0
    for segment in extraction.segments:
        assert previous_end <= segment["start"] < segment["end"] <= len(text), segment
        assert text[segment["start"] : segment["end"]].strip(), segment
        previous_end = segment["end"]
    assert "\x00" not in text
    text.encode("utf-8")  # storable: no lone surrogates
    assert extraction.speakers == list(dict.fromkeys(extraction.speakers))
    if extraction.kind == "pdf":
        assert extraction.pages and all(
            1 <= s["page"] <= extraction.pages for s in extraction.segments
        )


def test_the_corpus_is_there():
    assert len(FILES) > 200
