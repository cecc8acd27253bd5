"""Meeting dates: read only when the name or the first lines state one unambiguously."""

from datetime import date

import pytest

from reflect.extraction.dates import meeting_date


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("2019-10-03.md", date(2019, 10, 3)),
        ("Meeting 2024-03-05.vtt", date(2024, 3, 5)),
        ("standup_2024_03_05.txt", date(2024, 3, 5)),
        ("Board March 5, 2024.docx", date(2024, 3, 5)),
        ("5 March 2024 board.docx", date(2024, 3, 5)),
        ("Protokoll 05.03.2024.pdf", date(2024, 3, 5)),
        ("zoom_20240305_recording.vtt", date(2024, 3, 5)),
        ("13/05/2024 notes.txt", date(2024, 5, 13)),
        ("ES2004a.txt", None),
        ("Bed003.txt", None),
        ("03/05/2024 notes.txt", None),  # March 5 or 3 May: unsure
        ("2024-02-30.md", None),  # not a day
        ("v1.2.2024.txt", None),
        ("notes.txt", None),
    ],
)
def test_date_from_the_file_name(filename, expected):
    assert meeting_date(filename=filename) == expected


def test_date_from_the_first_lines_of_text():
    text = (
        "# T-Lang Meeting: Current meeting\n\n# Meeting details\n- Date: 2019.10.03\n"
    )

    assert meeting_date(filename="minutes.md", text=text) == date(2019, 10, 3)


def test_a_date_deep_in_the_text_is_not_the_meeting_date():
    text = "\n".join(["line"] * 10 + ["Due on 2024-03-05"])

    assert meeting_date(filename="notes.txt", text=text) is None


def test_the_name_wins_over_the_text():
    assert meeting_date(filename="2024-01-02.md", text="Date: 2023-12-31") == date(
        2024, 1, 2
    )
