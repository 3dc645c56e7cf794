"""Whose words a sentence is, and how it speaks: the author's own claim (asserted or hedged), a denial (negated),
someone else's words (quoted, reported), or a description of a study, of history or of an approved medicine
(described). Only the author's own claims can break a rule; a quotation can still be reported as "quoted: Dr X".

The cues are data (``lexicons/claim_cues.yaml``: negation, reported, speech, speech_that, study, history,
regulatory_context, definition, first_person, hedged, conditional, and the reported and definition patterns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from skinevidence.text.lexicon import Match, lexicon_file
from skinevidence.text.reading import Sentence

QUOTED_SHARE = 0.5          # a sentence mostly inside quotation marks is a quotation
QUOTED_WITH_SPEAKER = 0.25  # less is enough when a speech verb attributes it ("..." says Dr X)
HANGUL = "\uac00"          # the first Hangul syllable: Korean cues start at or after it
#: After a comma, the next item of a list of a few words: ", treat," or ", cure or"
_LIST_ITEM = re.compile(r",\s*[\w'-]+(?:\s+[\w'-]+){0,2}\s*(?:,|\b(?:or|and|nor)\b)")
CLAUSE_END = re.compile(r"[,;:()]|\b(?:but|however|although|though|whereas|while|yet)\b", re.IGNORECASE)
OWN = ("asserted", "hedged")
_NAME = r"((?:Dr\.?|Prof\.?|Professor|Mr\.?|Mrs\.?|Ms\.?)\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
_AFTER_VERB = re.compile(rf"\b(?:says|said|explains|explained|adds|added|notes|noted|tells|told|according to|"
                         rf"recommends|warns|warned|argues|believes|suggests|insists|continues|agrees|confirms|"
                         rf"writes|wrote|advises|cautions|stresses|emphasi[sz]es|mentions)\b[,:]?\s+(?:the\s+|a\s+)?"
                         rf"(?:[a-z-]+\s+){{0,4}}?{_NAME}")
_BEFORE_VERB = re.compile(rf"{_NAME}\s+(?:says|said|explains|explained|adds|added|notes|noted|tells|told|"
                          rf"recommends|warns|argues|believes|suggests|insists|continues|agrees|confirms|writes|"
                          rf"wrote|advises|cautions|stresses|mentions)\b")
_NOT_NAMES = {"The", "This", "That", "It", "They", "We", "You", "He", "She", "Our", "Your", "A", "An", "And", "But"}
#: A speech word used as a noun ("to make such claims", "the United States") attributes nothing.
NOUN_WINDOW = 16            # characters before a speech word in which the word that makes it a noun is sought
_NOUN_BEFORE = re.compile(r"\b(?:such|the|these|those|any|make|makes|making|made|our|its|their|his|her|your|"
                          r"health|marketing|drug|medical|united|no|false|bold|of|many|some|all|similar)\s+$",
                          re.IGNORECASE)


#: Intended-use words that claim (claims/intent.py families): one outside a negation keeps the sentence a claim
_CLAIMING = frozenset({"en.actions", "en.phrases", "en.nominal", "en.self_disease", "en.self_structure",
                       "en.removal_actions", "en.growth_actions", "en.disease_actions", "ko.self_disease"})
#: Speech verbs in their base form report only after a speaker ("experts say"), never as an imperative
_BASE_FORMS = frozenset({"say", "recommend", "explain", "warn", "advise", "argue", "insist", "agree", "emphasise",
                         "emphasize"})
#: Use said to succeed is a claim, not history: "has been used successfully on shingles"
_SUCCESS = re.compile(r"\s+successfully\b", re.IGNORECASE)
#: A first-person speaker right before a speech verb ("we recommend", "our own study found that")
SPEAKER_WINDOW = 30
_FIRST_PERSON_BEFORE = re.compile(r"\b(?:we|i|our|us)\b(?:\s+[\w-]+){0,3}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Stance:
    stance: str                          # asserted | hedged | negated | reported | quoted | described | question
    negated_spans: list[tuple[int, int]]  # offsets in the sentence under negation
    speaker: str | None = None


def negated_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """The words after each negation cue, to the end of its clause (ConText-style scope). A comma inside a list
    does not end the clause: "not intended to diagnose, treat, cure or prevent any disease" denies every item."""
    spans: list[tuple[int, int]] = []
    text = sentence.text
    if not sentence.has("negation"):
        return spans
    claims = sentence.of("not_negation")     # "no more breakouts" claims an effect
    for match in sentence.of("negation"):
        if claims and any(c.start <= match.start < c.end for c in claims):
            continue
        if match.text[0] >= HANGUL:           # Korean denies what comes before it: "치료 효과를 보장하지 않으며"
            starts = [m.end() for m in CLAUSE_END.finditer(text, 0, match.start)]
            spans.append((starts[-1] if starts else 0, match.end))
            continue
        stop = CLAUSE_END.search(text, match.end)
        while stop is not None and stop.group() == "," and _LIST_ITEM.match(text, stop.start()):
            stop = CLAUSE_END.search(text, stop.end())
        spans.append((match.end, stop.start() if stop else len(text)))
    return spans


def speaker(sentence: Sentence, neighbours: list[Sentence]) -> str | None:
    """The person a quotation or report is attributed to, from the sentence or its neighbours in the paragraph."""
    for candidate in (sentence, *neighbours):
        for pattern in (_AFTER_VERB, _BEFORE_VERB):
            for m in pattern.finditer(candidate.text):
                title, name = m.group(1) or "", m.group(2)
                if name.split()[0] not in _NOT_NAMES:
                    return f"{title}{name}".strip()
    return None


def stance_of(sentence: Sentence, core: list[Match], lead: str | None, frame: str | None,
              neighbours: list[Sentence]) -> Stance:
    """The sentence's stance. ``core`` are its effect words (for negation), ``lead`` the stance of the list lead it
    belongs to, ``frame`` the stance that governs its paragraph ("The marketing narrative is compelling: ...")."""
    negated = negated_spans(sentence)
    text = sentence.text.rstrip()
    if text.endswith("?"):
        return Stance("question", negated)
    speaks = sentence.has("speech") and any(_speaks(sentence, m) for m in sentence.of("speech"))
    if sentence.quoted >= QUOTED_SHARE or (speaks and sentence.quoted >= QUOTED_WITH_SPEAKER):
        return Stance("quoted", negated, speaker(sentence, neighbours))
    if core and all(any(a <= m.start < b for a, b in negated) for m in core) and not any(
            m.id in _CLAIMING and not any(a <= m.start < b for a, b in negated) for m in sentence.of("iu")):
        # every effect word denied, and no claiming word outside the denial ("a remedy for cold sores without any
        # side effects" claims the remedy)
        return Stance("negated", negated)
    # what a particular study found is a description of it ("a review suggested that ..."), not a report
    reports = sentence.has("speech_that") and not sentence.has("study") and \
        any(not _own_voice(sentence, m) for m in sentence.of("speech_that"))
    if speaks or reports or sentence.has("reported") or lead == "reported" or frame == "reported" \
            or _matches("reported_patterns", sentence, core):
        return Stance("reported", negated, speaker(sentence, []) if speaks or reports else None)
    leap = sentence.has("preclinical_context") and sentence.has("human_context")   # an animal result for people
    # the seller telling the history of its own product makes the claim its own
    history = [m for m in sentence.of("history") if not _SUCCESS.match(sentence.text, m.end)]
    sellers_history = bool(history) and sentence.has("first_person") and \
        not sentence.has("study", "regulatory_context", "definition")
    defines = sentence.has("definition") or _matches("definition_patterns", sentence, core)
    # a comparison with a prescription medicine is not a description of it ("as strong as prescription retinoids")
    medicine = sentence.has("regulatory_context") and not sentence.has("comparison")
    # an approved medicine or a procedure described, not in the seller's own voice ("our procedure ...")
    third_person = not sentence.has("first_person")
    medicine = medicine or (third_person and not sentence.has("comparison")
                            and _matches("medicine_patterns", sentence, core))
    procedure = sentence.has("procedure") and third_person
    if (sentence.has("study") or history or medicine or defines or procedure) and not leap and not sellers_history \
            or lead == "described":
        return Stance("described", negated)
    if sentence.has("hedged", "conditional") or lead == "hedged":
        return Stance("hedged", negated)
    return Stance("asserted", negated)


def _speaks(sentence: Sentence, match: Match) -> bool:
    """A speech verb that attributes words to someone: not a noun ("such claims"), not part of a claim ("say
    goodbye to wrinkles", "say no to acne"), not the seller's own voice ("we recommend")."""
    if _NOUN_BEFORE.search(sentence.text, max(0, match.start - NOUN_WINDOW), match.start):
        return False
    if match.text.lower() in _BASE_FORMS and not sentence.text[:match.start].strip(" \t\"'“‘*-•"):
        return False   # an imperative ("Say good bye to pain", "Recommend it to a friend") reports nothing
    if any(m.start <= match.start and match.end <= m.end and (m.end - m.start) > (match.end - match.start)
           for m in sentence.of("iu", "not_negation")):
        return False
    return not _own_voice(sentence, match)


def _own_voice(sentence: Sentence, match: Match) -> bool:
    """The speaker is the author or the seller ("we recommend", "our study found that", "I say"): the words are
    theirs, not a report."""
    return _FIRST_PERSON_BEFORE.search(sentence.text, max(0, match.start - SPEAKER_WINDOW), match.start) is not None


@cache
def _pattern(group: str) -> tuple[tuple[str, ...], re.Pattern]:
    """The patterns of a group of claim_cues.yaml as one regular expression, with the literal anchors one of which
    any match contains (a cheap test first)."""
    cues = lexicon_file("claim_cues")
    return tuple(cues["pattern_anchors"][group]), \
        re.compile("|".join(f"(?:{p})" for p in cues[group]), re.IGNORECASE)


def _matches(group: str, sentence: Sentence, core: list[Match]) -> bool:
    """A pattern group matches; only worth asking of a sentence that says something (an effect or a use)."""
    if not (core or sentence.has("iu")):
        return False
    anchors, pattern = _pattern(group)
    lowered = sentence.text.lower()
    return any(a in lowered for a in anchors) and pattern.search(sentence.text) is not None


def frames_paragraph(sentence: Sentence, stance: Stance) -> bool:
    """A report that ends in a colon inside a paragraph ("The marketing narrative is compelling: PDRN is ...")
    governs the rest of the paragraph."""
    if stance.stance != "reported":
        return False
    colon = sentence.text.find(":")
    return 0 < colon < len(sentence.text.rstrip()) - 1
