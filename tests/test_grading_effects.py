"""Effect sizes (docs/method.md, "Effect sizes"): how much it helps, in numbers and plain words, on every grade, in
the report, in compare and in JSON; the time to the first difference apart from the length of follow-up."""

import json

from conftest import finding, study
from skinevidence.answers.compare import compare
from skinevidence.answers.report import build_report
from skinevidence.evidence.models import EffectMetric, EffectSize, Route
from skinevidence.grading.effects import describe
from skinevidence.grading.grade import grade
from skinevidence.render import render


def size(**fields) -> EffectSize:
    return EffectSize(**fields)


def test_two_groups_counts_read_as_people_per_ten():
    text = describe(size(metric=EffectMetric.RESPONDERS, intervention_events=30, intervention_total=50,
                         control_events=20, control_total=50))
    assert "about 2 in 10 more people improved (30 of 50 vs 20 of 50)" in text


def test_a_difference_under_one_in_ten_reads_per_hundred():
    text = describe(size(metric=EffectMetric.RISK_RATIO, value=1.1, intervention_events=33, intervention_total=100,
                         control_events=30, control_total=100))
    assert "RR 1.1" in text and "about 3 in 100 more people improved" in text


def test_harm_counts_read_as_people_with_the_event():
    text = describe(size(metric=EffectMetric.RISK_RATIO, value=3.0, intervention_events=9, intervention_total=30,
                         control_events=3, control_total=30), harm=True)
    assert "about 2 in 10 more people had the event" in text


def test_a_ratio_with_its_interval_and_time():
    text = describe(size(metric=EffectMetric.RISK_RATIO, value=1.93, ci_low=1.51, ci_high=2.47, timepoint_weeks=24))
    assert text == "RR 1.93 (95% CI 1.51 to 2.47), at 24 weeks"


def test_a_mean_difference_names_its_scale_and_a_bare_p_value_is_shown():
    text = describe(size(metric=EffectMetric.MEAN_DIFFERENCE, value=-2.4, unit="points on SCORAD", p="0.03"))
    assert text == "mean difference -2.4 points on SCORAD, p = 0.03"


def test_a_standardised_difference_is_named_with_its_size():
    text = describe(size(metric=EffectMetric.STANDARDISED_MEAN_DIFFERENCE, value=0.5, ci_low=0.2, ci_high=0.8))
    assert text == "SMD 0.5 (95% CI 0.2 to 0.8), a moderate effect"


def test_nothing_shown_reads_as_not_reported():
    assert describe(size(metric=EffectMetric.OTHER)) == "size not reported"


def effect_base(evidence):
    return evidence.add(
        study("ma", design="meta-analysis", review_of="rct", participants=None, findings=[finding(
            trials=6, participants=1148, effect_size={"metric": "rr", "value": 1.93, "ci_low": 1.51, "ci_high": 2.47})]),
        study("small", participants=40, findings=[finding(
            first_difference_weeks=4, timepoints_weeks=[4, 12, 24],
            effect_size={"metric": "md", "value": 0.4, "unit": "points", "p": "<0.01"})]),
    ).catalog()


def test_every_reported_effect_is_on_the_grade_and_the_main_one_is_the_largest_units(evidence):
    result = grade(effect_base(evidence), "alpha-serum", "wrinkles", Route.TOPICAL)
    assert {e.study for e in result.effects} == {"ma", "small"}
    assert result.effect.startswith("RR 1.93")


def test_time_to_the_first_difference_is_kept_apart_from_follow_up(evidence):
    evidence.add(study("t1", findings=[finding(first_difference_weeks=4, timepoints_weeks=[4, 12, 24])]))
    result = grade(evidence.catalog(), "alpha-serum", "wrinkles", Route.TOPICAL)
    assert result.time_to_results.median_weeks == 4 and not result.time_to_results.upper_bound
    assert (result.follow_up.min_weeks, result.follow_up.max_weeks) == (24, 24)


def test_the_report_shows_the_effect_participants_and_follow_up_of_each_cell(evidence):
    report = build_report(effect_base(evidence), "alpha-serum")
    text = render(report, "md", detail="full")
    assert "Effect: RR 1.93 (95% CI 1.51 to 2.47) (and 1 more reported effect size)" in text
    assert "Participants: 1188 in 7 trials" in text and "follow-up 24 wk" in text


def test_compare_shows_the_effect_in_every_format(evidence):
    table = compare(effect_base(evidence), ["alpha-serum", "beta-cream"], outcome="wrinkles")
    row = next(r for r in table.rows if r.intervention == "alpha-serum")
    assert row.effect.startswith("RR 1.93")
    for fmt in ("text", "md", "html"):
        assert "RR 1.93" in render(table, fmt)


def test_effects_are_in_the_json_of_a_grade(evidence):
    report = build_report(effect_base(evidence), "alpha-serum")
    grade_json = json.loads(render(report, "json"))["grades"][0]
    assert grade_json["effect"].startswith("RR 1.93") and len(grade_json["effects"]) == 2
    assert grade_json["effects"][0]["metric"] in ("rr", "md") and grade_json["participants_text"] == "1188"
