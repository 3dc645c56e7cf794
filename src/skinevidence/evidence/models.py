"""Typed records of the evidence base: what a reviewer writes in YAML, checked field by field.

Missing is always ``None`` (never ``""``): a field the source did not show is reported as "not reported".
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # record ids; they become file names (skinevidence.paths)
SLUG_MAX = 120
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
PMCID_RE = re.compile(r"^PMC\d{1,9}$")
IDENTIFIERS = {  # field -> (pattern, what a good value looks like)
    "doi": (DOI_RE, "a bare DOI like 10.1234/abc (no https://doi.org/ prefix)"),
    "pmid": (PMID_RE, "a PMID (digits only)"),
    "pmcid": (PMCID_RE, "a PMCID like PMC1234567"),
}
REGISTRY_RE = re.compile(r"^(NCT\d{8}|IRCT\w+|KCT\d{7}|ChiCTR[\w-]+|ISRCTN\d{8}|ACTRN\d{14}|CTRI/[\w/-]+|"
                         r"jRCT\w+|UMIN\d{9}|EUCTR[\w-]+|DRKS\d{8}|TCTR\d{11}|NL-OMON\d+|[A-Z]{2,6}-?\d{4,}[\w-]*)$")


class Design(StrEnum):
    META_ANALYSIS = "meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    SPLIT_BODY_RCT = "split-body-rct"
    NON_RANDOMISED_CONTROLLED = "non-randomised-controlled"
    COHORT = "cohort"
    SINGLE_ARM = "single-arm"
    CASE_SERIES = "case-series"
    CASE_REPORT = "case-report"
    NARRATIVE_REVIEW = "narrative-review"
    GUIDELINE = "guideline"
    ANIMAL = "animal"
    IN_VITRO = "in-vitro"

    @property
    def is_review(self) -> bool:
        return self in (Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW)

    @property
    def is_preclinical(self) -> bool:
        return self in (Design.ANIMAL, Design.IN_VITRO)

    @property
    def is_randomised(self) -> bool:
        return self in (Design.RCT, Design.SPLIT_BODY_RCT)

    @property
    def label(self) -> str:
        return DESIGN_LABELS[self]

    @property
    def short(self) -> str:
        return DESIGN_SHORT.get(self, self.value)


DESIGN_SHORT = {
    Design.META_ANALYSIS: "MA", Design.SYSTEMATIC_REVIEW: "SR", Design.RCT: "RCT", Design.SPLIT_BODY_RCT: "split RCT",
    Design.NON_RANDOMISED_CONTROLLED: "non-rand", Design.SINGLE_ARM: "before-after", Design.CASE_SERIES: "series",
    Design.CASE_REPORT: "case", Design.NARRATIVE_REVIEW: "narrative",
}

DESIGN_LABELS = {
    Design.META_ANALYSIS: "meta-analysis",
    Design.SYSTEMATIC_REVIEW: "systematic review",
    Design.RCT: "randomised trial",
    Design.SPLIT_BODY_RCT: "randomised split-face/split-body trial",
    Design.NON_RANDOMISED_CONTROLLED: "non-randomised controlled trial",
    Design.COHORT: "cohort study",
    Design.SINGLE_ARM: "uncontrolled before-after study",
    Design.CASE_SERIES: "case series",
    Design.CASE_REPORT: "case report",
    Design.NARRATIVE_REVIEW: "narrative review",
    Design.GUIDELINE: "guideline",
    Design.ANIMAL: "animal study",
    Design.IN_VITRO: "cell/laboratory study",
}


class Population(StrEnum):
    HUMAN = "human"
    ANIMAL = "animal"
    CELLS = "cells"
    MIXED = "mixed"


class Route(StrEnum):
    TOPICAL = "topical"
    AFTER_MICRONEEDLING = "after-microneedling"
    AFTER_LASER = "after-laser"
    AFTER_RF_MICRONEEDLING = "after-rf-microneedling"
    INJECTION = "injection"
    ORAL = "oral"
    PROCEDURE = "procedure"
    MIXED = "mixed"
    NOT_REPORTED = "not-reported"
    LABORATORY = "laboratory"

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self]

    @property
    def after_procedure(self) -> bool:
        return self in (Route.AFTER_MICRONEEDLING, Route.AFTER_LASER, Route.AFTER_RF_MICRONEEDLING)


ROUTE_LABELS = {
    Route.TOPICAL: "at-home topical",
    Route.AFTER_MICRONEEDLING: "topical after microneedling",
    Route.AFTER_LASER: "topical after laser",
    Route.AFTER_RF_MICRONEEDLING: "topical after RF microneedling",
    Route.INJECTION: "injection",
    Route.ORAL: "oral",
    Route.PROCEDURE: "in-office procedure",
    Route.MIXED: "several routes pooled",
    Route.NOT_REPORTED: "route not reported",
    Route.LABORATORY: "laboratory (cells)",
}


class Status(StrEnum):
    PUBLISHED = "published"
    REGISTERED = "registered"
    RETRACTED = "retracted"


class Blinding(StrEnum):
    DOUBLE = "double"
    ASSESSOR = "assessor"
    SINGLE = "single"
    OPEN = "open"


class Funding(StrEnum):
    INDUSTRY = "industry"
    NON_INDUSTRY = "non-industry"
    NONE = "none"
    NOT_REPORTED = "not-reported"


class ReviewOf(StrEnum):
    RCT = "rct"
    MIXED = "mixed"
    NON_RANDOMISED = "non-randomised"
    PRECLINICAL = "preclinical"


class Comparator(StrEnum):
    PLACEBO = "placebo"
    VEHICLE = "vehicle"
    ACTIVE = "active"
    NO_TREATMENT = "no-treatment"
    NONE = "none"
    NOT_REPORTED = "not-reported"


class Direction(StrEnum):
    BENEFIT = "benefit"
    NO_DIFFERENCE = "no-difference"
    HARM = "harm"
    MIXED = "mixed"
    NOT_REPORTED = "not-reported"


class EvSource(StrEnum):
    ADIPOSE_MSC = "adipose-msc"
    UMBILICAL_CORD_MSC = "umbilical-cord-msc"
    BONE_MARROW_MSC = "bone-marrow-msc"
    PLACENTAL = "placental"
    AMNIOTIC = "amniotic"
    OTHER_MSC = "other-msc"
    PLATELET = "platelet"
    KERATINOCYTE = "keratinocyte"
    FIBROBLAST = "fibroblast"
    OTHER_HUMAN = "other-human"
    PLANT = "plant"
    MILK = "milk"
    BACTERIAL = "bacterial"
    ANIMAL = "animal"
    NOT_REPORTED = "not-reported"


HUMAN_EV_SOURCES = frozenset({
    EvSource.ADIPOSE_MSC, EvSource.UMBILICAL_CORD_MSC, EvSource.BONE_MARROW_MSC, EvSource.PLACENTAL,
    EvSource.AMNIOTIC, EvSource.OTHER_MSC, EvSource.PLATELET, EvSource.KERATINOCYTE, EvSource.FIBROBLAST,
    EvSource.OTHER_HUMAN,
})

#: The intervention id an EV source must be coded under (docs/data.md, "EV sources").
EV_SOURCE_INTERVENTION = {
    **{source: "exosomes-human" for source in HUMAN_EV_SOURCES},
    EvSource.PLANT: "exosomes-plant",
    EvSource.MILK: "exosomes-milk",
    EvSource.BACTERIAL: "exosomes-bacterial",
    EvSource.ANIMAL: "exosomes-animal",
}


class EvPreparation(StrEnum):
    PURIFIED_EV = "purified-ev"
    CONDITIONED_MEDIUM = "conditioned-medium"
    LYSATE = "lysate"
    NOT_REPORTED = "not-reported"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    @model_validator(mode="before")
    @classmethod
    def _null_lists_are_empty(cls, data: object) -> object:
        """``null`` in a list field means "none reported": the same as an empty list."""
        if isinstance(data, dict):
            lists = [name for name, info in cls.model_fields.items()
                     if getattr(info.annotation, "__origin__", None) is list]
            return {k: ([] if v is None and k in lists else v) for k, v in data.items()}
        return data


class Provenance(Strict):
    urls: list[Url] = Field(min_length=1)
    read_on: dt.date
    coded_by: str = "curated"

    @field_validator("coded_by")
    @classmethod
    def _known_coder(cls, value: str) -> str:
        if value not in ("curated", "auto"):
            raise ValueError("must be 'curated' (a person read the page) or 'auto' (ingested, awaiting review)")
        return value


class Registration(Strict):
    registry: str | None = None
    recruitment: str | None = None
    planned_participants: int | None = Field(default=None, ge=1)


class Retraction(Strict):
    date: dt.date | None = None
    url: Url
    reason: str | None = None


class Intervention(Strict):
    id: Slug
    name: Text
    kind: str
    parent: Slug | None = None
    plural: bool = False
    checklist: str | None = None  # a transparency checklist its products are read against ("misev"); inherited
    aliases: list[str] = []


class Outcome(Strict):
    id: Slug
    name: Text
    parent: Slug | None = None
    surrogate: bool = False
    harm: bool = False
    disease: bool = False
    stands_for: list[Slug] = []
    aliases: list[str] = []


class Finding(Strict):
    intervention: Slug
    outcome: Slug
    route: Route
    product: str | None = None
    ev_source: EvSource | None = None
    ev_preparation: EvPreparation | None = None
    co_interventions: list[str] = []
    co_interventions_controlled: bool | None = None
    comparator: Comparator = Comparator.NOT_REPORTED
    comparator_detail: str | None = None
    measure: str | None = None
    direction: Direction
    effect: str | None = None
    relative_effect: float | None = Field(default=None, gt=0)
    dose_response: bool | None = None
    timepoints_weeks: list[float] = []
    first_difference_weeks: float | None = Field(default=None, ge=0)
    protocol: str | None = None


class Study(Strict):
    id: Slug
    title: Text
    first_author: str | None = None
    authors: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    journal: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    registry_ids: list[str] = []
    status: Status = Status.PUBLISHED
    design: Design
    population: Population
    participants: int | None = Field(default=None, ge=1)
    completed: int | None = Field(default=None, ge=0)
    condition: str | None = None
    duration_weeks: float | None = Field(default=None, ge=0)
    randomised: bool | None = None
    blinding: Blinding | None = None
    funding: Funding = Funding.NOT_REPORTED
    industry_ties: bool | None = None
    funding_note: str | None = None
    included_in: list[Slug] = []
    review_of: ReviewOf | None = None
    studies_included: int | None = Field(default=None, ge=1)
    i_squared: float | None = Field(default=None, ge=0, le=100)
    registration: Registration | None = None
    retraction: Retraction | None = None
    summary: Text
    provenance: Provenance
    findings: list[Finding] = []

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("doi", "pmid", "pmcid")
    @classmethod
    def _identifier(cls, value: str | None, info) -> str | None:
        pattern, example = IDENTIFIERS[info.field_name]
        if value is not None and not pattern.match(value):
            raise ValueError(f"{value!r} is not {example}")
        return value

    @field_validator("registry_ids")
    @classmethod
    def _registry_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not REGISTRY_RE.match(value):
                raise ValueError(f"{value!r} is not a trial registry id (e.g. NCT01234567)")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        problems = list(study_inconsistencies(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def attrition(self) -> float | None:
        """Share of participants lost, derived from enrolled and completed counts; None when either is missing."""
        if self.participants and self.completed is not None and self.completed <= self.participants:
            return 1 - self.completed / self.participants
        return None

    @property
    def industry_linked(self) -> bool | None:
        if self.funding is Funding.INDUSTRY or self.industry_ties:
            return True
        if self.funding in (Funding.NON_INDUSTRY, Funding.NONE) and self.industry_ties is False:
            return False
        return None

    @property
    def citation(self) -> str:
        """'Kwon HH et al. (2020). Title. Journal.' with whatever parts the record has."""
        who = self.first_author or "Authors not reported"
        if self.authors and "," in self.authors:
            who += " et al."
        head = f"{who} ({self.year})" if self.year else who
        journal = f" {self.journal.rstrip('.')}." if self.journal else ""
        return f"{head.rstrip('.')}. {self.title.rstrip('.')}.{journal}"


DESIGN_POPULATIONS = {
    Design.ANIMAL: {Population.ANIMAL},
    Design.IN_VITRO: {Population.CELLS},
}


def study_inconsistencies(study: Study):
    """Field combinations that cannot all be true; each yields one message."""
    allowed = DESIGN_POPULATIONS.get(study.design)
    if allowed is None and not study.design.is_review and study.design is not Design.NARRATIVE_REVIEW:
        allowed = {Population.HUMAN}
    if allowed is not None and study.population not in allowed:
        yield f"population {study.population.value!r} does not fit design {study.design.value!r}"
    if study.design.is_randomised and study.randomised is False:
        yield f"design {study.design.value!r} is randomised but randomised is false"
    if study.review_of is not None and not (study.design.is_review or study.design is Design.NARRATIVE_REVIEW):
        yield "review_of is only for reviews"
    if study.design.is_review and study.review_of is None:
        yield "a systematic review or meta-analysis needs review_of (rct, mixed, non-randomised or preclinical)"
    if study.completed is not None and study.participants is not None and study.completed > study.participants:
        yield "completed is larger than participants"
    if study.status is Status.REGISTERED:
        if any(f.direction is not Direction.NOT_REPORTED for f in study.findings):
            yield "a registered trial without results must have direction 'not-reported' in every finding"
    elif study.registration is not None:
        yield "registration is only for status 'registered' (a published trial lists its ids in registry_ids)"
    if (study.status is Status.RETRACTED) != (study.retraction is not None):
        yield "status 'retracted' and a retraction block go together"
    for index, finding in enumerate(study.findings):
        if study.design is Design.IN_VITRO and finding.route is not Route.LABORATORY:
            yield f"findings[{index}]: in-vitro work has route 'laboratory'"
        if finding.route is Route.LABORATORY and study.design is not Design.IN_VITRO:
            yield f"findings[{index}]: route 'laboratory' is only for in-vitro work"
        if finding.ev_source is not None:
            expected = EV_SOURCE_INTERVENTION.get(finding.ev_source)
            if expected is not None and finding.intervention != expected:
                yield (f"findings[{index}]: ev_source {finding.ev_source.value!r} belongs to intervention "
                       f"{expected!r}, not {finding.intervention!r}")


class RegulatoryFact(Strict):
    id: Slug
    intervention: Slug | None = None
    jurisdiction: str = Field(pattern=r"^(US|EU|UK|KR|CN|TW|JP|AU|CA|INT)$")
    authority: str | None = None
    date: dt.date | None = None
    kind: str = Field(pattern=r"^(approval-status|prohibition|advertising-rule|drug-claim-rule|warning|enforcement|"
                              r"adverse-event-reporting|classification)$")
    status: str | None = None
    routes: list[Route] = []
    statement: Text
    provenance: Provenance


class SafetySignal(Strict):
    id: Slug
    intervention: Slug
    route: Route | None = None
    event: Text
    seriousness: str = Field(default="not-reported", pattern=r"^(serious|non-serious|not-reported)$")
    frequency: str | None = None
    studies: list[Slug] = []
    statement: Text
    provenance: Provenance


class InciName(Strict):
    name: Text
    intervention: Slug
    url: Url
    read_on: dt.date
