"""Options for an outcome: the interventions with human evidence of benefit for it or a guideline's positive
recommendation, first-line first, then by the one strongest-grade rule (docs/answers.md, "Alternatives"). The
report's alternatives, the one-screen summary and `ask` ("what works best for ...") all choose through here."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import Direction, InterventionKind, Route, Status
from skinevidence.grading.grade import Grade, grade, is_human
from skinevidence.grading.strongest import by_strength, strongest


class Option(BaseModel):
    """One alternative for an outcome: its strongest grade of benefit and a guideline's recommendation, if any."""

    intervention: str
    name: str
    grade: Grade | None
    recommendation: str | None
    recommendation_refs: list[str]


def guideline_recommendations(catalog: Catalog, intervention: str, outcome: str) -> list[tuple[str, str]]:
    """(recommendation, study id) from guideline findings on the intervention (or its members) for the outcome (or
    a more specific one), strongest recommendation first."""
    order = ["first-line", "recommended", "conditional", "insufficient-evidence", "not-recommended"]
    family = catalog.outcome_family(outcome)
    found = [(f.recommendation.value, s.id) for s, f in catalog.findings_by_intervention.get(intervention, [])
             if f.recommendation is not None and f.outcome in family and s.status is Status.PUBLISHED]
    return sorted(set(found), key=lambda pair: (order.index(pair[0]), pair[1]))


@per_catalog
def outcome_index(catalog: Catalog) -> dict[str, dict[str, set[Route]]]:
    """outcome -> intervention -> the routes it was studied by in people for that outcome (as coded), and
    guideline findings too (route included): built once per evidence base so that options are found without
    scanning every intervention's findings."""
    index: dict[str, dict[str, set[Route]]] = defaultdict(lambda: defaultdict(set))
    for intervention, pairs in catalog.findings_by_intervention.items():
        for study, finding in pairs:
            if is_human(study, finding, catalog):
                index[finding.outcome][intervention].add(finding.route)
    return index


@per_catalog
def options_for(catalog: Catalog, intervention: str | None, outcome: str) -> list[Option]:
    """Interventions for ``outcome`` (other than ``intervention`` and its family): those with human evidence of
    benefit or a guideline's positive recommendation. First-line options first (docs/answers.md), then by the one
    strongest-grade rule. Computed once per evidence base."""
    related = catalog.related(intervention) if intervention else frozenset()
    index = outcome_index(catalog)
    candidates: dict[str, set[Route]] = defaultdict(set)
    for member in catalog.outcome_family(outcome):
        for other, routes in index.get(member, {}).items():
            candidates[other] |= routes
    options = []
    for other in sorted(candidates):
        if other in related or catalog.interventions[other].kind is InterventionKind.CLASS:
            continue
        benefit = [g for g in (grade(catalog, other, outcome, r) for r in sorted(candidates[other]))
                   if g.certainty.is_human and g.direction is Direction.BENEFIT]
        best = strongest(benefit)
        recommendations = [r for r in guideline_recommendations(catalog, other, outcome)
                           if r[0] in ("first-line", "recommended")]
        if best is None and not recommendations:
            continue
        options.append(Option(intervention=other, name=catalog.interventions[other].name, grade=best,
                              recommendation=recommendations[0][0] if recommendations else None,
                              recommendation_refs=[sid for _, sid in recommendations][:1]))
    ranked = by_strength([o.grade for o in options if o.grade is not None])
    position = {id(g): n for n, g in enumerate(ranked)}
    rank = {"first-line": 0, "recommended": 1}
    options.sort(key=lambda o: (rank.get(o.recommendation or "", 2),
                                position[id(o.grade)] if o.grade is not None else len(ranked), o.intervention))
    return options


def one_per_family(catalog: Catalog, options: list[Option]) -> list[Option]:
    """The best-ranked option of each family (a class and its members, e.g. one retinoid), in order."""
    chosen, roots = [], set()
    for option in options:
        root = catalog.lineage(option.intervention)[-1]
        if root not in roots:
            roots.add(root)
            chosen.append(option)
    return chosen
