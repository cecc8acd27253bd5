from reflect.reasoning.offline import analyze

from .helpers import kinds_of, plain, quotes_of


def test_the_same_price_stated_differently_in_two_documents_is_a_contradiction():
    plan = plain(
        1,
        "Pricing plan\n\nThe selling price is 25 Euro per unit, with production under half of that.\n",
    )
    minutes = plain(
        2, "Minutes\n\nWe agreed the price would be €12.50 for the launch batch.\n"
    )
    result = analyze([plan, minutes], kinds=["contradiction"])
    finding = result["findings"][0]
    assert finding["kind"] == "contradiction"
    assert "price" in finding["title"]
    quotes = quotes_of(result, "contradiction")
    assert any("25 Euro" in q for q in quotes) and any("€12.50" in q for q in quotes)


def test_spoken_amounts_in_transcripts_are_understood():
    first = plain(
        1,
        "Project Manager: the selling price is twenty five Euros.\nMarketing: okay.\n",
        kind="txt",
    )
    second = plain(
        2,
        "Project Manager: the selling price is now thirty Euros.\nMarketing: fine.\n",
        kind="txt",
    )
    assert "contradiction" in kinds_of(analyze([first, second]))


def test_the_same_number_in_both_documents_is_no_contradiction():
    plan = plain(1, "The selling price is 25 Euro per unit.\n")
    minutes = plain(2, "We confirmed the price of €25 for the launch.\n")
    assert "contradiction" not in kinds_of(analyze([plan, minutes]))
