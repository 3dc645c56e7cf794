"""Product checks: what the label's ingredients are proven to do, what could explain the claims, what it discloses."""

import json

import pytest

from skinevidence.claims.product import check_product, parse_inci
from skinevidence.errors import InputError

SERUM = {"name": "Exosome Renewal Serum", "claims": "Stimulates collagen for visibly firmer skin.",
         "inci": "Aqua, Glycerin, Niacinamide, Palmitoyl Pentapeptide-4, Sodium Hyaluronate, "
                 "Human Adipose Stromal Cell Exosomes, Phenoxyethanol"}


def test_inci_lists_keep_commas_inside_parentheses():
    assert parse_inci("Aqua (Water, Eau), Niacinamide; Retinol") == ["Aqua (Water, Eau)", "Niacinamide", "Retinol"]


def test_label_names_are_read_as_interventions(bundled):
    report = check_product(bundled, **SERUM)
    found = {i.label_name: i.intervention for i in report.ingredients}
    assert found["Niacinamide"] == "niacinamide" and found["Sodium Hyaluronate"] == "hyaluronic-acid"
    assert "Aqua" in report.unknown_ingredients


def test_the_headline_ingredient_comes_from_the_name_made_specific_by_the_ingredient_list(bundled):
    headline = check_product(bundled, **SERUM).headline
    assert len(headline) == 1 and headline[0] in bundled.family("exosomes")
    assert headline == [i.intervention for i in check_product(bundled, **SERUM).ingredients
                        if i.label_name == "Human Adipose Stromal Cell Exosomes"]


def test_other_proven_actives_that_could_explain_the_claim_are_named(bundled):
    report = check_product(bundled, **SERUM)
    assert report.alternatives
    for alternative in report.alternatives:
        assert alternative.certainty.rank >= alternative.headline_certainty.rank
        assert alternative.intervention not in report.headline


def test_the_vesicles_source_and_characterisation_are_checked(bundled):
    report = check_product(bundled, **SERUM)
    assert report.ev_disclosure["source"] is not None
    assert report.misev_score is not None and report.misev_score < 7
    assert any("MISEV" in line for line in report.summary)


def test_a_product_without_vesicles_has_no_vesicle_checklist(bundled):
    report = check_product(bundled, name="Night cream", claims="Smooths fine lines.", inci="Aqua, Retinol")
    assert report.ev_disclosure is None and report.misev_checklist == []


def test_the_claims_are_checked_as_the_products_own(bundled):
    claims = check_product(bundled, **SERUM).claims.claims
    assert claims and all(c.interventions for c in claims)


def test_human_origin_vesicles_raise_the_ingredient_rules_that_cover_them(bundled):
    flags = check_product(bundled, **SERUM).ingredient_flags
    assert all(f.kind == "prohibited_ingredient" and f.source.startswith("http") for f in flags)


def test_nothing_to_check_is_refused(bundled):
    with pytest.raises(InputError):
        check_product(bundled, name=" ")


def test_a_product_json_file_is_read(bundled, tmp_path):
    from skinevidence.claims.product import read_product_json
    path = tmp_path / "product.json"
    path.write_text(json.dumps({**SERUM, "inci": SERUM["inci"].split(", ")}), encoding="utf-8")
    name, _, inci = read_product_json(path)
    assert name == SERUM["name"] and len(inci) == 7


def test_malformed_product_json_is_a_clear_error(tmp_path):
    from skinevidence.claims.product import read_product_json
    path = tmp_path / "product.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_product_json(path)


def test_a_product_named_for_plant_vesicles_is_judged_on_plant_vesicles_not_human_data(bundled):
    report = check_product(bundled, name="Exosome Glow Serum", claims="Boosts collagen.",
                           inci="Aqua, Glycerin, Plant Exosomes, Niacinamide")
    plant = next(i.intervention for i in report.ingredients if i.label_name == "Plant Exosomes")
    assert report.headline == [plant] and plant != bundled.resolve_intervention("exosomes")
    assert all(c.interventions == [plant] for c in report.claims.claims if c.verdict)


def test_a_product_sold_for_an_unknown_ingredient_names_it_and_borrows_no_other_evidence(bundled):
    report = check_product(bundled, name="Zorbanide Pink Serum", claims="Heals acne scars.",
                           inci="Aqua, Zorbanide, Niacinamide")
    assert report.headline == [] and report.headline_unknown == "zorbanide"
    claim = report.claims.claims[0]
    assert claim.subject == "zorbanide" and claim.evidence is None and claim.verdict == "no evidence"
    assert any(f.basis == "disease" and f.jurisdiction == "US" for f in claim.flags)


def test_a_comparison_with_other_ingredients_is_checked(bundled):
    report = check_product(bundled, name="Exosome serum", claims="Replaces tretinoin for wrinkles.",
                           inci="Aqua, Plant Exosomes")
    claim = report.claims.claims[0]
    assert claim.subject == report.headline[0] and claim.verdict == "overstated"


def test_every_listed_ingredient_gets_a_role_entry_and_only_actives_are_judged(bundled):
    report = check_product(bundled, **SERUM)
    assert [r.label_name for r in report.roles] == parse_inci(SERUM["inci"])
    judged = {i.label_name for i in report.ingredients}
    assert judged == {r.label_name for r in report.roles if r.role == "active"}
    assert "Phenoxyethanol" not in judged
    assert next(r for r in report.roles if r.label_name == "Phenoxyethanol").role == "preservative"


def test_the_summary_says_how_many_ingredients_have_a_role_and_which_have_none(evidence):
    report = check_product(evidence.catalog(), name="Cream", inci="Alpha Extract, Phenoxyethanol, Imaginary Ingredient")
    line = report.summary[-1]
    assert line.startswith("2 of 3 listed ingredients have a known role: 1 active(s)")
    assert line.endswith("No source states a role for: Imaginary Ingredient.")
