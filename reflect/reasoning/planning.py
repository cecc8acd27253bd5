"""How a corpus is sent: one call when it fits the model's context, map-reduce otherwise.

Token counts are o200k counts (OpenAI's tokenizer; a close guess for other servers, whose
context errors trigger a re-plan anyway): a document's text counted once at extraction
(`Document.tokens`) plus its BEGIN/END frame, so an estimate is a sum. Batches are cut on
document and segment boundaries: a long document is split between segments (pages,
paragraphs, cues, lines), and only a single segment larger than a whole batch is cut inside,
at a line or word break, which the manifest records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reflect.extraction import locators
from reflect.reasoning.token_counts import count_tokens, count_tokens_batch

from . import prompt as prompts
from .server_limits import stated_context_limit, suggested_output_reserve
from .sources import SourceDocument

# Chat formatting tokens per request (roles, separators), rounded up.
MESSAGE_OVERHEAD = 32
# Room for the per-document BEGIN/END lines when a document is packed with others.
SAFETY_MARGIN = 0.02
# A part smaller than this is not worth a call; the real floor on a re-plan is one segment.
MIN_BATCH_TOKENS = 200


@dataclass(frozen=True)
class Slice:
    """A document, or the passage text[start:end] of it, as it goes into one call."""

    document_id: int
    start: int
    end: int
    whole: bool
    tokens: int
    first_segment: int | None = None
    last_segment: int | None = None
    cut_inside_segment: bool = False

    def describe(self, document: SourceDocument) -> dict:
        item = {
            "document_id": self.document_id,
            "title": document.title,
            "whole": self.whole,
        }
        if not self.whole:
            item["chars"] = [self.start, self.end]
            if self.first_segment is not None:
                item["segments"] = [self.first_segment, self.last_segment]
                item["from"] = locators.of_segment(
                    document.segments[self.first_segment]
                )
                item["to"] = locators.of_segment(document.segments[self.last_segment])
            if self.cut_inside_segment:
                item["cut_inside_segment"] = True
        return item


@dataclass
class Plan:
    mode: str  # "single" or "map_reduce"
    batches: list[list[Slice]]
    budget: int  # corpus tokens one call may carry
    corpus_tokens: int
    notes: list[str] = field(default_factory=list)

    @property
    def parts(self) -> int:
        return len(self.batches) if self.mode == "map_reduce" else 1


def render_batch(batch: Sequence[Slice], documents: dict[int, SourceDocument]) -> str:
    blocks = []
    for piece in batch:
        document = documents[piece.document_id]
        part = (
            ""
            if piece.whole
            else f"characters {piece.start}-{piece.end} of {len(document.text)}"
        )
        blocks.append(
            prompts.render_document(
                document, start=piece.start, end=piece.end, part=part
            )
        )
    return "\n".join(blocks)


def render_corpus(documents: Sequence[SourceDocument]) -> str:
    return "\n".join(prompts.render_document(document) for document in documents)


def call_budget(
    *, instructions: str, question: str, context_tokens: int, output_reserve: int
) -> int:
    """Corpus tokens one call may carry next to these instructions and this question."""
    fixed = count_tokens(instructions) + count_tokens(prompts.question_block(question))
    return context_tokens - output_reserve - fixed - MESSAGE_OVERHEAD


def make_plan(
    documents: Sequence[SourceDocument],
    *,
    question: str,
    context_tokens: int,
    output_reserve: int,
    max_batch_tokens: int | None = None,
) -> Plan:
    """Decide single call or map-reduce, and cut the batches. `documents` are in prompt order."""
    single_budget = call_budget(
        instructions=prompts.SINGLE_INSTRUCTIONS,
        question=question,
        context_tokens=context_tokens,
        output_reserve=output_reserve,
    )
    document_tokens = framed_tokens(documents)
    corpus_tokens = sum(document_tokens)
    limit = (
        single_budget
        if max_batch_tokens is None
        else min(single_budget, max_batch_tokens)
    )
    if corpus_tokens <= limit:
        whole = [
            Slice(d.id, 0, len(d.text), True, tokens)
            for d, tokens in zip(documents, document_tokens, strict=True)
        ]
        return Plan("single", [whole], single_budget, corpus_tokens)

    map_budget = call_budget(
        instructions=prompts.MAP_INSTRUCTIONS,
        question=question,
        context_tokens=context_tokens,
        output_reserve=output_reserve,
    )
    if max_batch_tokens is not None:
        map_budget = min(map_budget, max_batch_tokens)
    budget = int(map_budget * (1 - SAFETY_MARGIN))
    if budget < MIN_BATCH_TOKENS:
        fixed = context_tokens - output_reserve - map_budget
        raise ValueError(
            f"a context of {context_tokens} tokens leaves only {max(budget, 0)} tokens per "
            f"call for documents next to REFLECT_OUTPUT_RESERVE_TOKENS={output_reserve}: "
            f"set REFLECT_OUTPUT_RESERVE_TOKENS="
            f"{suggested_output_reserve(max(context_tokens - fixed, 2))} or give the model "
            f"a context of at least {output_reserve + fixed + 2 * MIN_BATCH_TOKENS} tokens"
        )
    plan = Plan("map_reduce", [], budget, corpus_tokens)
    batch: list[Slice] = []
    used = 0
    for document, tokens in zip(documents, document_tokens, strict=True):
        if tokens <= budget:
            pieces = [Slice(document.id, 0, len(document.text), True, tokens)]
        else:
            pieces = _split(document, budget, plan.notes)
        for piece in pieces:
            if batch and used + piece.tokens > budget:
                plan.batches.append(batch)
                batch, used = [], 0
            batch.append(piece)
            used += piece.tokens
    if batch:
        plan.batches.append(batch)
    return plan


def framed_tokens(documents: Sequence[SourceDocument]) -> list[int]:
    """Each document's tokens as sent: its stored count plus its frame's (the BEGIN line and
    the END line counted apart, so a merge across the text's edges only makes the sum high);
    a document without a stored count is counted whole."""
    texts = []
    for d in documents:
        frame = prompts.render_document(d, end=0)
        cut = frame.index("\n") + 1
        texts += [frame[:cut], frame[cut:]] if d.tokens is not None else [frame, ""]
    counts = count_tokens_batch(texts)
    unknown = count_tokens_batch(
        [prompts.render_document(d) for d in documents if d.tokens is None] or [""]
    )
    rest = iter(unknown)
    return [
        next(rest) if d.tokens is None else d.tokens + counts[2 * n] + counts[2 * n + 1]
        for n, d in enumerate(documents)
    ]


def _header_tokens(document: SourceDocument) -> int:
    return count_tokens(
        prompts.render_document(
            document, start=0, end=0, part="characters 0000000-0000000 of 0000000"
        )
    )


def _split(document: SourceDocument, budget: int, notes: list[str]) -> list[Slice]:
    """Cut a long document into slices of at most `budget` tokens, between segments."""
    text = document.text
    header = _header_tokens(document)
    room = budget - header
    # Piece k runs from segment k's start to segment k+1's start, so the separators between
    # segments (and any text before the first) travel with a segment and nothing is dropped.
    segments = document.segments or []
    if segments:
        bounds = [0] + [int(s["start"]) for s in segments[1:]] + [len(text)]
        units = [(bounds[k], bounds[k + 1], k) for k in range(len(segments))]
    else:
        units = [(start, end, None) for start, end in _line_spans(text)]
    counts = count_tokens_batch([text[start:end] for start, end, _ in units])
    slices: list[Slice] = []
    current: list[tuple[int, int, int | None, int]] = []
    used = 0

    def flush(cut: bool = False) -> None:
        nonlocal current, used
        if not current:
            return
        indexes = [u[2] for u in current if u[2] is not None]
        slices.append(
            Slice(
                document.id,
                current[0][0],
                current[-1][1],
                False,
                used + header,
                indexes[0] if indexes else None,
                indexes[-1] if indexes else None,
                cut,
            )
        )
        current, used = [], 0

    for (start, end, index), tokens in zip(units, counts, strict=True):
        if tokens > room:
            flush()
            for piece_start, piece_end in _cut(text, start, end, room):
                piece_tokens = count_tokens(text[piece_start:piece_end])
                current = [(piece_start, piece_end, index, piece_tokens)]
                used = piece_tokens
                flush(cut=True)
            where = (
                f"segment {index}" if index is not None else f"characters {start}-{end}"
            )
            notes.append(
                f"document {document.id} ({document.title}): {where} alone is longer than a "
                "call can carry and was cut at line or word breaks"
            )
            continue
        if used + tokens > room:
            flush()
        current.append((start, end, index, tokens))
        used += tokens
    flush()
    return slices


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end + 1
        spans.append((start, end))
        start = end
    return spans


def _cut(text: str, start: int, end: int, room: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into pieces of at most `room` tokens, at line or word breaks."""
    pieces = []
    while start < end:
        # o200k averages about four characters a token; shrink until the piece fits.
        length = max(1, min(end - start, room * 3))
        while True:
            stop = start + length
            if stop < end:
                for breaker in ("\n", " "):
                    at = text.rfind(breaker, start + 1, stop)
                    if at > start:
                        stop = at + 1
                        break
            if count_tokens(text[start:stop]) <= room or stop - start <= 1:
                break
            length = max(1, (stop - start) * 3 // 4)
        pieces.append((start, stop))
        start = stop
    return pieces


def replan_limits(
    plan: Plan,
    documents: Sequence[SourceDocument],
    *,
    overflow: str,
    question: str,
    context_tokens: int,
    output_reserve: int,
) -> tuple[int, int]:
    """(context tokens, largest batch) for the next plan after the server said a call was
    too long; ValueError naming the context needed when a part would be smaller than one
    segment (see `largest_segment_tokens`).

    A limit the server states (smaller than the one planned for) is planned for at once;
    otherwise, or when its tokenizer counts more than o200k does, the parts halve."""
    stated = stated_context_limit(overflow)
    current = plan.corpus_tokens if plan.mode == "single" else plan.budget
    if stated and stated < context_tokens:
        return stated, current
    smaller = current // 2
    segment = largest_segment_tokens(documents)
    if smaller >= max(segment, MIN_BATCH_TOKENS):
        return context_tokens, smaller
    fixed = (
        context_tokens
        - output_reserve
        - call_budget(
            instructions=prompts.MAP_INSTRUCTIONS,
            question=question,
            context_tokens=context_tokens,
            output_reserve=output_reserve,
        )
    )
    # Parts of the current size overflowed: the server counts at least this much more.
    needed = int((fixed + max(segment, MIN_BATCH_TOKENS) + output_reserve) * 1.25)
    raise ValueError(
        f"the model's context is too small even for parts of one segment: "
        f"{f'the server states {stated} tokens; ' if stated else ''}a part needs about "
        f"{needed} tokens (instructions and question {fixed}, the longest segment "
        f"{segment} with its frame, REFLECT_OUTPUT_RESERVE_TOKENS={output_reserve} for the answer). Give "
        f"the server a context of at least {needed} tokens or lower "
        "REFLECT_OUTPUT_RESERVE_TOKENS"
    )


def largest_segment_tokens(documents: Sequence[SourceDocument]) -> int:
    """Tokens of the longest line (a transcript's cue; the planner cuts a longer segment
    such as a page between lines before it would cut inside one), with a part's frame."""
    texts = [
        max(
            (d.text[start:end] for start, end in _line_spans(d.text)),
            key=len,
            default="",
        )
        for d in documents
    ]
    counts = count_tokens_batch(texts or [""])
    headers = max((_header_tokens(d) for d in documents), default=0)
    return max(counts, default=0) + headers
