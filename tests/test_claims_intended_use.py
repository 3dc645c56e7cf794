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


# results stated as nouns, as testimonials and as promises (second round) ----------------------------------------

@pytest.mark.parametrize("text", ["A 70% improvement in acne lesions.", "Fewer breakouts in a week.",
                                  "No more dandruff.", "Relief of psoriasis symptoms."])
def test_a_result_stated_as_a_noun_is_a_disease_claim(bundled, text):
    assert drug(bundled, text) == {"disease"}


def test_a_quantity_word_reaches_only_the_word_after_it(bundled):
    assert not drug(bundled, "Oil-free, so less likely to cause breakouts.")


@pytest.mark.parametrize("text", ["After a month my psoriasis had cleared up.", "Within days the cold sore was gone.",
                                  "Keep applying and your warts will fall off."])
def test_a_result_stated_of_the_condition_is_a_disease_claim(bundled, text):
    assert drug(bundled, text) == {"disease"}


def test_a_condition_that_clears_in_the_present_tense_is_a_description_not_a_promise(bundled):
    assert not drug(bundled, "Teenage acne usually clears up by adulthood.")


def test_a_pronoun_after_a_sentence_naming_the_condition_carries_it(bundled):
    assert drug(bundled, "I had eczema on my hands for years. This balm cleared it in a month.") == {"disease"}
    assert drug(bundled, "I had red bumps on my arms. Within a week they were gone.") == set()


def test_matching_a_medicine_claims_its_use(bundled):
    assert drug(bundled, "As effective as hydrocortisone, without the side effects.") == {"disease"}
    assert drug(bundled, "Just as good as dermal fillers.") == {"structure-function"}
    assert drug(bundled, "As strong as prescription retinoids.") == {"structure-function"}


def test_a_bare_than_does_not_claim_a_medicines_use(bundled):
    assert not drug(bundled, "Gentler on skin than steroid creams.")


def test_a_product_named_for_a_condition_is_a_disease_claim(bundled):
    assert drug(bundled, "Rosacea cream with green tea.") == {"disease"}
    assert not drug(bundled, "A cream for rosacea-prone skin.")


def test_healing_skin_is_a_disease_claim_but_caring_for_it_is_cosmetic(bundled):
    assert drug(bundled, "Heals dry, cracked skin.") == {"disease"}
    assert not drug(bundled, "For dry, cracked skin.")


def test_an_escape_for_dead_skin_qualifies_only_the_next_words(bundled):
    assert drug(bundled, "Dead Sea minerals boost circulation.") == {"structure-function"}


# words that claim nothing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "This product is not intended to diagnose, treat, cure or prevent any disease.",
    "Stop use and ask a doctor if a rash occurs.",
    "Exosomes are a hot topic in regenerative medicine.",
    "Ads for these masks promise “clearer skin and an end to acne” within weeks.",
    "A cream that treats eczema is a drug under the law.",
])
def test_disclaimers_warnings_names_quotations_and_the_law_raise_no_drug_claim(bundled, text):
    assert flags(bundled, text) == []


def test_words_outside_the_quotation_marks_are_still_the_authors(bundled):
    assert drug(bundled, "Our “miracle” balm heals eczema.") == {"disease"}


def test_a_speech_word_used_as_a_noun_reports_nothing(bundled):
    assert drug(bundled, "Sold across the United States, it heals cracked heels.") == {"disease"}
    assert drug(bundled, "We cannot make such claims, but our salve heals burns.") == {"disease"}


@pytest.mark.parametrize("text", [
    "Fans swear by it for clearing up acne.",
    "The complainant challenged whether the ad claimed to treat acne.",
    "The listing described the oil as a remedy for eczema.",
    "Serums are everywhere, promising thicker lashes and regrown brows.",
    "Collagen is a protein that keeps skin firm and helps wounds heal.",
    "Exosomes are involved in tissue repair and inflammation.",
])
def test_reports_of_others_and_definitions_raise_no_violation(bundled, text):
    assert flags(bundled, text) == []


def test_history_told_by_the_seller_is_its_own_claim(bundled):
    assert drug(bundled, "We have used calendula for generations to heal cuts and scrapes.") == {"disease"}


# Korean --------------------------------------------------------------------------------------------------------

def test_korean_drug_like_wording_is_flagged(bundled):
    assert drug(bundled, "여드름 개선 크림", "KR") == {"disease"}


def test_the_korean_functional_cosmetic_form_is_lawful(bundled):
    assert not drug(bundled, "피부 미백에 도움을 준다", "KR")


def test_korean_negation_denies_what_comes_before_it(bundled):
    assert not flags(bundled, "이 제품은 질환 치료 효과를 보장하지 않습니다.")


def test_a_korean_report_of_an_enforcement_raises_no_violation(bundled):
    assert not flags(bundled, "여드름 치료 효과를 내세운 광고를 적발했다.")


def test_a_korean_cover_escape_qualifies_the_claim_after_it(bundled):
    assert not drug(bundled, "커버로 일시적인 붉은기 감소", "KR")


def test_korean_penetration_wording_is_misleading(bundled):
    found = [f for f in flags(bundled, "진피층까지 빠르게 흡수되는 앰플") if f.jurisdiction == "KR"]
    assert found and all(f.kind == "advertising_rule" for f in found)


# the inflector that makes verb lists data ----------------------------------------------------------------------

def test_verbs_are_inflected_so_the_lexicon_lists_only_their_bases():
    assert {"reduces", "reduced", "reducing"} <= inflect("reduce")
    assert {"relieves", "fights", "stops", "stopping"} <= inflect("relieve") | inflect("fight") | inflect("stop")
    assert "speeds up" in inflect("speed up")
