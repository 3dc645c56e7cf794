"""The one table of GRADE informative statements and the certainty scale. Reports, ``ask`` and the claim checker
all word their verdicts from here.

Wording follows GRADE's informative statements (Santesso et al., J Clin Epidemiol 2020): the certainty sets the
verb ("improves", "probably improves", "may improve", "we are uncertain whether ... improves").
"""

from __future__ import annotations

from enum import StrEnum

from skinevidence.evidence.models import Direction, Route


class Certainty(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very low"
    PRECLINICAL_ONLY = "preclinical only"
    NO_EVIDENCE = "no evidence"

    @property
    def rank(self) -> int:
        """4 (high) down to 1 (very low); 0 for preclinical only; -1 for no evidence."""
        return _RANKS[self]

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def is_human(self) -> bool:
        return self.rank >= 1

    @classmethod
    def from_rank(cls, rank: int) -> Certainty:
        return {4: cls.HIGH, 3: cls.MODERATE, 2: cls.LOW, 1: cls.VERY_LOW}[max(1, min(4, rank))]


_RANKS = {Certainty.HIGH: 4, Certainty.MODERATE: 3, Certainty.LOW: 2, Certainty.VERY_LOW: 1,
          Certainty.PRECLINICAL_ONLY: 0, Certainty.NO_EVIDENCE: -1}
_SYMBOLS = {Certainty.HIGH: "⊕⊕⊕⊕", Certainty.MODERATE: "⊕⊕⊕◯", Certainty.LOW: "⊕⊕◯◯", Certainty.VERY_LOW: "⊕◯◯◯",
            Certainty.PRECLINICAL_ONLY: "lab/animal", Certainty.NO_EVIDENCE: "none"}

MEANING = {
    Certainty.HIGH: "We are very confident that the true effect is close to what the studies found.",
    Certainty.MODERATE: "The true effect is probably close to what the studies found, but could be substantially "
                        "different.",
    Certainty.LOW: "Our confidence is limited: the true effect may be substantially different.",
    Certainty.VERY_LOW: "We have very little confidence: the true effect is likely to be substantially different.",
    Certainty.PRECLINICAL_ONLY: "Only cell or animal studies: nothing is known about the effect in people.",
    Certainty.NO_EVIDENCE: "No studies were found in the evidence base.",
}

ROUTE_PHRASES = {
    Route.TOPICAL: "applied to the skin",
    Route.AFTER_MICRONEEDLING: "applied with microneedling",
    Route.AFTER_LASER: "applied after a laser treatment",
    Route.AFTER_RF_MICRONEEDLING: "applied after RF microneedling",
    Route.INJECTION: "injected",
    Route.ORAL: "taken by mouth",
    Route.PROCEDURE: "",
    Route.MIXED: "(several routes pooled)",
    Route.NOT_REPORTED: "(route not reported)",
    Route.LABORATORY: "in the laboratory",
}

# (certainty, direction) -> template. {i} intervention (with route), {o} outcome, {v} verb ("improves" /
# "increases" for harms), {v0} its bare form ("improve" / "increase").
STATEMENTS: dict[tuple[Certainty, Direction], str] = {
    (Certainty.HIGH, Direction.BENEFIT): "{I} {v} {o}.",
    (Certainty.MODERATE, Direction.BENEFIT): "{I} probably {v} {o}.",
    (Certainty.LOW, Direction.BENEFIT): "{I} may {v0} {o}.",
    (Certainty.VERY_LOW, Direction.BENEFIT): "We are uncertain whether {i} {v} {o}: the evidence is very uncertain.",
    (Certainty.HIGH, Direction.NO_DIFFERENCE): "{I} makes little or no difference to {o}.",
    (Certainty.MODERATE, Direction.NO_DIFFERENCE): "{I} probably makes little or no difference to {o}.",
    (Certainty.LOW, Direction.NO_DIFFERENCE): "{I} may make little or no difference to {o}.",
    (Certainty.VERY_LOW, Direction.NO_DIFFERENCE): "We are uncertain whether {i} makes any difference to {o}.",
    (Certainty.HIGH, Direction.HARM): "{I} {w} {o}.",
    (Certainty.MODERATE, Direction.HARM): "{I} probably {w} {o}.",
    (Certainty.LOW, Direction.HARM): "{I} may {w0} {o}.",
    (Certainty.VERY_LOW, Direction.HARM): "We are uncertain whether {i} {w} {o}: the evidence is very uncertain.",
    (Certainty.HIGH, Direction.MIXED): "Studies of {i} disagree on {o}; the evidence is of high certainty overall.",
    (Certainty.MODERATE, Direction.MIXED): "Studies of {i} disagree on {o}: it probably helps some and not others.",
    (Certainty.LOW, Direction.MIXED): "Studies of {i} disagree on {o}: it may or may not help.",
    (Certainty.VERY_LOW, Direction.MIXED): "We are uncertain whether {i} affects {o}: the few studies disagree.",
}
HARMS_DISAGREE = ("Evidence on {o} with {i} is mixed: the studies used to rate found none beyond the comparison, "
                  "but other studies or case reports describe harms (see Safety).")
PRECLINICAL_STATEMENT = ("No study in people: only cell or animal work suggests that {i} may affect {o}. "
                         "That is not evidence of a visible effect on skin.")
NO_EVIDENCE_STATEMENT = "No study in the evidence base looks at whether {i} affects {o}."


def subject(intervention_name: str, route: Route | None) -> str:
    phrase = ROUTE_PHRASES.get(route, "") if route else ""
    return f"{intervention_name} {phrase}".strip()


def statement(certainty: Certainty, direction: Direction | None, intervention_name: str, outcome_name: str,
              route: Route | None = None, harm_outcome: bool = False, plural: bool = False) -> str:
    """The GRADE informative statement for one intervention x outcome x route."""
    i = subject(_lower_first(intervention_name), route)
    o = _lower_first(outcome_name)
    if certainty is Certainty.PRECLINICAL_ONLY:
        return PRECLINICAL_STATEMENT.format(i=i, o=o)
    if certainty is Certainty.NO_EVIDENCE:
        return NO_EVIDENCE_STATEMENT.format(i=i, o=o)
    direction = direction or Direction.MIXED
    template = HARMS_DISAGREE if harm_outcome and direction is Direction.MIXED else STATEMENTS[(certainty, direction)]
    verb0, worse0 = ("increase", "increase") if harm_outcome else ("improve", "worsen")
    verb, worse = (verb0, worse0) if plural else (verb0 + "s", worse0 + "s")
    if plural:
        template = template.replace(" makes ", " make ")
    return template.format(i=i, I=_upper_first(i), o=o, v=verb, v0=verb0, w=worse, w0=worse0)


def _lower_first(name: str) -> str:
    """'Tretinoin' -> 'tretinoin' but 'PRP' stays 'PRP'."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


#: The same judgements in a few words, for one-screen summaries where the intervention and outcome are already
#: named ("hair loss, at home: low certainty, may help").
SHORT_STATEMENTS: dict[tuple[Certainty, Direction], str] = {
    (Certainty.HIGH, Direction.BENEFIT): "helps",
    (Certainty.MODERATE, Direction.BENEFIT): "probably helps",
    (Certainty.LOW, Direction.BENEFIT): "may help",
    (Certainty.VERY_LOW, Direction.BENEFIT): "too uncertain to say whether it helps",
    (Certainty.HIGH, Direction.NO_DIFFERENCE): "makes little or no difference",
    (Certainty.MODERATE, Direction.NO_DIFFERENCE): "probably makes little or no difference",
    (Certainty.LOW, Direction.NO_DIFFERENCE): "may make little or no difference",
    (Certainty.VERY_LOW, Direction.NO_DIFFERENCE): "too uncertain to say whether it makes a difference",
    (Certainty.HIGH, Direction.HARM): "makes it worse",
    (Certainty.MODERATE, Direction.HARM): "probably makes it worse",
    (Certainty.LOW, Direction.HARM): "may make it worse",
    (Certainty.VERY_LOW, Direction.HARM): "too uncertain to say whether it makes it worse",
}


def short_statement(certainty: Certainty, direction: Direction | None) -> str:
    """'low certainty, may help': certainty and what it shows, in a few words (studies that disagree: "studies
    disagree"; no human study: "no study in people")."""
    if not certainty.is_human:
        return "no study in people"
    words = SHORT_STATEMENTS.get((certainty, direction or Direction.MIXED), "studies disagree")
    return f"{certainty.value} certainty, {words}"
