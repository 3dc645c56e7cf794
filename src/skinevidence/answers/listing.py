"""What the evidence base holds: the intervention index, one study as it reads, and the database's counts."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Status, Study
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import grade_intervention, is_human
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest


class InterventionSummary(BaseModel):
    id: str
    name: str
    kind: str
    parent: str | None
    aliases: list[str]
    inci_names: list[str]
    human_studies: int
    preclinical_studies: int
    best_certainty: Certainty
    best_outcome: str | None


class StudyView(BaseModel):
    study: Study
    reviews: list[str]
    includes: list[str]
    names: dict[str, str]
    references: list[Reference]


class Stats(BaseModel):
    counts: dict


def list_interventions(catalog: Catalog) -> list[InterventionSummary]:
    summaries = []
    for intervention in catalog.interventions.values():
        pairs = catalog.findings(intervention.id)
        human = {s.id for s, _ in pairs if is_human(s) and s.status is Status.PUBLISHED}
        preclinical = {s.id for s, _ in pairs if not is_human(s)}
        grades = [g for g in grade_intervention(catalog, intervention.id) if not g.harm_outcome]
        best = strongest(grades)
        summaries.append(InterventionSummary(
            id=intervention.id, name=intervention.name, kind=intervention.kind, parent=intervention.parent,
            aliases=intervention.aliases,
            inci_names=[e.name for e in catalog.evidence.inci if e.intervention == intervention.id],
            human_studies=len(human), preclinical_studies=len(preclinical),
            best_certainty=best.certainty if best else Certainty.NO_EVIDENCE,
            best_outcome=best.outcome if best else None))
    return summaries


def show_study(catalog: Catalog, name: str) -> StudyView:
    study = catalog.resolve_study(name)
    includes = [s.id for s in catalog.studies.values() if study.id in s.included_in]
    return StudyView(study=study, reviews=study.included_in, includes=includes,
                     names={**{i.id: i.name for i in catalog.interventions.values()},
                            **{o.id: o.name for o in catalog.outcomes.values()}},
                     references=references_for_ids(catalog, [study.id, *study.included_in, *includes]))
