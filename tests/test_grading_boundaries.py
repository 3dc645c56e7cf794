"""Every threshold of the method (grading/thresholds.py) tested on both sides of its boundary, so that moving any of
them by one unit makes a test here fail; and the inconsistency rule as docs/method.md states it."""

import pytest

from conftest import finding, study
from skinevidence.claims.check import check_text
from skinevidence.evidence.models import EffectMetric, EffectSize, Route, Study
from skinevidence.grading.domains import most
from skinevidence.grading.effects import describe
from skinevidence.grading.grade import grade
from skinevidence.grading.statements import Certainty
from skinevidence.grading.units import Unit


def graded(evidence, outcome="wrinkles", route=Route.TOPICAL):
    return grade(evidence.catalog(), "alpha-serum", outcome, route)


def moves(result) -> dict[str, int]:
    return {r.domain: sum(x.change for x in result.reasons if x.domain == r.domain) for r in result.reasons}


# risk of bias ----------------------------------------------------------------------------------------------------

def test_exactly_twenty_percent_lost_is_not_a_concern(evidence):
    evidence.add(study("t1", participants=500, completed=400))
    assert moves(graded(evidence)).get("risk of bias", 0) == 0


def test_just_over_twenty_percent_lost_is_a_concern(evidence):
    evidence.add(study("t1", participants=500, completed=399))
    assert moves(graded(evidence))["risk of bias"] == -1


def test_exactly_half_the_studies_with_concerns_is_not_serious(evidence):
    evidence.add(study("t1", blinding="open"), study("t2", blinding="open"), study("t3"), study("t4"))
    assert moves(graded(evidence)).get("risk of bias", 0) == 0


def test_three_of_five_studies_with_concerns_is_serious(evidence):
    evidence.add(*[study(f"open{i}", blinding="open") for i in range(3)], study("t4"), study("t5"))
    assert moves(graded(evidence))["risk of bias"] == -1


@pytest.mark.parametrize("flawed, clean, serious", [(500, 500, False), (501, 500, True)])
def test_more_than_half_of_the_participants_is_the_share_that_makes_a_concern_serious(flawed, clean, serious):
    units = [Unit(Study.model_validate(study(sid, participants=n)), []) for sid, n in (("a", flawed), ("b", clean))]
    assert most(units[:1], units) is serious


def test_a_large_flawed_trial_outweighs_a_small_clean_one(evidence):
    evidence.add(study("big", participants=400, blinding="open"), study("small", participants=100))
    assert moves(graded(evidence))["risk of bias"] == -1


# imprecision -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("participants, change", [(99, -2), (100, -1), (399, -1), (400, 0)])
def test_imprecision_at_100_and_400_participants(evidence, participants, change):
    evidence.add(study("t1", participants=participants))
    assert moves(graded(evidence)).get("imprecision", 0) == change


@pytest.mark.parametrize("trials, change", [(2, -2), (3, -1)])
def test_missing_counts_make_a_lower_bound_from_three_trials(evidence, trials, change):
    evidence.add(study("ma", design="meta-analysis", review_of="rct", participants=None,
                       findings=[finding(trials=trials)]))
    assert moves(graded(evidence))["imprecision"] == change


@pytest.mark.parametrize("low, high, change", [(0.5, 0.74, 0), (0.5, 0.76, -1), (1.26, 2.0, 0), (1.24, 2.0, -1),
                                              (0.8, 1.1, -1)])
def test_a_main_effect_whose_interval_reaches_from_appreciable_to_trivial_is_imprecise(evidence, low, high, change):
    evidence.add(study("t1", participants=900, findings=[finding(
        effect_size={"metric": "rr", "value": round((low * high) ** 0.5, 2), "ci_low": low, "ci_high": high})]))
    assert moves(graded(evidence)).get("imprecision", 0) == change


def test_a_mean_difference_whose_interval_includes_zero_is_imprecise(evidence):
    evidence.add(study("t1", participants=900, findings=[finding(
        effect_size={"metric": "md", "value": 0.3, "ci_low": -0.1, "ci_high": 0.7})]))
    assert moves(graded(evidence))["imprecision"] == -1


@pytest.mark.parametrize("low, high, change", [(0.76, 1.24, 0), (0.74, 1.2, -1), (0.8, 1.26, -1)])
def test_a_null_result_is_imprecise_while_its_interval_includes_an_appreciable_effect(evidence, low, high, change):
    evidence.add(study("t1", participants=900, findings=[finding(
        direction="no-difference", effect_size={"metric": "rr", "value": 1.0, "ci_low": low, "ci_high": high})]))
    assert moves(graded(evidence)).get("imprecision", 0) == change


def test_the_interval_of_a_study_carrying_only_part_of_the_evidence_is_not_judged(evidence):
    evidence.add(study("t1", participants=450, findings=[finding(
                     effect_size={"metric": "rr", "value": 1.4, "ci_low": 0.9, "ci_high": 2.0})]),
                 study("t2", participants=450))
    assert moves(graded(evidence)).get("imprecision", 0) == 0


# publication bias ------------------------------------------------------------------------------------------------

def test_exactly_three_small_studies_all_from_the_maker_suggest_publication_bias(evidence):
    evidence.add(*[study(f"t{i}", participants=133, funding="industry") for i in range(3)])
    assert moves(graded(evidence))["publication bias"] == -1


def test_four_small_studies_from_the_maker_do_not(evidence):
    evidence.add(*[study(f"t{i}", participants=90, funding="industry") for i in range(4)])
    assert moves(graded(evidence)).get("publication bias", 0) == 0


@pytest.mark.parametrize("participants, change", [(133, -1), (134, 0)])
def test_studies_from_the_maker_are_small_below_400_participants_in_all(evidence, participants, change):
    evidence.add(*[study(f"t{i}", participants=participants, funding="industry") for i in range(3)])
    assert moves(graded(evidence)).get("publication bias", 0) == change


def test_funding_by_the_maker_is_shown_but_never_downgrades_by_itself(evidence):
    evidence.add(*[study(f"t{i}", participants=300, funding="industry") for i in range(2)])
    result = graded(evidence)
    assert result.certainty is Certainty.HIGH and result.industry_linked == ["t0", "t1"]
    assert any(r.domain == "industry" and "All the rating evidence" in r.text for r in result.reasons)


# inconsistency ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("i_squared, change", [(49, 0), (50, -1)])
def test_heterogeneity_from_i_squared_50(evidence, i_squared, change):
    evidence.add(study("ma", design="meta-analysis", review_of="rct", findings=[finding(participants=900,
                                                                                        i_squared=i_squared)]))
    assert moves(graded(evidence)).get("inconsistency", 0) == change


def test_i_squared_is_checked_even_when_most_participants_agree(evidence):
    evidence.add(study("ma", design="meta-analysis", review_of="rct", findings=[finding(participants=900,
                                                                                        i_squared=80)]))
    alone = graded(evidence).certainty
    evidence.add(study("null", participants=100, findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert alone is Certainty.MODERATE and result.certainty is Certainty.MODERATE
    assert moves(result)["inconsistency"] == -1


def test_three_quarters_of_the_participants_pointing_one_way_is_one_direction(evidence):
    evidence.add(study("big", participants=300), study("null", participants=100,
                                                       findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert result.direction.value == "benefit" and moves(result).get("inconsistency", 0) == 0


def test_just_under_three_quarters_is_mixed_and_inconsistent(evidence):
    evidence.add(study("big", participants=296), study("null", participants=104,
                                                       findings=[finding(direction="no-difference")]))
    result = graded(evidence)
    assert result.direction.value == "mixed" and moves(result)["inconsistency"] == -1


BODIES = {
    "one large trial": [study("a", participants=900)],
    "one flawed trial": [study("a", participants=400, blinding="open")],
    "two small trials from the maker": [study("a", participants=150, funding="industry"),
                                        study("b", participants=150, funding="industry")],
    "a heterogeneous meta-analysis": [study("a", design="meta-analysis", review_of="rct",
                                            findings=[finding(participants=900, i_squared=80)])],
    "a small trial": [study("a", participants=120)],
}


@pytest.mark.parametrize("body", sorted(BODIES))
@pytest.mark.parametrize("size", [20, 60, 100])
def test_adding_a_small_null_trial_never_raises_a_benefit_grade(evidence, body, size):
    evidence.add(*BODIES[body])
    before = graded(evidence)
    evidence.add(study("null", participants=size, findings=[finding(direction="no-difference")]))
    after = graded(evidence)
    assert before.direction.value == "benefit"
    if after.direction.value == "benefit":
        assert after.certainty.rank <= before.certainty.rank
    else:
        assert moves(after)["inconsistency"] == -1


# indirectness ----------------------------------------------------------------------------------------------------

def test_three_kinds_of_indirectness_move_two_levels(evidence):
    evidence.add(study("t1", findings=[finding(outcome="collagen", route="not-reported", co_interventions=["x"])]))
    result = graded(evidence, outcome="collagen", route=Route.NOT_REPORTED)
    assert moves(result)["indirectness"] == -2 and result.certainty is Certainty.LOW


def test_healthy_volunteers_under_an_induced_model_are_indirect(evidence):
    evidence.add(study("t1", healthy_volunteers=True, induced_model="UV challenge"))
    result = graded(evidence)
    assert moves(result)["indirectness"] == -1
    assert "UV challenge" in next(r.text for r in result.reasons if r.domain == "indirectness")


def test_healthy_volunteers_without_an_induced_model_are_direct_for_a_cosmetic_outcome(evidence):
    evidence.add(study("t1", healthy_volunteers=True))
    assert moves(graded(evidence)).get("indirectness", 0) == 0


# moving up -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("relative_effect, change", [(1.99, 0), (2.0, 1), (0.5, 1), (4.99, 1), (5.0, 2), (0.2, 2)])
def test_large_and_very_large_effects_from_2_and_5(evidence, relative_effect, change):
    evidence.add(study("t1", design="cohort", randomised=False, findings=[finding(relative_effect=relative_effect)]))
    assert moves(graded(evidence)).get("large effect", 0) == change


def test_an_effect_size_ratio_counts_as_a_relative_effect(evidence):
    evidence.add(study("t1", design="cohort", randomised=False,
                       findings=[finding(effect_size={"metric": "rr", "value": 2.5})]))
    assert moves(graded(evidence))["large effect"] == 1


# effect sizes in words -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, word", [(0.19, "very small"), (0.2, "a small"), (0.49, "a small"),
                                         (0.5, "moderate"), (0.79, "moderate"), (0.8, "large")])
def test_standardised_differences_are_small_from_02_moderate_from_05_large_from_08(value, word):
    assert word in describe(EffectSize(metric=EffectMetric.STANDARDISED_MEAN_DIFFERENCE, value=value))


# a claim of proof ------------------------------------------------------------------------------------------------

def test_a_non_randomised_moderate_body_does_not_support_a_proven_claim(evidence):
    evidence.add(study("t1", design="non-randomised-controlled", randomised=False,
                       findings=[finding(relative_effect=2.5)]))
    catalog = evidence.catalog()
    assert grade(catalog, "alpha-serum", "wrinkles", Route.TOPICAL).certainty is Certainty.MODERATE
    claim = check_text(catalog, "Alpha serum is clinically proven to reduce wrinkles.").claims[0]
    assert claim.verdict == "overstated" and "randomised" in " ".join(r for r in claim.reasons)


def test_a_randomised_moderate_body_supports_a_proven_claim(evidence):
    evidence.add(study("t1", participants=300))
    catalog = evidence.catalog()
    assert grade(catalog, "alpha-serum", "wrinkles", Route.TOPICAL).certainty is Certainty.MODERATE
    assert check_text(catalog, "Alpha serum is clinically proven to reduce wrinkles.").claims[0].verdict == \
        "supported"
