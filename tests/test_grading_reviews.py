"""Reviews in GRADE's way (docs/method.md, "Reviews"): a review rates with its own pooled count for the outcome, the
primary studies it includes are not counted twice, a review whose result was not read is listed but never rates,
and a review's own GRADE certainty stands for the domains its assessors judged."""

from conftest import finding, study
from skinevidence.evidence.models import Route
from skinevidence.grading.grade import grade, grade_intervention
from skinevidence.grading.statements import Certainty


def graded(evidence, intervention="alpha-serum", outcome="wrinkles", route=Route.TOPICAL):
    return grade(evidence.catalog(), intervention, outcome, route)


def review(review_id, **overrides):
    base = {"design": "meta-analysis", "review_of": "rct", "participants": 5000, "studies_included": 40}
    base.update(overrides)
    return study(review_id, **base)


def domains(result):
    return {r.domain: r.change for r in result.reasons if r.change}


def test_a_review_rates_with_its_pooled_count_for_the_outcome_not_its_total(evidence):
    evidence.add(review("ma", findings=[finding(trials=7, participants=563)]))
    result = graded(evidence)
    assert result.participants == 563 and result.trials == 7 and result.participants_text == "563"


def test_a_many_drug_reviews_total_is_never_credited_to_one_drug(evidence):
    evidence.add(review("ma", findings=[finding(), finding(intervention="beta-cream")]))
    result = graded(evidence)
    assert result.participants == 0 and result.participants_text == "not reported"
    assert result.participants_missing == ["ma"]


def test_a_review_without_a_count_but_with_several_trials_is_a_lower_bound(evidence):
    evidence.add(review("ma", findings=[finding(trials=5)]))
    reason = next(r for r in graded(evidence).reasons if r.domain == "imprecision")
    assert reason.change == -1 and "5 trials" in reason.text


def test_a_review_with_neither_count_nor_trials_is_very_imprecise(evidence):
    evidence.add(review("ma"))
    assert domains(graded(evidence))["imprecision"] == -2


def test_no_graded_cell_shows_zero_participants(evidence):
    evidence.add(review("ma"), study("t1", participants=None))
    assert graded(evidence).participants_text == "not reported"


def test_a_review_and_its_included_trials_are_not_counted_twice(evidence):
    evidence.add(review("sr", findings=[finding(participants=300)]),
                 study("t1", participants=200, included_in=["sr"]),
                 study("t2", participants=150, included_in=["sr"]))
    result = graded(evidence)
    assert result.participants == 300 and result.studies == ["sr"]


def test_included_trials_give_a_review_without_a_count_its_participants(evidence):
    evidence.add(review("sr"), study("t1", participants=200, included_in=["sr"]),
                 study("t2", participants=250, included_in=["sr"]))
    assert graded(evidence).participants == 450


def test_overlapping_reviews_count_once_with_the_largest(evidence):
    evidence.add(review("ma1", findings=[finding(participants=300)]),
                 review("ma2", findings=[finding(participants=200)]))
    result = graded(evidence)
    assert result.participants == 300
    reason = next(r for r in result.reasons if r.domain == "imprecision")
    assert reason.change == -1 and "only the largest review" in reason.text


def test_a_review_whose_result_was_not_read_is_listed_and_does_not_rate(evidence):
    evidence.add(review("unread", findings=[finding(direction="not-reported", participants=9000)]),
                 study("t1", participants=60))
    result = graded(evidence)
    assert result.unread_reviews == ["unread"] and result.rating_studies == ["t1"]
    assert result.participants == 60
    assert any(r.domain == "unread" and r.studies == ["unread"] for r in result.reasons)


def test_trials_included_in_an_unread_review_still_rate(evidence):
    evidence.add(review("unread", findings=[finding(direction="not-reported")]),
                 study("t1", participants=500, included_in=["unread"]))
    assert graded(evidence).certainty is Certainty.HIGH


def test_a_reviews_stated_certainty_stands_for_the_domains_it_judged(evidence):
    evidence.add(review("ma", findings=[finding(trials=3, participants=60, certainty_stated="moderate")]))
    result = graded(evidence)
    assert result.certainty is Certainty.MODERATE
    stated = next(r for r in result.reasons if r.domain == "stated certainty")
    assert stated.change == -1 and stated.studies == ["ma"]
    assert domains(result).get("imprecision") is None


def test_indirectness_is_still_rated_below_a_reviews_stated_certainty(evidence):
    evidence.add(review("ma", findings=[finding(route="mixed", participants=900, certainty_stated="high")]))
    result = graded(evidence, route=Route.MIXED)
    assert result.certainty is Certainty.MODERATE and domains(result)["indirectness"] == -1


def test_the_largest_review_that_states_a_certainty_is_the_one_used(evidence):
    evidence.add(review("small", findings=[finding(participants=100, certainty_stated="high")]),
                 review("large", findings=[finding(participants=2000, certainty_stated="low")]))
    result = graded(evidence)
    assert result.certainty is Certainty.LOW
    assert next(r for r in result.reasons if r.domain == "stated certainty").studies == ["large"]


def test_heterogeneity_of_a_pooled_analysis_is_read_from_its_finding(evidence):
    evidence.add(review("ma", findings=[finding(participants=900, i_squared=80)]))
    assert domains(graded(evidence))["inconsistency"] == -1


def test_a_study_without_a_count_weighs_as_typical_trials_in_the_direction(evidence):
    evidence.add(review("ma", findings=[finding(trials=3, participants=300)]),
                 study("unknown", participants=None, findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert result.direction.value == "benefit"
    assert "75%" in next(r.text for r in result.reasons if r.domain == "inconsistency")


def test_a_review_of_mixed_designs_rates_when_it_does_as_well_as_a_lone_small_trial(evidence):
    evidence.add(study("small", participants=30, blinding="open", findings=[finding(direction="no-difference")]),
                 review("sr", design="systematic-review", review_of="mixed", findings=[finding(trials=12)]))
    result = graded(evidence)
    assert result.rating_studies == ["sr"] and result.direction.value == "benefit"
    assert "systematic reviews of this cell rate it" in next(r.text for r in result.reasons if r.domain == "start")


def test_a_review_of_mixed_designs_never_displaces_stronger_randomised_evidence(evidence):
    evidence.add(study("big", participants=900, findings=[finding(direction="no-difference")]),
                 review("sr", design="systematic-review", review_of="mixed", findings=[finding(trials=12)]))
    result = graded(evidence)
    assert result.rating_studies == ["big"] and result.direction.value == "no-difference"


def test_a_larger_review_without_a_stated_certainty_supersedes_a_smaller_ones_rating(evidence):
    evidence.add(review("old", year=2014, findings=[finding(participants=1300, certainty_stated="very-low")]),
                 review("new", year=2024, findings=[finding(participants=1500)]))
    result = graded(evidence)
    assert result.certainty is Certainty.HIGH
    assert any(r.domain == "superseded review" and r.studies == ["old"] for r in result.reasons)


def test_no_graded_cell_of_the_bundled_base_shows_zero_participants_or_counts_a_study_twice(bundled):
    for intervention in bundled.interventions:
        for result in grade_intervention(bundled, intervention):
            if result.certainty.is_human:
                assert result.participants_text != "0", (intervention, result.outcome, result.route)
                folded = {s for s in result.studies for r in bundled.studies[s].included_in if r in result.studies}
                assert not folded, (intervention, result.outcome, result.route, folded)


def test_a_stated_certainty_covering_only_part_of_the_body_does_not_stand(evidence):
    evidence.add(review("ma", findings=[finding(participants=400, certainty_stated="very-low")]),
                 study("t1", participants=300), study("t2", participants=300))
    result = graded(evidence)
    assert result.certainty is Certainty.HIGH
    assert any(r.domain == "superseded review" and r.studies == ["ma"] for r in result.reasons)


def test_a_single_question_review_without_counts_covers_the_body_by_its_included_studies(evidence):
    evidence.add(review("ma", participants=None, studies_included=12,
                        findings=[finding(certainty_stated="moderate")]),
                 review("other", participants=None, studies_included=None, findings=[finding()]))
    result = graded(evidence)
    assert result.certainty is Certainty.MODERATE
    assert next(r for r in result.reasons if r.domain == "stated certainty").studies == ["ma"]
