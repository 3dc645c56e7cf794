"""Claim checking (docs/claims.md): false positives are tested as hard as hits."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import finding, study
from skinevidence.claims.check import check_text


def claims(catalog, text):
    return check_text(catalog, text).claims


def only(catalog, text):
    found = claims(catalog, text)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def rules(claim):
    return {f.rule for f in claim.flags}


def kinds(claim):
    return {(f.kind, f.jurisdiction) for f in claim.flags}


# the US drug/cosmetic line ---------------------------------------------------------------------------------------

def test_reducing_the_appearance_of_fine_lines_is_not_a_drug_claim(bundled):
    claim = only(bundled, "This exosome serum reduces the appearance of fine lines.")
    assert ("drug_claim", "US") not in kinds(claim)


def test_stimulating_collagen_production_is_a_us_drug_claim(bundled):
    claim = only(bundled, "This exosome serum stimulates collagen production.")
    assert ("drug_claim", "US") in kinds(claim)
    flag = next(f for f in claim.flags if f.kind == "drug_claim")
    assert flag.source.startswith("http") and flag.explanation


def test_a_sentence_reporting_a_regulators_warning_is_not_a_violation(bundled):
    found = claims(bundled, "The FDA warns that exosome products are not approved and can cause serious harm.")
    assert all(not c.flags for c in found)


def test_not_fda_approved_is_not_a_false_approval_claim(bundled):
    assert claims(bundled, "Exosomes are not FDA approved.") == []


def test_claiming_fda_approval_for_an_exosome_product_is_flagged_and_contradicted(bundled):
    claim = only(bundled, "Our FDA approved exosome serum.")
    assert ("false_approval", "US") in kinds(claim) and claim.verdict == "contradicted"


def test_no_flag_is_emitted_for_a_rule_that_did_not_fire(bundled):
    claim = only(bundled, "Tretinoin reduces the appearance of wrinkles.")
    assert claim.flags == []


# stance: negation, hedging, reported speech -----------------------------------------------------------------------

def test_negated_claims_are_read_as_negated(bundled):
    claim = only(bundled, "No study has shown that exosomes boost collagen in people.")
    assert claim.stance == "negated" and not claim.overclaim and claim.flags == []


def test_hedged_claims_are_read_as_hedged(bundled):
    claim = only(bundled, "Exosomes may help improve skin texture.")
    assert claim.stance == "hedged" and claim.strength == "hedged"


def test_reported_claims_are_not_the_authors_own(bundled):
    claim = only(bundled, "Brands claim that exosomes boost collagen and stimulate collagen production.")
    assert claim.stance == "reported" and not claim.overclaim and claim.flags == []


def test_a_list_inherits_its_leads_stance_and_subject(bundled):
    text = "Proponents of exosome serums tout many benefits, including:\nFirmer skin\nFewer wrinkles"
    items = [c for c in claims(bundled, text) if c.text in ("Firmer skin", "Fewer wrinkles")]
    assert items and all(c.stance == "reported" and c.interventions == ["exosomes"] for c in items)


def test_questions_are_not_claims(bundled):
    assert claims(bundled, "Do exosomes really reduce wrinkles?") == []


def test_a_procedure_beside_a_product_is_the_route(bundled):
    claim = only(bundled, "Exosome microneedling erases acne scars.")
    assert claim.interventions == ["exosomes"] and claim.route.value == "after-microneedling"


def test_a_claim_without_a_route_is_judged_as_home_use_and_says_so(bundled):
    claim = only(bundled, "Exosomes reduce wrinkles.")
    assert claim.route is None and claim.evidence.route.value == "topical"
    assert any("No route stated" in r for r in claim.reasons)


# verdicts on hand-made evidence ------------------------------------------------------------------------------------

def test_proven_wording_needs_randomised_evidence_of_moderate_certainty(evidence):
    evidence.add(study("t1", participants=40))
    claim = only(evidence.catalog(), "Alpha serum is clinically proven to reduce wrinkles.")
    assert claim.strength == "proven" and claim.verdict == "overstated" and claim.overclaim


def test_strong_evidence_supports_a_proven_claim(evidence):
    evidence.add(study("t1"))
    claim = only(evidence.catalog(), "Alpha serum is clinically proven to reduce wrinkles.")
    assert claim.verdict == "supported" and not claim.overclaim


def test_a_hedged_claim_on_low_evidence_is_supported(evidence):
    evidence.add(study("t1", participants=40))
    assert only(evidence.catalog(), "Alpha serum may reduce wrinkles.").verdict == "supported"


def test_cell_work_alone_makes_a_human_claim_preclinical_only(evidence):
    evidence.add(study("cells", design="in-vitro", population="cells", participants=None,
                       findings=[finding(route="laboratory", outcome="collagen")]))
    claim = only(evidence.catalog(), "Alpha serum boosts collagen.")
    assert claim.verdict == "preclinical only" and claim.overclaim


def test_a_description_of_cell_work_gets_no_verdict_of_its_own(evidence):
    evidence.add(study("cells", design="in-vitro", population="cells", participants=None,
                       findings=[finding(route="laboratory", outcome="collagen")]))
    claim = only(evidence.catalog(), "In cell studies, alpha serum boosted collagen.")
    assert claim.stance == "described" and claim.verdict is None and claim.flags == []


def test_evidence_of_no_difference_contradicts_a_claim_of_benefit(evidence):
    evidence.add(study("t1", findings=[finding(direction="no-difference")]))
    assert only(evidence.catalog(), "Alpha serum reduces wrinkles.").verdict == "contradicted"


def test_a_promised_speed_faster_than_any_study_is_overstated(evidence):
    evidence.add(study("t1", findings=[finding(first_difference_weeks=12)]))
    claim = only(evidence.catalog(), "Alpha serum reduces wrinkles in 7 days.")
    assert claim.verdict == "overstated" and any("7 days" in q for q in claim.quantities)


def test_a_safety_claim_meets_reported_harms(evidence):
    evidence.add(study("t1"), study("case", design="case-report", participants=1,
                                    findings=[finding(outcome="adverse-events", direction="harm", comparator="none")]))
    assert only(evidence.catalog(), "Alpha serum is safe, with no side effects.").verdict == "contradicted"


# other jurisdictions ---------------------------------------------------------------------------------------------

def test_korean_exosome_wording_is_flagged_but_plant_exosomes_are_not(bundled):
    assert ("advertising_rule", "KR") in kinds(only(bundled, "엑소좀 앰플로 피부재생 효과"))
    assert all(f.jurisdiction != "KR" for c in claims(bundled, "식물 엑소좀 앰플로 보습 효과") for f in c.flags)


def test_a_jurisdiction_filter_keeps_only_its_flags(bundled):
    found = check_text(bundled, "This exosome serum stimulates collagen production.", jurisdictions={"EU"}).claims
    assert all(f.jurisdiction == "EU" for f in found[0].flags)


# the seeds: real articles ----------------------------------------------------------------------------------------

def test_003_overclaims_ideal_candidates(bundled, seed):
    text = seed("003")
    claim = next(c for c in claims(bundled, text) if "ideal candidates" in c.text)
    assert text[claim.start:claim.end] == claim.text
    assert claim.overclaim and claim.strength == "superlative" and any("ideal" in h for h in claim.hype)
    assert "eu-655-performance-beyond-evidence" in rules(claim)


def test_003_presents_a_results_timeline_as_established(bundled, seed):
    claim = next(c for c in claims(bundled, seed("003")) if c.text.startswith("2 weeks:"))
    assert claim.strength == "quantified" and claim.overclaim
    assert "us-ftc-proven-wording-without-rct-evidence" in rules(claim)


def test_003_list_of_abilities_being_studied_describes_research_and_breaks_no_rule(bundled, seed):
    claim = next(c for c in claims(bundled, seed("003")) if c.text == "Stimulate collagen and elastin production")
    assert claim.stance == "described" and claim.interventions == ["exosomes"] and claim.flags == []


def test_001_reports_marketing_claims_without_making_them(bundled, seed):
    claim = next(c for c in claims(bundled, seed("001")) if c.text.startswith("According to marketing claims"))
    assert claim.stance == "reported" and claim.flags == [] and not claim.overclaim


@pytest.mark.parametrize("name", ["000", "001"])
def test_careful_articles_make_no_overclaim_about_their_subject(bundled, seed, name):
    report = check_text(bundled, seed(name))
    about_subject = [c for c in report.claims if set(report.subject) & set(c.interventions) and c.overclaim]
    assert about_subject == []


def test_the_sloppy_article_has_more_overclaims_than_the_careful_ones(bundled, seed):
    counts = {n: check_text(bundled, seed(n)).overclaims for n in ("000", "001", "003")}
    assert counts["003"] > 3 * max(counts["000"], counts["001"])


# robustness --------------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_gives_claims_whose_spans_are_their_text(bundled, text):
    if not text.strip():
        return
    for claim in check_text(bundled, text).claims:
        assert text[claim.start:claim.end] == claim.text


def test_a_single_sentence_of_a_megabyte_is_cut_into_bounded_pieces(bundled):
    text = ("exosomes boost collagen " * 45000).strip()
    report = check_text(bundled, text)
    assert report.sentences > 1 and all(c.end - c.start <= 1200 for c in report.claims)


# realistic marketing copy --------------------------------------------------------------------------------------------

def test_a_claim_to_treat_a_disease_is_a_us_drug_claim(bundled):
    claim = only(bundled, "This exosome serum is suitable for acne scars and rosacea.")
    assert ("drug_claim", "US") in kinds(claim)


def test_the_look_of_a_condition_is_not_a_disease_claim(bundled):
    found = claims(bundled, "This exosome serum improves the look of acne scars.")
    assert all(f.rule != "us-disease-claim" for c in found for f in c.flags)


def test_a_comparison_with_botox_is_flagged(bundled):
    claim = only(bundled, "Our exosome serum is more natural than Botox.")
    assert ("procedure_comparison", "US") in kinds(claim)


def test_short_copy_about_one_product_attributes_every_claim_to_it(bundled):
    text = ("Exosome Glow Serum. Our exosome serum is loved by thousands.\n"
            "Results: visibly firmer skin in just 7 days.")
    claim = next(c for c in claims(bundled, text) if c.text.startswith("Results"))
    assert claim.interventions == ["exosomes"] and claim.strength == "quantified"


def test_in_a_long_article_an_unattributed_sentence_is_not_pinned_on_its_subject(bundled, seed):
    report = check_text(bundled, seed("000"))
    prioritise = [c for c in report.claims if c.text.startswith("For skin rejuvenation, prioritize")]
    assert all(not set(report.subject) & set(c.interventions) for c in prioritise)


@pytest.mark.parametrize("name", ["003", "004"])
def test_every_supported_claim_in_a_seed_names_its_outcomes(bundled, seed, name):
    report = json.loads(check_text(bundled, seed(name)).model_dump_json())
    supported = [c for c in report["claims"] if c["verdict"] == "supported"]
    assert all(c["outcomes"] for c in supported)
