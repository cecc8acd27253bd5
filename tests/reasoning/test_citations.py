"""Quotes from the model are located in the source text before anyone trusts them."""

import pytest

from reflect.reasoning.citations import locator_for, verify_result
from reflect.reasoning.quotes import QuoteMatch, locate_quote
from reflect.reasoning.sources import SourceDocument

REPORT = (
    "The board met on Tuesday to review the quarterly figures. Revenue grew by 12.50 "
    "percent against the same quarter last year, mostly from the new subscription "
    "plan. "
    "The finance director said the company will expand the Leeds office next spring, "
    "provided that hiring stays on track. Several members asked whether the marketing "
    "budget had been approved; the chair replied that it had not yet been discussed."
)
TWENTY_WORDS = (
    "Revenue grew by 12.50 percent against the same quarter last year, mostly from "
    "the new subscription plan."
)


def passage(text: str, match: QuoteMatch) -> str:
    return text[match.start : match.end]


def document(text: str, *, id: int = 1, segments=None, title="Board minutes"):
    return SourceDocument(
        id=id, title=title, kind="txt", text=text, sha256="0" * 64,
        segments=segments or [],
    )  # fmt: skip


def result_with(*evidence_lists) -> dict:
    return {
        "summary": "s",
        "findings": [
            {"title": f"finding {n}", "kind": "risk", "confidence": "low",
             "observation": "o", "why_it_matters": "w", "evidence": list(evidence)}
            for n, evidence in enumerate(evidence_lists)
        ],
        "follow_up_questions": [],
    }  # fmt: skip


@pytest.fixture
def ami_text(corpus) -> str:
    path = corpus / "meetings/qmsum/ami-ES2004/ES2004a.txt"
    return path.read_text(encoding="utf-8")


# Exact


def test_a_verbatim_quote_is_exact_with_its_character_range():
    found = locate_quote("the company will expand the Leeds office", REPORT)
    assert found == QuoteMatch(
        REPORT.index("the company will"), REPORT.index(" next spring"), "exact", 1.0
    )


def test_surrounding_whitespace_in_a_quote_does_not_stop_an_exact_match():
    found = locate_quote("  \n the Leeds office\n", REPORT)
    assert found.match == "exact"
    assert passage(REPORT, found) == "the Leeds office"


def test_a_real_ami_transcript_passage_is_exact(ami_text):
    quote = "we've got twenty five minutes to do that , as far as I can understand"
    found = locate_quote(quote, ami_text)
    assert found.match == "exact"
    assert passage(ami_text, found) == quote


# Normalised


def test_line_breaks_and_double_spaces_are_normalised_and_offsets_cover_the_original():
    text = "Intro.\r\nThe finance  director said\r\n\r\nthe company will expand."
    found = locate_quote("the finance director said the company will expand", text)
    assert found.match == "normalised"
    assert found.similarity == 1.0
    assert passage(text, found) == (
        "The finance  director said\r\n\r\nthe company will expand"
    )


def test_case_differences_are_normalised():
    found = locate_quote("THE FINANCE DIRECTOR SAID", REPORT)
    assert found.match == "normalised"
    assert passage(REPORT, found) == "The finance director said"


def test_curly_quotes_in_the_source_match_straight_quotes_in_the_quote():
    text = "She said \u201cwe\u2019re not ready\u201d and left."
    found = locate_quote('said "we\'re not ready"', text)
    assert found.match == "normalised"
    assert passage(text, found) == "said \u201cwe\u2019re not ready\u201d"


def test_straight_quotes_in_the_source_match_curly_quotes_in_the_quote():
    text = "He wrote 'don't wait' twice."
    found = locate_quote("\u2018don\u2019t wait\u2019", text)
    assert found.match == "normalised"
    assert passage(text, found) == "'don't wait'"


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2212", "\u2011"])
def test_en_em_and_other_dashes_match_a_hyphen(dash):
    text = f"Costs rose{dash}sharply in May."
    found = locate_quote("costs rose-sharply", text)
    assert found.match == "normalised"
    assert passage(text, found) == f"Costs rose{dash}sharply"


def test_an_ellipsis_character_matches_three_dots_both_ways():
    text = "We waited\u2026 and waited."
    found = locate_quote("We waited... and waited", text)
    assert found.match == "normalised"
    assert passage(text, found) == "We waited\u2026 and waited"
    found = locate_quote("so\u2026 what now", "And so... what now?")
    assert found.match == "normalised"


def test_a_quote_with_an_elided_middle_spans_from_the_first_to_the_last_piece():
    found = locate_quote(
        "The finance director said ... provided that hiring stays on track", REPORT
    )
    assert found.match == "normalised"
    assert passage(REPORT, found).startswith("The finance director said the company")
    assert passage(REPORT, found).endswith("provided that hiring stays on track")


@pytest.mark.parametrize("marker", ["\u2026", "[...]", " (...) "])
def test_elision_markers_in_any_common_form_are_accepted(marker):
    found = locate_quote(f"Revenue grew{marker}the new subscription plan", REPORT)
    assert found.match == "normalised"


def test_elided_pieces_out_of_order_are_not_a_match():
    assert locate_quote("the new subscription plan ... Revenue grew by", REPORT) is None


def test_elided_pieces_too_far_apart_are_not_a_match():
    text = "Alpha begins here. " + "filler words " * 400 + "Omega ends here."
    assert locate_quote("Alpha begins here ... Omega ends here", text) is None


def test_a_trailing_ellipsis_on_a_truncated_quote_is_ignored():
    found = locate_quote("the chair replied that it had not yet...", REPORT)
    assert found.match == "normalised"
    assert passage(REPORT, found) == "the chair replied that it had not yet"


def test_zero_width_characters_soft_hyphens_and_ligatures_are_normalised():
    text = "The of\ufb01ce re\u00admains open\u200b until Friday."
    found = locate_quote("the office remains open until friday", text)
    assert found.match == "normalised"
    assert passage(text, found) == (
        "The of\ufb01ce re\u00admains open\u200b until Friday"
    )


def test_quotation_marks_the_model_wrapped_around_a_quote_are_ignored():
    found = locate_quote('"the Leeds office"', REPORT)
    assert passage(REPORT, found) == "the Leeds office"


def test_transcript_spacing_before_punctuation_is_normalised(ami_text):
    """AMI writes "Now , we're ... know ." and a quote writes "Now, we're ... know."."""
    quote = "Now, we're developing a remote control which you probably already know."
    found = locate_quote(quote, ami_text)
    assert found.match == "normalised"
    assert passage(ami_text, found) == (
        "Now , we're developing a remote control which you probably already know ."
    )


def test_a_reflowed_ami_passage_with_curly_apostrophes_is_normalised(ami_text):
    quote = (
        "We\u2019re gonna practice with the pens and draw our favourite animal\n"
        "on the white board, I\u2019ll go first"
    )
    found = locate_quote(quote, ami_text)
    assert found.match == "normalised"
    assert passage(ami_text, found) == (
        "We're gonna practice with the pens and draw our favourite animal on the white "
        "board , I'll go first"
    )


# Approximate


def test_one_word_different_in_a_twenty_word_quote_is_approximate():
    quote = TWENTY_WORDS.replace("mostly", "largely")
    found = locate_quote(quote, REPORT)
    assert found.match == "approximate"
    assert 0.9 <= found.similarity < 1.0
    assert passage(REPORT, found) == TWENTY_WORDS


def test_two_words_different_in_a_twenty_word_quote_is_approximate():
    quote = TWENTY_WORDS.replace("mostly", "largely").replace("same", "equal")
    found = locate_quote(quote, REPORT)
    assert found.match == "approximate"
    assert passage(REPORT, found) == TWENTY_WORDS


def test_a_typo_is_approximate():
    quote = "Several members asked wether the marketing budget had been aproved"
    found = locate_quote(quote, REPORT)
    assert found.match == "approximate"
    assert passage(REPORT, found) == (
        "Several members asked whether the marketing budget had been approved"
    )


def test_an_approximate_range_maps_back_through_crlf_double_spaces_and_curly_quotes():
    text = (
        "Minutes.\r\nThe chair said \u201cwe  will review\r\nthe hiring plan in "
        "June\u201d and closed the meeting."
    )
    quote = 'The chair said "we will revisit the hiring plan in June" and closed'
    found = locate_quote(quote, text)
    assert found.match == "approximate"
    assert passage(text, found) == (
        "The chair said \u201cwe  will review\r\nthe hiring plan in June\u201d and "
        "closed"
    )


def test_an_ami_passage_with_one_word_changed_is_approximate(ami_text):
    quote = (
        "then we'll go do tool training, talk about the project plan, share our own "
        "ideas and everything"
    )
    found = locate_quote(quote, ami_text)
    assert found.match == "approximate"
    assert passage(ami_text, found) == (
        "then we'll go do tool training , talk about the project plan , discuss our "
        "own ideas and everything"
    )


# Fabricated


def test_a_sentence_that_is_not_in_the_source_is_not_found():
    quote = "The board approved a merger with a competitor."
    assert locate_quote(quote, REPORT) is None


def test_a_changed_number_is_not_approximate():
    assert locate_quote(TWENTY_WORDS.replace("12.50", "25"), REPORT) is None
    assert locate_quote(TWENTY_WORDS.replace("12.50", "12.5"), REPORT) is None


def test_a_dropped_negation_is_not_approximate():
    quote = "the chair replied that it had yet been discussed by the board members"
    source = "the chair replied that it had not yet been discussed by the board members"
    assert locate_quote(quote, source) is None


def test_an_added_negation_is_not_approximate():
    quote = "The finance director said the company will not expand the Leeds office"
    assert locate_quote(quote, REPORT) is None
    quote = "The finance director said the company won't expand the Leeds office"
    assert locate_quote(quote, REPORT) is None


def test_a_changed_modal_verb_is_not_approximate():
    quote = "The finance director said the company may expand the Leeds office next"
    assert locate_quote(quote, REPORT) is None


def test_a_changed_spelled_out_number_in_ami_is_not_approximate(ami_text):
    quote = "we've got thirty five minutes to do that, as far as I can understand"
    assert locate_quote(quote, ami_text) is None


def test_a_flipped_negation_in_ami_is_not_approximate(ami_text):
    quote = (
        "something that's uh {disfmarker} people haven't thought of , that's out in "
        "the shops , um , trendy , appealing to a wide market"
    )
    assert locate_quote(quote, ami_text) is None


@pytest.mark.parametrize("quote", ["", "  ", "ok", " a b ", "\u200b\u200b", "…", "- -"])
def test_quotes_with_fewer_than_three_letters_or_digits_are_never_located(quote):
    assert locate_quote(quote, "ok a b ... ok") is None


# Unicode


def test_decomposed_accents_match_precomposed_and_offsets_stay_in_the_original():
    text = "Le cafe\u0301 de la gare\u0300 ferme."  # e + combining acute, e + grave
    found = locate_quote("café de la garè", text)
    assert found.match == "normalised"
    assert passage(text, found) == "cafe\u0301 de la gare\u0300"


def test_accented_text_matches_exactly_and_case_insensitively():
    text = "Réunion du Comité: Élodie présente le budget."
    assert locate_quote("Élodie présente", text).match == "exact"
    found = locate_quote("ÉLODIE PRÉSENTE LE BUDGET", text)
    assert found.match == "normalised"
    assert passage(text, found) == "Élodie présente le budget"


def test_german_sharp_s_casefolds_to_ss():
    text = "Die Straße bleibt gesperrt."
    found = locate_quote("die strasse bleibt", text)
    assert passage(text, found) == "Die Straße bleibt"
    found = locate_quote("strasse", text)
    assert passage(text, found) == "Straße"


def test_cjk_text_with_full_width_punctuation_is_normalised():
    text = "会议记录：预算已经批准，项目下周开始。"
    assert locate_quote("预算已经批准", text).match == "exact"
    found = locate_quote("预算已经批准,项目下周开始", text)  # ASCII comma
    assert found.match == "normalised"
    assert passage(text, found) == "预算已经批准，项目下周开始"


def test_cjk_text_with_one_character_different_is_approximate():
    text = "第一部分。我们的团队决定在下个季度推出新的遥控器产品，并且加强市场营销工作。结束。"
    quote = "我们的团队决定在下个季度推出新的遥控器商品，并且加强市场营销工作"
    found = locate_quote(quote, text)
    assert found.match == "approximate"
    assert passage(text, found) == quote.replace("商品", "产品")


# Locators

PDF_SEGMENTS = [
    {"start": 0, "end": 100, "page": 1},
    {"start": 101, "end": 250, "page": 2},
    {"start": 251, "end": 400, "page": 3},
]
CUE_SEGMENTS = [
    {"start": 0, "end": 40, "time": "00:00:01.000", "seconds": 1.0, "speaker": "Ann"},
    {"start": 41, "end": 90, "time": "00:00:05.500", "seconds": 5.5, "speaker": "Bo"},
]


def test_the_locator_is_the_segment_that_contains_the_start_without_its_range():
    assert locator_for(PDF_SEGMENTS, 150, 160) == {"page": 2}
    assert locator_for(PDF_SEGMENTS, 0, 5) == {"page": 1}
    assert locator_for(PDF_SEGMENTS, 399, 400) == {"page": 3}


def test_a_range_across_pages_names_the_first_page_and_the_end_page():
    assert locator_for(PDF_SEGMENTS, 90, 300) == {"page": 1, "end_page": 3}


def test_a_transcript_cue_locator_has_time_seconds_and_speaker():
    assert locator_for(CUE_SEGMENTS, 50, 60) == {
        "time": "00:00:05.500", "seconds": 5.5, "speaker": "Bo",
    }  # fmt: skip
    spanning = locator_for(CUE_SEGMENTS, 10, 60)
    assert spanning["time"] == "00:00:01.000"
    assert spanning["end_time"] == "00:00:05.500"


def test_a_start_in_the_gap_between_segments_belongs_to_the_next_segment():
    assert locator_for(PDF_SEGMENTS, 100, 120) == {"page": 2}


def test_no_locator_without_segments_or_outside_them():
    assert locator_for([], 0, 10) is None
    assert locator_for(PDF_SEGMENTS, 500, 510) is None


def test_ami_line_segments_locate_a_quote_to_its_line(ami_text):
    segments, offset = [], 0
    for number, line in enumerate(ami_text.split("\n"), start=1):
        segments.append({"start": offset, "end": offset + len(line), "line": number})
        offset += len(line) + 1
    found = locate_quote("I see them as majestic, and independent, and proud", ami_text)
    assert locator_for(segments, found.start, found.end) == {"line": 24}


# verify_result


def test_verify_result_annotates_each_evidence_item_and_finding():
    text = "Intro.\r\nThe  \u201cLeeds\u201d office will open in May."
    documents = {7: document(text, id=7, title="Plan")}
    result = result_with(
        [{"document_id": 7, "quote": 'the "Leeds" office will open'}],
    )
    item = verify_result(result, documents)["findings"][0]["evidence"][0]
    assert item == {
        "document_id": 7,
        "quote": 'the "Leeds" office will open',
        "verified": True,
        "match": "normalised",
        "start": 8,
        "end": 37,
        "locator": None,
        "document_title": "Plan",
        "source_text": "The  \u201cLeeds\u201d office will open",
        "similarity": 1.0,
    }
    assert text[item["start"] : item["end"]] == item["source_text"]


def test_verify_result_returns_a_new_dict_and_leaves_the_input_alone():
    result = result_with([{"document_id": 1, "quote": "the Leeds office"}])
    before = repr(result)
    verified = verify_result(result, {1: document(REPORT)})
    assert verified is not result
    assert repr(result) == before
    assert verified["findings"][0]["evidence"][0]["match"] == "exact"


def test_an_approximate_quote_supports_its_finding_but_is_not_verified():
    quote = TWENTY_WORDS.replace("mostly", "largely")
    verified = verify_result(
        result_with([{"document_id": 1, "quote": quote}]), {1: document(REPORT)}
    )
    finding = verified["findings"][0]
    assert finding["supported"] is True
    item = finding["evidence"][0]
    assert (item["verified"], item["match"]) == (False, "approximate")
    assert item["source_text"] == TWENTY_WORDS
    assert 0.9 <= item["similarity"] < 1.0


def test_an_unknown_document_id_leaves_the_quote_unverified():
    verified = verify_result(
        result_with([{"document_id": 99, "quote": "the Leeds office"}]),
        {1: document(REPORT)},
    )
    item = verified["findings"][0]["evidence"][0]
    assert item | {"document_id": 99, "quote": "the Leeds office"} == {
        "document_id": 99,
        "quote": "the Leeds office",
        "verified": False,
        "match": "unverified",
        "start": None,
        "end": None,
        "locator": None,
        "document_title": None,
        "source_text": None,
        "similarity": None,
    }
    assert verified["findings"][0]["supported"] is False


def test_a_digit_string_document_id_is_coerced_to_an_int():
    verified = verify_result(
        result_with([{"document_id": " 12 ", "quote": "the Leeds office"}]),
        {12: document(REPORT, id=12)},
    )
    assert verified["findings"][0]["evidence"][0]["match"] == "exact"


@pytest.mark.parametrize("bad_id", ["twelve", "1.0", "", None, True, 1.0, [1], "¹"])
def test_a_document_id_that_is_not_an_int_is_unknown(bad_id):
    verified = verify_result(
        result_with([{"document_id": bad_id, "quote": "the Leeds office"}]),
        {1: document(REPORT)},
    )
    assert verified["findings"][0]["evidence"][0]["match"] == "unverified"


def test_a_finding_without_any_located_quote_is_not_supported():
    verified = verify_result(
        result_with(
            [
                {"document_id": 1, "quote": "The board approved a merger."},
                {"document_id": 1, "quote": "ok"},
                {"document_id": 1, "quote": None},
            ],
            [],
            [{"document_id": 1, "quote": "The board approved a merger."},
             {"document_id": 1, "quote": "the Leeds office"}],
        ),
        {1: document(REPORT)},
    )  # fmt: skip
    first, empty, mixed = verified["findings"]
    assert first["supported"] is False
    assert all(item["verified"] is False for item in first["evidence"])
    assert {item["match"] for item in first["evidence"]} == {"unverified"}
    assert empty["supported"] is False
    assert mixed["supported"] is True


def test_verify_result_adds_locators_from_the_document_segments():
    text = "Page one text.\nThe second page says the budget was approved."
    segments = [{"start": 0, "end": 14, "page": 1}, {"start": 15, "end": 61, "page": 2}]
    verified = verify_result(
        result_with([{"document_id": 3, "quote": "the budget was approved"}]),
        {3: document(text, id=3, segments=segments)},
    )
    assert verified["findings"][0]["evidence"][0]["locator"] == {"page": 2}


def test_verify_result_checks_each_quote_against_its_own_document(ami_text):
    documents = {1: document(REPORT), 2: document(ami_text, id=2, title="ES2004a")}
    verified = verify_result(
        result_with(
            [{"document_id": 2, "quote": "not a hunk of metal, and user-friendly"},
             {"document_id": 1, "quote": "not a hunk of metal, and user-friendly"}],
        ),
        documents,
    )  # fmt: skip
    on_ami, on_report = verified["findings"][0]["evidence"]
    assert (on_ami["match"], on_ami["document_title"]) == ("normalised", "ES2004a")
    assert on_ami["source_text"] == "not a hunk of metal , and user-friendly"
    assert on_report["match"] == "unverified"
    assert on_report["document_title"] == "Board minutes"
