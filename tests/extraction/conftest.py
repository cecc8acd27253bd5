from pathlib import Path

import pytest

from reflect.extraction import Extraction, ExtractionError, extract


@pytest.fixture(scope="session")
def extract_file(corpus: Path):
    """Extract a corpus file by its path relative to the corpus root.

    Results are shared by the session (the 352-page book takes seconds); tests only read them.
    """
    done: dict[str, Extraction | ExtractionError] = {}

    def run(relative: str) -> Extraction:
        if relative not in done:
            path = corpus / relative
            try:
                done[relative] = extract(path.read_bytes(), filename=path.name)
            except ExtractionError as error:
                done[relative] = error
        result = done[relative]
        if isinstance(result, ExtractionError):
            raise ExtractionError(str(result))
        return result

    return run


def segment_texts(extraction: Extraction) -> list[str]:
    return [extraction.text[s["start"] : s["end"]] for s in extraction.segments]


def segment_containing(extraction: Extraction, quote: str) -> dict:
    """The segment whose range holds `quote`, so a test can check where a quote came from."""
    position = extraction.text.index(quote)
    for segment in extraction.segments:
        if segment["start"] <= position and position + len(quote) <= segment["end"]:
            return segment
    raise AssertionError(f"no segment holds {quote!r}")
