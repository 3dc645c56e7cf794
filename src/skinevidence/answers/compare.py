"""Comparison tables: several interventions side by side, on one outcome or on each one's strongest evidence."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Direction, Route
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import FollowUp, TimeToResults, grade_intervention, grade_outcome
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strength, strongest


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
    participants_text: str = ""
    effect: str | None = None
    follow_up: FollowUp | None = None


class Comparison(BaseModel):
    title: str
    outcome: str | None
    rows: list[ComparisonRow]
    notes: list[str]
    names: dict[str, str]
    references: list[Reference]


def compare(catalog: Catalog, names: list[str], outcome: str | None = None) -> Comparison:
    """One row per intervention: its best grade for ``outcome`` across routes, or its strongest evidence."""
    if len(names) < 2:
        raise InputError("compare needs at least two interventions")
    ids = list(dict.fromkeys(catalog.resolve_intervention(n) for n in names))
    outcome_id = catalog.resolve_outcome(outcome) if outcome else None
    rows, keys = [], {}
    for intervention in ids:
        if outcome_id:
            candidates = grade_outcome(catalog, intervention, outcome_id)
        else:
            candidates = grade_intervention(catalog, intervention)
        best = strongest(candidates)
        if best is None:
            name = catalog.interventions[intervention].name
            rows.append(ComparisonRow(
                intervention=intervention, name=name, outcome=outcome_id, route=None,
                certainty=Certainty.NO_EVIDENCE, direction=None, studies_by_design={}, participants=0,
                participants_text="0",
                time_to_results=None, refs=[], statement=f"No study of {name} is coded in the evidence base."))
            continue
        keys[intervention] = strength(best)
        rows.append(ComparisonRow(
            intervention=intervention, name=catalog.interventions[intervention].name, outcome=best.outcome,
            route=best.route, certainty=best.certainty, direction=best.direction, statement=best.statement,
            studies_by_design=best.studies_by_design, participants=best.participants,
            participants_text=best.participants_text, effect=best.effect, follow_up=best.follow_up,
            time_to_results=best.time_to_results, refs=best.rating_studies or best.preclinical_studies))
    rows.sort(key=lambda r: (r.intervention in keys, keys.get(r.intervention, ())), reverse=True)
    notes = [("Time to results: the first assessed timepoint at which the rating studies reported a difference "
              "(median, range), apart from how long they followed people. Effect: the size of the effect the "
              "largest rating study or review reports.")]
    if outcome_id is None:
        notes.insert(0, "Each row shows that intervention's strongest human evidence, on whatever outcome it is; "
                        "use --outcome to compare on one outcome.")
        title = "Strongest evidence for each intervention"
    else:
        title = f"{catalog.outcomes[outcome_id].name}: best evidence for each intervention"
    refs = list(dict.fromkeys(r for row in rows for r in row.refs))
    return Comparison(title=title, outcome=outcome_id, rows=rows, notes=notes,
                      names={o.id: o.name for o in catalog.outcomes.values()},
                      references=references_for_ids(catalog, refs))
