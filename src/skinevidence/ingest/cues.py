"""Cue phrases read in titles, abstracts, publication types and MeSH headings, and the small extractors built on
them (participants, blinding, I², included studies, the direction guess). Every extractor returns the value and
the words that gave it, so that the classification can say why.

The tables are data: a wrong or missing cue is fixed here, and every test names the behaviour it protects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from skinevidence.evidence.models import REGISTRY_RE, Design, Direction
from skinevidence.ingest import features
from skinevidence.text.lexicon import Lexicon

_I = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, _I)


Value = TypeVar("Value")


@dataclass(frozen=True)
class Hit(Generic[Value]):
    value: Value
    words: str   # the text that matched, as written

    def quoted(self) -> str:
        return f"'{self.words}'"


# Publication types (MEDLINE's own names) ------------------------------------------------------------------------
#: In priority order: the first publication type found decides.
PUBLICATION_TYPE_DESIGNS: tuple[tuple[str, Design], ...] = (
    ("Meta-Analysis", Design.META_ANALYSIS),
    ("Systematic Review", Design.SYSTEMATIC_REVIEW),
    ("Practice Guideline", Design.GUIDELINE),
    ("Guideline", Design.GUIDELINE),
    ("Consensus Development Conference", Design.GUIDELINE),
    ("Consensus Development Conference, NIH", Design.GUIDELINE),
    ("Randomized Controlled Trial", Design.RCT),
    ("Equivalence Trial", Design.RCT),
    ("Controlled Clinical Trial", Design.NON_RANDOMISED_CONTROLLED),
    ("Observational Study", Design.COHORT),
    ("Case Reports", Design.CASE_REPORT),
    ("Review", Design.NARRATIVE_REVIEW),
)
HUMAN_TYPES = frozenset({"Randomized Controlled Trial", "Controlled Clinical Trial", "Case Reports",
                         "Observational Study", "Equivalence Trial", "Clinical Trial", "Clinical Trial, Phase I",
                         "Clinical Trial, Phase II", "Clinical Trial, Phase III", "Clinical Trial, Phase IV",
                         "Pragmatic Clinical Trial", "Adaptive Clinical Trial", "Twin Study"})
NOT_STUDY_TYPES = frozenset({"Comment", "Editorial", "Letter", "News", "Newspaper Article", "Published Erratum",
                             "Retraction of Publication", "Biography", "Interview", "Portrait", "Lecture",
                             "Personal Narrative", "Video-Audio Media", "Expression of Concern"})

# MeSH headings ----------------------------------------------------------------------------------------------------
MESH_ANIMAL = frozenset({"Animals", "Mice", "Rats", "Swine", "Rabbits", "Dogs", "Cats", "Guinea Pigs", "Cattle",
                         "Horses", "Sheep", "Zebrafish", "Mice, Hairless", "Mice, Nude", "Mice, Inbred C57BL",
                         "Mice, Inbred BALB C", "Rats, Sprague-Dawley", "Rats, Wistar", "Swine, Miniature",
                         "Disease Models, Animal", "Cricetinae", "Macaca mulatta"})
MESH_CELLS = frozenset({"Cells, Cultured", "In Vitro Techniques", "Cell Line", "Cell Line, Tumor", "HaCaT Cells",
                        "Organ Culture Techniques", "Tissue Culture Techniques", "Primary Cell Culture"})
MESH_HUMAN = "Humans"
#: Words of MeSH headings (or their starts) that put a record about skin, hair or face.
MESH_SKIN_PREFIXES = ("skin", "dermat", "acne", "alopecia", "hair", "cosmetic", "rosacea", "melanosis", "cicatrix",
                      "keloid", "psoria", "eczema", "rejuvenation", "sunscreen", "keratinocyte", "vitiligo",
                      "cellulite", "hyperpigment", "photoaging", "wrinkl", "face", "facial")


def mesh_about_skin(headings) -> list[str]:
    return [h for h in headings
            if any(word.startswith(MESH_SKIN_PREFIXES) for word in re.split(r"[\s,()-]+", h.lower()))]


# Text cues: phrases, matched in one Aho-Corasick pass (case-insensitive, hyphen = space, whole words) ---------------
def _variants(phrases: str) -> list[str]:
    """One phrase per line or comma; British and American spellings of -ize/-yze words are both added."""
    found = []
    for phrase in re.split(r"[,\n]", phrases):
        phrase = " ".join(phrase.split())
        if phrase:
            found += [phrase, phrase.replace("iz", "is").replace("yz", "ys")]
    return list(dict.fromkeys(found))


_DESIGN_PHRASES = {  # design -> (title phrases, abstract phrases; None = the title's)
    Design.META_ANALYSIS: (
        "meta-analysis, meta-analyses, metaanalysis, meta-analytic, pooled analysis",
        ("this meta-analysis, a meta-analysis, our meta-analysis, the present meta-analysis, systematic review and "
        "meta-analysis, we performed a meta-analysis, we conducted a meta-analysis, we undertook a meta-analysis, "
        "pooled mean, pooled estimate, pooled estimates, pooled analysis, pooled odds ratio, pooled risk ratio, "
        "pooled effect")),
    Design.SYSTEMATIC_REVIEW: (
        "systematic review, systematic literature review",
        ("this systematic review, our systematic review, the present systematic review, we systematically searched, "
        "we systematically reviewed, PRISMA, systematic literature review")),
    Design.GUIDELINE: (
        ("guideline, guidelines, consensus, position statement, position paper, practice parameter, "
        "recommendations of, recommendations from, recommendations for, expert panel"),
        ("these guidelines, this guideline, the present guideline, expert panel, expert consensus, consensus "
        "statement, consensus recommendations, consensus was reached, Delphi")),
    Design.SPLIT_BODY_RCT: (
        ("split-face, split-body, split-scalp, split-neck, split-side, split-axilla, half-side, half-face, hemiface, "
        "hemi-face, intra-individual, intraindividual, left-right, contralateral, within-subject, within-patient, "
        "within-person"), None),
    Design.RCT: ("randomized, randomly assigned, randomly allocated, randomly divided, randomization, RCT", None),
    Design.CASE_REPORT: (
        ("case report, case reports, a case of, case presentation, report of a case, report of one case, report of "
        "two cases, report of a patient, we report a case, we present a case, we describe a case, we report a "
        "patient, we present a patient, we describe a patient, we report a woman, we report a man, we present a "
        "woman, we present a man, we describe a woman, we describe a man, we report an unusual case, we report a "
        "rare case"), None),
    Design.CASE_SERIES: ("case series, consecutive patients, consecutive cases, retrospective chart review", None),
    Design.COHORT: (("cohort, case-control, case control study, population-based study, registry-based, "
                    "retrospective cohort, prospective cohort"), None),
    Design.NON_RANDOMISED_CONTROLLED: (
        ("nonrandomized, non-randomized, not randomized, quasi-randomized, quasi-experimental, placebo-controlled, "
        "vehicle-controlled, sham-controlled, controlled trial, controlled study, controlled clinical trial, "
        "control group"), None),
    Design.SINGLE_ARM: (
        ("open-label, single-arm, single-group, single-center study, single-centre study, uncontrolled, pilot study, "
        "before-and-after, pre- and post-treatment, pre and post treatment, prospective study, prospective trial, "
        "prospective clinical study, prospective evaluation, compared with baseline, compared to baseline, "
        "from baseline"), None),
    Design.NARRATIVE_REVIEW: (
        "review, overview, update on, current concepts, state of the art, perspective, perspectives",
        ("this review, in this review, the present review, our review, a review, narrative review, literature review, "
        "we review, we discuss, we summarize, this article reviews, this article discusses, this article "
        "summarizes")),
}
#: Design cues in priority order: the first design with a cue in the title wins, else the first in the abstract.
DESIGN_ORDER = tuple(_DESIGN_PHRASES)

_PHRASES: dict[tuple[str, str], str] = {
    ("population", "human"): "patients, patient, participants, participant, subjects, volunteers, volunteer, women, "
                             "woman, men, adults, children, individuals, people, persons, females, males, girls, "
                             "boys, adolescents, infants, teenagers, healthy controls",
    ("population", "animal"): "mice, mouse, murine, rat, rats, rabbit, rabbits, guinea pig, guinea pigs, pigs, "
                              "porcine, minipig, minipigs, swine, zebrafish, dogs, canine, cats, feline, horses, "
                              "equine, hamster, hamsters, sheep, ovine, cattle, primates, macaque, macaques, "
                              "monkeys, animal model, animal models",
    ("population", "cells"): "in vitro, ex vivo, cultured, cell line, cell lines, cell culture, cell cultures, HaCaT, "
                             "HDF, HDFs, NHDF, NHDFs, co-culture, coculture, organotypic, reconstructed skin, "
                             "reconstructed human skin, reconstructed epidermis, reconstructed human epidermis, "
                             "skin equivalent, skin equivalents, 3D skin model, fibroblasts were treated, "
                             "keratinocytes were treated, melanocytes were treated, cells were treated, "
                             "cells were incubated, cells were exposed, cells were cultured, fibroblasts were "
                             "cultured, cells were irradiated, fibroblasts were irradiated",
    ("skin", "skin"): "skin, cutaneous, dermal, dermis, dermatology, dermatological, dermatologic, dermatologist, "
                      "dermatologists, epidermis, epidermal, cosmetic, cosmetics, cosmeceutical, cosmeceuticals, acne, "
                      "wrinkle, wrinkles, photoaging, photoageing, photoaged, photo-aging, scalp, alopecia, melasma, "
                      "hyperpigmentation, rosacea, eczema, psoriasis, atopic dermatitis, keratinocyte, keratinocytes, "
                      "sunscreen, sunscreens, sunburn, complexion, sebum, keloid, keloids, striae, stretch marks, "
                      "cellulite, vitiligo, hair loss, hair growth, androgenetic, periorbital, perioral, "
                      "nasolabial, microneedling, dermabrasion, chemical peel, chemical peels, resurfacing, "
                      "rejuvenation, glabellar, crow's feet",
    ("skin", "not"): "epidermal growth factor, epidermal growth factor receptor",  # a longer phrase that is not skin
    ("context", "veterinary"): "veterinary, dog, dogs, canine, puppies, cat, cats, feline, kittens, horse, horses, "
                               "equine, cattle, cow, cows, bovine, calves, sheep, ovine, goat, goats, livestock, "
                               "poultry, pet, pets, companion animals, herd, herds, zoonotic, zoonosis, hedgehog, "
                               "hedgehogs, wildlife",
    ("context", "plant"): "Arabidopsis, Nicotiana, seedlings, photosynthesis, chloroplast, chloroplasts, cultivar, "
                          "cultivars, crop, crops, plant growth, plant development, plant defense, plant defence, "
                          "plant terpenoids, transgenic plants, heterologous expression, metabolic engineering, "
                          "biosynthetic pathway, biosynthetic pathways",
    ("randomised", "no"): "nonrandomized, non-randomized, not randomized, without randomization, quasi-randomized",
    ("randomised", "yes"): "randomized, randomly assigned, randomly allocated, randomly divided, randomization",
    ("blinding", "double"): "double-blind, double-blinded, triple-blind, triple-blinded, double-masked",
    ("blinding", "assessor"): "assessor-blinded, assessor-blind, evaluator-blinded, evaluator-blind, "
                              "observer-blinded, observer-blind, investigator-blinded, investigator-blind, "
                              "rater-blinded, examiner-blinded, blinded assessor, blinded assessors, "
                              "blinded evaluator, blinded evaluators, blinded investigator, blinded investigators, "
                              "blinded rater, blinded raters, blinded observer, blinded observers, blinded "
                              "dermatologist, blinded dermatologists, blinded evaluation, blinded assessment",
    ("blinding", "single"): "single-blind, single-blinded, single-masked",
    ("blinding", "open"): "open-label, unblinded, non-blinded, nonblinded",
    ("comparator", "placebo"): "placebo",
    ("comparator", "vehicle"): "vehicle",
    ("review", "rct"): "randomized controlled trials, randomized clinical trials, randomized trials, "
                       "randomized studies, RCTs",
    ("review", "other"): "observational studies, cohort studies, case-control studies, nonrandomized studies, "
                         "non-randomized studies, uncontrolled studies, case series, case reports, before-and-after "
                         "studies, prospective studies, retrospective studies, observational",
}


def _entries():
    for design, (title, abstract) in _DESIGN_PHRASES.items():
        for phrase in _variants(title):
            yield phrase, "design-title", design.value
        for phrase in _variants(abstract if abstract is not None else title):
            yield phrase, "design-abstract", design.value
    for (kind, ident), phrases in _PHRASES.items():
        for phrase in _variants(phrases):
            yield phrase, kind, ident
    yield from features.entries()


CUE_LEXICON = Lexicon(_entries())


class Scan:
    """Every cue phrase in one text, found in one pass; ask for the first hit of a kind and value."""

    def __init__(self, text: str):
        self.text = text
        self.matches = CUE_LEXICON.find(text, overlapping=True) if text else []
        not_skin = [(m.start, m.end) for m in self.matches if m.kind == "skin" and m.id == "not"]
        if not_skin:  # "epidermal" inside "epidermal growth factor" says nothing about skin
            self.matches = [m for m in self.matches if not (m.kind == "skin" and m.id == "skin" and any(
                a <= m.start and m.end <= b for a, b in not_skin))]

    def words(self, kind: str, ident: str | None = None) -> list[str]:
        return [m.text for m in self.matches if m.kind == kind and (ident is None or m.id == ident)]

    def first(self, kind: str, ident: str) -> str | None:
        return next((m.text for m in self.matches if m.kind == kind and m.id == ident), None)

    def feature_words(self, group: str) -> list[str]:
        """The words of one feature group (phrases and patterns) in this text, as written."""
        return list(dict.fromkeys([*self.words("feature", group), *features.pattern_words(self.text, group)]))


_AGE_CASE = _rx(r"\bwe (?:report|describe|present) (?:a|an) (?:\d{1,3}-year-old|elderly|young|middle-aged)\b")
_SERIES_OF = _rx(r"\b(?:series of|retrospective (?:review|analysis) of) \d+ (?:patients|cases)\b")


def case_cue(text: str) -> tuple[Design, str] | None:
    """The two case designs that need a number in the phrase ("we report a 45-year-old...", "series of 12 cases")."""
    for design, pattern in ((Design.CASE_REPORT, _AGE_CASE), (Design.CASE_SERIES, _SERIES_OF)):
        found = pattern.search(text)
        if found:
            return design, found.group(0)
    return None


REGISTRY_IN_TEXT = re.compile(r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-\w]+\d|IRCT\d+\w*|KCT\d{7}|jRCT\w+|"
                              r"UMIN\d{9}|DRKS\d{8}|TCTR\d{11}|CTRI/\d{4}/\d+/\d+)\b")

_CONCLUSION = _rx(r"\b(?:CONCLUSIONS?(?: AND (?:RELEVANCE|IMPLICATIONS|CLINICAL RELEVANCE))?|INTERPRETATION|"
                  r"SIGNIFICANCE|IMPLICATIONS)\s*:")
DIRECTION_NONE = _rx(r"\bno (?:statistically )?significant (?:differences?|improvements?|changes?|effects?|"
                     r"benefits?|reductions?)\b|\bdid not (?:significantly )?(?:differ|improve|reduce|change|show)\b|"
                     r"\bnot (?:statistically )?significantly (?:different|better|improved)\b|\bno differences?\b|"
                     r"\bcomparable (?:efficacy|results|outcomes|improvement)\b|\bsimilar (?:efficacy|results|"
                     r"outcomes|improvements?)\b|\bnot superior\b|\bno (?:clear|additional|added) (?:benefit|effect)\b|"
                     r"\b(?:was|were) not (?:effective|efficacious)\b|\bfailed to (?:improve|reduce|show)\b")
DIRECTION_HARM = _rx(r"\bsignificantly (?:worse|worsened)\b|\bincreased (?:the )?risk of\b|\bworsen(?:ed|ing)\b|"
                     r"\bharmful\b|\bmore (?:adverse events|side effects)\b")
DIRECTION_BENEFIT = _rx(r"\bsignificant(?:ly)? (?:improv\w*|reduc\w*|decreas\w*|increas\w*|better|superior|lower|"
                        r"higher|greater|faster)\b|\bimprov(?:ed|ement|es) significantly\b|\b(?:is|was|were|are) "
                        r"(?:an? )?(?:effective|efficacious|beneficial|superior)\b|\beffective and (?:safe|well[- ]"
                        r"tolerated)\b|\bsafe and (?:effective|efficacious)\b|\bsignificant (?:clinical )?"
                        r"(?:improvement|reduction|decrease|benefit)\b|\bsuperior to\b|\bimproved\b|\breduced\b")


_NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_NUMBER_WORDS.update({w: 10 * (i + 2) for i, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])})
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_BELOW_100 = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS})"
NUMBER = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a|{_UNITS}) hundred(?:(?: and)? {_BELOW_100})?|{_BELOW_100}|zero)")
PEOPLE = (r"patients|participants|subjects|volunteers|women|men|adults|children|individuals|people|persons|"
          r"females|males|girls|boys|adolescents|infants|teenagers|cases|healthy controls")


def number_value(text: str) -> int | None:
    """'1,234' -> 1234, 'Twenty-five' -> 25, 'a hundred' -> 100."""
    folded = text.lower().replace(",", "").strip()
    if folded.isdigit():
        return int(folded)
    hundreds, _, rest = folded.rpartition("hundred")
    total = 0
    if _:
        hundreds = hundreds.strip()
        total = 100 * (1 if hundreds == "a" else _NUMBER_WORDS.get(hundreds, 0))
        if not total:
            return None
        folded = rest.replace("and", " ").strip()
        if not folded:
            return total
    parts = [p for p in re.split(r"[- ]", folded) if p]
    if parts and all(p in _NUMBER_WORDS for p in parts):
        return total + sum(_NUMBER_WORDS[p] for p in parts)
    return None


# participants ------------------------------------------------------------------------------------------------------
_MODIFIER = r"(?:[A-Za-z][\w'-]*,?\s+){0,3}?"
_NOT_MODIFIERS = frozenset({"of", "per", "in", "mg", "g", "kg", "ml", "years", "year", "weeks", "week", "months",
                            "month", "days", "day", "hours", "times", "sessions", "studies", "trials", "eyes",
                            "and", "or", "to", "with", "from", "at", "than", "were", "was", "had", "vs", "hypothetical",
                            "hundred", "thousand", "million", "billion", "percent",
                            "simulated", "virtual"})
_PEOPLE_NOUN = _rx(rf"\b(?:{PEOPLE})\b")
_COUNT_BEFORE = _rx(rf"(?<![\w.,%/-])({NUMBER})\s+({_MODIFIER})$")  # read back from a noun: cheap
_N_EQUALS = re.compile(r"(?<![\w])[nN]\s*=\s*(\d{1,3}(?:,\d{3})+|\d+)\b(?!\s*(?:%|per\b))")
_ENROLLED = _rx(rf"\b(?:enrolled|recruited|randomi[sz]ed|included|treated)\s+({NUMBER})\b(?!\s*(?:%|mg|g\b|"
                r"weeks?|months?|days?|years?|studies|trials|articles|RCTs|sessions|times))")
_ONE_PERSON = _rx(r"\b(?:a|an|one)\s+(?:\d{1,3}-year-old|elderly|young|middle-aged)?\s*(?:patient|man|woman|boy|"
                  r"girl|child|infant|female|male)\b")
MAX_PARTICIPANTS = 5_000_000


def participant_counts(text: str) -> list[Hit[int]]:
    """Every count of people the text states ("n = 30", "30 patients", "twenty-five healthy women")."""
    hits: list[Hit[int]] = []
    for noun in _PEOPLE_NOUN.finditer(text):
        offset = max(0, noun.start() - 90)
        match = _COUNT_BEFORE.search(text, offset, noun.start())
        if match is None:
            continue
        modifiers = match.group(2).lower().replace(",", "").split()
        if any(word in _NOT_MODIFIERS for word in modifiers):
            continue
        before = text[max(0, match.start() - 8):match.start()].lower()
        value = number_value(match.group(1))
        if value is None or (1900 <= value <= 2100 and re.search(r"\b(?:in|since|from|during|of)\s+$", before)):
            continue
        hits.append(Hit(value, text[match.start():noun.end()]))
    for pattern in (_N_EQUALS, _ENROLLED):
        for match in pattern.finditer(text):
            value = number_value(match.group(1))
            if value is not None:
                hits.append(Hit(value, match.group(0)))
    return [h for h in hits if 1 <= h.value <= MAX_PARTICIPANTS]


def one_person(text: str) -> Hit[int] | None:
    match = _ONE_PERSON.search(text)
    return Hit(1, match.group(0)) if match else None


# reviews --------------------------------------------------------------------------------------------------------------
_STUDY_NOUN = r"(?:studies|trials|RCTs|articles|papers|publications|reports)"
_INCLUDED_A = _rx(rf"(?<![\w.%/-])({NUMBER})\s+(?:[A-Za-z-]+\s+){{0,2}}?{_STUDY_NOUN}\b[^.;]{{0,80}}?\b(?:were "
                  r"included|was included|met (?:the |our )?(?:inclusion|eligibility)|were eligible|were selected|"
                  r"were analy[sz]ed|were reviewed|were identified and included|fulfilled)")
_INCLUDED_B = _rx(rf"\b(?:included|includes|including|identified|analy[sz]ed|reviewed|pooled)\s+({NUMBER})\s+"
                  rf"(?:[A-Za-z-]+\s+){{0,2}}?{_STUDY_NOUN}\b")
_I_SQUARED = re.compile(r"\bI\s*(?:\^\s*2|²|\(2\)|2)\s*(?:=|:|of|was|was equal to)?\s*(\d{1,3}(?:\.\d+)?)\s*%")


def studies_included(text: str) -> Hit[int] | None:
    for pattern in (_INCLUDED_A, _INCLUDED_B):
        match = pattern.search(text)
        if match:
            value = number_value(match.group(1))
            if value:
                return Hit(value, match.group(0))
    return None


def i_squared_values(text: str) -> list[Hit[float]]:
    return [Hit(float(m.group(1)), m.group(0)) for m in _I_SQUARED.finditer(text) if float(m.group(1)) <= 100]


def registry_ids_in(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(1) for m in REGISTRY_IN_TEXT.finditer(text) if REGISTRY_RE.match(m.group(1))))


# the direction guess --------------------------------------------------------------------------------------------------
def conclusion(abstract: str) -> tuple[str, str]:
    """The abstract's conclusion and where it came from: its labelled section, else its last two sentences."""
    match = None
    for match in _CONCLUSION.finditer(abstract):
        pass
    if match is not None:
        return abstract[match.end():].strip(), f"the abstract's '{match.group(0).rstrip(': ')}' section"
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", abstract.strip())
    return " ".join(sentences[-2:]), "the abstract's last sentences (no labelled conclusion)"


def direction_guess(text: str) -> tuple[Direction | None, list[str]]:
    """A guess from conclusion wording: benefit, no-difference, harm, or mixed when cues disagree."""
    found: dict[Direction, list[str]] = {}
    remaining = text
    for direction, pattern in ((Direction.NO_DIFFERENCE, DIRECTION_NONE), (Direction.HARM, DIRECTION_HARM)):
        words = [m.group(0) for m in pattern.finditer(remaining)]
        if words:
            found[direction] = words
            remaining = pattern.sub(" ", remaining)  # "no significant improvement" is not an improvement
    words = [m.group(0) for m in DIRECTION_BENEFIT.finditer(remaining)]
    if words:
        found[Direction.BENEFIT] = words
    if not found:
        return None, []
    quoted = [f"'{w}'" for ws in found.values() for w in dict.fromkeys(ws)]
    if len(found) > 1:
        return Direction.MIXED, quoted
    return next(iter(found)), quoted
