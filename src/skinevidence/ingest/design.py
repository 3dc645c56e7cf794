"""Who was studied and how: the population and the design of one citation, each with a confidence and its reason.

Order of trust: a trial registry's own design fields; publication types and MeSH headings when a person indexed
the record; otherwise the title and abstract, where the cue words of every study type are weighed together by the
learned model of :mod:`.model` (randomisation, review and laboratory words each pull their way), and the designs
the model does not cover (guidelines, split-body trials, cohorts, non-randomised and single-arm studies, case
series) are read from their cue phrases. A record without an abstract gets a design only from an explicit phrase
in its title, and says so.
"""

from __future__ import annotations

import re

from skinevidence.evidence.models import Design, Population
from skinevidence.ingest import cues
from skinevidence.ingest.derived import Derived, quote
from skinevidence.ingest.features import present
from skinevidence.ingest.model import Score, load_model
from skinevidence.ingest.records import Citation

HUMAN_DESIGNS = frozenset({Design.RCT, Design.SPLIT_BODY_RCT, Design.NON_RANDOMISED_CONTROLLED, Design.COHORT,
                           Design.SINGLE_ARM, Design.CASE_SERIES, Design.CASE_REPORT})
REVIEW_DESIGNS = frozenset({Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW, Design.NARRATIVE_REVIEW,
                            Design.GUIDELINE})
TRUSTED = 0.97  # the confidence given to a publication type or heading a person assigned
REGISTRY = 0.95  # ... and to a registry's own design fields
CUE = 0.6  # ... and to one cue phrase of the abstract read on its own
TITLE_CUE = 0.85  # ... and to a title that names its design
TITLE_SAYS = "the title says"
_GROUP_WORDS = {"t": "the title", "a": "the abstract"}
#: Titles of pieces about a study rather than reports of one (their publication types, when hidden or absent).
_NOT_A_REPORT = re.compile(r"^\s*(?:editorial|comment(?:ary)?(?: on)?|reply|response|in reply|letter(?: to the "
                           r"editor)?|erratum|correction(?: to)?|corrigendum|retraction(?: note| notice)?|"
                           r"expression of concern|re)\b\s*[:.-]", re.IGNORECASE)
_MODEL_DESIGNS = {"systematic": Design.SYSTEMATIC_REVIEW, "rct": Design.RCT, "case": Design.CASE_REPORT,
                  "review": Design.NARRATIVE_REVIEW}
_MODEL_POPULATIONS = {"animal": Population.ANIMAL, "cells": Population.CELLS, "human": Population.HUMAN}


class Evidence:
    """What one citation's text says, computed once: its cue features and the model's margin for every label."""

    def __init__(self, citation: Citation, title: str, abstract: str, in_title: cues.Scan, in_abstract: cues.Scan):
        self.citation, self.title, self.abstract = citation, title, abstract
        self.in_title, self.in_abstract = in_title, in_abstract
        self.features = present(in_title.matches, in_abstract.matches, title, abstract)
        self.model = load_model()
        self.readable = bool(title or abstract)
        self._margins = self.model.margins(self.features) if self.readable else {}

    def margin(self, label: str) -> float:
        """How far the label's probability is above its threshold, on the log-odds scale."""
        return self._margins.get(label, -99.0)

    def score(self, label: str) -> Score:
        return self.model.score(label, self.features)

    def why(self, score: Score) -> str:
        """The words that weighed for the label (and the strongest against it), as written."""
        def words(features: list[str]) -> str:
            shown = []
            for feature in features:
                where, _, group = feature.partition(".")
                scan = self.in_title if where == "t" else self.in_abstract
                found = scan.feature_words(group)[:2] if group else []
                shown.append(f"{quote(found)} in {_GROUP_WORDS.get(where, 'the record')}" if found else
                             ("no abstract" if feature == "no-abstract" else feature))
            return "; ".join(shown)
        against = score.opposing()
        return (f"weighed together, {words(score.supporting())} make it likely (p={score.probability:.2f})"
                + (f"; against: {words(against)}" if against else ""))


# population -------------------------------------------------------------------------------------------------------
def population(evidence: Evidence, types: set[str], mesh: set[str], indexing: str) -> Derived[Population]:
    registration = evidence.citation.registration
    if registration is not None:
        return Derived(value=Population.HUMAN, why=f"a trial registered with {registration.registry}",
                       confidence=REGISTRY)
    human_types = sorted(types & cues.HUMAN_TYPES)
    animal_mesh = sorted(mesh & cues.MESH_ANIMAL)
    if human_types:
        if animal_mesh and cues.MESH_HUMAN not in mesh:
            return Derived(value=Population.ANIMAL, why=f"MeSH {quote(animal_mesh)} and no 'Humans' heading "
                                                        f"({indexing}), although typed {quote(human_types)}",
                           confidence=TRUSTED)
        return Derived(value=Population.HUMAN, why=f"publication type {quote(human_types)} ({indexing})",
                       confidence=TRUSTED)
    if animal_mesh and cues.MESH_HUMAN not in mesh:
        return Derived(value=Population.ANIMAL, why=f"MeSH {quote(animal_mesh)} without 'Humans' ({indexing})",
                       confidence=TRUSTED)
    if mesh & cues.MESH_CELLS and not mesh & cues.MESH_ANIMAL:
        cells = sorted(mesh & cues.MESH_CELLS)
        return Derived(value=Population.CELLS, why=f"MeSH {quote(cells)} ({indexing})", confidence=TRUSTED)
    if cues.MESH_HUMAN in mesh:
        return Derived(value=Population.HUMAN, why=f"MeSH 'Humans' ({indexing})", confidence=TRUSTED)
    return _population_from_text(evidence)


def _population_from_text(evidence: Evidence) -> Derived[Population]:
    if not evidence.readable:
        return Derived(why="no title or abstract to read")
    for named in (Population.ANIMAL, Population.CELLS):  # a title that names animals or cells settles it
        words = evidence.in_title.words("population", named.value)
        if words:
            return Derived(value=named, why=f"the title says {quote(words[:3])}", confidence=0.9)
    ranked = sorted(_MODEL_POPULATIONS, key=evidence.margin, reverse=True)
    best = ranked[0]
    if evidence.margin(best) <= 0:
        return Derived(why="the words of the title and abstract do not settle who or what was studied"
                           + (" (no abstract)" if not evidence.abstract else ""))
    runner = ranked[1]
    score = evidence.score(best)
    if best != "human" and runner == "human" and evidence.margin("human") > 0 and \
            evidence.in_abstract.words("population", "human") and evidence.in_abstract.words("population", best):
        detail = (f"{quote(evidence.in_abstract.words('population', best)[:3])} and "
                  f"{quote(evidence.in_abstract.words('population', 'human')[:3])}")
        return Derived(value=Population.MIXED, why=f"both {_MODEL_POPULATIONS[best].value} and people: {detail}",
                       confidence=round(min(score.probability, evidence.score("human").probability), 2))
    return Derived(value=_MODEL_POPULATIONS[best], why=evidence.why(score), confidence=round(score.probability, 2))


# design -----------------------------------------------------------------------------------------------------------
def said_randomised(evidence: Evidence) -> str | None:
    if evidence.in_title.words("randomised", "no") or evidence.in_abstract.words("randomised", "no"):
        return None
    return evidence.in_title.first("randomised", "yes") or evidence.in_abstract.first("randomised", "yes")


def design(evidence: Evidence, types: set[str], population: Population | None, indexing: str) -> Derived[Design]:
    citation = evidence.citation
    if citation.registration is not None:
        return _registered(citation)
    by_type = next(((name, d) for name, d in cues.PUBLICATION_TYPE_DESIGNS if name in types), None)
    rules = _cue_design(evidence, population)
    if population is Population.ANIMAL and (by_type is None or by_type[1] not in REVIEW_DESIGNS) and \
            (rules is None or rules.value not in REVIEW_DESIGNS):
        return Derived(value=Design.ANIMAL, why="a study of animals (see population)", confidence=None)
    if population is Population.CELLS and (by_type is None or by_type[1] not in REVIEW_DESIGNS) and \
            (rules is None or rules.value not in REVIEW_DESIGNS):
        return Derived(value=Design.IN_VITRO, why="laboratory work on cells or tissue (see population)")
    if by_type is not None:
        return _by_type(evidence, by_type, rules, indexing)
    if rules is not None and rules.why.startswith(TITLE_SAYS):  # the title names its design: nothing to weigh
        return rules
    comment = _NOT_A_REPORT.match(evidence.title)
    if comment:
        return Derived(why=f"the title opens '{comment.group(0).strip()}': a comment on a study, not its report")
    if not evidence.abstract:
        return Derived(why="no abstract, and the title names no design: not guessed from the title's words alone")
    learned = _learned(evidence, population)
    if learned is not None:
        return learned
    if rules is not None:
        return rules
    ignored = [t for t in citation.publication_types if t in dict(cues.PUBLICATION_TYPE_DESIGNS)] if not types else []
    if ignored:  # automated indexing only, and the text says nothing: the type is all there is
        chosen = dict(cues.PUBLICATION_TYPE_DESIGNS)[ignored[0]]
        return Derived(value=chosen, why=f"only the automated publication type '{ignored[0]}' says so ({indexing}): "
                                         "check it", guess=True, confidence=0.5)
    not_study = sorted(set(citation.publication_types) & cues.NOT_STUDY_TYPES)
    if not_study:
        return Derived(why=f"a {quote(not_study)}, not a study report, and no design cue in the text")
    return Derived(why="no publication type, and the words of the title and abstract settle no design")


def _registered(citation: Citation) -> Derived[Design]:
    r = citation.registration
    assert r is not None  # called for a registered trial only
    where = f"{r.registry} lists"
    if (r.study_type or "").upper() == "OBSERVATIONAL":
        return Derived(value=Design.COHORT, why=f"{where} an observational study", confidence=REGISTRY)
    if (r.allocation or "").upper() == "RANDOMIZED":
        return Derived(value=Design.RCT, why=f"{where} allocation RANDOMIZED", confidence=REGISTRY)
    if (r.allocation or "").upper() == "NON_RANDOMIZED":
        return Derived(value=Design.NON_RANDOMISED_CONTROLLED, why=f"{where} allocation NON_RANDOMIZED",
                       confidence=REGISTRY)
    if (r.model or "").upper() == "SINGLE_GROUP":
        return Derived(value=Design.SINGLE_ARM, why=f"{where} a single-group model", confidence=REGISTRY)
    return Derived(why=f"{where} no allocation or model: the design is for the curator to read")


def _by_type(evidence: Evidence, by_type, rules: Derived | None, indexing: str) -> Derived[Design]:
    name, chosen = by_type
    why = f"publication type '{name}' ({indexing})"
    if chosen is Design.RCT and rules is not None and rules.value is Design.SPLIT_BODY_RCT:
        return Derived(value=Design.SPLIT_BODY_RCT, why=f"{why}, within-person: {rules.why}", confidence=TRUSTED)
    randomised = said_randomised(evidence)
    if chosen is Design.NON_RANDOMISED_CONTROLLED and randomised:
        return Derived(value=Design.RCT, why=f"{why}, and the text says '{randomised}'", confidence=TRUSTED)
    if chosen is Design.NARRATIVE_REVIEW and rules is not None and rules.value in (
            Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW, Design.GUIDELINE):
        return rules  # the 'Systematic Review' type only exists since 2019; older ones are 'Review'
    if chosen is Design.CASE_REPORT and rules is not None and rules.value is Design.CASE_SERIES:
        return Derived(value=Design.CASE_SERIES, why=f"{why}, several patients: {rules.why}", confidence=TRUSTED)
    return Derived(value=chosen, why=why, confidence=TRUSTED)


def _learned(evidence: Evidence, population: Population | None) -> Derived[Design] | None:
    """The model's study types, weighed against each other: the one furthest above its threshold wins."""
    candidates = [label for label in _MODEL_DESIGNS if evidence.margin(label) > 0]
    if population in (Population.ANIMAL, Population.CELLS):
        candidates = [label for label in candidates if label in ("systematic", "review")]
    if not candidates:
        return None
    label = max(candidates, key=evidence.margin)
    score = evidence.score(label)
    chosen = _MODEL_DESIGNS[label]
    why = evidence.why(score)
    confidence = round(score.probability, 2)
    if chosen is Design.SYSTEMATIC_REVIEW and ({"t.meta", "a.meta"} & evidence.features) and \
            evidence.in_title.words("design-title", Design.META_ANALYSIS.value) + \
            evidence.in_abstract.words("design-abstract", Design.META_ANALYSIS.value):
        chosen = Design.META_ANALYSIS
        why += "; it pools results (meta-analysis)"
    elif chosen is Design.RCT:
        randomised = said_randomised(evidence)
        if not randomised:  # a trial is called randomised only when its report says so
            return None
        within = evidence.in_title.words("design-title", Design.SPLIT_BODY_RCT.value) or \
            evidence.in_abstract.words("design-abstract", Design.SPLIT_BODY_RCT.value)
        if within:
            chosen = Design.SPLIT_BODY_RCT
            why += f"; within-person: '{within[0]}'"
    elif chosen is Design.CASE_REPORT:
        case = cues.case_cue(evidence.abstract)
        series = evidence.in_title.words("design-title", Design.CASE_SERIES.value)
        if series or (case is not None and case[0] is Design.CASE_SERIES):
            chosen = Design.CASE_SERIES
            why += f"; several patients: '{series[0] if series or case is None else case[1]}'"
    return Derived(value=chosen, why=why, confidence=confidence)


def _cue_design(evidence: Evidence, population: Population | None) -> Derived[Design] | None:
    """The first design a cue phrase names, title first (guidelines, within-person trials, cohorts, non-randomised
    and single-arm studies, case series; the others too, for records the model does not settle)."""
    randomised = said_randomised(evidence)
    for where, scan, kind, text in (("title", evidence.in_title, "design-title", evidence.title),
                                    ("abstract", evidence.in_abstract, "design-abstract", evidence.abstract)):
        found = {m.id: m.text for m in reversed(scan.matches) if m.kind == kind}  # the first of each design
        case = cues.case_cue(text)
        if case is not None:
            found.setdefault(case[0].value, case[1])
        sure = TITLE_CUE if where == "title" else CUE
        for candidate in cues.DESIGN_ORDER:
            words = found.get(candidate.value)
            if words is None:
                continue
            if population in (Population.ANIMAL, Population.CELLS) and candidate in HUMAN_DESIGNS:
                continue
            if candidate is Design.SPLIT_BODY_RCT:
                if randomised:
                    return Derived(value=candidate, why=f"the {where} says '{words}' and the text says "
                                                        f"'{randomised}'", confidence=sure)
                return Derived(value=Design.NON_RANDOMISED_CONTROLLED, confidence=sure,
                               why=f"the {where} says '{words}' (within-person) without saying randomised")
            if candidate is Design.RCT and not randomised:
                continue
            return Derived(value=candidate, why=f"the {where} says '{words}'", confidence=sure)
    return None


def reconcile(population: Derived[Population], design: Derived[Design]) -> Derived[Population]:
    """Make population agree with design (docs/data.md): primary human designs are studies of people."""
    if design.value in HUMAN_DESIGNS and population.value is not Population.HUMAN:
        note = f"; {population.why}" if population.value is not None else ""
        return Derived(value=Population.HUMAN, why=f"a {design.value.label} is a study of people{note}",
                       confidence=design.confidence)
    return population
