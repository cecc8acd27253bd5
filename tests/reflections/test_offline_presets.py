"""With no model configured, every preset is answered with grounded, labelled findings."""

import pytest

from reflect import documents
from reflect.reasoning.offline import LABEL
from reflect.reflections.asking import PRESETS, create_reflection
from reflect.reflections.running import run_reflection

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def es2004(corpus):
    owner = make_user("lead")
    ids = [
        documents.ingest_document(
            owner=owner, filename=path.name, data=path.read_bytes()
        ).document.pk
        for path in sorted((corpus / "meetings/qmsum/ami-ES2004").glob("*.txt"))
    ]
    return owner, ids


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_gets_verified_offline_findings(settings, es2004, preset):
    settings.OPENAI_API_KEY = settings.OPENAI_BASE_URL = settings.REFLECT_PROVIDER = ""
    owner, ids = es2004

    reflection = create_reflection(
        owner=owner, preset=preset, document_ids=ids, enqueue=False
    )
    run_reflection(reflection_id=reflection.pk)

    reflection.refresh_from_db()
    assert reflection.provider == "offline" and reflection.status == "succeeded"
    assert reflection.result["summary"].startswith(LABEL)
    findings = reflection.result["findings"]
    assert findings and all(f["supported"] for f in findings)
    assert all(e["verified"] for f in findings for e in f["evidence"])
