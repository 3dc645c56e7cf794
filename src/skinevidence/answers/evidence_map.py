"""The evidence map and the design pyramid as plain data: what the plots draw and the pages print as tables (the
text alternative to each picture). Drawing them is ``render.plots``' job."""

from __future__ import annotations

from dataclasses import dataclass, field

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Design, Status
from skinevidence.grading.grade import Grade, grade_intervention
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest

#: The pyramid's levels, strongest design on top (GRADE's starting levels, then cell and animal work).
LEVELS = [Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW, Design.RCT, Design.SPLIT_BODY_RCT,
          Design.NON_RANDOMISED_CONTROLLED, Design.COHORT, Design.SINGLE_ARM, Design.CASE_SERIES,
          Design.CASE_REPORT, Design.ANIMAL, Design.IN_VITRO]


@dataclass
class MapCell:
    intervention: str
    outcome: str
    certainty: Certainty
    participants: int
    route: str | None
    statement: str


@dataclass
class MapData:
    """Interventions x outcomes: per cell the strongest grade over routes (colour) and its participants (size)."""

    interventions: list[tuple[str, str]]  # (id, name), rows top to bottom
    outcomes: list[tuple[str, str]]  # (id, name), columns left to right
    cells: list[MapCell] = field(default_factory=list)
    highlight: str | None = None  # an outcome column to shade (compare --outcome)

    def cell(self, intervention: str, outcome: str) -> MapCell | None:
        return next((c for c in self.cells if c.intervention == intervention and c.outcome == outcome), None)

    def rows(self) -> list[tuple[str, str, list[MapCell | None]]]:
        """For tables: each intervention with its cell per outcome column (None where nothing is graded)."""
        index = {(c.intervention, c.outcome): c for c in self.cells}
        return [(i, name, [index.get((i, o)) for o, _ in self.outcomes]) for i, name in self.interventions]

    @property
    def alt(self) -> str:
        human = sum(c.certainty.is_human for c in self.cells)
        return (f"Evidence map of {len(self.interventions)} interventions by {len(self.outcomes)} outcomes: "
                f"{human} combinations studied in people, {len(self.cells) - human} in cells or animals only. "
                "Colour shows the certainty of the evidence, circle size the number of participants. "
                "The table that follows gives the same data.")


@dataclass
class PyramidData:
    intervention: str
    name: str
    levels: list[tuple[str, int, bool]]  # (design label, studies, human?) strongest first
    registered: int  # registered trials without results, not drawn

    @property
    def total(self) -> int:
        return sum(n for _, n, _ in self.levels)

    @property
    def alt(self) -> str:
        counted = [f"{n} {label}" for label, n, _ in self.levels if n]
        listed = "; ".join(counted) if counted else "no studies"
        return f"Design pyramid for {self.name}, strongest designs on top: {listed}."


def map_data(catalog: Catalog, interventions: list[str] | None = None, highlight: str | None = None) -> MapData:
    """The map for ``interventions`` (default: every intervention with graded evidence), over the outcomes any of
    them is graded for, in the vocabulary's order."""
    chosen = interventions if interventions is not None else list(catalog.interventions)
    cells: list[MapCell] = []
    for intervention in chosen:
        by_outcome: dict[str, list[Grade]] = {}
        for g in grade_intervention(catalog, intervention):
            by_outcome.setdefault(g.outcome, []).append(g)
        for outcome, grades in by_outcome.items():
            best = strongest(grades, harms=True)
            if best is None or best.certainty is Certainty.NO_EVIDENCE:
                continue
            cells.append(MapCell(intervention=intervention, outcome=outcome, certainty=best.certainty,
                                 participants=best.participants, route=best.route.label if best.route else None,
                                 statement=best.statement))
    rows = [i for i in chosen if any(c.intervention == i for c in cells)] if interventions is None else chosen
    used = {c.outcome for c in cells} | ({highlight} if highlight else set())
    return MapData(interventions=[(i, catalog.interventions[i].name) for i in rows],
                   outcomes=[(o.id, o.name) for o in catalog.outcomes.values() if o.id in used],
                   cells=cells, highlight=highlight)


def pyramid_data(catalog: Catalog, intervention: str) -> PyramidData:
    """Published studies of the intervention (and its children) counted by design."""
    studies = {s.id: s for s, _ in catalog.findings(intervention)}
    published = [s for s in studies.values() if s.status is Status.PUBLISHED]
    levels = []
    for design in LEVELS:
        count = sum(1 for s in published if s.design is design)
        levels.append((design.label, count, not design.is_preclinical))
    registered = sum(1 for s in studies.values() if s.status is not Status.PUBLISHED)
    return PyramidData(intervention=intervention, name=catalog.interventions[intervention].name, levels=levels,
                       registered=registered)
