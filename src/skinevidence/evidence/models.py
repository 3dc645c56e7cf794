"""Typed records of the evidence base: what a reviewer writes in YAML, checked field by field.

Missing is always ``None`` (never ``""``): a field the source did not show is reported as "not reported".
"""

from __future__ import annotations

import datetime as dt
import functools
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

from skinevidence.evidence.jurisdictions import JURISDICTIONS
from skinevidence.paths import SLUG_MAX, SLUG_PATTERN  # record ids become file names

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
REGISTRY_RE = re.compile(r"^(NCT\d{8}|IRCT\w+|KCT\d{7}|ChiCTR[\w-]+|RBR-\w+|ISRCTN\d{8}|ACTRN\d{14}|CTRI/[\w/-]+|"
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

class EvPreparation(StrEnum):
    PURIFIED_EV = "purified-ev"
    CONDITIONED_MEDIUM = "conditioned-medium"
    LYSATE = "lysate"
    NOT_REPORTED = "not-reported"


#: The intervention id an EV source must be coded under (docs/data.md, "EV sources"); human-cell conditioned media
#: and lysates are a member of their own (``conditioned-media``), graded apart from purified vesicles.
EV_SOURCE_INTERVENTION = {
    **{source: "exosomes-human" for source in HUMAN_EV_SOURCES},
    EvSource.PLANT: "exosomes-plant",
    EvSource.MILK: "exosomes-milk",
    EvSource.BACTERIAL: "exosomes-bacterial",
    EvSource.ANIMAL: "exosomes-animal",
}
CRUDE_PREPARATIONS = frozenset({EvPreparation.CONDITIONED_MEDIUM, EvPreparation.LYSATE})


def ev_intervention(source: EvSource, preparation: EvPreparation | None) -> str | None:
    """The vesicle-family member a finding with this source and preparation belongs to (None: any member)."""
    expected = EV_SOURCE_INTERVENTION.get(source)
    if expected == "exosomes-human" and preparation in CRUDE_PREPARATIONS:
        return "conditioned-media"
    return expected


@functools.cache
def _list_fields(model: type[BaseModel]) -> frozenset[str]:
    """The names of a model's list fields (computed once per class: records are validated by the thousand)."""
    return frozenset(name for name, info in model.model_fields.items()
                     if getattr(info.annotation, "__origin__", None) is list)


class Strict(BaseModel):
    # defer_build: a schema is built on the first validation, so that answering from a kept report builds none
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _null_lists_are_empty(cls, data: object) -> object:
        """``null`` in a list field means "none reported": the same as an empty list."""
        if isinstance(data, dict):
            lists = _list_fields(cls)
            if any(data.get(name, ()) is None for name in lists):
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


class InterventionKind(StrEnum):
    INGREDIENT = "ingredient"
    DRUG = "drug"
    PROCEDURE = "procedure"
    DEVICE = "device"
    BEHAVIOUR = "behaviour"
    CLASS = "class"


class Intervention(Strict):
    id: Slug
    name: Text
    kind: InterventionKind
    parent: Slug | None = None
    #: Evidence on the parent class or on a sibling informs this member, one level down for indirectness
    #: (docs/method.md). False for members that differ in what they are and are graded apart.
    inherits: bool = True
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


class StatedCertainty(StrEnum):
    """A certainty a source states in its own words (a review's or guideline's GRADE rating); the project's own
    computed certainty is ``grading.statements.Certainty``."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class EffectMetric(StrEnum):
    MEAN_DIFFERENCE = "md"
    STANDARDISED_MEAN_DIFFERENCE = "smd"
    RISK_RATIO = "rr"
    ODDS_RATIO = "or"
    HAZARD_RATIO = "hr"
    RISK_DIFFERENCE = "rd"
    RESPONDERS = "responders"
    PERCENT_CHANGE = "percent-change"
    OTHER = "other"

    @property
    def ratio(self) -> bool:
        return self in (EffectMetric.RISK_RATIO, EffectMetric.ODDS_RATIO, EffectMetric.HAZARD_RATIO)


class EffectSize(Strict):
    """The size of an effect as the source reports it: only the numbers it shows."""

    metric: EffectMetric
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p: str | None = Field(default=None, max_length=40)  # as shown: "<0.001", "0.03", "NS"
    unit: str | None = Field(default=None, max_length=120)  # "points on MASI", "mm", "%"
    intervention_events: int | None = Field(default=None, ge=0)
    intervention_total: int | None = Field(default=None, ge=1)
    control_events: int | None = Field(default=None, ge=0)
    control_total: int | None = Field(default=None, ge=1)
    timepoint_weeks: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> EffectSize:
        if self.ci_low is not None and self.ci_high is not None and self.ci_low > self.ci_high:
            raise ValueError("ci_low is larger than ci_high")
        for events, total in ((self.intervention_events, self.intervention_total),
                              (self.control_events, self.control_total)):
            if events is not None and total is not None and events > total:
                raise ValueError("more events than people in a group")
        if self.metric.ratio and any(v is not None and v <= 0 for v in (self.value, self.ci_low, self.ci_high)):
            raise ValueError(f"a {self.metric.value.upper()} and its interval are positive numbers")
        return self


class Recommendation(StrEnum):
    """What a guideline recommends, in its own strength."""

    FIRST_LINE = "first-line"
    RECOMMENDED = "recommended"
    CONDITIONAL = "conditional"
    NOT_RECOMMENDED = "not-recommended"
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"


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
    # a review's pooled analysis for this outcome (or a primary study's count for this outcome alone)
    trials: int | None = Field(default=None, ge=1)
    participants: int | None = Field(default=None, ge=1)
    i_squared: float | None = Field(default=None, ge=0, le=100)
    certainty_stated: StatedCertainty | None = None
    effect_size: EffectSize | None = None
    recommendation: Recommendation | None = None


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
    healthy_volunteers: bool | None = None
    induced_model: str | None = Field(default=None, max_length=200)  # "UV challenge", "tape stripping"
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
            expected = ev_intervention(finding.ev_source, finding.ev_preparation)
            if expected is not None and finding.intervention != expected:
                yield (f"findings[{index}]: ev_source {finding.ev_source.value!r} belongs to intervention "
                       f"{expected!r}, not {finding.intervention!r}")


class RegulatoryKind(StrEnum):
    APPROVAL_STATUS = "approval-status"
    PROHIBITION = "prohibition"
    RESTRICTION = "restriction"
    ADVERTISING_RULE = "advertising-rule"
    DRUG_CLAIM_RULE = "drug-claim-rule"
    WARNING = "warning"
    ENFORCEMENT = "enforcement"
    ADVERSE_EVENT_REPORTING = "adverse-event-reporting"
    CLASSIFICATION = "classification"
    OTC_MONOGRAPH = "otc-monograph"
    PRESCRIPTION_ONLY = "prescription-only"
    COSMETIC_INGREDIENT = "cosmetic-ingredient"
    DEVICE_CLEARANCE = "device-clearance"
    #: a careful search of the regulator's pages found no statement; the provenance lists the pages checked
    NO_STATEMENT_FOUND = "no-statement-found"




class RegulatoryFact(Strict):
    id: Slug
    intervention: Slug | None = None
    jurisdiction: str = Field(pattern=rf"^({'|'.join(JURISDICTIONS)})$")
    authority: str | None = None
    date: dt.date | None = None
    kind: RegulatoryKind
    status: str | None = None
    routes: list[Route] = []
    statement: Text
    provenance: Provenance


class SafetyKind(StrEnum):
    PREGNANCY = "pregnancy"
    LACTATION = "lactation"
    ADVERSE_EFFECTS = "adverse-effects"
    CONTRAINDICATION = "contraindication"
    INTERACTION = "interaction"
    SERIOUS_SIGNAL = "serious-signal"


class Advice(StrEnum):
    """What a source advises for use in pregnancy or while breastfeeding."""

    AVOID = "avoid"
    CAUTION = "caution"
    COMPATIBLE = "compatible"
    #: a careful search found no information; the provenance lists the pages checked
    NO_INFORMATION_FOUND = "no-information-found"


class SafetySignal(Strict):
    id: Slug
    intervention: Slug
    kind: SafetyKind = SafetyKind.SERIOUS_SIGNAL
    route: Route | None = None
    event: Text
    seriousness: str = Field(default="not-reported", pattern=r"^(serious|non-serious|not-reported)$")
    frequency: str | None = None
    advice: Advice | None = None
    interacts_with: list[Slug] = []
    studies: list[Slug] = []
    statement: Text
    provenance: Provenance

    @model_validator(mode="after")
    def _advice_for_pregnancy_and_lactation(self) -> SafetySignal:
        reproductive = self.kind in (SafetyKind.PREGNANCY, SafetyKind.LACTATION)
        if reproductive and self.advice is None:
            raise ValueError(f"a {self.kind.value} record needs advice (avoid, caution, compatible or "
                             "no-information-found)")
        if not reproductive and self.advice is not None:
            raise ValueError("advice is only for pregnancy and lactation records")
        if self.interacts_with and self.kind is not SafetyKind.INTERACTION:
            raise ValueError("interacts_with is only for interaction records")
        return self


class InciName(Strict):
    name: Text
    intervention: Slug
    url: Url
    read_on: dt.date
