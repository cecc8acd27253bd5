"""A worker SIGKILLed mid-reflection (real worker processes, real Redis, the stub model): the
sweep notices within seconds, another worker finishes it exactly once (one result, one
notification), and map parts finished before the kill are not asked of the model again.

Without the sweep the reflection would stay "running" until Redis redelivers its message after
the visibility timeout (hours); without the kept parts the finished parts would be asked twice.
REFLECT_KILL_TRIALS=n repeats each phase n times.
"""

import os
import threading

import pytest

from reflect.models import Notification, Reflection, ReflectionPart
from reflect.reflections.asking import create_reflection
from reflect.sweeps import sweep_stale_work
from tests.factories import make_document
from tests.reasoning.helpers import (
    cited_answer,
    corpus_text,
    is_map_request,
    is_reduce_request,
    long_transcript,
)
from tests.workers import wait_for

from .conftest import worker_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.usefixtures("fast_liveness"),
]
TRIALS = int(os.environ.get("REFLECT_KILL_TRIALS", "1"))
# A context that holds about one of the documents below: the run is map-reduce in 3+ parts.
SMALL_CONTEXT = {
    "REFLECT_OUTPUT_RESERVE_TOKENS": 2_000,
    "REFLECT_CONTEXT_TOKENS": 2_000 + 900 + 2_600,
}


class KillPoint:
    """A stub reply that holds the `nth` request of one kind until released, so the test can
    kill the worker while that call is in flight."""

    def __init__(self, answer, *, kind: str, nth: int) -> None:
        self.answer, self.kind, self.nth = answer, kind, nth
        self.seen = 0
        self.reached, self.release = threading.Event(), threading.Event()

    def __call__(self, request):
        kind = "reduce" if is_reduce_request(request.body) else "map"
        if kind == self.kind and not self.reached.is_set():
            self.seen += 1
            if self.seen == self.nth:
                self.reached.set()
                self.release.wait(60)
        return self.answer(request)


PHASES = {
    # Killed while the model answers the first part: nothing was finished yet.
    "first_part": ("map", 1, 0),
    # Killed after part 1 was saved, before part 2 was answered.
    "between_parts": ("map", 2, 1),
    # Killed during the synthesis: every map part was finished.
    "reduce": ("reduce", 1, None),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(TRIALS))
@pytest.mark.parametrize("phase", list(PHASES))
def test_a_killed_worker_s_reflection_finishes_once_elsewhere(
    phase, trial, stub_openai, settings, start_worker, person
):
    for name, value in SMALL_CONTEXT.items():
        setattr(settings, name, value)
    documents = [
        make_document(
            person, title=f"Meeting {n}", text=long_transcript(f"meeting {n}", 80)
        )
        for n in range(3)
    ]
    kind, nth, parts_saved = PHASES[phase]
    kill_point = KillPoint(cited_answer(documents), kind=kind, nth=nth)
    stub_openai.default = kill_point
    env = worker_env(stub_openai, **SMALL_CONTEXT)
    first = start_worker(env=env)

    reflection = create_reflection(
        owner=person, preset="dropped_actions", document_ids=[d.pk for d in documents]
    )
    parts = reflection.estimate["parts"]
    assert reflection.estimate["mode"] == "map_reduce" and parts >= 3
    parts_saved = parts if parts_saved is None else parts_saved
    try:
        assert kill_point.reached.wait(30), (
            f"the model call to kill in never came\n{first.log()}"
        )
        assert (
            ReflectionPart.objects.filter(reflection=reflection).count() == parts_saved
        )
        first.kill()
        second = start_worker(env=env)

        def released():
            return reflection.pk in sweep_stale_work().released

        wait_for(
            released,
            timeout=20,
            interval=0.5,
            message="the sweep to release the dead claim",
        )

        def finished():
            row = Reflection.objects.get(pk=reflection.pk)
            return row if row.is_finished else None

        done = wait_for(
            finished, timeout=60, message=f"the reflection to finish\n{second.log()}"
        )
    finally:
        kill_point.release.set()

    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert done.attempts == 2
    assert Notification.objects.filter(reflection=done).count() == 1
    # Each map part and the reduce answer, kept once.
    assert ReflectionPart.objects.filter(reflection=done).count() == parts + 1
    assert all(e["verified"] for f in done.result["findings"] for e in f["evidence"])
    bodies = stub_openai.bodies
    maps = [corpus_text(b) for b in bodies if is_map_request(b)]
    reduces = [b for b in bodies if is_reduce_request(b)]
    # Each map part was asked once, except the one in flight when the worker died.
    asked_twice = {m for m in maps if maps.count(m) > 1}
    assert len(set(maps)) == parts
    assert len(asked_twice) == (1 if kind == "map" else 0)
    assert len(reduces) == (2 if kind == "reduce" else 1)
    reused = [c["index"] for c in done.manifest["calls"] if c.get("reused")]
    assert reused == list(range(1, parts_saved + 1))
