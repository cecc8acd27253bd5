"""Every file of the shared corpus has a recorded outcome, and extraction still gives it.

The outcomes live in corpus_expectations.csv beside this module, one row per file (path
relative to the corpus root): `ready` with a phrase the extracted text must contain, or
`failed` with the start of the message the ExtractionError must carry. The table is data
checked against SOURCES.md when it was drafted (build_corpus_expectations.py); it is never
computed from the code under test, so a file that used to extract and now fails, or that
fails for a different reason, turns the test red. A corpus file without a row is a failure
too: adding a file to the corpus means deciding what it should give.
"""

import csv
from pathlib import Path

import pytest

from reflect.extraction import ExtractionError

from ..conftest import SHARED_CORPUS

EXPECTATIONS_FILE = Path(__file__).with_name("corpus_expectations.csv")
OUTCOMES = {"ready", "failed"}


def load_expectations() -> dict[str, tuple[str, str]]:
    with EXPECTATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["file"]: (row["outcome"], row["expected"]) for row in rows}


EXPECTATIONS = load_expectations()
FILES = sorted(
    str(path.relative_to(SHARED_CORPUS))
    for path in SHARED_CORPUS.rglob("*")
    if path.is_file() and path.name != "SOURCES.md"
)


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("relative", FILES)
def test_each_corpus_file_gives_its_recorded_outcome(extract_file, relative):
    """A `ready` file extracts with its phrase in the text (whitespace runs compared as one
    space); a `failed` file raises ExtractionError with a one-line message that starts as
    recorded. A file with no row fails until someone records what it should give."""
    if relative not in EXPECTATIONS:
        pytest.fail(
            f"{relative} has no row in {EXPECTATIONS_FILE.name}: add one "
            "(ready + a phrase of its text, or failed + the start of its message)"
        )
    outcome, expected = EXPECTATIONS[relative]

    if outcome == "failed":
        with pytest.raises(ExtractionError) as raised:
            extract_file(relative)
        message = str(raised.value)
        assert "\n" not in message
        assert message.startswith(expected), message
        return

    try:
        extraction = extract_file(relative)
    except ExtractionError as error:
        pytest.fail(f"{relative} should extract but failed: {error}")
    assert normalised(expected) in normalised(extraction.text)
    assert_sound(extraction)


def assert_sound(extraction):
    """Segments are ordered, disjoint, non-blank ranges of a storable text."""
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


def test_every_row_of_the_table_is_well_formed_and_names_a_corpus_file():
    """Rows say ready or failed with something to compare, and none outlives its file."""
    for relative, (outcome, expected) in EXPECTATIONS.items():
        assert outcome in OUTCOMES, relative
        assert expected.strip(), relative
    assert sorted(set(EXPECTATIONS) - set(FILES)) == []


def test_the_corpus_is_there_and_mostly_extracts():
    """The corpus is present in full; most of it is meant to extract, some to fail."""
    assert len(FILES) > 200
    outcomes = [outcome for outcome, _ in EXPECTATIONS.values()]
    assert outcomes.count("ready") > outcomes.count("failed") > 0
