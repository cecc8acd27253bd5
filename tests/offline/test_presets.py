import pytest

from reflect.reasoning.offline import PRESET_KINDS, analyze
from reflect.reasoning.schema import FINDING_KINDS


def test_every_preset_maps_to_known_kinds():
    assert set(PRESET_KINDS) == {
        "blind_spots",
        "contradictions",
        "dropped_actions",
        "unanswered_questions",
        "risks",
        "changes",
    }
    for kinds in PRESET_KINDS.values():
        assert kinds and set(kinds) <= set(FINDING_KINDS)


@pytest.mark.parametrize(
    ("preset", "kind"),
    [
        ("unanswered_questions", "unanswered_question"),
        ("dropped_actions", "dropped_action"),
        ("risks", "risk"),
        ("changes", "trend"),
    ],
)
def test_a_preset_puts_its_kind_first(qmsum, preset, kind):
    result = analyze(qmsum("ami-ES2004"), kinds=PRESET_KINDS[preset])
    assert result["findings"][0]["kind"] == kind


def test_blind_spots_lead_with_lone_concerns_or_dropped_actions_and_keep_a_mix(qmsum):
    result = analyze(
        qmsum("senedd-cype-punishment-bill"), kinds=PRESET_KINDS["blind_spots"]
    )
    kinds = [f["kind"] for f in result["findings"]]
    assert kinds[0] in {"risk", "dropped_action"}
    assert len(set(kinds)) >= 3


def test_limit_caps_the_findings(qmsum):
    assert len(analyze(qmsum("ami-ES2004"), limit=3)["findings"]) == 3
