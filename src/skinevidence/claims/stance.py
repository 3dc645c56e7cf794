"""Whose words a sentence is, and how it speaks: the author's own claim (asserted or hedged), a denial (negated),
someone else's words (quoted, reported), or a description of a study, of history or of an approved medicine
(described). Only the author's own claims can break a rule; a quotation can still be reported as "quoted: Dr X".

The cues are data (``lexicons/claim_cues.yaml``: negation, reported, speech, speech_that, study, history,
regulatory_context, hedged, conditional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skinevidence.text.lexicon import Match
from skinevidence.text.reading import Sentence

QUOTED_SHARE = 0.5          # a sentence mostly inside quotation marks is a quotation
QUOTED_WITH_SPEAKER = 0.25  # less is enough when a speech verb attributes it ("..." says Dr X)
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


@dataclass(frozen=True)
class Stance:
    stance: str                          # asserted | hedged | negated | reported | quoted | described | question
    negated_spans: list[tuple[int, int]]  # offsets in the sentence under negation
    speaker: str | None = None


def negated_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """The words after each negation cue, to the end of its clause (ConText-style scope)."""
    spans = []
    for match in sentence.of("negation"):
        stop = CLAUSE_END.search(sentence.text, match.end)
        spans.append((match.end, stop.start() if stop else len(sentence.text)))
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
    speaks = sentence.has("speech")
    if sentence.quoted >= QUOTED_SHARE or (speaks and sentence.quoted >= QUOTED_WITH_SPEAKER):
        return Stance("quoted", negated, speaker(sentence, neighbours))
    if core and all(any(a <= m.start < b for a, b in negated) for m in core):
        return Stance("negated", negated)
    if speaks or sentence.has("reported", "speech_that") or lead == "reported" or frame == "reported":
        return Stance("reported", negated, speaker(sentence, []) if speaks or sentence.has("speech_that") else None)
    leap = sentence.has("preclinical_context") and sentence.has("human_context")   # an animal result for people
    if (sentence.has("study", "history", "regulatory_context") and not leap) or lead == "described":
        return Stance("described", negated)
    if sentence.has("hedged", "conditional") or lead == "hedged":
        return Stance("hedged", negated)
    return Stance("asserted", negated)


def frames_paragraph(sentence: Sentence, stance: Stance) -> bool:
    """A report that ends in a colon inside a paragraph ("The marketing narrative is compelling: PDRN is ...")
    governs the rest of the paragraph."""
    if stance.stance != "reported":
        return False
    colon = sentence.text.find(":")
    return 0 < colon < len(sentence.text.rstrip()) - 1
