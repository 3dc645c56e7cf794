"""Claim checking: every sentence of a text read once, two judgements kept apart.

1. **Intended use** (``claims/intent.py``, rules ``match: intended-use``): does the sentence, in the author's own
   words, claim to treat a disease or to act on the body's structure or function? It applies whatever the subject,
   known or not.
2. **Evidence**: only a sentence that claims an effect on an outcome gets a verdict, against the grade of its
   subject (the intervention it names; else the one it refers back to; else the product or the text's topic). A
   subject the evidence base does not know is named as such, never replaced by another intervention.

Sentences that are someone else's words (quoted, reported), descriptions of a study, of history or of an approved
medicine, questions, popularity and definitions get no verdict of their own. The method is in ``docs/claims.md``.

:func:`check_text` is the public entry point; :func:`check_document` checks a text already read (the audit and the
product check read a text once and pass it on).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel

from skinevidence.claims import intent
from skinevidence.claims.reading import text_reader
from skinevidence.claims.rules import (
    Flag,
    evidence_flags,
    phrase_flags,
    regulated_phrase,
    rules_by_id,
    use_flags,
)
from skinevidence.claims.stance import OWN, Stance, frames_paragraph, stance_of
from skinevidence.claims.subject import (
    Mention,
    Topic,
    excluded,
    first_subject,
    form_mentions,
    known_mentions,
    lead_end,
    mentions_by_sentence,
    topic_of,
    unknown_counts,
)
from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import Direction, Route
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import Grade, grade, is_human
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest
from skinevidence.text.lexicon import Match, lexicon_file, longest
from skinevidence.text.mapping import map_text
from skinevidence.text.reading import Document, Sentence

ENTITY_KINDS = frozenset({"intervention", "outcome", "route"})
CORE_KINDS = ("efficacy", "efficacy_generic", "outcome", "proven", "superlative", "safety")
SHORT_COPY = 2000        # characters: a text this short, dominated by one intervention, is copy about it
DOMINANT_SHARE = 0.6     # share of intervention mentions that makes one intervention the text's subject
#: The certainty rank a claim of each strength needs (4 high, 3 moderate, 2 low, 1 very low; docs/claims.md).
REQUIRED = {"proven": 3, "quantified": 3, "superlative": 3, "assertive": 2, "hedged": 1}
VERDICTS = ("supported", "overstated", "preclinical only", "no evidence", "contradicted")
SEVERITY = {"supported": 0, "no evidence": 1, "preclinical only": 2, "overstated": 3, "contradicted": 4}
_DIGIT = re.compile(r"\d")   # every quantity pattern needs a digit
_WEEKS = {"hour": 1 / 168, "day": 1 / 7, "week": 1, "month": 52 / 12}
_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)(?:\s?(?:-|–|to)\s?\d+(?:[.,]\d+)?)?\s*(hour|day|week|month)", re.IGNORECASE)
_NO_VERDICT = {
    "reported": "No verdict of its own: the sentence reports what someone else says.",
    "quoted": "No verdict of its own: the sentence quotes someone.",
    "described": "No verdict of its own: the sentence describes a study, history or an approved medicine.",
}


class ClaimEvidence(BaseModel):
    intervention: str
    outcome: str | None
    route: Route | None
    certainty: Certainty
    direction: Direction | None
    statement: str
    ocebm_level: int | None
    studies: list[str]


class Claim(BaseModel):
    text: str
    start: int
    end: int
    interventions: list[str]
    outcomes: list[str]
    route: Route | None
    route_stated: bool
    strength: str
    strength_words: list[str]
    quantities: list[str]
    stance: str
    verdict: str | None
    grade: str | None
    evidence: ClaimEvidence | None
    reasons: list[str]
    flags: list[Flag]
    hype: list[str]
    overclaim: bool
    effect: bool = True                    # the sentence claims an effect (false: only a regulated wording)
    subject: str | None = None             # what the claim is about, as named (an intervention id or an unknown name)
    subject_known: bool | None = None      # false when the evidence base does not know the subject
    subject_from: str | None = None        # named | list lead | refers back | product | topic
    speaker: str | None = None             # who is quoted or reported, when the text says


class ClaimCheck(BaseModel):
    source: str
    subject: list[str]
    characters: int
    sentences: int
    claims: list[Claim]
    verdicts: dict[str, int]
    overclaims: int
    flags_by_jurisdiction: dict[str, int]
    names: dict[str, str]
    references: list[Reference]
    topic: str | None = None               # the text's topic as named (an intervention's name or an unknown name)
    topic_known: bool | None = None
    unknown_topics: list[str] = []         # names the text is about that the evidence base does not know


@cache
def _quantity_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in lexicon_file("claim_cues")["quantity_patterns"])


def check_text(catalog: Catalog, text: str, source: str = "text", subject: list[str] | None = None,
               jurisdictions: set[str] | None = None, product_copy: bool = False,
               unknown_subject: str | None = None) -> ClaimCheck:
    """Every claim in ``text``, judged. ``subject`` names the interventions a claim without one speaks of (a
    product's headline ingredient); ``unknown_subject`` names it when the evidence base does not know it. By default
    the subject is the text's topic. In ``product_copy`` (a product's own claims) every sentence that names no
    intervention is about the subject."""
    checked = CheckStream(catalog, text, text_reader(catalog, _not_empty(text)), source, subject, jurisdictions,
                          product_copy, unknown_subject)
    return checked.result(list(checked.claims()))


def _not_empty(text: str) -> str:
    if not text.strip():
        raise InputError("the text is empty: there is nothing to check")
    return text


@dataclass
class _State:
    """What a text carries from one sentence to the next."""

    topic: Topic | None
    unknown: dict[int, list[Mention]]   # unknown names by sentence index
    product_copy: bool
    lead: _Reading | None = None
    lead_actions: list[Match] = field(default_factory=list)
    frame: tuple[int, str] | None = None          # (paragraph, stance) of a governing report
    previous: tuple[int, str, bool] | None = None  # (paragraph, subject, known) of the last sentence with a subject
    condition: int | None = None                   # paragraph of the sentence before, when it named a condition


def check_document(catalog: Catalog, document: Document, source: str = "text", subject: list[str] | None = None,
                   jurisdictions: set[str] | None = None, product_copy: bool = False,
                   unknown_subject: str | None = None) -> ClaimCheck:
    """Check a text already read (:func:`skinevidence.claims.reading.read_text`)."""
    checked = CheckStream(catalog, document.text, lambda: [document], source, subject, jurisdictions, product_copy,
                          unknown_subject)
    return checked.result(list(checked.claims()))


class CheckStream:
    """A text checked block by block, in two passes over its blocks (``documents`` gives them, each time it is
    called): the first counts what the whole text is about (its topic, the unknown names it repeats, its
    sentences), the second judges each sentence with the state carried from the one before, as the text read whole
    would. Only one block and its claims are held at a time; :meth:`result` sums up what was judged."""

    def __init__(self, catalog: Catalog, text: str, documents: Callable[[], Iterable[Document]], source: str = "text",
                 subject: list[str] | None = None, jurisdictions: set[str] | None = None, product_copy: bool = False,
                 unknown_subject: str | None = None):
        self.catalog, self.text, self._documents, self._jurisdictions = catalog, text, documents, jurisdictions
        lead = lead_end(text)
        short = len(text) <= SHORT_COPY
        forms: list[tuple[int, str]] = []
        known: Counter[str] = Counter()
        mentions: list[str] = []
        sentences = 0
        for document in documents():
            forms += form_mentions(document)
            known.update(known_mentions(document, lead))
            sentences += len(document.sentences)
            if short:
                mentions += [m.id for s in document.sentences for m in s.matches if m.kind == "intervention"]
        counts, self._occurrences = unknown_counts(catalog, text, forms)
        self._named = frozenset(counts)
        if unknown_subject:
            counts[unknown_subject.lower()] += 1
        if subject:
            main: Topic | None = Topic(catalog.interventions[subject[0]].name, subject[0], 0)
        elif unknown_subject:
            main = Topic(unknown_subject, None, 0)
        else:
            main = topic_of(catalog, known, counts)
        dominant = main is not None and main.intervention is not None and bool(mentions) and \
            mentions.count(main.intervention) >= DOMINANT_SHARE * len(mentions)
        # A short text dominated by one intervention is copy about it (a product page, an advert, a label).
        unknown_only = main is not None and main.intervention is None and not mentions
        self.topic = main
        self._state = _State(main, {}, product_copy or (short and (dominant or unknown_only)))
        self.head = {"source": source,
                     "subject": [main.intervention] if main and main.intervention else (subject or []),
                     "characters": len(text), "sentences": sentences}
        self._verdicts: Counter[str] = Counter()
        self._flags: Counter[str] = Counter()
        self._refs: dict[str, None] = {}
        self._overclaims = 0
        self._unknown = [main.name] if main is not None and main.intervention is None else []

    def blocks(self) -> Iterator[tuple[Document, list[Claim]]]:
        """Each block of the text with the claims found in it, in order (the second pass)."""
        state = self._state
        for document in self._documents():
            state.unknown = mentions_by_sentence(document, self._named, self._occurrences)
            claims: list[Claim] = []
            sentences = document.sentences
            for i, sentence in enumerate(sentences):
                neighbours = [s for s in sentences[max(0, i - 1):i + 2] if s is not sentence
                              and s.paragraph == sentence.paragraph]
                reading = _read(self.catalog, sentence, state, neighbours)
                if reading is not None and (reading.is_claim or reading.uses):
                    claim = _judge(self.catalog, reading, sentence, self._jurisdictions)
                    if reading.effect or claim.flags:
                        claims.append(claim)
                        self._note(claim)
                _advance(state, sentence, reading)
            yield document, claims

    def claims(self) -> Iterator[Claim]:
        for _, claims in self.blocks():
            yield from claims

    def _note(self, claim: Claim) -> None:
        if claim.verdict:
            self._verdicts[claim.verdict] += 1
        if claim.evidence:
            self._refs.update(dict.fromkeys(claim.evidence.studies))
        self._overclaims += claim.overclaim
        self._flags.update(f.jurisdiction for f in claim.flags)
        if claim.subject_known is False and claim.subject and claim.subject not in self._unknown:
            self._unknown.append(claim.subject)

    def fields(self) -> dict:
        """Every field of the :class:`ClaimCheck` but its claims, once the claims have all been read."""
        main, catalog = self.topic, self.catalog
        return {**self.head, "verdicts": {v: self._verdicts.get(v, 0) for v in VERDICTS},
                "overclaims": self._overclaims, "flags_by_jurisdiction": dict(self._flags),
                "names": {**{i.id: i.name for i in catalog.interventions.values()},
                          **{o.id: o.name for o in catalog.outcomes.values()}},
                "references": references_for_ids(catalog, list(self._refs)),
                "topic": main.name if main else None,
                "topic_known": None if main is None else main.intervention is not None,
                "unknown_topics": list(self._unknown)}

    def result(self, claims: list[Claim]) -> ClaimCheck:
        return ClaimCheck(**{**self.fields(), "claims": claims})


def _advance(state: _State, sentence: Sentence, reading: _Reading | None) -> None:
    if reading is not None and reading.subject is not None:
        state.previous = (sentence.paragraph, reading.subject, reading.subject_known is not False)
    state.condition = sentence.paragraph if intent.names_condition(sentence) else None
    ends_with_colon = sentence.text.rstrip().endswith(":")
    if ends_with_colon and reading is not None:
        state.lead, state.lead_actions = reading, intent.lead_actions(sentence)
    elif not (state.lead is not None and _is_list_item(sentence.text)):
        state.lead, state.lead_actions = None, []
    if reading is not None and frames_paragraph(sentence, reading.stance_info):
        state.frame = (sentence.paragraph, reading.stance)
    elif state.frame is not None and state.frame[0] != sentence.paragraph:
        state.frame = None


@dataclass(slots=True)
class _Reading:
    """What one sentence says, before it is judged."""

    text: str
    interventions: list[str]
    subject: str | None
    subject_known: bool | None
    subject_from: str | None
    outcomes: list[str]
    route: Route | None
    strength: str
    strength_words: list[str]
    quantities: list[str]
    stance: str
    stance_info: Stance
    speaker: str | None
    effect: bool
    safety: bool
    preclinical_context: bool
    human_context: bool
    off_topic: bool
    hype: list[str]
    uses: list[intent.Use]
    compared: list[str]
    matches: list[Match]
    is_claim: bool


def _read(catalog: Catalog, sentence: Sentence, state: _State, neighbours: list[Sentence]) -> _Reading | None:
    found = sentence.matches
    has = sentence.has
    entities = longest([m for m in found if m.kind in ENTITY_KINDS])
    lead = state.lead
    core = [m for m in found if m.kind in CORE_KINDS]
    frame = state.frame[1] if state.frame and state.frame[0] == sentence.paragraph else None
    stance = stance_of(sentence, core, lead.stance if lead is not None else None, frame, neighbours)
    if stance.stance == "question":
        return None  # a question is not a claim
    negated = stance.negated_spans
    text = sentence.text
    mentions = [m for m in entities if m.kind == "intervention"]
    quantities = [q.group(0).strip() for p in _quantity_patterns() for q in p.finditer(text)
                  if not _is_concentration(q, mentions)] if _DIGIT.search(text) else []

    def under_negation(m: Match) -> bool:
        return any(a <= m.start < b for a, b in negated)

    effect_outside = any(not under_negation(m) for m in core)
    # A mention inside a negated, compared or "contains" clause is not what the sentence speaks of.
    # "replaces vitamin C and retinol": the interventions a comparison names are what the subject is measured against
    against = [m for m in entities if m.kind == "intervention" and has("comparison") and _after_comparison(found, m)]
    compared = list(dict.fromkeys(m.id for m in against))
    mapped = [m for m in entities if not (m.kind == "intervention" and (
        (effect_outside and under_negation(m)) or excluded(text, m.start, m.end) or m in against))]
    mapping = map_text(catalog, text, mapped)
    safety_claim = has("safety")
    outcomes = [o for o in mapping.outcomes if safety_claim or not catalog.outcomes[o].harm]
    if safety_claim:
        outcomes.append(next(o.id for o in catalog.outcomes.values() if o.harm))
    # the sentence's own subject: the first mention, known or not, that is not negated, compared or contained
    known_spans = [(m.start, m.end, m.id) for m in mapped if m.kind == "intervention"
                   and m.id in mapping.interventions]
    own = first_subject(sentence, known_spans, state.unknown.get(sentence.index, []))
    interventions = mapping.interventions
    subject, known, source = None, None, None
    if own is not None and own.intervention is None:
        subject, known, source, interventions = own.name, False, "named", []
    elif interventions:
        subject, known, source = interventions[0], True, "named"
    route_spans = {(m.start, m.end) for m in mapped if m.kind == "route"}
    only_procedures = bool(interventions) and all(
        (m.start, m.end) in route_spans for m in mapped if m.kind == "intervention")
    refers = has("refers_back") or _is_heading(text)
    inherit = _inherited(state, sentence, lead, refers)
    if only_procedures and inherit is not None and inherit[1] and inherit[0] not in interventions:
        # "... especially when used with microneedling": the procedures are how the subject is given
        interventions = []
        mapping.route = Route(next(m.id for m in mapped if m.kind == "route"))
        subject = None
    if subject is None and inherit is not None:
        subject, known, source = inherit[0], inherit[1], inherit[2]
        if known:
            interventions = [subject] if lead is None or not lead.interventions else lead.interventions
    strength_words = [m.text for m in found if m.kind in ("proven", "superlative", "hedged")]
    if has("proven"):
        strength = "proven"
    elif quantities:
        strength = "quantified"
    elif has("superlative"):
        strength = "superlative"
    elif stance.stance == "hedged":
        strength = "hedged"
    else:
        strength = "assertive"
    effect = bool(has("efficacy") or has("proven") or has("superlative") or quantities or safety_claim
                  or (has("efficacy_generic") and (outcomes or has("proven") or has("superlative")))
                  or (lead is not None and lead.effect and bool(outcomes)))  # "benefits, including: firmer skin"
    if has("popularity") and not outcomes:
        effect = False  # "snail mucin has become popular", "the market will grow": popularity claims no effect
    effect = effect or bool(compared)
    uses = intent.uses(sentence, negated, state.lead_actions, state.condition == sentence.paragraph) \
        if stance.stance in OWN else []
    topic_words = bool(outcomes) or bool(compared) or (source == "named" and bool(
        has("efficacy") or has("proven") or has("superlative")))
    is_claim = (effect and topic_words and (subject is not None or strength in ("proven", "quantified",
                                                                                  "superlative")
                                            or stance.stance in ("quoted", "reported"))) \
        or regulated_phrase(found)
    return _Reading(
        text=text, interventions=interventions, subject=subject, subject_known=known, subject_from=source,
        outcomes=outcomes, effect=effect, route=mapping.route if has("route") else None, strength=strength,
        strength_words=strength_words, quantities=quantities, stance=stance.stance, stance_info=stance,
        speaker=stance.speaker, safety=safety_claim, preclinical_context=has("preclinical_context"),
        human_context=has("human_context"), off_topic=has("off_topic"),
        hype=[m.text for m in found if m.kind == "superlative"], uses=uses, compared=compared, matches=found,
        is_claim=is_claim)


def _after_comparison(found: list[Match], mention: Match) -> bool:
    """The mention follows a comparison cue closely ("better than retinol", "replaces vitamin C and retinol")."""
    return any(m.kind == "comparison" and m.end <= mention.start and mention.start - m.end <= 40 for m in found)


def _inherited(state: _State, sentence: Sentence, lead: _Reading | None,
               refers: bool) -> tuple[str, bool, str] | None:
    """(subject, known, how) for a sentence that names none: a list's lead, the sentence before in the paragraph (a
    pronoun or a heading refers back), or the product or the text's topic."""
    if lead is not None and lead.subject is not None:
        return lead.subject, lead.subject_known is not False, "list lead"
    if refers and state.previous is not None and state.previous[0] == sentence.paragraph:
        return state.previous[1], state.previous[2], "refers back"
    if (state.product_copy or refers) and state.topic is not None:
        name = state.topic.intervention or state.topic.name
        return name, state.topic.intervention is not None, "product" if state.product_copy else "topic"
    return None


def _is_list_item(sentence: str) -> bool:
    """A short line without a full stop that is not a Title Case heading (a heading ends the list)."""
    words = sentence.split()
    title_case = len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    return len(sentence) < 160 and not sentence.rstrip().endswith((".", "?", "!")) and not title_case


def _is_concentration(quantity: re.Match, mentions: list[Match]) -> bool:
    """'Niacinamide 10%' or '2% salicylic acid' states a strength of the ingredient, not a result."""
    if not quantity.group(0).rstrip().endswith("%"):
        return False
    return any(0 <= quantity.start() - m.end <= 2 or 0 <= m.start - quantity.end() <= 2 for m in mentions)


def _is_heading(sentence: str) -> bool:
    """A short line without a full stop: a heading or a list item ("Boosts collagen in 7 days")."""
    return len(sentence.split()) <= 10 and not sentence.rstrip().endswith(".")


def _judge(catalog: Catalog, reading: _Reading, sentence: Sentence, jurisdictions: set[str] | None) -> Claim:
    reasons: list[str] = []
    own = reading.stance in OWN
    if reading.subject_from in ("list lead", "refers back", "product", "topic") and reading.subject is not None:
        name = _name(catalog, reading.subject, reading.subject_known)
        reasons.append(f"The sentence does not name what it speaks of: read as about {name} ({reading.subject_from}).")
    verdict: str | None = None
    chosen: Grade | None = None
    judgeable = reading.effect and reading.stance in (*OWN, "negated") and not reading.off_topic
    if not judgeable:
        reasons.append(_NO_VERDICT.get(reading.stance, "No verdict: the sentence claims no effect of its own.")
                       if reading.effect else "No verdict: the sentence claims no effect.")
    elif reading.subject_known is False:
        verdict = "no evidence"
        reasons.append(f"{reading.subject}: not in the evidence base, so no grade can be given; the claim is not "
                       "judged against any other intervention.")
    elif reading.compared and reading.subject_known and reading.subject in catalog.interventions:
        verdict, chosen, why = _comparison(catalog, reading.subject, reading.compared, reading.outcomes)
        reasons.append(why)
    elif not reading.outcomes:
        best = [g for g in (_best_grade(catalog, i, reading.route or Route.TOPICAL) for i in reading.interventions)
                if g is not None]
        chosen = strongest(best) if best else None
        reasons.append("No verdict: the sentence names no outcome that the evidence base grades." + (
            f" For context, the strongest evidence on {_name(catalog, chosen.intervention, True)} is "
            f"{chosen.certainty.value} certainty for {catalog.outcomes[chosen.outcome].name.lower()}."
            if chosen is not None else ""))
    elif not reading.interventions:
        reasons.append("No verdict: the sentence does not say what ingredient or treatment it speaks of.")
    else:
        candidates = []
        for intervention in reading.interventions:
            for outcome in reading.outcomes:
                route = reading.route or default_route(catalog, intervention, outcome)
                candidates.append(grade(catalog, intervention, outcome, route))
        if reading.route is None:
            used = sorted({g.route.label for g in candidates if g.route is not None})
            reasons.append(f"No route stated: judged as {' / '.join(used)} (evidence by another route does not "
                           "carry over).")
        judged = [(_verdict(catalog, reading, g), g) for g in candidates]
        (verdict, why), chosen = max(judged, key=lambda pair: SEVERITY[pair[0][0]])
        reasons.append(why)
        if reading.quantities and chosen.time_to_results is not None:
            claimed = _claimed_weeks(reading.quantities)
            if claimed is not None and claimed < chosen.time_to_results.min_weeks:
                verdict = "overstated"
                reasons.append(f"Claims results within {claimed:g} weeks; the earliest difference any rating study "
                               f"reported was at {chosen.time_to_results.min_weeks:g} weeks.")
    flags: list[Flag] = []
    if own:
        uses = use_flags(reading.uses)
        matches = reading.matches
        if sentence.has("mention", "harm"):   # "while using acne treatment": a drug claim named, not made
            harms = intent.harm_scopes(sentence, reading.stance_info.negated_spans)
            matches = [m for m in matches if m.kind != "trigger" or rules_by_id()[m.id].kind != "drug_claim"
                       or not intent.mentioned(sentence, m.start, m.end, harms)]
        phrase = phrase_flags(matches, reading.stance_info.negated_spans, set(reading.interventions),
                              reading.route.value if reading.route else None, catalog.family, reading.effect)
        covered = {(f.kind, f.jurisdiction) for f in uses if f.kind == "drug_claim"}
        flags = uses + [f for f in phrase if (f.kind, f.jurisdiction) not in covered]
        if verdict is not None:
            flags += evidence_flags(verdict, reading.strength, set(reading.interventions), catalog.family)
    approval = [f for f in flags if f.kind == "false_approval"]
    if approval:
        verdict = "contradicted"
        reasons.append(f"Claims an approval the regulator says does not exist: {approval[0].explanation}")
    elif not reading.effect and flags:
        reasons.append("A regulated wording rather than a claim of effect: see the flags.")
    if jurisdictions:
        flags = [f for f in flags if f.jurisdiction in jurisdictions]
    overclaim = own and (verdict in ("overstated", "contradicted") or
                         (verdict == "preclinical only" and reading.strength != "hedged"))
    evidence = None
    if chosen is not None:
        evidence = ClaimEvidence(
            intervention=chosen.intervention, outcome=chosen.outcome, route=chosen.route,
            certainty=chosen.certainty, direction=chosen.direction, statement=chosen.statement,
            ocebm_level=chosen.ocebm_level, studies=chosen.rating_studies or chosen.preclinical_studies)
    return Claim(
        text=reading.text, start=sentence.start, end=sentence.end, interventions=reading.interventions,
        outcomes=reading.outcomes, route=reading.route, route_stated=reading.route is not None,
        strength=reading.strength, strength_words=reading.strength_words, quantities=reading.quantities,
        stance=reading.stance, verdict=verdict, grade=chosen.certainty.value if chosen else None, evidence=evidence,
        reasons=reasons, flags=flags, hype=reading.hype, overclaim=overclaim, effect=reading.effect,
        subject=reading.subject, subject_known=reading.subject_known, subject_from=reading.subject_from,
        speaker=reading.speaker)


def _name(catalog: Catalog, subject: str, known: bool | None) -> str:
    if known is not False and subject in catalog.interventions:
        return catalog.interventions[subject].name.lower()
    return f"{subject} (not in the evidence base)"


def _comparison(catalog: Catalog, subject: str, compared: list[str],
                outcomes: list[str]) -> tuple[str, Grade | None, str]:
    """A claim that the subject matches or replaces other interventions, judged at home (topical): for each outcome
    the others have human evidence of benefit on (or the outcomes the sentence names), the subject's grade must be
    at least as strong."""
    name = catalog.interventions[subject].name.lower()
    gaps, ours_all = [], []
    for other in compared:
        if other in catalog.related(subject):
            continue
        wanted = outcomes or sorted({f.outcome for s, f in catalog.findings(other)
                                     if is_human(s, f, catalog) and not catalog.outcomes[f.outcome].harm})
        for outcome in wanted:
            theirs = grade(catalog, other, outcome, Route.TOPICAL)
            ours = grade(catalog, subject, outcome, Route.TOPICAL)
            ours_all.append(ours)
            if theirs.certainty.is_human and theirs.direction is Direction.BENEFIT and \
                    ours.certainty.rank < theirs.certainty.rank:
                gaps.append(f"{catalog.interventions[other].name.lower()} has {theirs.certainty.value} evidence of "
                            f"benefit for {catalog.outcomes[outcome].name.lower()}, {name} "
                            f"{ours.certainty.value}")
    best = strongest(ours_all) if ours_all else None
    if gaps:
        return "overstated", best, "Claims to match or replace other treatments, but " + "; ".join(gaps[:3]) + "."
    if best is None:
        return "no evidence", None, f"Compared with {', '.join(compared)}, but nothing in the evidence base grades it."
    return "supported", best, (f"Compared with {', '.join(compared)}: {name}'s evidence is at least as strong for the "
                               f"outcomes they are graded on ({best.certainty.value} certainty for "
                               f"{catalog.outcomes[best.outcome].name.lower()}).")


@per_catalog
def _best_grade(catalog: Catalog, intervention: str, route: Route) -> Grade | None:
    """The intervention's strongest grade by a route (grading.strongest), for a claim that names no outcome."""
    outcomes = {f.outcome for s, f in catalog.findings(intervention)
                if not catalog.outcomes[f.outcome].harm and is_human(s, f, catalog) and f.route is route}
    return strongest([grade(catalog, intervention, o, route) for o in sorted(outcomes)])


@per_catalog
def default_route(catalog: Catalog, intervention: str, outcome: str | None) -> Route:
    """The route a claim that names none is judged by: at-home topical for ingredients (what a person buys) and
    for anything with topical evidence; otherwise the route the intervention is studied by most."""
    pairs = [(s, f) for s, f in catalog.findings(intervention) if is_human(s, f, catalog)
             and (outcome is None or f.outcome in catalog.outcome_family(outcome))]
    routes = Counter(f.route for _, f in pairs)
    if catalog.kinds[intervention] == "ingredient" or Route.TOPICAL in routes or not routes:
        return Route.TOPICAL
    return routes.most_common(1)[0][0]


def _verdict(catalog: Catalog, reading: _Reading, evidence: Grade) -> tuple[str, str]:
    c = evidence.certainty
    outcome = catalog.outcomes[evidence.outcome].name.lower()
    if evidence.harm_outcome:
        return _safety_verdict(reading, evidence)
    if reading.stance == "negated":
        if c.rank >= 3 and evidence.direction is Direction.BENEFIT:
            return "contradicted", f"The text denies an effect on {outcome}, but: {evidence.statement}"
        return "supported", (f"The text denies or doubts an effect on {outcome}, in line with the evidence "
                             f"({c.value} certainty): {evidence.statement}")
    if reading.preclinical_context and evidence.preclinical_studies and reading.human_context and not c.is_human:
        return "overstated", (f"The sentence reports laboratory or animal results but speaks of people too (an "
                              f"animal-to-human leap); for {outcome} in people: {evidence.statement}")
    if c is Certainty.NO_EVIDENCE:
        return "no evidence", evidence.statement
    if c is Certainty.PRECLINICAL_ONLY:
        return "preclinical only", evidence.statement
    if evidence.direction in (Direction.NO_DIFFERENCE, Direction.HARM) and c.rank >= 2:
        return "contradicted", f"The evidence on {outcome} points the other way: {evidence.statement}"
    need = REQUIRED[reading.strength]
    wording = f"'{reading.strength}' wording" + (f" ({', '.join(reading.strength_words[:3])})"
                                                 if reading.strength_words else "")
    if reading.strength in ("proven", "quantified") and (evidence.ocebm_level or 5) > 2:
        return "overstated", (f"{wording} needs randomised human trials; the best evidence on {outcome} is OCEBM "
                              f"level {evidence.ocebm_level} ({c.value} certainty). {evidence.statement}")
    if c.rank < need:
        return "overstated", (f"{wording} needs {Certainty.from_rank(need).value} certainty or better; the evidence "
                              f"on {outcome} is {c.value}. {evidence.statement}")
    if evidence.direction is Direction.MIXED and reading.strength != "hedged":
        return "overstated", (f"The studies on {outcome} disagree, so an unqualified claim goes too far. "
                              f"{evidence.statement}")
    return "supported", f"Consistent with the evidence on {outcome} ({c.value} certainty): {evidence.statement}"


def _safety_verdict(reading: _Reading, evidence: Grade) -> tuple[str, str]:
    """A claim of safety (or of no side effects) against the harm evidence: any reported harm contradicts it, and
    calling something safe needs at least moderate certainty from adequate numbers (OCEBM harms, rule A6)."""
    c = evidence.certainty
    if reading.stance == "negated":
        return "supported", f"The text does not claim safety. {evidence.statement}"
    if evidence.direction in (Direction.HARM, Direction.MIXED):
        return "contradicted", f"Harms are reported: {evidence.statement}"
    if not c.is_human:
        return ("no evidence" if c is Certainty.NO_EVIDENCE else "preclinical only"), evidence.statement
    if c.rank < 3 and reading.stance != "hedged":
        return "overstated", (f"Calling it safe needs moderate certainty or better from adequate numbers; the "
                              f"evidence on harms is {c.value}. {evidence.statement}")
    return "supported", f"Consistent with the evidence on harms ({c.value} certainty): {evidence.statement}"


def _claimed_weeks(quantities: list[str]) -> float | None:
    found = [float(m.group(1).replace(",", ".")) * _WEEKS[m.group(2).lower()]
             for q in quantities for m in _DURATION.finditer(q)]
    return min(found) if found else None
