"""How much it helps: the effect sizes a study or review reports (``effect_size`` on a finding), in plain words.

Only numbers the source shows are used; the one thing derived is the absolute difference between two proportions
when both groups' counts are shown ("about 2 in 10 more people improved"). Standardised mean differences are
described with the usual rule of thumb for their size (docs/method.md, "Effect sizes").
"""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.evidence.models import Comparator, EffectMetric, EffectSize, Finding, Study
from skinevidence.grading.thresholds import SMD_LARGE, SMD_MODERATE, SMD_SMALL

LABELS = {
    EffectMetric.MEAN_DIFFERENCE: "mean difference",
    EffectMetric.STANDARDISED_MEAN_DIFFERENCE: "SMD",
    EffectMetric.RISK_RATIO: "RR",
    EffectMetric.ODDS_RATIO: "OR",
    EffectMetric.HAZARD_RATIO: "HR",
    EffectMetric.RISK_DIFFERENCE: "risk difference",
    EffectMetric.RESPONDERS: "responders",
    EffectMetric.PERCENT_CHANGE: "change",
    EffectMetric.OTHER: "effect",
}


class Effect(BaseModel):
    """One reported effect size behind a grade, with the same numbers in words."""

    study: str
    intervention: str
    outcome: str
    comparator: Comparator
    metric: EffectMetric
    value: float | None
    ci_low: float | None
    ci_high: float | None
    p: str | None
    unit: str | None
    timepoint_weeks: float | None
    trials: int | None
    participants: int | None
    text: str


def effect_of(study: Study, finding: Finding, harm: bool = False) -> Effect | None:
    """The finding's effect size with its plain-words reading; None when the finding codes none."""
    size = finding.effect_size
    if size is None:
        return None
    return Effect(study=study.id, intervention=finding.intervention, outcome=finding.outcome,
                  comparator=finding.comparator, metric=size.metric, value=size.value, ci_low=size.ci_low,
                  ci_high=size.ci_high, p=size.p, unit=size.unit, timepoint_weeks=size.timepoint_weeks,
                  trials=finding.trials, participants=finding.participants, text=describe(size, harm))


def describe(size: EffectSize, harm: bool = False) -> str:
    """'SMD 0.5 (95% CI 0.2 to 0.8), a moderate effect, at 12 weeks'; 'about 2 in 10 more people improved
    (30 of 50 vs 20 of 50)'."""
    parts = [part for part in (_estimate(size), _absolute(size, harm), _size_word(size)) if part]
    if size.p and not (size.ci_low is not None and size.ci_high is not None):
        parts.append(f"p {_p(size.p)}")
    text = ", ".join(parts) or "size not reported"
    if size.timepoint_weeks is not None:
        text += f", at {_number(size.timepoint_weeks)} weeks"
    return text


def _estimate(size: EffectSize) -> str:
    if size.value is None:
        return ""
    label = LABELS[size.metric]
    unit = f" {size.unit}" if size.unit and size.metric is not EffectMetric.PERCENT_CHANGE else ""
    value = f"{_number(size.value)}%" if size.metric is EffectMetric.PERCENT_CHANGE else _number(size.value)
    text = f"{label} {value}{unit}"
    if size.ci_low is not None and size.ci_high is not None:
        text += f" (95% CI {_number(size.ci_low)} to {_number(size.ci_high)})"
    return text


def _absolute(size: EffectSize, harm: bool) -> str:
    """The difference between the two groups' proportions, per 10 (or per 100 when smaller than one in 10)."""
    counts = (size.intervention_events, size.intervention_total, size.control_events, size.control_total)
    verb = "had the event" if harm else "improved"
    events, total, control_events, control_total = counts
    if events is None or total is None or control_events is None or control_total is None:
        if size.intervention_events is not None and size.intervention_total:
            return f"{size.intervention_events} of {size.intervention_total} {verb}"
        return ""
    difference = events / total - control_events / control_total
    groups = f"{events} of {total} vs {control_events} of {control_total}"
    more = "more" if difference > 0 else "fewer"
    for scale in (10, 100):
        share = round(abs(difference) * scale)
        if share >= 1:
            return f"about {share} in {scale} {more} people {verb} ({groups})"
    return f"about the same share of people {verb} in both groups ({groups})"


def _size_word(size: EffectSize) -> str:
    if size.metric is not EffectMetric.STANDARDISED_MEAN_DIFFERENCE or size.value is None:
        return ""
    magnitude = abs(size.value)
    if magnitude >= SMD_LARGE:
        return "a large effect"
    if magnitude >= SMD_MODERATE:
        return "a moderate effect"
    if magnitude >= SMD_SMALL:
        return "a small effect"
    return "a very small effect"


def _p(p: str) -> str:
    p = p.strip()
    return p if p[:1] in "<>=≤≥" else f"= {p}"


def _number(value: float) -> str:
    return f"{value:g}"
