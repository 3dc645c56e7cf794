"""Regulatory and substantiation rules (``lexicons/rules.yaml``): each with an id, a jurisdiction, the page that
states it, and when it fires. A rule fires in one of two ways:

- ``match: phrase`` (the default): one of its ``triggers`` is in an asserted or hedged claim, outside a negation,
  and none of its ``unless`` phrases is in the sentence; optionally only for some interventions or routes;
- ``match: evidence``: the claim's verdict and strength are among those the rule lists (e.g. "clinically proven"
  on evidence that does not reach moderate certainty from randomised trials);
- ``match: intended-use``: the sentence's intended use (``claims/intent.py``) has one of the rule's ``bases``
  (disease, structure-function, misleading) in the rule's ``language``: the rule states the law or the guidance,
  the intended-use families are the project's reading of it.

Rules are data: adding a rule or a trigger is a change to the YAML file, not to this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from skinevidence.text.lexicon import Match, lexicon_file


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
    bases: list[str] = []           # match: intended-use (and the basis a phrase rule's flag states)
    language: str | None = None     # match: intended-use: the language whose families it reads ("en", "ko")


class Flag(BaseModel):
    rule: str
    kind: str
    jurisdiction: str
    source: str
    explanation: str
    title: str
    trigger: str | None = Field(default=None, description="the words in the claim that fired the rule")
    basis: str | None = Field(default=None, description="for intended-use rules: disease, structure-function or "
                                                         "misleading")


@cache
def load_rules() -> tuple[Rule, ...]:
    return tuple(Rule.model_validate(item) for item in lexicon_file("rules"))


@cache
def rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


def entries() -> Iterator[tuple[str, str, str]]:
    """Every rule's triggers, unless-phrases and safe phrasings, for the shared lexicon (kinds "trigger" and
    "unless", id the rule's)."""
    for rule in load_rules():
        for trigger in rule.triggers:
            yield trigger, "trigger", rule.id
        for phrase in [*rule.unless, *rule.safe_phrasing]:
            yield phrase, "unless", rule.id


def flag_for(rule: Rule, trigger: str | None = None, basis: str | None = None) -> Flag:
    return Flag(rule=rule.id, kind=rule.kind, jurisdiction=rule.jurisdiction, source=rule.source,
                explanation=rule.explanation, title=rule.title, trigger=trigger,
                basis=basis or (rule.bases[0] if len(rule.bases) == 1 else None))


@cache
def intended_use_rules() -> dict[tuple[str, str], tuple[Rule, ...]]:
    """(language, basis) -> the rules that state it."""
    table: dict[tuple[str, str], list[Rule]] = {}
    for rule in load_rules():
        if rule.match == "intended-use":
            for basis in rule.bases:
                table.setdefault((rule.language or "en", basis), []).append(rule)
    return {key: tuple(rules) for key, rules in table.items()}


def use_flags(uses) -> list[Flag]:
    """Flags for a sentence's intended uses (claims/intent.py): one per rule stating the use's basis."""
    flags = []
    for use in uses:
        for rule in intended_use_rules().get((use.language, use.basis), ()):
            flags.append(flag_for(rule, use.words, use.basis))
    return flags


#: Kinds of rule about what a product does: they fire only where the sentence asserts an effect, so that naming
#: "exosome therapy" in a critical sentence is not itself a drug claim.
EFFECT_KINDS = frozenset({"drug_claim", "substantiation"})  # a comparison with a procedure is itself a claim of effect


def phrase_flags(matches: list[Match], negated_spans: list[tuple[int, int]], interventions: set[str],
                 route: str | None, catalog_family, asserts_effect: bool) -> list[Flag]:
    """Phrase rules that fire on one sentence, from its "trigger" and "unless" matches. ``negated_spans`` are
    offsets (in the sentence) under negation; ``catalog_family(id)`` gives an intervention's family, so a rule on
    exosomes covers plant exosomes."""
    matches = [m for m in matches if m.kind in ("trigger", "unless")]
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


def regulated_phrase(matches: list[Match]) -> bool:
    """A regulated phrase that needs no stated effect to matter ("FDA approved", "엑소좀")."""
    rules = rules_by_id()
    return any(m.kind == "trigger" and rules[m.id].kind not in EFFECT_KINDS for m in matches)


def evidence_flags(verdict: str, strength: str, interventions: set[str], catalog_family) -> list[Flag]:
    flags = []
    for rule in load_rules():
        if rule.match != "evidence" or verdict not in rule.verdicts or strength not in rule.strengths:
            continue
        if rule.interventions and not any(i in catalog_family(r) for r in rule.interventions for i in interventions):
            continue
        flags.append(flag_for(rule))
    return flags
