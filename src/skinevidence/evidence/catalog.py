"""The evidence base indexed in memory: families of interventions and outcomes, and name look-up.

A name resolves through ids, aliases and INCI names, case- and punctuation-insensitively; a near miss raises
:class:`NotFound` with "did you mean" suggestions.
"""

from __future__ import annotations

import difflib
import functools
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache
from typing import Concatenate, ParamSpec, TypeVar

from skinevidence.errors import NotFound
from skinevidence.evidence.files import EvidenceSet
from skinevidence.evidence.models import Finding, Intervention, InterventionKind, Outcome, Study

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """Lower case, punctuation and hyphens to spaces, single spaces: 'Vitamin-C' and 'vitamin c' meet."""
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", name.casefold())).strip()


class Catalog:
    """Every record of one evidence base, with the indexes that grading and answers need."""

    def __init__(self, evidence: EvidenceSet):
        self.evidence = evidence
        self.interventions: dict[str, Intervention] = {i.id: i for i in evidence.interventions}
        self.outcomes: dict[str, Outcome] = {o.id: o for o in evidence.outcomes}
        self.studies: dict[str, Study] = {s.id: s for s in evidence.studies}
        self._intervention_children = _children(self.interventions)
        self._outcome_children = _children(self.outcomes)
        self.findings_by_intervention: dict[str, list[tuple[Study, Finding]]] = defaultdict(list)
        for study in evidence.studies:
            for finding in study.findings:
                self.findings_by_intervention[finding.intervention].append((study, finding))
        self.kinds = _effective_kinds(self.interventions, self._intervention_children)
        self.intervention_names = _names(evidence.interventions)
        for entry in evidence.inci:
            self.intervention_names.setdefault(normalise(entry.name), entry.intervention)
        self.outcome_names = _names(evidence.outcomes)
        self.family = cache(self._family)
        self.outcome_family = cache(self._outcome_family)

    # families -------------------------------------------------------------------------------------------------
    def _family(self, intervention_id: str) -> frozenset[str]:
        """The intervention and all its descendants: evidence on plant exosomes counts for exosomes."""
        return _descendants(intervention_id, self._intervention_children)

    def _outcome_family(self, outcome_id: str) -> frozenset[str]:
        return _descendants(outcome_id, self._outcome_children)

    def lineage(self, intervention_id: str) -> list[str]:
        """The intervention and its ancestors, nearest first."""
        chain = [intervention_id]
        while (parent := self.interventions[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain

    def checklist(self, intervention_id: str) -> str | None:
        """The transparency checklist for an intervention, inherited from the nearest ancestor that has one."""
        return next((self.interventions[i].checklist for i in self.lineage(intervention_id)
                     if self.interventions[i].checklist), None)

    def related(self, intervention_id: str) -> frozenset[str]:
        """Ancestors and descendants: interventions that are the same thing at another level."""
        return frozenset(self.lineage(intervention_id)) | self.family(intervention_id)

    def findings(self, intervention_id: str) -> list[tuple[Study, Finding]]:
        """Every (study, finding) pair about the intervention or its descendants."""
        return [pair for member in sorted(self.family(intervention_id))
                for pair in self.findings_by_intervention.get(member, [])]

    # names ----------------------------------------------------------------------------------------------------
    def resolve_intervention(self, name: str) -> str:
        return _resolve(name, self.intervention_names, "intervention")

    def resolve_outcome(self, name: str) -> str:
        return _resolve(name, self.outcome_names, "outcome")

    def resolve_study(self, name: str) -> Study:
        key = name.strip()
        if key in self.studies:
            return self.studies[key]
        bare = key.casefold().removeprefix("https://doi.org/").removeprefix("doi:").removeprefix("pmid:").strip()
        for study in self.studies.values():
            if bare in {(study.doi or "").casefold(), study.pmid or "", (study.pmcid or "").casefold()} - {""}:
                return study
        suggestions = difflib.get_close_matches(key, list(self.studies), n=3, cutoff=0.6)
        raise NotFound(f"no study {name!r} in the evidence base.", suggestions)


P = ParamSpec("P")
R = TypeVar("R")


def per_catalog(function: Callable[Concatenate[Catalog, P], R]) -> Callable[Concatenate[Catalog, P], R]:
    """Cache ``function(catalog, *args)`` for as long as the catalog lives. A catalog never changes once built, so
    what is derived from it (grades, compiled lexicons) is computed once; each function owns its own cache, typed
    by its own signature, and the cache goes when the catalog goes."""
    caches: weakref.WeakKeyDictionary[Catalog, dict[tuple[object, ...], R]] = weakref.WeakKeyDictionary()

    @functools.wraps(function)
    def cached(catalog: Catalog, *args: P.args, **kwargs: P.kwargs) -> R:
        table = caches.setdefault(catalog, {})
        key = (*args, *sorted(kwargs.items()))
        if key not in table:
            table[key] = function(catalog, *args, **kwargs)
        return table[key]
    return cached


def _effective_kinds(interventions: dict[str, Intervention],
                     children: dict[str, list[str]]) -> dict[str, InterventionKind]:
    """What each intervention is used as: its own kind, or for a class the kind most of its members have
    (a class of ingredients is applied like an ingredient; a class of lasers is a procedure)."""
    def kind(intervention_id: str) -> InterventionKind:
        own = interventions[intervention_id].kind
        if own is not InterventionKind.CLASS:
            return own
        members = Counter(kind(child) for child in children.get(intervention_id, []))
        return members.most_common(1)[0][0] if members else InterventionKind.INGREDIENT
    return {intervention_id: kind(intervention_id) for intervention_id in interventions}


def _children(records: dict) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for record in records.values():
        if record.parent:
            children[record.parent].append(record.id)
    return children


def _descendants(root: str, children: dict[str, list[str]]) -> frozenset[str]:
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)


def _names(records) -> dict[str, str]:
    names: dict[str, str] = {}
    for record in records:
        for name in (record.id, record.name, *record.aliases):
            names.setdefault(normalise(name), record.id)
    return names


def _resolve(name: str, names: dict[str, str], kind: str) -> str:
    key = normalise(name)
    if key in names:
        return names[key]
    if key.endswith("s") and key[:-1] in names:
        return names[key[:-1]]
    matches = difflib.get_close_matches(key, list(names), n=5, cutoff=0.75)
    suggestions = list(dict.fromkeys(names[m] for m in matches))[:3]
    raise NotFound(f"no {kind} called {name!r} in the evidence base.", suggestions)
