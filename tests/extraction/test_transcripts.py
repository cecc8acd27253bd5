"""WebVTT and SRT: cues merged into timed speaker turns, whatever the encoding or layout."""

import pytest

from reflect.extraction import ExtractionError, extract

from .conftest import segment_containing, segment_texts


def test_teams_voice_spans_name_the_speakers(extract_file):
    extraction = extract_file("transcripts/vtt/webvtt-py/teams_timeframe.vtt")

    assert segment_texts(extraction) == [
        "[00:00:00] Yuri Bakulin: There you go.",
        "[00:00:00] Adrian Petrescu: Why hello there, Yuri.",
    ]
    assert extraction.segments[1] | {"start": 0, "end": 0} == {
        "start": 0,
        "end": 0,
        "time": "00:00:00",
        "seconds": 0.21,
        "speaker": "Adrian Petrescu",
    }
    assert extraction.speakers == ["Yuri Bakulin", "Adrian Petrescu"]


def test_consecutive_cues_of_one_speaker_merge_into_a_turn(extract_file):
    extraction = extract_file(
        "transcripts/vtt/vtt.js/integration__cycle-collector-talk.vtt"
    )

    assert extraction.speakers == ["Kyle Huey", "Chris Pearce"]
    assert extraction.text.startswith(
        "[00:00:00] Kyle Huey: Not ready yet? Alright, I'll wait until the camera man tells me we're good."
    )
    assert (
        "[00:00:04] Chris Pearce: Okay, we're good now.\n\n[00:00:04] Kyle Huey: Oh, now we're good?"
        in extraction.text
    )
    turn = segment_containing(
        extraction,
        "So the first thing that the cycle collector does is that it collects garbage C++ cycles.",
    )
    assert turn["speaker"] == "Kyle Huey" and turn["seconds"] == 4.0


def test_styling_tags_are_stripped(extract_file):
    extraction = extract_file(
        "transcripts/vtt/vtt.js/integration__cycle-collector-talk.vtt"
    )

    assert "So thanks again for coming." in extraction.text
    assert "<" not in extraction.text


def test_overlapping_voices_alternate(extract_file):
    extraction = extract_file("transcripts/vtt/vtt.js/integration__spec-example.vtt")

    assert extraction.speakers == ["Roger Bingham", "Neil deGrasse Tyson"]
    turn = segment_containing(
        extraction, "Didn't we talk about enough in that conversation?"
    )
    assert (turn["speaker"], turn["time"], turn["seconds"]) == (
        "Neil deGrasse Tyson",
        "00:00:30",
        30.5,
    )


def test_speaker_change_markers_start_new_turns(extract_file):
    extraction = extract_file(
        "transcripts/vtt/council-captions-cdp/oakland_captions.vtt"
    )

    texts = segment_texts(extraction)
    assert "[00:02:39] present." in texts
    assert ">>" not in extraction.text


def test_escaped_markers_and_cue_settings_of_council_captions(extract_file):
    extraction = extract_file(
        "transcripts/vtt/council-captions-cdp/brief_080221_2012161.vtt"
    )

    assert (
        "THE AUGUST 2nd, 2021 COUNCIL BRIEFING MEETING WILL COME TO ORDER."
        in extraction.text
    )
    assert "&gt;" not in extraction.text and "align:" not in extraction.text
    assert str(extraction.meeting_date) == "2021-08-02"


def test_name_prefix_on_its_own_line_names_the_following_words(extract_file):
    extraction = extract_file("transcripts/srt/go-astisub/missing-sequence-in.srt")

    assert (
        "[00:02:04] MAN: How did we end up here? This place is horrible."
        in extraction.text
    )
    assert extraction.speakers == ["MAN"]


def test_bracketed_labels_name_speakers(extract_file):
    extraction = extract_file("transcripts/vtt/webvtt-py/netflix_chicas_del_cable.vtt")

    assert extraction.text.startswith(
        "[00:00:07] Alba: En 1928, las mujeres éramos algo así como adornos"
    )
    assert "Alba" in extraction.speakers and "Pedro" in extraction.speakers


def test_zoom_style_name_prefixes_name_speakers():
    data = (
        b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAlice Smith: Shall we start?\n\n"
        b"2\n00:00:05.000 --> 00:00:07.000\nBob: Yes. Note: the budget is late.\n\n"
        b"3\n00:00:08.000 --> 00:00:09.500\nBob: Really late.\n"
    )

    extraction = extract(data, filename="zoom.vtt")

    assert segment_texts(extraction) == [
        "[00:00:01] Alice Smith: Shall we start?",
        "[00:00:05] Bob: Yes. Note: the budget is late. Really late.",
    ]


def test_sentences_with_a_colon_are_not_speakers():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nNote: we meet at 10:30 tomorrow.\n"

    extraction = extract(data, filename="notes.vtt")

    assert extraction.speakers == []
    assert extraction.segments[0]["speaker"] is None


def test_rolling_youtube_captions_are_deduplicated(extract_file):
    extraction = extract_file("transcripts/vtt/webvtt-py/youtube_dl.vtt")

    assert extraction.text == "[00:04:46] yeah what this will happen is I'm telling"


@pytest.mark.parametrize(
    "relative",
    [
        "transcripts/srt/pysrt/bom-utf-8.srt",
        "transcripts/srt/pysrt/bom-utf-16-le.srt",
        "transcripts/srt/pysrt/bom-utf-16-be.srt",
        "transcripts/srt/pysrt/bom-utf-32-le.srt",
        "transcripts/srt/pysrt/no-indexes.srt",
    ],
)
def test_every_encoding_of_the_same_talk_reads_the_same(extract_file, relative):
    extraction = extract_file(relative)

    assert extraction.kind == "srt"
    assert extraction.text == extract_file("transcripts/srt/pysrt/bom-utf-8.srt").text
    assert (
        "About 2 months ago I found myself on the comment section of YouTube"
        in extraction.text
    )


def test_cp1252_subtitles_decode_like_their_utf8_twin(extract_file):
    cp1252 = extract_file("transcripts/srt/pysrt/windows-1252.srt")

    assert cp1252.text == extract_file("transcripts/srt/pysrt/utf-8.srt").text
    assert "CE FILM RELATE DES ÉVÉNEMENTS QUI ONT EXISTÉ." in cp1252.text


@pytest.mark.parametrize(
    ("relative", "quote"),
    [
        (
            "transcripts/vtt/go-astisub/example-in-carriage-return.vtt",
            "Did one of the last stories strike you",
        ),
        (
            "transcripts/srt/go-astisub/example-in-carriage-return.srt",
            "Did one of the last stories strike you",
        ),
        (
            "transcripts/vtt/go-astisub/example-in-non-utf8.vtt",
            "How did we end up here?",
        ),
        ("transcripts/srt/pysrt/capability_tester.srt", "This text should be blue"),
    ],
)
def test_line_endings_and_utf16_do_not_matter(extract_file, relative, quote):
    assert quote in extract_file(relative).text


def test_html_entities_are_decoded(extract_file):
    extraction = extract_file("transcripts/vtt/go-astisub/example-in-html-entities.vtt")

    assert "the desert, & the gunslinger followed." in extraction.text
    assert "there are other < worlds than these." in extraction.text


def test_zero_length_cues_are_hidden_as_players_hide_them(extract_file):
    extraction = extract_file("transcripts/srt/pysrt/capability_tester.srt")

    assert "Don't show this text" not in extraction.text


def test_note_style_and_region_blocks_are_skipped(extract_file):
    extraction = extract_file("transcripts/vtt/go-astisub/example-in.vtt")

    assert (
        "STYLE" not in extraction.text
        and "NOTE" not in extraction.text
        and "::cue" not in extraction.text
    )
    assert "(deep rumbling)" in extraction.text


def test_timestamps_with_hours_above_99(extract_file):
    extraction = extract_file("transcripts/vtt/webvtt-py/sample_hls.vtt")

    assert extraction.segments[0]["time"].startswith("1088:")


@pytest.mark.parametrize(
    "relative",
    [
        "transcripts/vtt/webvtt-py/invalid.vtt",  # no WEBVTT header, cues parse
        "transcripts/vtt/vtt.js/file-layout__bom-garbage-data.vtt",  # wrong header, cues parse
        "transcripts/vtt/vtt.js/file-layout__newline-before-webvtt.vtt",
        "transcripts/srt/go-astisub/missing-sequence-in.srt",  # no indexes, mixed separators
        "transcripts/srt/pysrt/invalid.srt",  # no milliseconds
    ],
)
def test_recoverable_files_other_parsers_reject_are_read(extract_file, relative):
    """Cues with readable timings are worth more to the person than a strict refusal."""
    assert extract_file(relative).segments


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("transcripts/vtt/webvtt-py/empty.vtt", "^empty file$"),
        ("transcripts/vtt/vtt.js/file-layout__blank-file-with-bom.vtt", "^empty file$"),
        (
            "transcripts/vtt/webvtt-py/no_captions.vtt",
            "^empty file: the transcript has no captions$",
        ),
        (
            "transcripts/srt/webvtt-py/invalid_format4.srt",
            "^empty file: the transcript has no captions$",
        ),
        (
            "transcripts/vtt/vtt.js/file-layout__bad-double-webvtt.vtt",
            "^this file is named .vtt but its content is not WebVTT$",
        ),
        (
            "transcripts/vtt/vtt.js/file-layout__garbage-signature.vtt",
            "^this file is named .vtt but its content is not WebVTT$",
        ),
        (
            "transcripts/vtt/go-astisub/broken-1-in.vtt",
            "^this file is named .vtt but its content is not WebVTT$",
        ),
        (
            "transcripts/srt/webvtt-py/invalid_format1.srt",
            "^this file is named .srt but its content is not SubRip$",
        ),
    ],
)
def test_unreadable_transcripts_fail_with_a_reason(extract_file, relative, message):
    with pytest.raises(ExtractionError, match=message):
        extract_file(relative)
