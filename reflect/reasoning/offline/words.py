"""Crude, fast, deterministic word handling: tokens, stopwords and lemmas.

Lemmas are internal keys only (they are never shown): "prices", "priced" and "price" all
become "pric". Surface forms for display are taken from the text itself.
"""

import re
from functools import lru_cache

TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*|[.!?;:@\[]")

# Words whose presence makes a turn worth a closer (regex) look by one of the detectors; the
# corpus records which of them each turn has, so detectors skip most turns without a regex.
CUE_WORDS = frozenset(
    """
    ? @ [ action actions todo to-do ai i'll i’ll will shall i'm gonna going take need
    needs have has must got should let's let sure someone somebody we'll we’ll risk
    risks risky concern concerns concerned worried worry worrying deadline deadlines
    expires expiry expired expiring blocker blockers blocked blocking danger dangerous
    afraid overdue budget expensive won't work doesn't delay delayed fail failure
    liability penalty shortage bottleneck problem problems issue trouble afford cannot
    done finished completed complete sent did fixed resolved closed merged landed booked
    ordered submitted delivered checked emailed e-mailed wrote written signed paid
    confirmed renewed scheduled contacted posted shipped released sorted arranged been x
    euro euros eur dollar dollars usd pound pounds gbp quid percent cent
    """.split()
)

# Function words, fillers of spoken English, meeting mechanics and transcript markup.
STOPWORDS = frozenset(
    """
    a about above across actually after again against ago ah ahead all almost along
    already also although always am among an and another any anybody anyone anything
    anyway anyways are aren't around as ask asked at aw away awesome back bad basically
    be became because become been before being below beside best better between beyond
    big bit both brief but by can can't cannot certainly come comes coming could
    couldn't course cos cause definitely did didn't do does doesn't doing don't done
    down during each eh eight either else em end enough er erm especially etc even ever
    every everybody everyone everything exactly example fact fairly far few fifth fine
    first five for four from further gap generally get gets getting give given go goes
    going gone gonna good got gotta great guess guys had hadn't half happen happens has
    hasn't have haven't having he he'd he'll he's hello her here here's hers herself hey
    hi him himself his hm hmm hmmm how however huh i i'd i'll i'm i've idea if in indeed
    instead into is isn't it it'd it'll it's its itself just keep kind kinda know known
    last later least less let let's like likely little lot look lots mah main make makes
    making many may maybe me mean means meant might mind mine minute mm mm-hmm mmm more
    most mostly much must mustn't my myself namely need needs needed never new next nice
    nine no nobody none nope nor not nothing now of off oh ok okay on once one ones only
    onto or other others otherwise ought our ours ourselves out over own part particular
    perhaps point possible possibly pretty probably put quite rather really right said
    same say saying says second see seem seemed seems seen seven several shall she she'd
    she'll she's should shouldn't show since six so some somebody someone something
    sometimes somewhat sort start stuff such suppose supposed sure take taken talk
    talking tell ten than thank thanks that that'd that'll that's the their theirs them
    themselves then there there'd there'll there's these they they'd they'll they're
    they've thing things think thinking third this those though thought three through
    thus time times to today together too took toward towards tried true try trying
    twenty two uh uh-huh um under unless until up upon us use used using usual usually
    very via want wanted wants was wasn't way ways we we'd we'll we're we've well went
    were weren't what what's whatever when where where's whether which while who who's
    whole whom whose why will with within without won't wonder work would wouldn't wow
    yeah yep yes yet you you'd you'll you're you've your yours yourself yourselves
    vocalsound disfmarker nonvocalsound pause laugh laughter inaudible crosstalk am pm
    mr mrs ms dr
    """.split()
)

NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
    seventy eighty ninety hundred thousand million billion
    """.split()
)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str | None:
    """The crude lemma of a lowercase token, or None for stopwords and non-words."""
    word = word.replace("’", "'")
    if word in STOPWORDS or word in NUMBER_WORDS or not word[0].isalpha():
        return None
    if word.endswith("'s"):
        word = word[:-2]
    if "'" in word or len(word) < 3:
        return None
    stem = word
    if stem.endswith("ies") and len(stem) > 4:
        stem = stem[:-3] + "y"
    elif stem.endswith("ing") and len(stem) > 5:
        stem = stem[:-3]
    elif (
        stem.endswith("ed")
        and len(stem) > 4
        or stem.endswith("es")
        and len(stem) > 4
        and stem[-3] in "sxz"
    ):
        stem = stem[:-2]
    elif stem.endswith("s") and not stem.endswith(("ss", "us", "is")) and len(stem) > 3:
        stem = stem[:-1]
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        stem = stem[:-1]
    if stem.endswith("e") and len(stem) > 3:
        stem = stem[:-1]
    if stem in STOPWORDS:
        return None
    return stem


def tokens(text: str) -> list[str]:
    """Lowercase word, number and sentence-punctuation tokens."""
    return TOKEN_RE.findall(text.lower())


def content_lemmas(text: str) -> list[str]:
    """Lemmas of the content words of `text`, in order, repeats kept."""
    out = []
    for token in TOKEN_RE.findall(text.lower()):
        stem = lemma(token)
        if stem is not None:
            out.append(stem)
    return out


def key_lemmas(text: str) -> list[str]:
    """Distinct content lemmas of `text` in first-seen order."""
    return list(dict.fromkeys(content_lemmas(text)))


def surface(text: str, lemmas) -> list[str]:
    """How each lemma is written in `text` (its first occurrence), for display."""
    wanted = list(lemmas)
    found: dict[str, str] = {}
    for token in TOKEN_RE.findall(text):
        stem = lemma(token.lower())
        if stem in wanted and stem not in found:
            found[stem] = token
    return [found.get(stem, stem) for stem in wanted]
