"""The grading method (docs/method.md), rule by rule, on hand-made evidence sets."""

from conftest import finding, study
from skinevidence.evidence.models import Direction, Route
from skinevidence.grading.grade import grade
from skinevidence.grading.statements import Certainty


def graded(evidence, route=Route.TOPICAL, intervention="alpha-serum", outcome="wrinkles"):
    return grade(evidence.catalog(), intervention, outcome, route)


def domains(result):
    return {r.domain: r.change for r in result.reasons if r.change}


# starting level by design -----------------------------------------------------------------------------------

def test_well_reported_large_randomised_trials_stay_high(evidence):
    evidence.add(study("t1"))
    assert graded(evidence).certainty is Certainty.HIGH


def test_controlled_non_randomised_evidence_starts_low(evidence):
    evidence.add(study("t1", design="non-randomised-controlled", randomised=False))
    result = graded(evidence)
    assert result.start is Certainty.LOW and result.certainty is Certainty.LOW


def test_uncontrolled_studies_start_very_low(evidence):
    evidence.add(study("t1", design="single-arm", findings=[finding(comparator="none")]))
    assert graded(evidence).start is Certainty.VERY_LOW


def test_only_the_best_design_rates_the_body(evidence):
    evidence.add(study("rct"), study("series", design="case-series", participants=5,
                                     findings=[finding(direction="no-difference", comparator="none")]))
    result = graded(evidence)
    assert result.rating_studies == ["rct"] and "series" in result.studies
    assert result.certainty is Certainty.HIGH


def test_a_systematic_review_of_rcts_starts_high_and_gets_ocebm_level_1(evidence):
    evidence.add(study("sr", design="systematic-review", review_of="rct", studies_included=5))
    result = graded(evidence)
    assert result.start is Certainty.HIGH and result.ocebm_level == 1


def test_ocebm_level_of_a_single_rct_is_2_and_of_a_case_series_4(evidence):
    evidence.add(study("t1"))
    assert graded(evidence).ocebm_level == 2
    evidence.add(study("t1", design="case-series", findings=[finding(comparator="none")]))
    assert graded(evidence).ocebm_level == 4


# risk of bias -------------------------------------------------------------------------------------------------

def test_unblinded_assessment_in_most_trials_is_serious_risk_of_bias(evidence):
    evidence.add(study("t1", blinding="open"), study("t2", blinding=None), study("t3"))
    assert domains(graded(evidence))["risk of bias"] == -1


def test_two_concerns_in_most_trials_is_very_serious(evidence):
    evidence.add(study("t1", blinding="open", completed=300), study("t2", blinding="open", completed=200))
    assert domains(graded(evidence))["risk of bias"] == -2


def test_a_minority_of_flawed_trials_does_not_downgrade_but_is_named(evidence):
    evidence.add(study("t1", blinding="open"), study("t2"), study("t3"))
    result = graded(evidence)
    assert "risk of bias" not in domains(result)
    note = next(r for r in result.reasons if r.domain == "risk of bias")
    assert note.studies == ["t1"]


def test_attrition_above_twenty_percent_is_a_concern(evidence):
    evidence.add(study("t1", completed=390))
    assert domains(graded(evidence))["risk of bias"] == -1


# inconsistency ------------------------------------------------------------------------------------------------

def test_studies_pointing_different_ways_are_inconsistent(evidence):
    evidence.add(study("t1"), study("t2", findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert domains(result)["inconsistency"] == -1
    assert result.direction is Direction.MIXED


def test_high_heterogeneity_in_a_meta_analysis_is_inconsistent(evidence):
    evidence.add(study("ma", design="meta-analysis", review_of="rct", i_squared=75))
    assert domains(graded(evidence))["inconsistency"] == -1


# indirectness -------------------------------------------------------------------------------------------------

def test_a_surrogate_outcome_is_indirect(evidence):
    evidence.add(study("t1", findings=[finding(outcome="collagen")]))
    assert domains(graded(evidence, outcome="collagen"))["indirectness"] == -1


def test_co_interventions_without_a_matching_comparison_are_indirect(evidence):
    evidence.add(study("t1", findings=[finding(co_interventions=["gamma-peel"], co_interventions_controlled=False)]))
    assert domains(graded(evidence))["indirectness"] == -1


def test_co_interventions_given_to_both_arms_are_not_indirect(evidence):
    evidence.add(study("t1", findings=[finding(co_interventions=["gamma-peel"], co_interventions_controlled=True)]))
    assert "indirectness" not in domains(graded(evidence))


# imprecision --------------------------------------------------------------------------------------------------

def test_fewer_than_100_participants_is_very_serious_imprecision(evidence):
    evidence.add(study("t1", participants=40))
    result = graded(evidence)
    assert domains(result)["imprecision"] == -2 and result.certainty is Certainty.LOW


def test_fewer_than_400_participants_is_serious_imprecision(evidence):
    evidence.add(study("t1", participants=150), study("t2", participants=150))
    assert domains(graded(evidence))["imprecision"] == -1


def test_participants_are_summed_across_the_rating_studies(evidence):
    evidence.add(study("t1", participants=200), study("t2", participants=250))
    result = graded(evidence)
    assert result.participants == 450 and "imprecision" not in domains(result)


# publication bias ---------------------------------------------------------------------------------------------

def test_a_few_small_studies_all_tied_to_the_maker_suggest_publication_bias(evidence):
    evidence.add(study("t1", participants=150, funding="industry"),
                 study("t2", participants=150, industry_ties=True))
    assert domains(graded(evidence))["publication bias"] == -1


def test_one_independent_study_removes_the_publication_bias_concern(evidence):
    evidence.add(study("t1", participants=150, funding="industry"), study("t2", participants=150))
    assert "publication bias" not in domains(graded(evidence))


def test_large_studies_tied_to_the_maker_are_not_suspected_of_publication_bias(evidence):
    evidence.add(study("t1", participants=250, funding="industry"), study("t2", participants=250, funding="industry"))
    assert "publication bias" not in domains(graded(evidence))


# upgrades and floor -------------------------------------------------------------------------------------------

def test_a_large_effect_upgrades_clean_non_randomised_evidence(evidence):
    evidence.add(study("t1", design="non-randomised-controlled", randomised=False,
                       findings=[finding(relative_effect=2.5)]))
    result = graded(evidence)
    assert domains(result)["large effect"] == 1 and result.certainty is Certainty.MODERATE


def test_a_very_large_effect_upgrades_two_levels(evidence):
    evidence.add(study("t1", design="cohort", randomised=False, findings=[finding(relative_effect=0.1)]))
    assert domains(graded(evidence))["large effect"] == 2


def test_a_dose_response_gradient_upgrades_one_level(evidence):
    evidence.add(study("t1", design="cohort", randomised=False, findings=[finding(dose_response=True)]))
    assert domains(graded(evidence))["dose-response"] == 1


def test_no_upgrade_when_the_evidence_was_already_downgraded(evidence):
    evidence.add(study("t1", design="cohort", randomised=False, participants=50,
                       findings=[finding(relative_effect=10)]))
    assert "large effect" not in domains(graded(evidence))


def test_randomised_evidence_is_never_upgraded(evidence):
    evidence.add(study("t1", findings=[finding(relative_effect=10)]))
    assert "large effect" not in domains(graded(evidence))


def test_certainty_stops_at_very_low(evidence):
    evidence.add(study("t1", design="case-report", participants=1, blinding="open",
                       findings=[finding(comparator="none", co_interventions=["x"])]))
    result = graded(evidence)
    assert result.certainty is Certainty.VERY_LOW
    assert any(r.domain == "floor" for r in result.reasons)


# what counts ---------------------------------------------------------------------------------------------------

def test_cell_and_animal_studies_alone_give_preclinical_only(evidence):
    evidence.add(study("cells", design="in-vitro", population="cells", participants=None,
                       findings=[finding(route="laboratory")]),
                 study("mice", design="animal", population="animal", participants=None))
    result = graded(evidence)
    assert result.certainty is Certainty.PRECLINICAL_ONLY and result.ocebm_level == 5
    assert set(result.preclinical_studies) == {"cells", "mice"}


def test_animal_studies_never_raise_a_human_grade(evidence):
    evidence.add(study("t1", participants=40),
                 *[study(f"mice{i}", design="animal", population="animal") for i in range(5)])
    result = graded(evidence)
    assert result.certainty is Certainty.LOW and result.rating_studies == ["t1"]


def test_no_study_gives_no_evidence(evidence):
    evidence.add(study("t1"))
    assert graded(evidence, intervention="beta-cream").certainty is Certainty.NO_EVIDENCE


def test_routes_are_kept_apart(evidence):
    evidence.add(study("after", findings=[finding(route="after-microneedling")]))
    assert graded(evidence, route=Route.AFTER_MICRONEEDLING).certainty is Certainty.HIGH
    assert graded(evidence, route=Route.TOPICAL).certainty is Certainty.NO_EVIDENCE


def test_evidence_on_a_child_intervention_counts_for_its_parent(evidence):
    evidence.add(study("t1", findings=[finding(intervention="alpha-serum-plant")]))
    assert graded(evidence).certainty is Certainty.HIGH


def test_evidence_on_a_child_outcome_counts_for_its_parent(evidence):
    evidence.add(study("t1", findings=[finding(outcome="melasma")]))
    assert graded(evidence, outcome="pigmentation").certainty is Certainty.HIGH


def test_a_review_and_its_included_trials_are_not_counted_twice(evidence):
    evidence.add(study("sr", design="systematic-review", review_of="rct", participants=300),
                 study("t1", participants=200, included_in=["sr"]),
                 study("t2", participants=150, included_in=["sr"]))
    result = graded(evidence)
    assert result.participants == 350
    assert result.studies == ["sr"]


def test_retracted_papers_are_left_out_with_a_reason(evidence):
    evidence.add(study("t1"), study("gone", status="retracted", participants=5000,
                                    retraction={"url": "https://example.org/retraction"}))
    result = graded(evidence)
    assert "gone" not in result.studies
    assert any(r.domain == "retracted" and r.studies == ["gone"] for r in result.reasons)


def test_registered_trials_are_listed_but_not_graded(evidence):
    evidence.add(study("nct", status="registered", participants=None,
                       registration={"registry": "ClinicalTrials.gov", "planned_participants": 80},
                       findings=[finding(direction="not-reported")]))
    result = graded(evidence)
    assert result.certainty is Certainty.NO_EVIDENCE and result.registered_trials == ["nct"]


def test_narrative_reviews_are_context_not_evidence(evidence):
    evidence.add(study("nr", design="narrative-review", population="mixed", participants=None))
    result = graded(evidence)
    assert result.certainty is Certainty.NO_EVIDENCE and result.context_studies == ["nr"]


def test_a_harm_in_a_case_report_is_never_hidden_behind_a_null_trial(evidence):
    evidence.add(study("t1", findings=[finding(outcome="adverse-events", direction="no-difference")]),
                 study("case", design="case-report", participants=1,
                       findings=[finding(outcome="adverse-events", direction="harm", comparator="none")]))
    result = graded(evidence, outcome="adverse-events")
    assert result.direction is Direction.MIXED
    assert any(r.domain == "harms" and r.studies == ["case"] for r in result.reasons)


def test_time_to_results_is_the_median_first_difference(evidence):
    evidence.add(study("t1", findings=[finding(first_difference_weeks=4)]),
                 study("t2", findings=[finding(first_difference_weeks=12)]),
                 study("t3", findings=[finding(first_difference_weeks=8)]))
    time = graded(evidence).time_to_results
    assert (time.median_weeks, time.min_weeks, time.max_weeks) == (8, 4, 12)


def test_every_move_carries_the_studies_behind_it(evidence):
    evidence.add(study("t1", participants=60, blinding="open", funding="industry"))
    for reason in graded(evidence).reasons:
        if reason.change:
            assert reason.studies == ["t1"], reason


def test_a_small_dissenting_study_beside_large_agreeing_ones_is_not_inconsistency(evidence):
    evidence.add(study("big1", participants=400), study("big2", participants=400),
                 study("small", participants=20, findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert "inconsistency" not in domains(result) and result.direction is Direction.BENEFIT
    note = next(r for r in result.reasons if r.domain == "inconsistency")
    assert note.studies == ["small"]


def test_missing_counts_in_three_or_more_studies_make_the_total_a_lower_bound(evidence):
    evidence.add(study("t1", participants=40), study("t2", participants=None), study("t3", participants=None))
    reason = next(r for r in graded(evidence).reasons if r.domain == "imprecision")
    assert reason.change == -1 and "at least 40" in reason.text


def test_one_study_without_a_count_is_still_very_imprecise(evidence):
    evidence.add(study("t1", participants=None))
    assert domains(graded(evidence))["imprecision"] == -2


def test_a_mixed_result_against_an_active_treatment_reads_as_comparable(evidence):
    evidence.add(study("t1", findings=[finding(comparator="active", direction="mixed")]))
    result = graded(evidence)
    assert result.direction is Direction.BENEFIT and domains(result)["indirectness"] == -1


def test_a_harm_reported_by_a_study_of_the_same_level_is_not_outweighed(evidence):
    evidence.add(study("arm", design="single-arm", participants=300,
                       findings=[finding(outcome="adverse-events", direction="no-difference", comparator="none")]),
                 study("case", design="case-report", participants=1,
                       findings=[finding(outcome="adverse-events", direction="harm", comparator="none")]))
    result = graded(evidence, outcome="adverse-events")
    assert result.direction is Direction.MIXED and "harms" in result.statement.lower()
