"""Draft rows of corpus_expectations.csv from what extraction does today.

Run by hand, never by the tests:

    .venv/bin/python -m tests.extraction.build_corpus_expectations > /tmp/draft.csv

The output is a draft for a person to check against /work/shared/corpus/SOURCES.md (which
files are meant to be broken, which ones lose text) before it replaces the committed table.
The table is data the tests hold the code to; it must never be computed at test time.

For a file that extracts, the phrase is a run of words from a line near the middle of the
text that occurs there only once. For a file that fails, it is the start of the message.
"""

import csv
import os
import re
import sys
from pathlib import Path

from reflect.extraction import ExtractionError, extract

CORPUS = Path(os.environ.get("REFLECT_SHARED_DIR", "/work/shared")) / "corpus"
PHRASE_WORDS = 7
PHRASE_MAX_CHARS = 70
MESSAGE_MAX_CHARS = 80
MARKS = re.compile(r"^(\[\d+:\d\d:\d\d\] |[-*#] )+")


def normalised(text: str) -> str:
    return " ".join(text.split())


def phrase_of(text: str) -> str:
    """A distinctive phrase of `text`: words from a line near the middle, found once.

    Lines are taken without the marks extraction adds (a cue's `[hh:mm:ss]`, a list's
    `- `, a heading's `# `), and table rows (cells joined by `|`) only when nothing else
    is left, so the phrase is the file's own words.
    """
    whole = normalised(text)
    lines = [MARKS.sub("", normalised(line)) for line in text.splitlines()]
    lines = [line for line in lines if line]
    words_only = " ".join(lines)
    if len(words_only) <= PHRASE_MAX_CHARS and words_only in whole:
        return words_only
    wordy = [
        line
        for line in lines
        if len(line.split()) >= 4 and sum(c.isalpha() for c in line) > len(line) / 2
    ]
    for candidates in (
        [line for line in wordy if "|" not in line],
        wordy,
        [line for line in lines if "|" not in line],
        lines,
    ):
        middle = len(candidates) // 2
        for index in sorted(range(len(candidates)), key=lambda i: abs(i - middle)):
            words = candidates[index].split()
            for start in range(max(1, len(words) - PHRASE_WORDS + 1)):
                phrase = " ".join(words[start : start + PHRASE_WORDS])
                if len(phrase) > PHRASE_MAX_CHARS:
                    phrase = phrase[:PHRASE_MAX_CHARS].rsplit(" ", 1)[0]
                long_enough = len(phrase) >= min(20, len(words_only))
                if long_enough and whole.count(phrase) == 1:
                    return phrase
    return whole[:PHRASE_MAX_CHARS].strip()


def message_start(message: str) -> str:
    if len(message) <= MESSAGE_MAX_CHARS:
        return message
    return message[:MESSAGE_MAX_CHARS].rsplit(" ", 1)[0]


def main() -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["file", "outcome", "expected"])
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.name == "SOURCES.md":
            continue
        relative = str(path.relative_to(CORPUS))
        try:
            extraction = extract(path.read_bytes(), filename=path.name)
        except ExtractionError as error:
            writer.writerow([relative, "failed", message_start(str(error))])
        else:
            writer.writerow([relative, "ready", phrase_of(extraction.text)])


if __name__ == "__main__":
    main()
