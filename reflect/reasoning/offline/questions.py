"""Questions nobody answered: asked, then the others moved on and nobody came back to it."""

import re

from .finding import Finding
from .turns import Corpus, Sentence, Turn, clip, quote
from .words import key_lemmas, surface

# Tag questions and fillers that only check the listener is there.
TAG_RE = re.compile(
    r"(?:,\s*)?\b(?:right|okay|ok|yeah|yes|no|eh|huh|you know|isn't it|is it|aren't they|"
    r"don't you think|didn't we|wasn't it|innit|correct|alright|all right|see|sorry|pardon|"
    r"really|yep|mm|hmm|or not|or what|is that right|is that it|does that make sense|"
    r"you see|yes or no)\s*\?$",
    re.IGNORECASE,
)
ANSWER_CUE_RE = re.compile(
    r"^(?:\W|\{\w+\})*(?:yes|no|yeah|yep|yup|nope|nah|sure|definitely|absolutely|probably|"
    r"maybe|possibly|not|i|i'm|i'd|don't|didn't|do|does|did|no idea|because|it's|it is|it was|"
    r"we|we're|they|that's|that is|there's|there are|well|almost|exactly|depends|depending)\b",
    re.IGNORECASE,
)
# Hesitations a reply may open with before its first real word ("Uh parts of it.").
FILLER_RE = re.compile(
    r"^(?:\W|\{\w+\}|\b(?:uh|um|uhm|er|erm|oh|ah|mm|hmm|mmm)\b)+", re.IGNORECASE
)
# A short reply that opens with a state or an amount answers the question asked just before:
# "Drafted, it goes out Thursday.", "Fifty was our first...", "Parts of it."
STATUS_CUE_RE = re.compile(
    r"^(?:done|drafted|sent|booked|fixed|signed|scheduled|finished|sorted|handled|"
    r"covered|confirmed|approved|submitted|ordered|shipped|merged|started|"
    r"parts? of it|all of (?:it|them)|none|nobody|everyone|everybody|both|neither|"
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a few|a couple)\b",
    re.IGNORECASE,
)
# A reply that opens by changing the subject does not answer, whatever words it shares.
TOPIC_CHANGE_RE = re.compile(
    r"^(?:(?:okay|ok|alright|all right|right|so|and|but)\W+)*"
    r"(?:that reminds me|speaking of|by the way|anyway|anyhow|on another note|"
    r"moving on|before i forget|while i remember|changing the subject|unrelated)\b",
    re.IGNORECASE,
)
# Questions about the room, not the work.
MECHANICS_RE = re.compile(
    r"\b(?:hear me|see (?:it|that|this)|can you see|clipped|microphone|mic|lapel|slide|"
    r"powerpoint|laptop|projector|pen|plugged|go next|go first|anyone else|any questions|"
    r"what time|how long have we got|coffee|lunch)\b",
    re.IGNORECASE,
)
DECISION_RE = re.compile(
    r"\b(?:we|our|us)\b.*\b(?:decide|decided|agree|agreed|choose|chose|go with|going with|"
    r"rejected|settle|settled|budget|cost|price|deadline|who|when)\b",
    re.IGNORECASE,
)
CUE_REPLY_KEYS = 4
ANSWER_WINDOW = 6  # turns after the question in which an answer may come
ANSWERERS = 3  # other speakers' turns inspected in that window
MIN_WORDS = 5


def find_unanswered_questions(corpus: Corpus) -> list[Finding]:
    findings = []
    for turn in corpus.turns:
        if "?" not in turn.cues:
            continue
        sentences = corpus.sentences(turn)
        for sentence in sentences[-2:]:  # a question mid-monologue is rhetorical
            if _is_real_question(sentence) and not _answered(corpus, turn, sentence):
                findings.append(_finding(corpus, turn, sentence))
    return findings


def _is_real_question(sentence: Sentence) -> bool:
    text = sentence.text
    if not text.endswith("?") or TAG_RE.search(text) or MECHANICS_RE.search(text):
        return False
    words = re.findall(r"[A-Za-z']+", text)
    return len(words) >= MIN_WORDS and len(key_lemmas(text)) >= 2


def _answered(corpus: Corpus, turn: Turn, sentence: Sentence) -> bool:
    keys = key_lemmas(sentence.text)
    key_set = frozenset(keys)
    window = _replies(corpus, turn)
    opening = _opening(corpus.text(window[0])) if window else ""
    if TOPIC_CHANGE_RE.match(opening):
        # The next speaker moved on: words shared with the new subject are no answer.
        window = window[:1]
    elif any(reply.keys & key_set for reply in window):
        return True
    elif (
        window
        and len(window[0].keys) <= CUE_REPLY_KEYS
        and (ANSWER_CUE_RE.match(opening) or STATUS_CUE_RE.match(opening))
    ):
        # "Yes, ..." answers a yes/no question, "Drafted, it goes out Thursday." one about
        # the work; a long reply on other things changes the subject.
        return True
    distinctive = corpus.distinctive(keys)
    after = window[-1].position if window else turn.position
    later = corpus.find_later(
        distinctive,
        after=after,
        min_shared=min(2, len(distinctive)),
        predicate=lambda t: t.speaker != turn.speaker or not t.speaker,
    )
    return later is not None


def _opening(text: str) -> str:
    """A reply without the hesitations it opens with."""
    return text[FILLER_RE.match(text).end() :] if FILLER_RE.match(text) else text


def _replies(corpus: Corpus, turn: Turn) -> list[Turn]:
    """The next few turns by other speakers in the same document."""
    replies = []
    last = corpus.doc_turns[turn.doc].stop
    for position in range(
        turn.position + 1, min(last, turn.position + 1 + ANSWER_WINDOW)
    ):
        other = corpus.turns[position]
        if other.speaker != turn.speaker or not turn.speaker:
            replies.append(other)
            if len(replies) == ANSWERERS:
                break
    return replies


def _finding(corpus: Corpus, turn: Turn, sentence: Sentence) -> Finding:
    document = corpus.document(turn)
    keys = key_lemmas(sentence.text)
    distinctive = corpus.distinctive(keys)
    # Questions about what the corpus is about matter more than asides ("a dog?"), and
    # questions about what "we" decided matter most.
    topicality = sum(min(1.0, corpus.frequency(k) / 10) for k in distinctive) / max(
        1, len(distinctive)
    )
    decision = bool(DECISION_RE.search(sentence.text))
    asker = turn.speaker or "The author"
    evidence = [(document.id, quote(document.text, sentence.start, sentence.end))]
    replies = _replies(corpus, turn)
    reply_note = ""
    if replies and replies[0].speaker:
        reply = replies[0]
        reply_quote = quote(document.text, reply.start, reply.end, max_len=160)
        if len(reply_quote) >= 12:
            evidence.append((document.id, reply_quote))
            reply_note = (
                f" The next speaker, {reply.speaker}, said “{clip(reply_quote, 80)}”."
            )
    later_docs = len(corpus.documents) - turn.doc - 1
    if later_docs:
        tail = f"and none of the {later_docs} later document{'s' * (later_docs > 1)} takes it up."
    else:
        tail = "and it does not come back later in the meeting."
    confidence = (
        "medium" if len(distinctive) >= 2 and (decision or topicality >= 0.5) else "low"
    )
    question = clip(sentence.text, 100)
    return Finding(
        kind="unanswered_question",
        title=f"Unanswered: “{question}”",
        observation=(
            f"{asker} asked this in {corpus.label(turn.doc)}.{reply_note} "
            f"Nobody else picks up “{', '.join(surface(sentence.text, sorted(distinctive, key=lambda k: -corpus.frequency(k))[:3]))}” in the "
            f"next turns, {tail}"
        ),
        why_it_matters=(
            "A question that gets no answer usually means a decision was never made or an "
            "assumption went unchecked; the people who need the answer may think it was settled."
        ),
        confidence=confidence,
        evidence=evidence,
        score=0.35
        + 0.3 * topicality
        + 0.15 * decision
        + 0.1 * min(len(distinctive), 3) / 3,
        doc=turn.doc,
        follow_up=f"Who can answer {asker}'s question “{clip(sentence.text, 80)}”?",
        keys=frozenset(keys),
    )
