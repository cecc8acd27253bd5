"""The engine: what a claimed run does, from the frozen snapshot to a verified result.

One call for a corpus that fits the model's context, map-reduce otherwise; each answered
map part is saved, so a run resumed after a dead worker reuses it instead of paying again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence

from django.conf import settings

from .. import progress as phases
from ..models import Document, Reflection, ReflectionPart
from ..reasoning import citations, outcomes, planning, providers
from ..reasoning import prompt as prompts
from ..reasoning.client import ModelClient
from ..reasoning.errors import CONTEXT_OVERFLOW, ReasoningError
from ..reasoning.estimates import CONSENSUS_NEEDS_ONE_CALL
from ..reasoning.schema import SCHEMA_VERSION
from ..reasoning.service_tiers import tier_for
from ..reasoning.sources import SourceDocument
from .asking import asked_question
from .claims import ClaimedRun, Overflow
from .consensus_run import answer_by_consensus

log = logging.getLogger(__name__)
MAX_REPLANS = 8
# Calls whose reply is the answer to the question (a map part may rightly find nothing).
ANSWER_STEPS = frozenset({"single", "reduce", "sample", "merge"})


class Run(ClaimedRun):
    """A claimed run that reads its snapshot and asks the model (or the offline analyzer)."""

    def __init__(self, reflection: Reflection, worker: str) -> None:
        super().__init__(reflection, worker)
        self._client: ModelClient | None = None
        self.asked = asked_question(reflection.question, reflection.parent)

    def load_snapshot(self) -> list[SourceDocument]:
        """The snapshot's documents as they were; deleted or changed ones are listed, not read."""
        snapshot = self.reflection.snapshot
        current = {
            d.pk: d
            for d in Document.objects.filter(
                pk__in=[item["id"] for item in snapshot],
                owner_id=self.reflection.owner_id,
            )
        }
        sources, left_out = [], []
        for item in snapshot:
            document = current.get(item["id"])
            if document is None:
                reason = "deleted since the question was asked"
            elif document.sha256 != item["sha256"]:
                reason = "its content changed since the question was asked"
            elif document.status != Document.Status.READY:
                reason = "its text is not ready (being extracted again?)"
            else:
                sources.append(SourceDocument.from_document(document))
                continue
            left_out.append(
                {"id": item["id"], "title": item["title"], "reason": reason}
            )
        self.manifest["documents"] = [
            {"id": s.id, "title": s.title, "sha256": s.sha256}
            for s in prompts.document_order(sources)
        ]
        self.manifest["left_out"] = left_out
        if not sources:
            raise ReasoningError(
                "none of the reflection's documents is still available",
                kind=Reflection.ErrorKind.SNAPSHOT,
            )
        return sources

    def execute(self) -> dict:
        sources = self.load_snapshot()
        if self.reflection.provider == providers.OFFLINE:
            self.manifest["mode"] = "offline"
            self.progress(phase=phases.ANALYSING, parts_done=0, parts_total=1)
            result = providers.run_offline(
                prompts.document_order(sources), preset=self.reflection.preset
            )
        else:
            result = self.ask_model(sources)
        self.progress(phase=phases.VERIFYING)
        return citations.verify_result(result, {s.id: s for s in sources})

    @property
    def client(self) -> ModelClient:
        if self._client is None:
            self._client = ModelClient.from_settings()
        return self._client

    @property
    def context_tokens(self) -> int:
        """The context planned for: the server's own, once an overflow error stated it."""
        return self.manifest.get("context_tokens") or settings.REFLECT_CONTEXT_TOKENS

    def ask_model(self, sources: list[SourceDocument]) -> dict:
        ordered = prompts.document_order(sources)
        by_id = {s.id: s for s in ordered}
        try:
            for _ in range(MAX_REPLANS):
                try:
                    plan = planning.make_plan(
                        ordered,
                        question=self.asked,
                        context_tokens=self.context_tokens,
                        output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
                        max_batch_tokens=self.manifest.get("max_batch_tokens"),
                    )
                except ValueError as exc:
                    raise ReasoningError(str(exc), kind=CONTEXT_OVERFLOW) from None
                self.manifest["mode"] = plan.mode
                self.manifest["notes"] = plan.notes
                self.manifest["plan"] = [
                    [piece.describe(by_id[piece.document_id]) for piece in batch]
                    for batch in plan.batches
                ]
                try:
                    if plan.mode == "single" and self.reflection.consensus:
                        return answer_by_consensus(self, plan, by_id)
                    if plan.mode == "single":
                        return self.single(plan, by_id)
                    if self.reflection.consensus:
                        self.manifest["notes"] = [*plan.notes, CONSENSUS_NEEDS_ONE_CALL]
                    return self.map_reduce(plan, by_id)
                except Overflow as overflow:
                    try:
                        context, smaller = planning.replan_limits(
                            plan,
                            ordered,
                            overflow=str(overflow),
                            question=self.asked,
                            context_tokens=self.context_tokens,
                            output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
                        )
                    except ValueError as exc:
                        raise ReasoningError(
                            f"{exc} (the server said: {overflow})",
                            kind=CONTEXT_OVERFLOW,
                        ) from None
                    log.info(
                        "reflection %s: context overflow, re-planning for a %s-token "
                        "context, parts of at most %s tokens",
                        self.reflection.pk,
                        context,
                        smaller,
                    )
                    self.manifest["context_tokens"] = context
                    self.manifest["max_batch_tokens"] = smaller
                    self.manifest["replans"] += 1
            raise ReasoningError(
                "the corpus could not be split to fit the model", kind=CONTEXT_OVERFLOW
            )
        finally:
            if self._client is not None:
                self._client.close()

    def call(
        self,
        *,
        step: str,
        index: int,
        model: str,
        prompt: prompts.Prompt,
        cache_key: str,
        slices: list[dict],
        key: str = "",
    ) -> dict:
        expected = planning.count_tokens(
            prompt.instructions + prompt.corpus + prompt.question
        )
        record = {
            "step": step,
            "index": index,
            "model": model,
            "documents": slices,
            "expected_input_tokens": expected,
        }
        self.manifest["calls"].append(record)
        try:
            reply = self.client.complete(
                model=model,
                effort=self.reflection.effort,
                prompt=prompt,
                max_output_tokens=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
                cache_key=cache_key,
                expected_input_tokens=expected,
                service_tier=tier_for(not_urgent=self.reflection.not_urgent),
                slot=self.response_slot(key) if key else None,
            )
        except ReasoningError as error:
            record["error"] = error.message
            if error.usage:
                record["usage"] = error.usage
                self.add_usage(model, error.usage)
            if error.kind == CONTEXT_OVERFLOW:
                raise Overflow(error.message) from error
            raise
        record["usage"] = reply.usage
        record["structured_output"] = reply.structured
        # Service tier, a flex fallback, the background response id, the reasoning summary.
        record.update(reply.details)
        self.add_usage(
            model, reply.usage, service_tier=reply.details.get("service_tier", "")
        )
        if step in ANSWER_STEPS:
            # Checked before saved_call keeps it: a retry asks again instead of reusing it.
            try:
                outcomes.require_answer(reply.data)
            except ReasoningError as error:
                record["error"] = error.message
                raise
        return reply.data

    def part_key(self, fingerprints: Sequence[str], *, model: str) -> str:
        return _part_key(
            fingerprints,
            model=model,
            effort=self.reflection.effort,
            question=self.asked,
        )

    def saved_part(self, key: str) -> ReflectionPart | None:
        return ReflectionPart.objects.filter(
            reflection=self.reflection, key=key
        ).first()

    def saved_call(
        self,
        *,
        step: str,
        index: int,
        key: str,
        model: str,
        prompt: prompts.Prompt,
        cache_key: str,
        slices: list[dict],
    ) -> dict:
        """A model call whose answer is saved before it is used: a run resumed after its
        worker died reuses the answer instead of paying for it again."""
        done = self.saved_part(key)
        if done is not None:
            self.manifest["calls"].append(
                {
                    "step": step,
                    "index": index,
                    "model": done.model,
                    "documents": slices,
                    "reused": True,
                }
            )
            return done.result
        result = self.call(
            step=step,
            index=index,
            model=model,
            prompt=prompt,
            cache_key=cache_key,
            slices=slices,
            key=key,
        )
        ReflectionPart.objects.get_or_create(
            reflection=self.reflection,
            key=key,
            defaults={
                "index": index,
                "slices": slices,
                "result": result,
                "usage": self.manifest["calls"][-1]["usage"],
                "model": model,
            },
        )
        # The answer is kept: the provider need not store the background response any more.
        response_id = self.forget_response(key)
        if response_id:
            self.client.delete_response(response_id)
        return result

    def single(self, plan: planning.Plan, by_id: dict[int, SourceDocument]) -> dict:
        self.progress(phase=phases.ONE_CALL, parts_done=0, parts_total=1)
        documents = list(by_id.values())
        prompt = prompts.Prompt(
            prompts.SINGLE_INSTRUCTIONS, planning.render_corpus(documents), self.asked
        )
        fingerprints = [d.sha256 for d in documents]
        result = self.saved_call(
            step="single",
            index=1,
            key=_part_key(
                ["single", *fingerprints],
                model=self.reflection.model,
                effort=self.reflection.effort,
                question=self.asked,
            ),
            model=self.reflection.model,
            prompt=prompt,
            cache_key=prompts.cache_key(
                fingerprints, model=self.reflection.model, schema_version=SCHEMA_VERSION
            ),
            slices=self.manifest["plan"][0],
        )
        self.progress(parts_done=1)
        return result

    def map_reduce(self, plan: planning.Plan, by_id: dict[int, SourceDocument]) -> dict:
        total = plan.parts
        model, map_model = (
            self.reflection.model,
            self.reflection.map_model or self.reflection.model,
        )
        notes, keys = [], []
        for number, batch in enumerate(plan.batches, 1):
            fingerprints = [
                f"{by_id[p.document_id].sha256}:{p.start}:{p.end}" for p in batch
            ]
            key = _part_key(
                fingerprints,
                model=map_model,
                effort=self.reflection.effort,
                question=self.asked,
            )
            if self.saved_part(key) is None:
                self.progress(
                    phase=phases.reading_part(number, total),
                    parts_done=number - 1,
                    parts_total=total,
                )
            keys.append(key)
            result = self.saved_call(
                step="map",
                index=number,
                key=key,
                model=map_model,
                prompt=prompts.Prompt(
                    prompts.MAP_INSTRUCTIONS,
                    planning.render_batch(batch, by_id),
                    self.asked,
                ),
                cache_key=prompts.cache_key(
                    fingerprints, model=map_model, schema_version=SCHEMA_VERSION
                ),
                slices=self.manifest["plan"][number - 1],
            )
            notes.append(result)
        self.progress(phase=phases.SYNTHESISING, parts_done=total, parts_total=total)
        prompt = prompts.Prompt(
            prompts.REDUCE_INSTRUCTIONS, prompts.render_candidates(notes), self.asked
        )
        try:
            return self.saved_call(
                step="reduce",
                index=total + 1,
                key=_part_key(
                    ["reduce", *keys],
                    model=model,
                    effort=self.reflection.effort,
                    question=self.asked,
                ),
                model=model,
                prompt=prompt,
                cache_key="",
                slices=[],
            )
        except Overflow as overflow:
            # Smaller map parts would only make more notes: this cannot be re-planned.
            raise ReasoningError(
                f"the notes from {total} parts are too long to synthesise in one call: {overflow}",
                kind=CONTEXT_OVERFLOW,
            ) from None


def _part_key(
    fingerprints: Sequence[str], *, model: str, effort: str, question: str
) -> str:
    payload = json.dumps(
        [
            prompts.PROMPT_VERSION,
            SCHEMA_VERSION,
            model,
            effort,
            question,
            list(fingerprints),
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()
