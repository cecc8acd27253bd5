"""A consensus run: N independent answers of the map model, merged by agreement by the main
model, each merged finding saying how many answers found it.

Every answer and the merge are saved calls (ReflectionPart), so a run resumed after its worker
died pays for none of them again. It applies to a corpus read in one call.
"""

from __future__ import annotations

from django.conf import settings

from ..reasoning import consensus, planning
from ..reasoning import prompt as prompts
from ..reasoning.errors import CONTEXT_OVERFLOW, ReasoningError
from ..reasoning.schema import SCHEMA_VERSION
from ..reasoning.sources import SourceDocument
from .claims import Overflow


def answer_by_consensus(run, plan: planning.Plan, by_id: dict[int, SourceDocument]):
    """The merged answer of `settings.REFLECT_CONSENSUS_SAMPLES` answers, for the engine's
    `Run` (its saved calls, progress and manifest)."""
    samples = settings.REFLECT_CONSENSUS_SAMPLES
    model = run.reflection.model
    sample_model = run.reflection.map_model or model
    documents = list(by_id.values())
    fingerprints = [d.sha256 for d in documents]
    prompt = prompts.Prompt(
        prompts.SINGLE_INSTRUCTIONS, planning.render_corpus(documents), run.asked
    )
    total = samples + 1
    answers, keys = [], []
    for number in range(1, samples + 1):
        # The answer's number is in its key: N saved answers, not one reused N times.
        key = run.part_key(["sample", str(number), *fingerprints], model=sample_model)
        if run.saved_part(key) is None:
            run.progress(
                phase=f"answer {number} of {samples}",
                parts_done=number - 1,
                parts_total=total,
            )
        keys.append(key)
        answers.append(
            run.saved_call(
                step="sample",
                index=number,
                key=key,
                model=sample_model,
                prompt=prompt,
                # One corpus, one warm cache: the later answers read it cached.
                cache_key=prompts.cache_key(
                    fingerprints, model=sample_model, schema_version=SCHEMA_VERSION
                ),
                slices=run.manifest["plan"][0],
            )
        )
    run.progress(phase="merging the answers", parts_done=samples, parts_total=total)
    try:
        merged = run.saved_call(
            step="merge",
            index=total,
            key=run.part_key(["merge", *keys], model=model),
            model=model,
            prompt=prompts.Prompt(
                prompts.MERGE_INSTRUCTIONS, consensus.render_answers(answers), run.asked
            ),
            cache_key="",
            slices=[],
        )
    except Overflow as overflow:
        # Re-planning the corpus would throw the paid answers away; they stay saved for
        # a retry with a larger context.
        raise ReasoningError(
            f"the {samples} answers are too long to merge in one call: {overflow}",
            kind=CONTEXT_OVERFLOW,
        ) from None
    run.manifest["consensus"] = {"answers": samples, "sample_model": sample_model}
    run.progress(parts_done=total)
    return consensus.with_agreement(merged, answers)
