"""Regulatory and substantiation rules (``lexicons/rules.yaml``): each with an id, a jurisdiction, the page that
states it, and when it fires. A rule fires in one of two ways:

- ``match: phrase`` (the default): one of its ``triggers`` is in an asserted or hedged claim, outside a negation,
  and none of its ``unless`` phrases is in the sentence; optionally only for some interventions or routes;
- ``match: evidence``: the claim's verdict and strength are among those the rule lists (e.g. "clinically proven"
  on evidence that does not reach moderate certainty from randomised trials).

Rules are data: adding a rule or a trigger is a change to the YAML file, not to this module.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from skinevidence.text.lexicon import Lexicon, lexicon_file


class Rule(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    jurisdiction: str
    kind: str
    title: str
    explanation: str
    source: str
    source_title: str | None = None
    read_on: str | None = None
    match: str = "phrase"
    triggers: list[str] = []
    unless: list[str] = []
    safe_phrasing: list[str] = []
    interventions: list[str] = []   # fire only when the claim is about one of these (or their descendants)
    routes: list[str] = []          # fire only when the claim's route is one of these
    verdicts: list[str] = []        # match: evidence
    strengths: list[str] = []       # match: evidence


class Flag(BaseModel):
    rule: str
    kind: str
    jurisdiction: str
    source: str
    explanation: str
    title: str
    trigger: str | None = Field(default=None, description="the words in the claim that fired the rule")


@cache
def load_rules() -> tuple[Rule, ...]:
    return tuple(Rule.model_validate(item) for item in lexicon_file("rules"))


@cache
def rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


@cache
def rule_lexicon() -> Lexicon:
    """Every rule's triggers, unless-phrases and safe phrasings in one automaton."""
    entries = []
    for rule in load_rules():
        entries += [(t, "trigger", rule.id) for t in rule.triggers]
        entries += [(u, "unless", rule.id) for u in [*rule.unless, *rule.safe_phrasing]]
    return Lexicon(entries)


def flag_for(rule: Rule, trigger: str | None = None) -> Flag:
    return Flag(rule=rule.id, kind=rule.kind, jurisdiction=rule.jurisdiction, source=rule.source,
                explanation=rule.explanation, title=rule.title, trigger=trigger)


#: Kinds of rule about what a product does: they fire only where the sentence asserts an effect, so that naming
#: "exosome therapy" in a critical sentence is not itself a drug claim.
EFFECT_KINDS = frozenset({"drug_claim", "substantiation"})  # a comparison with a procedure is itself a claim of effect


def phrase_flags(sentence: str, negated_spans: list[tuple[int, int]], interventions: set[str], route: str | None,
                 catalog_family, asserts_effect: bool) -> list[Flag]:
    """Phrase rules that fire on one sentence. ``negated_spans`` are offsets (in the sentence) under negation;
    ``catalog_family(id)`` gives an intervention's family, so a rule on exosomes covers plant exosomes."""
    matches = rule_lexicon().find(sentence, overlapping=True)
    cancelled = {m.id for m in matches if m.kind == "unless"}
    fired: dict[str, Flag] = {}
    rules = rules_by_id()
    for match in matches:
        rule = rules[match.id]
        if match.kind != "trigger" or rule.match != "phrase" or rule.id in cancelled or rule.id in fired:
            continue
        if any(start <= match.start < end for start, end in negated_spans):
            continue
        if rule.kind in EFFECT_KINDS and not asserts_effect:
            continue
        if rule.interventions and not any(i in catalog_family(r) for r in rule.interventions for i in interventions):
            continue
        if rule.routes and route not in rule.routes:
            continue
        fired[rule.id] = flag_for(rule, match.text)
    return list(fired.values())


def disease_flags(sentence: str, disease_outcomes: bool, asserts_effect: bool) -> list[Flag]:
    """Rules with ``match: disease``: a claim of effect on a disease outcome (outcomes.yaml ``disease: true``),
    unless the sentence speaks only of the look of the skin."""
    if not (disease_outcomes and asserts_effect):
        return []
    cancelled = {m.id for m in rule_lexicon().find(sentence, overlapping=True) if m.kind == "unless"}
    return [flag_for(rule) for rule in load_rules() if rule.match == "disease" and rule.id not in cancelled]


def evidence_flags(verdict: str, strength: str, interventions: set[str], catalog_family) -> list[Flag]:
    flags = []
    for rule in load_rules():
        if rule.match != "evidence" or verdict not in rule.verdicts or strength not in rule.strengths:
            continue
        if rule.interventions and not any(i in catalog_family(r) for r in rule.interventions for i in interventions):
            continue
        flags.append(flag_for(rule))
    return flags
