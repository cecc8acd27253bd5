from reflect.reasoning.offline.turns import Corpus, quote

from .helpers import plain, transcript


def test_transcript_cues_become_turns_without_their_time_and_speaker_prefix():
    corpus = Corpus([transcript(1, [("Ana", "Hello there."), ("Ben", "Hi Ana.")])])
    assert [(t.speaker, corpus.text(t)) for t in corpus.turns] == [
        ("Ana", "Hello there."),
        ("Ben", "Hi Ana."),
    ]


def test_plain_text_speaker_lines_become_turns():
    corpus = Corpus(
        [
            plain(
                1,
                "Project Manager: Hello .\nMarketing: Hi .\nProject Manager: Right .\nMarketing: Yes .\n",
                kind="txt",
            )
        ]
    )
    assert [t.speaker for t in corpus.turns] == [
        "Project Manager",
        "Marketing",
        "Project Manager",
        "Marketing",
    ]


def test_documents_without_speakers_are_paragraphs_and_list_items():
    corpus = Corpus(
        [plain(1, "A first paragraph\nthat wraps.\n\n- one item\n- another item\n")]
    )
    assert [corpus.text(t) for t in corpus.turns] == [
        "A first paragraph\nthat wraps.",
        "- one item",
        "- another item",
    ]
    assert all(t.speaker == "" for t in corpus.turns)


def test_dated_documents_follow_their_dates_and_undated_ones_come_first():
    later, earlier = (
        transcript(1, [("A", "x")], day=20),
        transcript(2, [("A", "y")], day=3),
    )
    undated = plain(3, "The plan.")
    assert [d.id for d in Corpus([later, earlier, undated]).documents] == [3, 2, 1]


def test_quotes_are_exact_substrings_trimmed_of_markup_and_long_tails():
    text = "{vocalsound} Um " + "word " * 100 + "end ."
    q = quote(text, 0, len(text))
    assert q in text and not q.startswith("{") and len(q) <= 300
