"""Reading an ingredient list as printed on a label, and naming what each entry does in the formula."""

import pytest

from skinevidence.errors import InputError
from skinevidence.text.ingredients import (
    MAX_INCI_ITEMS,
    classify,
    nomenclature_class,
    parent_acid,
    read_ingredients,
    read_label,
    roles_of,
)


def printed(inci):
    return [e.printed for e in read_label(inci)]


def test_commas_inside_parentheses_and_between_digits_stay_with_their_ingredient():
    assert printed("Aqua (Water, Eau), 1,2-Hexanediol, Niacinamide; Retinol") == [
        "Aqua (Water, Eau)", "1,2-Hexanediol", "Niacinamide", "Retinol"]


def test_a_name_in_three_languages_is_one_entry_looked_up_by_each_name():
    (entry,) = read_label("Aqua/Water/Eau")
    assert entry.printed == "Aqua/Water/Eau" and {"Aqua", "Water", "Eau"} <= set(entry.names)


def test_parentheses_give_the_name_without_them_and_what_they_hold():
    (entry,) = read_label("Butyrospermum Parkii (Shea) Butter")
    assert "Butyrospermum Parkii Butter" in entry.names and "Shea" in entry.names


def test_a_concentration_is_not_part_of_the_name():
    assert "Niacinamide" in read_label("Niacinamide (10%)")[0].names
    assert "Zinc Oxide" in read_label("Zinc Oxide 20%")[0].names


def test_and_between_two_names_makes_two_entries():
    assert printed("Cyclopentasiloxane (and) Dimethicone, Glycerin") == ["Cyclopentasiloxane", "Dimethicone",
                                                                         "Glycerin"]


def test_the_preamble_and_drug_facts_headings_are_not_ingredients():
    assert printed("Ingredients: Water, Glycerin") == ["Water", "Glycerin"]
    assert printed("Active ingredients: Zinc Oxide 20%. Inactive ingredients: Water, Glycerin") == [
        "Zinc Oxide 20%", "Water", "Glycerin"]


def test_asterisks_and_footnotes_are_dropped():
    assert printed("Aloe Barbadensis Leaf Juice*, Glycerin**, Tocopherol. *Organic farming **Natural origin") == [
        "Aloe Barbadensis Leaf Juice", "Glycerin", "Tocopherol"]


def test_may_contain_marks_every_entry_after_it():
    entries = read_label("Mica, Dimethicone. May contain: CI 77491, CI 77492")
    assert [(e.printed, e.may_contain) for e in entries] == [
        ("Mica", False), ("Dimethicone", False), ("CI 77491", True), ("CI 77492", True)]


def test_a_bracketed_plus_minus_group_marks_only_its_own_entries():
    entries = read_label("Talc, [+/- CI 77891, CI 77491]")
    assert [(e.printed, e.may_contain) for e in entries] == [
        ("Talc", False), ("CI 77891", True), ("CI 77491", True)]


def test_a_list_as_a_json_array_keeps_each_item_whole():
    assert printed(["Aqua (Water, Eau)", "Caprylic/Capric Triglyceride"]) == [
        "Aqua (Water, Eau)", "Caprylic/Capric Triglyceride"]


def test_lists_longer_than_the_limit_are_refused():
    read_label(", ".join(["Water"] * MAX_INCI_ITEMS))
    with pytest.raises(InputError, match="at most"):
        read_label(", ".join(["Water"] * (MAX_INCI_ITEMS + 1)))


# roles ------------------------------------------------------------------------------------------------------------
def role(catalog, name):
    (entry,) = read_label(name)
    return classify(catalog, entry)


def test_a_name_of_the_vocabulary_is_an_active_with_its_intervention(evidence):
    found = role(evidence.catalog(), "Alpha Extract")
    assert (found.role, found.intervention, found.source) == ("active", "alpha-serum", "vocabulary")


def test_an_annex_v_substance_is_a_preservative_named_by_the_commission(evidence):
    found = role(evidence.catalog(), "PHENOXYETHANOL")
    assert found.role == "preservative" and "cosing-annexes" in found.functions_source
    assert "preservative" in found.functions


def test_colour_index_numbers_are_colourants_however_they_are_spaced(evidence):
    catalog = evidence.catalog()
    assert {role(catalog, n).role for n in ("CI 77891", "Ci77891", "C.I. 77891")} == {"colourant"}


def test_a_colour_index_number_no_annex_lists_is_a_colourant_by_the_labelling_rule(evidence):
    found = role(evidence.catalog(), "CI 99999")
    assert found.role == "colourant" and "Article 19" in found.source


def test_perfume_named_as_the_law_allows_is_fragrance(evidence):
    assert role(evidence.catalog(), "Aroma").role == "fragrance"


def test_a_labelled_fragrance_allergen_is_fragrance(evidence):
    found = role(evidence.catalog(), "Linalool")
    assert found.role == "fragrance" and "fragrance allergen" in found.functions


def test_a_uv_filter_is_not_read_as_an_active_named_inside_it(bundled):
    found = role(bundled, "Zinc Oxide")
    assert found.role == "uv-filter" and found.intervention is None


def test_a_known_active_keeps_its_formulation_roles_beside_it(bundled):
    found = role(bundled, "Glycerin")
    assert found.roles[0] == "active" and found.intervention is not None and "humectant" in found.roles


def test_a_phrase_of_the_vocabulary_inside_an_unlisted_name_makes_an_active(evidence):
    found = role(evidence.catalog(), "Plant Alpha Leaf Water")
    assert found.role == "active" and found.intervention == "alpha-serum-plant"


def test_an_ingredient_no_source_describes_has_no_role(evidence):
    found = role(evidence.catalog(), "Imaginary Ingredient Nineteen")
    assert (found.role, found.roles, found.functions, found.source) == (None, [], [], None)


def test_roles_follow_the_lexicons_order_of_precedence():
    assert roles_of(["Masking", "Skin conditioning - Emollient", "Solvent"]) == ["emollient", "solvent", "fragrance"]
    assert roles_of(["an unknown function"]) == []


def test_every_entry_of_a_list_gets_a_result(evidence):
    roles = read_ingredients(evidence.catalog(), "Aqua, Alpha Extract, Phenoxyethanol, Imaginary Ingredient")
    assert [r.label_name for r in roles] == ["Aqua", "Alpha Extract", "Phenoxyethanol", "Imaginary Ingredient"]


# roles read from the INCI name itself (lexicons/inci_roles.yaml, "nomenclature") ---------------------------------
@pytest.mark.parametrize(("name", "expected"), [
    ("Aqua", "solvent"), ("Deionized Water", "solvent"),
    ("Ceteareth-25", "emulsifier"), ("PEG-40 Hydrogenated Castor Oil", "emulsifier"), ("Polysorbate 20", "emulsifier"),
    ("Sodium Polyacrylate Crosspolymer-2", "thickener"), ("Sclerotium Gum", "thickener"),
    ("Phenyl Trimethicone", "emollient"), ("Octyldodecyl Myristate", "emollient"),
    ("Tetrasodium Glutamate Diacetate", "chelator"), ("Potassium Hydroxide", "ph-adjuster"),
    ("Behenyl Alcohol", "emollient"), ("Pentylene Glycol", "humectant"), ("Kaolin", "mineral"),
    ("Helianthus Annuus Seed Oil", "emollient"), ("Chamomilla Recutita Flower Extract", "plant-extract"),
    ("Sodium Cocoyl Isethionate", "surfactant"), ("Caprylyl/Capryl Glucoside", "surfactant"),
    ("Polyquaternium-10", "conditioning"), ("Sodium PCA", "humectant"), ("Stearic Acid", "emollient"),
    ("Cetrimonium Chloride", "conditioning"), ("Quaternium-80", "conditioning"), ("Polysilicone-11", "emollient"),
    ("Lauramine Oxide", "surfactant"), ("Disodium Cocoamphodiacetate", "surfactant"),
    ("Sodium Cocoyl Glutamate", "surfactant"), ("Sodium Methyl Oleoyl Taurate", "surfactant"),
    ("Lauramide DEA", "surfactant"), ("Potassium Cocoate", "surfactant"), ("Glyceryl Oleate SE", "emulsifier"),
    ("Sphinganine", "skin-conditioning"), ("Hydrolyzed Silk Protein", "conditioning"),
    ("Tocopheryl Linoleate", "antioxidant"), ("BHT", "antioxidant"), ("Acetyl Tetrapeptide-2", "skin-conditioning"),
    ("Vaccinium Myrtillus Fruit", "plant-extract"), ("Galactomyces Ferment Filtrate", "plant-extract"),
    ("Sodium Chloride", "thickener"), ("Trehalose", "humectant"), ("Caprylhydroxamic Acid", "chelator"),
    ("Tartaric Acid", "ph-adjuster"), ("Bentonite Clay", "mineral"), ("Polyethylene", "thickener"),
    ("Dicaprylyl Ether", "emollient"), ("Taurine", "humectant"), ("Sodium Polyacrylate", "thickener"),
    ("Hydrogenated Tallow Acid", "emollient"),
])
def test_an_inci_name_shows_its_chemical_class_and_the_role_of_that_class(name, expected):
    assert nomenclature_class(name)[1] == expected


def test_a_name_no_source_lists_gets_the_role_its_form_shows_and_says_so(evidence):
    found = role(evidence.catalog(), "Octyldodecyl Myristate")
    assert found.role == "emollient" and found.source == "read from the INCI name: ester or glyceride (emollient)"


def test_a_source_that_lists_the_name_comes_before_its_form(evidence):
    found = role(evidence.catalog(), "Kaolin")  # Annex IV lists kaolin as a colourant; by its form it is a mineral
    assert found.role == "colourant" and "cosing-annexes" in found.source


def test_a_salt_the_name_says_nothing_more_about_gets_no_role(evidence):
    assert role(evidence.catalog(), "Magnesium Nitrate").role is None


def test_a_us_sunscreen_active_named_as_the_monograph_names_it_is_a_uv_filter(evidence):
    found = role(evidence.catalog(), "Octisalate")
    assert found.role == "uv-filter" and "352.10" in found.source


def test_a_fragrance_followed_by_a_supplier_code_is_fragrance(evidence):
    assert role(evidence.catalog(), "Fragrance 20417").role == "fragrance"


def test_a_ferment_lysate_is_read_as_a_ferment_not_as_an_ester():
    assert nomenclature_class("Lactobacillus Ferment Lysate") == ("plant or ferment extract", "plant-extract")


def test_a_salt_does_what_its_acid_does_where_a_source_gives_the_acid_a_role(evidence):
    found = role(evidence.catalog(), "Calcium Dehydroacetate")  # Annex V lists dehydroacetic acid
    assert found.role == "preservative" and "salt of dehydroacetic acid" in found.source


def test_a_salt_does_what_its_acid_does_where_the_acids_own_name_gives_it_a_role(evidence):
    found = role(evidence.catalog(), "Sodium Malate")
    assert found.role == "ph-adjuster" and "salt of malic acid" in found.source


def test_a_salt_whose_acid_has_no_role_gets_none(evidence):
    assert parent_acid("Sodium Imaginarate") is None and role(evidence.catalog(), "Sodium Imaginarate").role is None


@pytest.mark.parametrize("name", ["FD&C Blue No. 1", "D&C Red No. 33", "Red 40", "Yellow 5 Lake", "Ext. D&C Violet 2"])
def test_a_us_certified_colour_named_as_fda_allows_is_a_colourant(evidence, name):
    found = role(evidence.catalog(), name)
    assert found.role == "colourant" and "21 CFR" in found.source


def test_a_colour_word_without_a_number_is_not_a_certified_colour(evidence):
    assert role(evidence.catalog(), "Red Raspberry").role is None
