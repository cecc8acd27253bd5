"""Commitments nobody followed up: never mentioned again, or never reported done."""

import re

from .finding import Finding
from .turns import Corpus, Sentence, Turn, clip, quote
from .words import CUE_WORDS, key_lemmas, lemma, surface

CHECKBOX_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s+")
DONE_BOX_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[xX]\]\s+")
STRONG_CUE_RE = re.compile(r"\baction items?\b|\bTODO\b|\bto-do\b|\bAI:", re.IGNORECASE)
FIRST_PERSON_RE = re.compile(
    r"\b(?:I will|I'll|I’ll|I shall|I'm going to|I am going to|I'm gonna|I can take|"
    r"I'll take|I'll make sure|I'll get)\b",
    re.IGNORECASE,
)
GROUP_RE = re.compile(
    r"\b(?:we will|we'll|we’ll|we need to|we have to|we must|we've got to|we should|"
    r"let's make sure|let us make sure|make sure (?:that )?we|we're going to|we are going to|"
    r"someone needs to|somebody (?:needs|has) to|someone should|need to make sure)\b",
    re.IGNORECASE,
)
NAMED_RE = re.compile(
    r"@(?P<at>[A-Z][\w-]*(?: [A-Z][\w-]*)?)|^(?P<lead>[A-Za-z][\w-]{1,20}) (?:to|will) (?=[a-z])"
)
ACTION_VERB_RE = re.compile(
    r"\b(?:send|email|e-mail|mail|check|find out|look into|ask|contact|write|prepare|update|"
    r"fix|review|schedule|book|call|confirm|investigate|test|draft|circulate|get back|"
    r"follow up|research|order|buy|finish|sort out|set up|organi[sz]e|talk to|speak to|"
    r"figure out|decide|sign|submit|deliver|pay|renew|draw up|put together|compile|report|"
    r"bring|present|work out|calculate|design|build|make sure|get in touch|reach out|"
    r"recommend|author|create|arrange|estimate|chase|remind|share|upload|produce|post|"
    r"investigate|cost|price|source|hire|train|deploy|release|ship|migrate|negotiate)\b",
    re.IGNORECASE,
)
DEADLINE_RE = re.compile(
    r"\b(?:by|before|until|due)\s+(?:the\s+)?(?:end|next|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|tomorrow|tonight|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec|eod|eow)|\bnext (?:meeting|week|time|month)\b|\btomorrow\b|\bdeadline\b",
    re.IGNORECASE,
)
DONE_RE = re.compile(
    r"\b(?:done|finished|completed|complete|sent|did|fixed|resolved|closed|merged|landed|"
    r"booked|ordered|submitted|delivered|checked|emailed|e-mailed|wrote|written|signed|paid|"
    r"confirmed|renewed|scheduled|contacted|posted|shipped|released|sorted|arranged|"
    r"have (?:now |already )?\w+ed|has been \w+)\b",
    re.IGNORECASE,
)
LEADING_VERB_RE = re.compile(
    r"(?:(?:just|also|then|definitely|probably|really|need to|have to|try to|go and|be able to|"
    r"get to|all|both|still|first)\s+){0,3}" + ACTION_VERB_RE.pattern,
    re.IGNORECASE,
)
IMMEDIATE_RE = re.compile(
    r"^(?:just |quickly |now |then )*(?:go|show|pass|start|leave|wait|move|speak|stop|put|"
    r"draw|hold|have a go|give|read|say|tell|explain|skip|repeat|try)\b",
    re.IGNORECASE,
)
GENERIC = frozenset(
    key_lemmas(
        "meeting week time month next today tomorrow item action todo end slide presentation "
        "whiteboard board powerpoint agenda minute afterwards later soon"
    )
)
FOLLOW_UP_GAP = 3  # the immediate replies are discussion, not follow-up


def find_dropped_actions(corpus: Corpus) -> list[Finding]:
    findings = []
    done_index = None
    for turn in corpus.turns_matching(TRIGGER_RE, TRIGGER_CUES):
        raw = corpus.text(turn)
        for sentence in corpus.sentences(turn):
            commitment = _commitment(
                corpus, turn, sentence, checkbox=bool(CHECKBOX_RE.match(raw))
            )
            if commitment:
                if done_index is None:
                    done = {
                        t.position
                        for t in corpus.turns_matching(DONE_TRIGGER_RE, DONE_CUES)
                    }
                    done_index = corpus.index_of(
                        lambda t, done=done: t.position in done
                    )
                finding = _follow(
                    corpus, turn, sentence, *commitment, done_index=done_index
                )
                if finding:
                    findings.append(finding)
    return findings


def _commitment(corpus: Corpus, turn: Turn, sentence: Sentence, *, checkbox: bool):
    """(owner, clause, strong) when the sentence commits someone to something, else None."""
    text = sentence.text
    if text.endswith("?"):
        return None
    named = NAMED_RE.search(text)
    first_person = FIRST_PERSON_RE.search(text)
    group = GROUP_RE.search(text)
    strong = checkbox or bool(STRONG_CUE_RE.search(text))
    if named and (
        checkbox
        or strong
        or DEADLINE_RE.search(text)
        or (named.group("at") and LEADING_VERB_RE.search(text))
    ):
        name = named.group("at") or named.group("lead")
        if lemma(name.lower()) is None and not named.group("at"):
            name = None
        owner = name
        clause = text
        strong = True
    elif strong:
        owner, clause = None, text
    elif first_person or group:
        cue = first_person or group
        clause = text[cue.end() :].strip(" ,")
        if IMMEDIATE_RE.match(clause) or not (
            LEADING_VERB_RE.match(clause) or DEADLINE_RE.search(clause)
        ):
            return None
        owner = turn.speaker or "the author" if first_person else None
    else:
        return None
    owner_keys = set(key_lemmas(owner or ""))
    keys = [k for k in key_lemmas(clause) if k not in GENERIC and k not in owner_keys]
    if len(keys) < 2:
        return None
    return owner, clause, strong, keys


def _follow(
    corpus: Corpus,
    turn: Turn,
    sentence: Sentence,
    owner,
    clause,
    strong,
    keys,
    *,
    done_index,
):
    distinctive = corpus.specific(keys)[:4]
    if not distinctive:
        return None  # only words every document uses: too vague to track
    need = min(2, len(distinctive))
    # The immediate replies in the same meeting are discussion; a later document is follow-up.
    after = (
        min(turn.position + FOLLOW_UP_GAP, corpus.doc_turns[turn.doc].stop - 1)
        if turn.speaker
        else turn.position
    )
    if corpus.find_later(
        distinctive, after=after, min_shared=need, postings=done_index
    ):
        return None
    verb_done = _past_tenses(clause)
    if verb_done and corpus.find_later(
        distinctive,
        after=after,
        min_shared=need,
        predicate=lambda t: bool(verb_done.search(corpus.text(t))),
    ):
        return None
    mention = corpus.find_later(
        distinctive,
        after=after,
        min_shared=need,
        predicate=lambda other: (
            other.doc > turn.doc or other.position > turn.position + 20
        ),
    )
    document = corpus.document(turn)
    later_docs = len(corpus.documents) - turn.doc - 1
    words = ", ".join(surface(sentence.text, distinctive[:3]))
    if mention is None:
        completeness = 1.0
        if later_docs:
            status = f"None of its key words ({words}) come up together again, in this meeting or the {later_docs} after it."
        else:
            status = f"Its key words ({words}) do not come up again; nothing later in the corpus reports on it yet."
    else:
        completeness = 0.5
        status = (
            f"It comes up again in {corpus.label(mention.doc)}"
            f"{' (' + mention.speaker + ')' if mention.speaker else ''}, but nothing says it was done."
        )
    who = owner or "no named owner"
    said_by = f"{turn.speaker} said" if turn.speaker else "The document says"
    dated = bool(DEADLINE_RE.search(sentence.text))
    recency_penalty = 0.75 if not later_docs else 1.0
    confidence = (
        "medium" if completeness == 1 and later_docs and (strong or owner) else "low"
    )
    evidence = [(document.id, quote(document.text, sentence.start, sentence.end))]
    if mention is not None:
        later = corpus.documents[mention.doc]
        evidence.append(
            (later.id, quote(later.text, mention.start, mention.end, max_len=200))
        )
    short = clip(clause, 80)
    return Finding(
        kind="dropped_action",
        title=f"No follow-up on “{short}” ({who})",
        observation=f"{said_by} in {corpus.label(turn.doc)}: “{clip(sentence.text, 160)}”. Owner: {who}. {status}",
        why_it_matters=(
            "A commitment nobody reports back on is either silently done or silently dropped; "
            + (
                "with no named owner, everyone can assume someone else has it."
                if not owner
                else "either way nobody is tracking it."
            )
        ),
        confidence=confidence,
        evidence=evidence,
        score=(
            0.4 + 0.3 * completeness + 0.1 * strong + 0.1 * bool(owner) + 0.1 * dated
        )
        * recency_penalty,
        doc=turn.doc,
        follow_up=f"Who owns “{short}”, and is it done?"
        if not owner
        else f"Did {owner} do “{short}”?",
        dated=dated,
        keys=frozenset(keys),
    )


TRIGGER_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (STRONG_CUE_RE, FIRST_PERSON_RE, GROUP_RE))
    + r"|\[ \]|@[A-Z]|^[A-Za-z][\w-]{1,20} (?:to|will) [a-z]",
    re.IGNORECASE | re.MULTILINE,
)
TRIGGER_CUES = frozenset(
    [
        "@",
        "[",
        "action",
        "actions",
        "todo",
        "to-do",
        "ai",
        "i'll",
        "i’ll",
        "will",
        "shall",
        "i'm",
        "gonna",
        "going",
        "take",
        "need",
        "needs",
        "have",
        "has",
        "must",
        "got",
        "should",
        "let's",
        "let",
        "sure",
        "someone",
        "somebody",
        "we'll",
        "we’ll",
    ]
)
DONE_CUES = CUE_WORDS - TRIGGER_CUES - {"?"} | {"have", "has", "x"}
DONE_TRIGGER_RE = re.compile(f"(?:{DONE_RE.pattern})|\\[[xX]\\]", re.IGNORECASE)

IRREGULAR = {
    "send": "sent",
    "write": "wrote|written",
    "buy": "bought",
    "find": "found",
    "make": "made",
    "bring": "brought",
    "draw": "drew|drawn",
    "get": "got",
    "pay": "paid",
    "build": "built",
    "take": "took|taken",
    "do": "did|done",
}


def _past_tenses(clause: str) -> re.Pattern | None:
    """A pattern for the past tense of the first verb of the clause ("send" → "sent")."""
    match = ACTION_VERB_RE.search(clause)
    if not match:
        return None
    verb = match.group().split()[0].lower()
    forms = IRREGULAR.get(verb, verb.rstrip("e") + "ed")
    return re.compile(rf"\b(?:{forms})\b", re.IGNORECASE)
