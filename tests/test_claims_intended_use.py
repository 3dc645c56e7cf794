"""Intended use (docs/claims.md, "Intended use"): every sentence read for drug and medicinal claims, whatever its
subject. The sentences are general wordings; none is taken from the development sets the lexicons were tuned on."""

import pytest

from skinevidence.claims.check import check_text
from skinevidence.claims.intent import inflect


def flags(catalog, text):
    return [f for c in check_text(catalog, text).claims for f in c.flags]


def drug(catalog, text, jurisdiction="US"):
    """The bases of the drug-claim flags a text raises in one jurisdiction."""
    return {f.basis for f in flags(catalog, text) if f.jurisdiction == jurisdiction and f.kind == "drug_claim"}


# a disease claim needs no ingredient ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Calms psoriasis flare-ups in days.", "Our balm relieves eczema.",
                                  "Clears cystic acne for good.", "A soothing remedy for cold sores."])
def test_treating_a_condition_is_a_us_disease_claim_with_no_ingredient_named(bundled, text):
    assert drug(bundled, text) == {"disease"}


def test_a_condition_named_as_what_the_product_is_for_is_a_disease_claim(bundled):
    assert "disease" in drug(bundled, "Perfect for rosacea.")


def test_therapeutic_words_claim_on_their_own(bundled):
    assert "disease" in drug(bundled, "Green tea toner: antibacterial and antifungal.")


def test_a_uk_medicinal_flag_accompanies_a_disease_claim(bundled):
    assert drug(bundled, "Relieves the itching of eczema.", "UK") == {"disease"}


# structure and function --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Wakes up your fibroblasts.", "Rebuilds the collagen network of the skin.",
                                  "Boosts blood circulation in the scalp.", "Switches off melanin production."])
def test_acting_on_a_body_structure_or_process_is_a_structure_function_claim(bundled, text):
    assert "structure-function" in drug(bundled, text)


def test_growth_of_hair_is_a_structure_function_claim_but_longer_looking_lashes_are_cosmetic(bundled):
    assert drug(bundled, "Regrows thinning brows.") and not drug(bundled, "For longer-looking lashes.")


def test_removing_wrinkles_is_a_drug_claim_but_their_appearance_is_cosmetic(bundled):
    assert drug(bundled, "Erases deep wrinkles.") == {"structure-function"}
    assert not drug(bundled, "Visibly softens the look of deep wrinkles.")


def test_a_uk_physiological_claim_needs_evidence_but_is_not_medicinal(bundled):
    found = [f for f in flags(bundled, "Stimulates new skin cells.") if f.jurisdiction == "UK"]
    assert [(f.kind, f.basis) for f in found] == [("substantiation", "structure-function")]


# escapes and cosmetic wording ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Improves the look of acne scars.", "Gentle enough for eczema-prone skin.",
                                  "Hydrates and smooths for a visibly fresher complexion.",
                                  "Gently removes dead skin cells.", "Covers redness and dark spots instantly."])
def test_cosmetic_wording_raises_no_drug_claim(bundled, text):
    assert not drug(bundled, text)


def test_a_therapeutic_verb_is_not_excused_by_prone(bundled):
    assert drug(bundled, "Heals eczema-prone skin overnight.") == {"disease"}


def test_an_action_in_another_clause_does_not_reach_the_object(bundled):
    assert not drug(bundled, "Our cream feels rich; acne-prone skin loves it.")


# whose words ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Some brands claim their serums cure eczema.",
    "“It heals acne scars in weeks,” says Dr Jane Roe.",
    "Nothing in this jar will cure rosacea.",
    "In a study of 40 people, the gel reduced acne lesions.",
    "Historically, the leaves were used to heal wounds.",
    "Tretinoin is a prescription drug approved for the treatment of acne.",
])
def test_reported_quoted_negated_and_described_sentences_raise_no_violation(bundled, text):
    assert flags(bundled, text) == []


def test_a_quotation_names_its_speaker(bundled):
    claim = check_text(bundled, "“This serum regenerates skin cells,” explains Dr Jane Roe.").claims[0]
    assert claim.stance == "quoted" and claim.speaker == "Dr Jane Roe" and claim.flags == []


def test_a_report_ending_in_a_colon_governs_its_paragraph(bundled):
    text = "The sales pitch is familiar: the cream heals acne. It also regrows hair."
    assert flags(bundled, text) == []


def test_list_items_inherit_the_action_of_their_lead(bundled):
    text = "This balm relieves the symptoms of:\n- Eczema\n- Psoriasis"
    items = [c for c in check_text(bundled, text).claims if c.text.startswith("- ")]
    assert items and all(any(f.basis == "disease" and f.jurisdiction == "US" for f in c.flags) for c in items)


# Korean --------------------------------------------------------------------------------------------------------

def test_korean_drug_like_wording_is_flagged(bundled):
    assert drug(bundled, "여드름 개선 크림", "KR") == {"disease"}


def test_the_korean_functional_cosmetic_form_is_lawful(bundled):
    assert not drug(bundled, "피부 미백에 도움을 준다", "KR")


def test_korean_penetration_wording_is_misleading(bundled):
    found = [f for f in flags(bundled, "진피층까지 빠르게 흡수되는 앰플") if f.jurisdiction == "KR"]
    assert found and all(f.kind == "advertising_rule" for f in found)


# the inflector that makes verb lists data ----------------------------------------------------------------------

def test_verbs_are_inflected_so_the_lexicon_lists_only_their_bases():
    assert {"reduces", "reduced", "reducing"} <= inflect("reduce")
    assert {"relieves", "fights", "stops", "stopping"} <= inflect("relieve") | inflect("fight") | inflect("stop")
    assert "speeds up" in inflect("speed up")
