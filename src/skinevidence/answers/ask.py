"""Plain questions ("does exosome microneedling help acne scars?") mapped to intervention x outcome x route and
answered with the same grades and statements as the report."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Route
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import Grade, cells, grade, grade_outcome
from skinevidence.text.mapping import map_text

MAX_QUESTION_CHARS = 2000


class Answer(BaseModel):
    question: str
    interventions: list[str]
    outcomes: list[str]
    route: Route | None
    summary: str
    grades: list[Grade]
    notes: list[str]
    names: dict[str, str]
    references: list[Reference]


def ask(catalog: Catalog, question: str) -> Answer:
    question = question.strip()
    if not question:
        raise InputError("the question is empty: ask e.g. \"does retinol help wrinkles?\"")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(question):,} characters; ask in under {MAX_QUESTION_CHARS:,} "
                         "(to check a whole text, use 'skinevidence check')")
    mapping = map_text(catalog, question)
    if not mapping.interventions:
        words = [w.strip("?!.,;:'\"") for w in question.split()]
        suggestions = []
        for word in words:
            if len(word) > 3:
                try:
                    catalog.resolve_intervention(word)
                except NotFound as exc:
                    suggestions += exc.suggestions
        raise NotFound("could not tell which ingredient or treatment the question is about; name one, e.g. "
                       "\"does niacinamide help redness?\" ('skinevidence list' shows them all).",
                       list(dict.fromkeys(suggestions))[:3])
    grades, notes = [], []
    for intervention in mapping.interventions:
        outcomes = mapping.outcomes or _studied_outcomes(catalog, intervention)
        if not mapping.outcomes:
            notes.append(f"No outcome named: showing what {catalog.interventions[intervention].name} is studied for.")
        for outcome in outcomes:
            grades += _grades_for(catalog, intervention, outcome, mapping.route, notes)
    summary = " ".join(dict.fromkeys(g.statement for g in grades if g.route == mapping.route or not mapping.route))
    if not summary:
        summary = " ".join(dict.fromkeys(g.statement for g in grades))
    refs = [s for g in grades for s in (g.rating_studies or g.preclinical_studies)]
    return Answer(question=question, interventions=mapping.interventions, outcomes=mapping.outcomes,
                  route=mapping.route, summary=summary, grades=grades, notes=list(dict.fromkeys(notes)),
                  names={**{i.id: i.name for i in catalog.interventions.values()},
                         **{o.id: o.name for o in catalog.outcomes.values()}},
                  references=references_for_ids(catalog, refs))


def _studied_outcomes(catalog: Catalog, intervention: str) -> list[str]:
    return list(dict.fromkeys(o for o, _ in cells(catalog, intervention) if not catalog.outcomes[o].harm))


def _grades_for(catalog: Catalog, intervention: str, outcome: str, route: Route | None, notes: list[str]) -> list[Grade]:
    by_route = grade_outcome(catalog, intervention, outcome)
    if route is None:
        return by_route
    asked = grade(catalog, intervention, outcome, route)
    if asked.certainty.is_human:
        return [asked]
    others = [g for g in by_route if g.route is not None and g.route is not route]
    if others:
        notes.append(f"No graded human evidence for {route.label}; evidence by other routes is shown for context "
                     "and does not carry over.")
    return [asked, *others]
