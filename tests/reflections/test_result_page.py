"""The result page leads with the answer: the summary, the findings in the order the result
ranks them (kind as a label, filterable), the evidence under each; then what went in, as a
table, and the cost, "unknown" when no price is known."""

import re
from decimal import Decimal

import pytest

from reflect.models import ReflectionPart

from ..factories import make_document, make_reflection

pytestmark = pytest.mark.django_db

TEXT = "Ann: the launch is in May.\nBen: nobody owns testing.\nAnn: budget is fine.\n"


def finding(document, title, kind, confidence, quote):
    start = document.text.index(quote)
    return {
        "title": title,
        "kind": kind,
        "confidence": confidence,
        "observation": f"About {title.lower()}.",
        "why_it_matters": "It matters.",
        "supported": True,
        "evidence": [
            {
                "document_id": document.pk,
                "document_title": document.title,
                "quote": quote,
                "verified": True,
                "match": "exact",
                "start": start,
                "end": start + len(quote),
                "locator": {"line": 2},
            }
        ],
    }


@pytest.fixture
def ranked(owner):
    """A result whose top finding is a low-confidence risk, ranked above a blind spot."""
    document = make_document(owner, title="Stand-up", text=TEXT)
    result = {
        "summary": "Testing has **no owner**.",
        "findings": [
            finding(document, "Testing has no owner", "risk", "low", "nobody owns"),
            finding(document, "The launch date", "blind_spot", "high", "launch is"),
            finding(document, "The budget", "risk", "medium", "budget is fine"),
        ],
        "follow_up_questions": ["Who should own testing & QA?"],
    }
    return make_reflection(owner, documents=[document], result=result)


def titles(html: str) -> list[str]:
    return re.findall(r'<span class="rank">(\d+)\.</span> ([^<]+)</h3>', html)


def test_the_summary_comes_first_then_findings_in_the_results_rank_order(
    client, ranked
):
    html = client.get(ranked.get_absolute_url()).content.decode()

    assert titles(html) == [
        ("1", "Testing has no owner"),
        ("2", "The launch date"),
        ("3", "The budget"),
    ]
    assert html.index("<strong>no owner</strong>") < html.index("Testing has no owner")
    # Kind is a label on each finding, and the evidence sits under its finding.
    first = html[html.index("Testing has no owner") : html.index("The launch date")]
    assert '<span class="kind kind-risk">Risk</span>' in first
    assert "nobody owns" in first


def test_findings_filter_by_kind_with_plain_links_and_keep_their_rank(client, ranked):
    page = client.get(ranked.get_absolute_url()).content.decode()
    assert 'href="?kind=risk#findings"' in page and "Risk (2)" in page
    assert "Blind spot (1)" in page

    html = client.get(ranked.get_absolute_url() + "?kind=risk").content.decode()

    assert titles(html) == [("1", "Testing has no owner"), ("3", "The budget")]
    unknown = client.get(ranked.get_absolute_url() + "?kind=<script>").content.decode()
    assert len(titles(unknown)) == 3


def test_follow_ups_open_the_ask_form_filled_in_and_start_nothing(client, ranked):
    html = client.get(ranked.get_absolute_url()).content.decode()

    assert (
        f'href="/reflections/new/?parent={ranked.pk}&amp;question=Who%20should%20own%20testing%20%26%20QA%3F"'
        in html
    )
    assert f"/reflections/{ranked.pk}/follow-up/" not in html
    form = re.search(
        r'<form method="get" action="/reflections/new/"[^>]*>.*?</form>', html, re.S
    )
    assert form and f'name="parent" value="{ranked.pk}"' in form.group(0)
    assert "Follow-up question</label>" in form.group(0)


@pytest.fixture
def map_reduced(owner):
    """A finished map-reduce run: two documents in two parts, part 1 reused after a retry,
    one document left out."""
    first = make_document(owner, title="Kick-off", text=TEXT)
    second = make_document(owner, title="Week two", text=TEXT + " ")
    gone = {
        "id": 999,
        "title": "Retro",
        "reason": "deleted since the question was asked",
    }
    manifest = {
        "mode": "map_reduce",
        "documents": [
            {"id": first.pk, "title": "Kick-off", "sha256": first.sha256},
            {"id": second.pk, "title": "Week two", "sha256": second.sha256},
        ],
        "left_out": [gone],
        "notes": ["Week two alone is longer than a call can carry: cut at line breaks"],
        "plan": [
            [{"document_id": first.pk, "title": "Kick-off", "whole": True}],
            [
                {
                    "document_id": second.pk,
                    "title": "Week two",
                    "whole": False,
                    "chars": [0, 40],
                    "from": {"line": 1},
                    "to": {"line": 2},
                }
            ],
        ],
        "calls": [
            {
                "step": "map",
                "index": 1,
                "model": "gpt-5.6-mini",
                "documents": [
                    {"document_id": first.pk, "title": "Kick-off", "whole": True}
                ],
                "reused": True,
            },
            {
                "step": "map",
                "index": 2,
                "model": "gpt-5.6-mini",
                "documents": [
                    {
                        "document_id": second.pk,
                        "title": "Week two",
                        "whole": False,
                        "chars": [0, 40],
                        "from": {"line": 1},
                        "to": {"line": 2},
                    }
                ],
                "expected_input_tokens": 2100,
                "usage": {
                    "input_tokens": 2047,
                    "cached_tokens": 512,
                    "output_tokens": 333,
                    "reasoning_tokens": 111,
                },
            },
            {
                "step": "reduce",
                "index": 3,
                "model": "gpt-5.6",
                "documents": [],
                "usage": {"input_tokens": 901, "output_tokens": 402},
            },
        ],
        "replans": 0,
    }
    reflection = make_reflection(
        owner,
        documents=[first, second],
        result={"summary": "S.", "findings": [], "follow_up_questions": []},
        manifest=manifest,
    )
    ReflectionPart.objects.create(
        reflection=reflection,
        key="k1",
        index=1,
        model="gpt-5.6-mini",
        result={},
        usage={"input_tokens": 1777, "output_tokens": 222},
    )
    return reflection


def test_what_went_in_is_a_table_of_documents_calls_models_and_what_was_left_out(
    client, map_reduced
):
    html = client.get(map_reduced.get_absolute_url()).content.decode()
    went_in = html[html.index('id="went-in"') :]

    assert "map-reduce: read in parts, then synthesised" in went_in
    assert "Models: Map gpt-5.6-mini · Reduce gpt-5.6" in went_in
    assert re.search(r"Kick-off</a></td>\s*<td>part 1</td>", went_in)
    assert re.search(r"Week two</a></td>\s*<td>part 2</td>", went_in)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", went_in, re.S)
    calls = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert (
        "Map part 1 of 2 gpt-5.6-mini Kick-off (whole) 1777 222 "
        "answer kept from an earlier attempt (not paid again)"
    ) in calls, "a reused part shows the usage its saved row holds"
    assert (
        "Map part 2 of 2 gpt-5.6-mini Week two (line 1 to line 2) "
        "2047 (512 cached) 333 (111 reasoning) answered"
    ) in calls
    assert "Reduce gpt-5.6 the parts' notes 901 402 answered" in calls
    assert "<strong>Retro</strong>: deleted since the question was asked" in went_in
    assert "cut at line breaks" in went_in
    assert "{&#x27;" not in html and '<pre class="manifest">' not in html


def test_an_unknown_cost_says_so_on_the_page_the_list_and_the_export(client, owner):
    reflection = make_reflection(
        owner,
        model="llama-3.3-70b",
        cost_usd=None,
        manifest={"unpriced_models": ["llama-3.3-70b"]},
        result={"summary": "S.", "findings": []},
    )
    unknown = "unknown — no price for model llama-3.3-70b"

    page = client.get(reflection.get_absolute_url()).content.decode()
    listing = client.get("/reflections/").content.decode()
    export = client.get(f"/reflections/{reflection.pk}/export.md").content.decode()

    assert unknown in page and "$0.0000" not in page
    assert unknown in listing and "$0.0000" not in listing
    assert f"- Cost: {unknown}" in export


def test_a_known_cost_reads_in_dollars(client, owner):
    reflection = make_reflection(owner, cost_usd=Decimal("0.0123"))

    page = client.get(reflection.get_absolute_url()).content.decode()

    assert '<dd class="cost">$0.0123</dd>' in page


def test_a_consensus_finding_says_how_many_of_the_answers_found_it(client, owner):
    document = make_document(owner, title="Stand-up", text=TEXT)
    agreed = finding(document, "Testing has no owner", "risk", "high", "nobody owns")
    single = finding(document, "The budget", "risk", "low", "budget is fine")
    agreed["agreement"] = {"found_by": 3, "answers": 3}
    single["agreement"] = {"found_by": 1, "answers": 3}
    reflection = make_reflection(
        owner,
        documents=[document],
        result={"summary": "Agreed.", "findings": [agreed, single]},
    )

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert re.findall(r"(\d) of (\d) answers found this", html) == [
        ("3", "3"),
        ("1", "3"),
    ]

    markdown = client.get(f"{reflection.get_absolute_url()}export.md").content.decode()
    assert "3 of 3 answers found this" in markdown
    assert "1 of 3 answers found this" in markdown
