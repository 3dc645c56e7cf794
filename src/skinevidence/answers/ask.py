"""Plain questions answered from the matching part of the evidence base: "does exosome microneedling help acne
scars?" from the grades, "is it safe in pregnancy?" from the safety records of that kind, "is it legal in the US?"
from the regulation of that jurisdiction, "what works best for melasma?" from the options for that outcome, and so
on (docs/answers.md, "Questions"). The intent is read by ``answers.intents``."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.answers.compare import Comparison, compare
from skinevidence.answers.intents import Intent, Reading
from skinevidence.answers.options import one_per_family, options_for
from skinevidence.answers.summary import ADVICE_WORDS, Point, key_refs, safety_points, short_name
from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Direction, Route, SafetyKind, SafetySignal, Status
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import Grade, cells, grade, grade_intervention, grade_outcome, is_human
from skinevidence.text.mapping import Mapping, map_text

MAX_QUESTION_CHARS = 2000


CAN_ANSWER = ("I can answer: does X work (for Y), is X safe, can I use X while pregnant or breastfeeding, is X "
              "legal or approved where I live, what works best for Y, X versus Y, how long X takes to work, and how "
              "X was used in studies; X is an ingredient or treatment of the evidence base ('skinevidence list').")


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
    intent: str = Intent.EFFICACY.value  # efficacy, safety, pregnancy, lactation, regulation, best-for, versus, ...
    jurisdiction: str | None = None  # regulation: the jurisdiction answered for
    points: list[Point] = []  # the sourced facts behind the answer (safety, regulation, options, protocols)
    comparison: Comparison | None = None  # versus: the comparison table


def ask(catalog: Catalog, question: str, jurisdiction: str = "US") -> Answer:
    """Answer a plain question from the matching part of the base: grades by outcome for "does it work", safety
    records by kind, regulation by jurisdiction (the one the question names, else ``jurisdiction``), options for an
    outcome, a comparison, the time to a first difference, the protocols studies used."""
    question = question.strip()
    if not question:
        raise InputError("the question is empty: ask e.g. \"does retinol help wrinkles?\"")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(question):,} characters; ask in under {MAX_QUESTION_CHARS:,} "
                         "(to check a whole text, use 'skinevidence check')")
    mapping = map_text(catalog, question)
    reading = Reading(catalog, question, mapping)
    intent = reading.intent()
    unknown = reading.unknown_name
    if unknown and (intent is None or (Intent.VERSUS.value in reading.kinds and len(mapping.interventions) == 1)):
        raise NotFound(f"the evidence base holds nothing on {unknown!r} yet, so it cannot answer this about it (and "
                       "will not answer about another ingredient instead). " + CAN_ANSWER, _near(catalog, unknown))
    if intent is None:
        raise NotFound("could not tell which ingredient, treatment or skin concern the question is about. "
                       + CAN_ANSWER, _near(catalog, question))
    where = reading.jurisdiction or jurisdiction
    answer = ANSWERS[intent](catalog, mapping, where)
    refs = [*answer.pop("refs")]
    names = {**{i.id: i.name for i in catalog.interventions.values()},
             **{o.id: o.name for o in catalog.outcomes.values()}}
    return Answer(question=question, interventions=mapping.interventions, outcomes=mapping.outcomes,
                  route=mapping.route, names=names, intent=intent.value, references=references_for_ids(catalog, refs),
                  jurisdiction=where if intent is Intent.REGULATION else None, **answer)


def _near(catalog: Catalog, text: str) -> list[str]:
    """Did-you-mean suggestions for the words of ``text``."""
    suggestions: list[str] = []
    for word in (w.strip("?!.,;:'\"") for w in text.split()):
        if len(word) > 3:
            try:
                catalog.resolve_intervention(word)
            except NotFound as exc:
                suggestions += exc.suggestions
    return list(dict.fromkeys(suggestions))[:3]


def _efficacy(catalog: Catalog, mapping: Mapping, where: str) -> dict:
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
    return {"summary": summary, "grades": grades, "notes": list(dict.fromkeys(notes)), "refs": refs}


def _records(catalog: Catalog, intervention: str) -> list[SafetySignal]:
    related = catalog.related(intervention)
    return [s for s in catalog.evidence.safety if s.intervention in related]


def _harm_grades(catalog: Catalog, intervention: str) -> list[Grade]:
    return [g for g in grade_intervention(catalog, intervention)
            if g.harm_outcome and g.route is not None and g.certainty.is_human]


def _safety(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    points, grades = [], []
    for intervention in mapping.interventions:
        harms = _harm_grades(catalog, intervention)
        if mapping.route is not None:
            harms = [g for g in harms if g.route is mapping.route] or harms
        grades += harms
        name = short_name(catalog.interventions[intervention].name)
        points += [Point(text=f"{name}: {p.text}", refs=p.refs)
                   for p in safety_points(catalog, intervention, _records(catalog, intervention), harms)]
    summary = " ".join(p.text for p in points)
    return {"summary": summary, "grades": grades, "notes": [], "points": points,
            "refs": [r for p in points for r in p.refs]}


def _reproductive(kind: SafetyKind, label: str):
    def answer(catalog: Catalog, mapping: Mapping, where: str) -> dict:
        points = []
        for intervention in mapping.interventions:
            name = short_name(catalog.interventions[intervention].name)
            found = [r for r in _records(catalog, intervention) if r.kind is kind]
            if not found:
                points.append(Point(text=f"{name} {label}: the evidence base holds no record (no regulator's label, "
                                         "teratology service or review read yet). Ask a doctor or pharmacist."))
            for record in found:
                advice = ADVICE_WORDS[record.advice] if record.advice else "no advice stated"
                points.append(Point(text=f"{name} {label}: {advice}. {record.statement}", refs=[record.id]))
        return {"summary": " ".join(p.text for p in points), "grades": [], "notes": [], "points": points,
                "refs": [r for p in points for r in p.refs]}
    return answer


def _regulation(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    points, notes = [], []
    for intervention in mapping.interventions:
        related = catalog.related(intervention)
        facts = [f for f in catalog.evidence.regulation if f.intervention is None or f.intervention in related]
        if mapping.route is not None:
            by_route = [f for f in facts if not f.routes or mapping.route in f.routes]
            facts = by_route or facts
        name = short_name(catalog.interventions[intervention].name)
        here = [f for f in facts if f.jurisdiction == where]
        for fact in here:
            who = " ".join(part for part in (fact.authority, f"({fact.date.year})" if fact.date else "") if part)
            points.append(Point(text=f"{name}, {where}{', ' + who if who else ''}: {fact.statement}", refs=[fact.id]))
        if not here:
            elsewhere = sorted({f.jurisdiction for f in facts} - {where})
            points.append(Point(text=f"{name}: the evidence base holds no regulator's statement for {where}"
                                     + (f"; it has statements for {', '.join(elsewhere)}." if elsewhere else ".")))
    if mapping.route is not None:
        notes.append(f"Read for {mapping.route.label}, where a regulator's statement names routes.")
    return {"summary": " ".join(p.text for p in points), "grades": [], "notes": notes, "points": points,
            "refs": [r for p in points for r in p.refs]}


def _best_for(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    points, grades = [], []
    named: dict[str, list[str]] = {}
    for outcome in mapping.outcomes:
        options = one_per_family(catalog, options_for(catalog, None, outcome))[:5]
        named[outcome] = [option.name for option in options]
        name = short_name(catalog.outcomes[outcome].name)
        if not options:
            points.append(Point(text=f"{name}: no intervention in the evidence base shows benefit in people yet."))
        for option in options:
            why = [f"{option.recommendation} in a guideline"] if option.recommendation else []
            if option.grade is not None:
                why.append(option.grade.statement)
                grades.append(option.grade)
            points.append(Point(text=f"{name}: {short_name(option.name)}: {'; '.join(why)}",
                                refs=[*option.recommendation_refs, *(key_refs(catalog, option.grade.rating_studies, 2)
                                                                     if option.grade else [])]))
    summary = " ".join(f"For {short_name(catalog.outcomes[o].name).lower()}, the best-proven options are "
                       f"{', '.join(short_name(n) for n in named[o])}." for o in mapping.outcomes if named.get(o))
    summary = summary or " ".join(p.text for p in points)
    return {"summary": summary, "grades": grades,
            "notes": ["First-line options in a guideline first, then by certainty of benefit (docs/answers.md)."],
            "points": points, "refs": [r for p in points for r in p.refs]}


def _versus(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    outcome = mapping.outcomes[0] if mapping.outcomes else None
    comparison = compare(catalog, mapping.interventions, outcome)
    grades = [g for row in comparison.rows if row.route is not None and row.outcome is not None
              for g in [grade(catalog, row.intervention, row.outcome, row.route)]]
    summary = " ".join(f"{short_name(row.name)}: {row.statement}" for row in comparison.rows)
    return {"summary": summary, "grades": grades, "notes": comparison.notes, "comparison": comparison,
            "refs": [r for row in comparison.rows for r in row.refs]}


def _time(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    found = _efficacy(catalog, mapping, where)
    points = []
    for g in found["grades"]:
        if not g.certainty.is_human or g.direction is not Direction.BENEFIT:
            continue
        subject = f"{short_name(catalog.interventions[g.intervention].name)}, {catalog.outcomes[g.outcome].name.lower()}"
        subject += f" ({g.route.label})" if g.route else ""
        time = g.time_to_results
        if time is None:
            text = f"{subject}: no study stated when a difference was first seen."
        elif time.upper_bound:
            text = (f"{subject}: no study stated when a difference was first seen; results were read at "
                    f"{time.max_weeks:g} weeks, the end of follow-up.")
        else:
            spread = "" if time.min_weeks == time.max_weeks else f" (range {time.min_weeks:g} to {time.max_weeks:g})"
            text = f"{subject}: a difference was first seen at {time.median_weeks:g} weeks{spread}."
        points.append(Point(text=text, refs=time.studies if time else g.rating_studies))
    if not points:
        points.append(Point(text="No graded benefit in people to time: see 'does it work' for what the evidence shows."))
    return {**found, "summary": " ".join(p.text for p in points), "points": points,
            "refs": [*found["refs"], *[r for p in points for r in p.refs]]}


def _usage(catalog: Catalog, mapping: Mapping, where: str) -> dict:
    points = []
    for intervention in mapping.interventions:
        name = short_name(catalog.interventions[intervention].name)
        seen = set()
        for study, finding in catalog.findings(intervention):
            if finding.protocol and is_human(study, finding, catalog) and study.status is Status.PUBLISHED and (
                    not mapping.outcomes or finding.outcome in {o for x in mapping.outcomes
                                                                for o in catalog.outcome_family(x)}) \
                    and (finding.protocol, study.id) not in seen:
                seen.add((finding.protocol, study.id))
                points.append(Point(text=f"{name}, {finding.route.label}, {catalog.outcomes[finding.outcome].name.lower()}"
                                         f": {finding.protocol}", refs=[study.id]))
        if not seen:
            points.append(Point(text=f"{name}: no study in the evidence base states how it was used. Follow the "
                                     "product's label or your doctor."))
    points = points[:8]
    return {"summary": "As used in the studies: " + " ".join(p.text for p in points), "grades": [],
            "notes": ["Protocols as the studies state them: what was tested, not a prescription."],
            "points": points, "refs": [r for p in points for r in p.refs]}


ANSWERS = {Intent.EFFICACY: _efficacy, Intent.SAFETY: _safety,
           Intent.PREGNANCY: _reproductive(SafetyKind.PREGNANCY, "in pregnancy"),
           Intent.LACTATION: _reproductive(SafetyKind.LACTATION, "while breastfeeding"),
           Intent.REGULATION: _regulation, Intent.BEST_FOR: _best_for, Intent.VERSUS: _versus,
           Intent.TIME: _time, Intent.USAGE: _usage}


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
