"""Comparison tables: several interventions side by side, on one outcome or on each one's strongest evidence."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Direction, Route
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import FollowUp, Grade, TimeToResults, grade_intervention, grade_outcome, is_human
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest, weakness


class ComparisonRow(BaseModel):
    intervention: str
    name: str
    outcome: str | None
    route: Route | None
    certainty: Certainty
    direction: Direction | None
    statement: str
    studies_by_design: dict[str, int]
    participants: int
    time_to_results: TimeToResults | None
    refs: list[str]
    results_reported_by_weeks: float | None = None  # no first difference stated: results were read at this week
    participants_text: str = ""  # "472", "at least 40", "not reported"
    effect: str | None = None  # the size of the effect, in words (docs/method.md, "Effect sizes")
    follow_up: FollowUp | None = None


class Comparison(BaseModel):
    title: str
    outcome: str | None
    rows: list[ComparisonRow]
    notes: list[str]
    names: dict[str, str]
    references: list[Reference]


def shared_outcome(catalog: Catalog, ids: list[str]) -> str | None:
    """The outcome every one of ``ids`` was studied for in people (an outcome counts with its more specific ones),
    with the most human studies among them; ties go to the vocabulary's order. None when they share none."""
    studied: dict[str, set[str]] = {}
    for intervention in ids:
        seen: set[str] = set()
        for study, finding in catalog.findings(intervention):
            if is_human(study, finding, catalog) and not catalog.outcomes[finding.outcome].harm \
                    and not catalog.outcomes[finding.outcome].surrogate:
                seen.add(finding.outcome)
        studied[intervention] = seen
    counts: dict[str, int] = {}
    for outcome in catalog.outcomes:
        family = catalog.outcome_family(outcome)
        if all(studied[i] & family for i in ids):
            counts[outcome] = len({s.id for i in ids for s, f in catalog.findings(i)
                                   if f.outcome in family and is_human(s, f, catalog)})
    order = list(catalog.outcomes)
    return min(counts, key=lambda o: (-counts[o], order.index(o)), default=None)


def compare(catalog: Catalog, names: list[str], outcome: str | None = None) -> Comparison:
    """One row per intervention: its best grade for ``outcome`` across routes; without an outcome, on the outcome
    they all share (``shared_outcome``), else each one's strongest evidence. Rows are ordered by the one
    strongest-grade rule."""
    if len(names) < 2:
        raise InputError("compare needs at least two interventions")
    ids = list(dict.fromkeys(catalog.resolve_intervention(n) for n in names))
    outcome_id = catalog.resolve_outcome(outcome) if outcome else shared_outcome(catalog, ids)
    chosen_for_you = outcome is None and outcome_id is not None
    graded: list[tuple[ComparisonRow, Grade | None]] = []
    for intervention in ids:
        if outcome_id:
            candidates = grade_outcome(catalog, intervention, outcome_id)
        else:
            candidates = grade_intervention(catalog, intervention)
        best = strongest(candidates)
        name = catalog.interventions[intervention].name
        if best is None:
            graded.append((ComparisonRow(
                intervention=intervention, name=name, outcome=outcome_id, route=None,
                certainty=Certainty.NO_EVIDENCE, direction=None, studies_by_design={}, participants=0,
                participants_text="0", time_to_results=None, refs=[],
                statement=f"No study of {name} is coded in the evidence base."), None))
            continue
        graded.append((ComparisonRow(
            intervention=intervention, name=name, outcome=best.outcome,
            route=best.route, certainty=best.certainty, direction=best.direction, statement=best.statement,
            studies_by_design=best.studies_by_design, participants=best.participants,
            participants_text=best.participants_text, effect=best.effect, follow_up=best.follow_up,
            time_to_results=first_difference(best.time_to_results),
            results_reported_by_weeks=best.time_to_results.max_weeks if best.time_to_results
            and best.time_to_results.upper_bound else None,
            refs=best.rating_studies or best.preclinical_studies), best))
    graded.sort(key=lambda pair: (pair[1] is None, weakness(pair[1]) if pair[1] is not None else ()))
    rows = [row for row, _ in graded]
    notes = [("Time to results: the first timepoint at which the rating studies reported a difference (median, "
              "range); where a study assessed only at the end of its follow-up, no time is given. Effect: the size "
              "of the effect the largest rating study or review reports.")]
    if outcome_id is None:
        notes.insert(0, "They share no outcome studied in people: each row shows that intervention's strongest "
                        "human evidence, on whatever outcome it is; use --outcome to compare on one outcome.")
        title = "Strongest evidence for each intervention"
    else:
        title = f"{catalog.outcomes[outcome_id].name}: best evidence for each intervention"
        if chosen_for_you:
            notes.insert(0, f"Compared on {catalog.outcomes[outcome_id].name.lower()}, the outcome all of them were "
                            "studied for in people (most studies); use --outcome to choose another.")
    refs = list(dict.fromkeys(r for row in rows for r in row.refs))
    return Comparison(title=title, outcome=outcome_id, rows=rows, notes=notes,
                      names={o.id: o.name for o in catalog.outcomes.values()},
                      references=references_for_ids(catalog, refs))


def first_difference(time: TimeToResults | None) -> TimeToResults | None:
    """Time to results only where a study stated when a difference was first seen, never the end of a follow-up."""
    return None if time is None or time.upper_bound else time
