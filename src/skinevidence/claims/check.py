"""Claim checking: find each claim in a text, read how strongly it speaks, and judge it against the GRADE statement
for the same intervention x outcome x route, and against the regulatory rules.

The method is in ``docs/claims.md``. In short: a sentence is a claim when it speaks of an effect (an outcome, an
efficacy verb, a strength word, a number, or a regulated phrase) of an intervention (named in the sentence, in the
lead of a list, or the text's main subject). Its stance (asserted, hedged, negated, reported) and strength
(proven, quantified, superlative, assertive, hedged) come from cue lexicons; the verdict compares the strength with
the certainty of the evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from pydantic import BaseModel

from skinevidence.claims.rules import (
    EFFECT_KINDS,
    Flag,
    disease_flags,
    evidence_flags,
    phrase_flags,
    rule_lexicon,
    rules_by_id,
)
from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import Direction, Route
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import Grade, grade, is_human
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest
from skinevidence.text.lexicon import (
    Lexicon,
    Match,
    file_entries,
    lexicon_file,
    longest,
)
from skinevidence.text.mapping import catalog_entries, map_text
from skinevidence.text.sentences import split_sentences

ENTITY_KINDS = frozenset({"intervention", "outcome", "route"})
SHORT_COPY = 2000        # characters: a text this short, dominated by one intervention, is copy about it
DOMINANT_SHARE = 0.6     # share of intervention mentions that makes one intervention the text's subject
#: The certainty rank a claim of each strength needs (4 high, 3 moderate, 2 low, 1 very low; docs/claims.md).
REQUIRED = {"proven": 3, "quantified": 3, "superlative": 3, "assertive": 2, "hedged": 1}
VERDICTS = ("supported", "overstated", "preclinical only", "no evidence", "contradicted")
SEVERITY = {"supported": 0, "no evidence": 1, "preclinical only": 2, "overstated": 3, "contradicted": 4}
CLAUSE_END = re.compile(r"[,;:()]|\b(?:but|however|although|though|whereas|while|yet)\b", re.I)
_WEEKS = {"hour": 1 / 168, "day": 1 / 7, "week": 1, "month": 52 / 12}
_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)(?:\s?(?:-|–|to)\s?\d+(?:[.,]\d+)?)?\s*(hour|day|week|month)", re.I)


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
    verdict: str
    grade: str | None
    evidence: ClaimEvidence | None
    reasons: list[str]
    flags: list[Flag]
    hype: list[str]
    overclaim: bool


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


@cache
def _quantity_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I | re.M) for p in lexicon_file("claim_cues")["quantity_patterns"])


@per_catalog
def claim_lexicon(catalog: Catalog) -> Lexicon:
    cues = lexicon_file("claim_cues")
    entries = [*catalog_entries(catalog), *file_entries("routes", "route")]
    for level, phrases in cues["strength"].items():
        entries += [(p, level, level) for p in phrases]
    for kind in ("efficacy", "efficacy_generic", "negation", "reported", "preclinical_context", "human_context",
                 "safety", "conditional", "off_topic", "refers_back"):
        entries += [(p, kind, kind) for p in cues[kind]]
    return Lexicon(entries)


def check_text(catalog: Catalog, text: str, source: str = "text", subject: list[str] | None = None,
               jurisdictions: set[str] | None = None, product_copy: bool = False) -> ClaimCheck:
    """Every claim in ``text``, judged. ``subject`` names the interventions a claim without one speaks of (a
    product's headline ingredient); by default it is the intervention the text names most often. In
    ``product_copy`` (a product's own claims) every sentence that names no intervention is about the subject."""
    if not text.strip():
        raise InputError("the text is empty: there is nothing to check")
    spans = split_sentences(text)
    found = claim_lexicon(catalog).find(text, overlapping=True)
    # names (interventions, outcomes, routes): the longest reading wins; cue words may overlap ("may help with")
    matches = sorted([*longest([m for m in found if m.kind in ENTITY_KINDS]),
                      *(m for m in found if m.kind not in ENTITY_KINDS)], key=lambda m: (m.start, m.end))
    subject = subject or _main_subject(catalog, text, matches)
    # A short text dominated by one intervention is copy about it (a product page, an advert, a label):
    # its unattributed claims speak of that intervention (docs/claims.md).
    product_copy = product_copy or (len(text) <= SHORT_COPY and _dominant(subject, matches))
    claims: list[Claim] = []
    lead: _Reading | None = None
    cursor = 0
    for start, end in spans:
        while cursor < len(matches) and matches[cursor].start < start:
            cursor += 1
        mine = []
        index = cursor
        while index < len(matches) and matches[index].end <= end:
            mine.append(_shift(matches[index], start))
            index += 1
        sentence = text[start:end]
        reading = _read(catalog, sentence, mine, lead, subject, product_copy)
        if reading is not None and reading.is_claim:
            claim = _judge(catalog, reading, start, end, jurisdictions)
            if reading.effect or claim.flags:  # a regulated phrase that fired nothing is not a claim
                claims.append(claim)
        lead = reading if sentence.rstrip().endswith(":") and reading is not None else (
            lead if lead is not None and _is_list_item(sentence) else None)
    verdicts = Counter(c.verdict for c in claims)
    refs = [s for c in claims if c.evidence for s in c.evidence.studies]
    return ClaimCheck(
        source=source, subject=subject, characters=len(text), sentences=len(spans), claims=claims,
        verdicts={v: verdicts.get(v, 0) for v in VERDICTS}, overclaims=sum(c.overclaim for c in claims),
        flags_by_jurisdiction=dict(Counter(f.jurisdiction for c in claims for f in c.flags)),
        names={**{i.id: i.name for i in catalog.interventions.values()},
               **{o.id: o.name for o in catalog.outcomes.values()}},
        references=references_for_ids(catalog, refs))


class _Reading(BaseModel):
    """What one sentence says, before it is judged."""

    text: str
    interventions: list[str]
    inherited: bool
    outcomes: list[str]
    route: Route | None
    strength: str
    strength_words: list[str]
    quantities: list[str]
    stance: str
    negated_spans: list[tuple[int, int]]
    effect: bool
    safety: bool
    preclinical_context: bool
    human_context: bool
    hype: list[str]
    is_claim: bool


def _shift(match: Match, offset: int) -> Match:
    return Match(match.kind, match.id, match.start - offset, match.end - offset, match.text)


def _main_subject(catalog: Catalog, text: str, matches: list[Match]) -> list[str]:
    mentions = Counter(m.id for m in matches if m.kind == "intervention")
    if not mentions:
        return []
    top = mentions.most_common(1)[0][0]
    return [top]


def _dominant(subject: list[str], matches: list[Match]) -> bool:
    mentions = [m.id for m in matches if m.kind == "intervention"]
    return bool(subject and mentions) and mentions.count(subject[0]) >= DOMINANT_SHARE * len(mentions)


def _is_list_item(sentence: str) -> bool:
    """A short line without a full stop that is not a Title Case heading (a heading ends the list)."""
    words = sentence.split()
    title_case = len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    return len(sentence) < 160 and not sentence.rstrip().endswith((".", "?", "!")) and not title_case


def _negated_spans(sentence: str, matches: list[Match]) -> list[tuple[int, int]]:
    spans = []
    for match in matches:
        if match.kind == "negation":
            stop = CLAUSE_END.search(sentence, match.end)
            spans.append((match.end, stop.start() if stop else len(sentence)))  # the words after the cue
    return spans


def _read(catalog: Catalog, sentence: str, matches: list[Match], lead: _Reading | None,
          subject: list[str], product_copy: bool = False) -> _Reading | None:
    kinds = Counter(m.kind for m in matches)
    if sentence.rstrip().endswith("?") or kinds["off_topic"]:
        return None  # a question is not a claim; another field of medicine is not a skin claim
    mentions = [m for m in matches if m.kind == "intervention"]
    quantities = [q.group(0).strip() for p in _quantity_patterns() for q in p.finditer(sentence)
                  if not _is_concentration(q, mentions)]
    negated = _negated_spans(sentence, matches)
    core = [m for m in matches if m.kind in ("efficacy", "efficacy_generic", "outcome", "proven", "superlative",
                                             "safety")]

    def under_negation(m: Match) -> bool:
        return any(a <= m.start < b for a, b in negated)

    effect_outside = any(not under_negation(m) for m in core)
    # "Rather than unproven exosome treatments, use proven ones": an intervention named only inside a negated or
    # contrasted clause is not what the sentence's (un-negated) effect words speak of.
    mapped = [m for m in matches if m.kind in ("intervention", "outcome", "route")
              and not (m.kind == "intervention" and effect_outside and under_negation(m))]
    mapping = map_text(catalog, sentence, mapped)
    safety_claim = bool(kinds["safety"])
    outcomes = [o for o in mapping.outcomes if safety_claim or not catalog.outcomes[o].harm]
    if safety_claim:
        outcomes.append(next(o.id for o in catalog.outcomes.values() if o.harm))
    interventions, inherited = mapping.interventions, False
    route_spans = {(m.start, m.end) for m in mapped if m.kind == "route"}
    only_procedures = bool(interventions) and all(
        (m.start, m.end) in route_spans for m in mapped if m.kind == "intervention")
    inheritable = (lead.interventions if lead is not None and lead.interventions else
                   subject if product_copy or kinds["refers_back"] or _is_heading(sentence) else [])
    if only_procedures and inheritable and not set(inheritable) & set(interventions):
        # "... especially when used with microneedling": the procedures are how the subject is given
        interventions, inherited = [], True
        mapping = mapping.model_copy(update={"route": Route(next(m.id for m in mapped if m.kind == "route"))})
    if not interventions:
        inherited = True
        if lead is not None and lead.interventions:
            interventions = lead.interventions
        elif product_copy or kinds["refers_back"] or _is_heading(sentence):
            interventions = subject
    strength_words = [m.text for m in matches if m.kind in ("proven", "superlative", "hedged")]
    if core and not effect_outside:
        stance = "negated"
    elif kinds["reported"] or (lead is not None and lead.stance == "reported"):
        stance = "reported"
    elif kinds["hedged"] or kinds["conditional"] or (lead is not None and lead.stance == "hedged"):
        stance = "hedged"
    else:
        stance = "asserted"
    if kinds["proven"]:
        strength = "proven"
    elif quantities:
        strength = "quantified"
    elif kinds["superlative"]:
        strength = "superlative"
    elif stance == "hedged":
        strength = "hedged"
    else:
        strength = "assertive"
    effect = bool(kinds["efficacy"] or kinds["proven"] or kinds["superlative"] or quantities or safety_claim
                  or (kinds["efficacy_generic"] and (outcomes or kinds["proven"] or kinds["superlative"]))
                  or (lead is not None and lead.effect and bool(outcomes)))  # "benefits, including: firmer skin"
    topic = bool(outcomes) or (not inherited and bool(kinds["efficacy"]))
    return _Reading(
        text=sentence, interventions=interventions, inherited=inherited, outcomes=outcomes, effect=effect,
        route=mapping.route if kinds["route"] else None, strength=strength, strength_words=strength_words,
        quantities=quantities, stance=stance, negated_spans=negated, safety=safety_claim,
        preclinical_context=bool(kinds["preclinical_context"]), human_context=bool(kinds["human_context"]),
        hype=[m.text for m in matches if m.kind == "superlative"],
        is_claim=(effect and topic and (bool(interventions) or strength in ("proven", "quantified", "superlative")))
        or _has_trigger(sentence))


def _is_concentration(quantity: re.Match, mentions: list[Match]) -> bool:
    """'Niacinamide 10%' or '2% salicylic acid' states a strength of the ingredient, not a result."""
    if not quantity.group(0).rstrip().endswith("%"):
        return False
    return any(0 <= quantity.start() - m.end <= 2 or 0 <= m.start - quantity.end() <= 2 for m in mentions)


def _is_heading(sentence: str) -> bool:
    """A short line without a full stop: a heading or a list item ("Boosts collagen in 7 days")."""
    return len(sentence.split()) <= 10 and not sentence.rstrip().endswith(".")


def _has_trigger(sentence: str) -> bool:
    """A regulated phrase that needs no stated effect to matter ("FDA approved", "엑소좀")."""
    rules = rules_by_id()
    return any(m.kind == "trigger" and rules[m.id].kind not in EFFECT_KINDS
               for m in rule_lexicon().find(sentence, overlapping=True))


def _judge(catalog: Catalog, reading: _Reading, start: int, end: int, jurisdictions: set[str] | None) -> Claim:
    reasons: list[str] = []
    if reading.inherited and reading.interventions:
        reasons.append(f"The sentence does not name an intervention: read as about "
                       f"{', '.join(catalog.interventions[i].name for i in reading.interventions)}.")
    candidates = []
    for intervention in reading.interventions:
        for outcome in reading.outcomes or [None]:
            route = reading.route or default_route(catalog, intervention, outcome)
            candidates.append(_evidence(catalog, intervention, outcome, route))
    if reading.route is None and candidates:
        used = sorted({g.route.label for g in candidates if g is not None and g.route is not None})
        reasons.append(f"No route stated: judged as {' / '.join(used)} (evidence by another route does not carry "
                       "over).")
    judged = [(_verdict(reading, g), g) for g in candidates if g is not None] if reading.effect else []
    if judged:
        (verdict, why), chosen = max(judged, key=lambda pair: SEVERITY[pair[0][0]])
    elif not reading.interventions and reading.effect:
        verdict, why, chosen = "no evidence", "The sentence does not say what ingredient or treatment it speaks of.", None
    else:
        verdict, why, chosen = "no evidence", "No graded evidence for what this sentence speaks of.", None
    reasons.append(why)
    if chosen is not None and reading.quantities and chosen.time_to_results is not None:
        claimed = _claimed_weeks(reading.quantities)
        if claimed is not None and claimed < chosen.time_to_results.min_weeks:
            verdict = "overstated"
            reasons.append(f"Claims results within {claimed:g} weeks; the earliest difference any rating study "
                           f"reported was at {chosen.time_to_results.min_weeks:g} weeks.")
    flags: list[Flag] = []
    family = catalog.family
    if reading.stance in ("asserted", "hedged"):
        flags += phrase_flags(reading.text, reading.negated_spans, set(reading.interventions),
                              reading.route.value if reading.route else None, family, reading.effect)
        flags += evidence_flags(verdict, reading.strength, set(reading.interventions), family)
        flags += disease_flags(reading.text, any(catalog.outcomes[o].disease for o in reading.outcomes),
                               reading.effect)
    approval = [f for f in flags if f.kind == "false_approval"]
    if approval:
        verdict = "contradicted"
        reasons.append(f"Claims an approval the regulator says does not exist: {approval[0].explanation}")
    elif not reading.effect:
        reasons[-1] = "A regulated wording rather than a claim of effect: see the flags."
    if jurisdictions:
        flags = [f for f in flags if f.jurisdiction in jurisdictions]
    overclaim = reading.stance in ("asserted", "hedged") and (
        verdict in ("overstated", "contradicted") or (verdict == "preclinical only" and reading.strength != "hedged"))
    evidence = None
    if chosen is not None:
        evidence = ClaimEvidence(
            intervention=chosen.intervention, outcome=chosen.outcome, route=chosen.route,
            certainty=chosen.certainty, direction=chosen.direction, statement=chosen.statement,
            ocebm_level=chosen.ocebm_level, studies=chosen.rating_studies or chosen.preclinical_studies)
    return Claim(
        text=reading.text, start=start, end=end, interventions=reading.interventions, outcomes=reading.outcomes,
        route=reading.route, route_stated=reading.route is not None, strength=reading.strength,
        strength_words=reading.strength_words, quantities=reading.quantities, stance=reading.stance,
        verdict=verdict, grade=chosen.certainty.value if chosen else None, evidence=evidence, reasons=reasons,
        flags=flags, hype=reading.hype, overclaim=overclaim)


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


def _evidence(catalog: Catalog, intervention: str, outcome: str | None, route: Route) -> Grade | None:
    """The grade for the claim; with no outcome named ("it works"), the intervention's best grade showing benefit
    by that route."""
    if outcome is not None:
        return grade(catalog, intervention, outcome, route)
    return _best_grade(catalog, intervention, route)


@per_catalog
def _best_grade(catalog: Catalog, intervention: str, route: Route) -> Grade | None:
    outcomes = {f.outcome for s, f in catalog.findings(intervention)
                if not catalog.outcomes[f.outcome].harm and is_human(s, f, catalog) and f.route is route}
    grades = [grade(catalog, intervention, o, route) for o in sorted(outcomes)]
    return strongest(grades)


def _verdict(reading: _Reading, evidence: Grade) -> tuple[str, str]:
    c = evidence.certainty
    if evidence.harm_outcome:
        return _safety_verdict(reading, evidence)
    if reading.stance == "negated":
        if c.rank >= 3 and evidence.direction is Direction.BENEFIT:
            return "contradicted", f"The text denies an effect, but: {evidence.statement}"
        return "supported", f"The text denies or doubts an effect, in line with the evidence: {evidence.statement}"
    if reading.preclinical_context and evidence.preclinical_studies:
        extrapolated = " but speaks of people too (an animal-to-human leap)" if reading.human_context and \
            not c.is_human else ""
        return ("overstated" if extrapolated else "supported",
                f"The sentence reports laboratory or animal results{extrapolated}; "
                f"{len(evidence.preclinical_studies)} such "
                f"{'study exists' if len(evidence.preclinical_studies) == 1 else 'studies exist'}.")
    if c is Certainty.NO_EVIDENCE:
        return "no evidence", evidence.statement
    if c is Certainty.PRECLINICAL_ONLY:
        return "preclinical only", evidence.statement
    if evidence.direction in (Direction.NO_DIFFERENCE, Direction.HARM) and c.rank >= 2:
        return "contradicted", f"The evidence points the other way: {evidence.statement}"
    need = REQUIRED[reading.strength]
    wording = f"'{reading.strength}' wording" + (f" ({', '.join(reading.strength_words[:3])})"
                                                 if reading.strength_words else "")
    if reading.strength in ("proven", "quantified") and (evidence.ocebm_level or 5) > 2:
        return "overstated", (f"{wording} needs randomised human trials; the best evidence is OCEBM level "
                              f"{evidence.ocebm_level} ({c.value} certainty). {evidence.statement}")
    if c.rank < need:
        return "overstated", (f"{wording} needs {Certainty.from_rank(need).value} certainty or better; the evidence "
                              f"is {c.value}. {evidence.statement}")
    if evidence.direction is Direction.MIXED and reading.strength != "hedged":
        return "overstated", f"The studies disagree, so an unqualified claim goes too far. {evidence.statement}"
    return "supported", f"Consistent with the evidence ({c.value} certainty): {evidence.statement}"


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
                              f"evidence is {c.value}. {evidence.statement}")
    return "supported", f"Consistent with the evidence on harms ({c.value} certainty): {evidence.statement}"


def _claimed_weeks(quantities: list[str]) -> float | None:
    found = [float(m.group(1).replace(",", ".")) * _WEEKS[m.group(2).lower()]
             for q in quantities for m in _DURATION.finditer(q)]
    return min(found) if found else None
