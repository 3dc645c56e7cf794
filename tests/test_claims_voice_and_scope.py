"""Whose words a sentence is and what its words reach (docs/claims.md, "Whose words: stance" and "Intended use",
third round): reports, study findings, procedures, medicines, kinds of product and harms raise no violation, while
the author's own claim does, whatever its subject. The sentences are general wordings written for these tests;
none is taken from the development sets."""

import pytest

from skinevidence.claims.check import check_text


def flags(catalog, text):
    return [f for c in check_text(catalog, text).claims for f in c.flags]


def drug(catalog, text, jurisdiction="US"):
    """The bases of the drug-claim flags a text raises in one jurisdiction."""
    return {f.basis for f in flags(catalog, text) if f.jurisdiction == jurisdiction and f.kind == "drug_claim"}


def stance(catalog, text):
    return [c.stance for c in check_text(catalog, text).claims]


# the author's own claim, whatever its subject --------------------------------------------------------------------

def test_a_disease_claim_with_no_subject_named_is_flagged(bundled):
    assert drug(bundled, "Clears stubborn psoriasis patches.") == {"disease"}


def test_a_structure_claim_with_no_subject_named_is_flagged(bundled):
    assert drug(bundled, "Works deep in the lower layers of the skin to rebuild collagen.") == {"structure-function"}


@pytest.mark.parametrize("text", ["Relieves chapped lips and cracked skin.", "Scalp itch relieved in minutes.",
                                  "Heals irritated, broken skin fast."])
def test_a_therapeutic_verb_on_a_symptom_is_a_disease_claim(bundled, text):
    assert drug(bundled, text) == {"disease"}


def test_soothing_an_irritated_skin_is_cosmetic(bundled):
    assert not drug(bundled, "Soothes irritated skin and leaves it soft.")


@pytest.mark.parametrize("text", ["Effective in treating rosacea flare-ups.", "Useful for eczema and psoriasis.",
                                  "Do something about your thinning hair today."])
def test_efficacy_for_a_condition_in_other_words_is_a_disease_claim(bundled, text):
    assert "disease" in drug(bundled, text)


@pytest.mark.parametrize("text", ["Our cream constricts blood vessels to reduce redness.",
                                  "A natural inhibitor of 5-alpha reductase for thicker hair growth.",
                                  "Promotes skin renewal for a younger you."])
def test_acting_on_a_vessel_an_enzyme_or_skin_renewal_is_a_structure_function_claim(bundled, text):
    assert "structure-function" in drug(bundled, text)


def test_prescription_strength_claims_a_medicines_use(bundled):
    assert "disease" in drug(bundled, "Prescription-strength acne treatment without a prescription.")


# reported speech and study findings ----------------------------------------------------------------------------

def test_what_a_plural_speaker_says_is_reported(bundled):
    assert stance(bundled, "Experts say the oil heals eczema.") == ["reported"]
    assert not flags(bundled, "Experts say the oil heals eczema.")


def test_a_recommendation_in_the_sellers_own_voice_is_its_claim(bundled):
    assert drug(bundled, "We recommend this balm for eczema.") == {"disease"}


def test_say_goodbye_to_is_a_claim_not_a_report(bundled):
    assert drug(bundled, "Say goodbye to acne for good.") == {"disease"}


@pytest.mark.parametrize("text", ["The researchers found the cream reduced acne lesions by 30%.",
                                  "A 2019 trial showed the gel healed wounds in 10 days.",
                                  "The regulator emphasized that the cream cannot treat psoriasis."])
def test_what_a_study_or_a_speaker_found_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


def test_the_sellers_own_study_finding_is_its_claim(bundled):
    assert drug(bundled, "Our clinical study found that the serum cleared acne in 4 weeks.") == {"disease"}


def test_a_generic_studies_show_stays_the_authors_claim(bundled):
    assert drug(bundled, "Studies show our serum heals eczema.") == {"disease"}


@pytest.mark.parametrize("text", ["The company was cited for claiming its serum regrows hair.",
                                  "The ASA ruled against the advert for implying the mask treats acne."])
def test_a_report_of_an_enforcement_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


# negations and questions -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["This lotion is not a treatment for psoriasis.", "It does not cure eczema.",
                                  "No cream can regrow lost hair."])
def test_a_denial_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


@pytest.mark.parametrize("text", ["Can a moisturiser cure eczema?", "Why does acne come back after treatment?"])
def test_a_question_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


# procedures, medicines and kinds of product ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["During the procedure, the laser heats the dermis to stimulate collagen.",
                                  "Microneedling creates controlled micro-injuries that trigger healing.",
                                  "The doctor injects the filler to restore lost volume."])
def test_a_description_of_a_procedure_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


def test_a_procedure_in_the_sellers_own_voice_is_its_claim(bundled):
    assert drug(bundled, "Our laser procedure heals acne scars.") == {"disease"}


def test_a_description_of_an_approved_medicine_raises_no_violation(bundled):
    assert not flags(bundled, "Minoxidil is an FDA-approved treatment for hair loss.")


def test_an_approval_claimed_for_the_sellers_own_product_is_flagged(bundled):
    kinds = {f.kind for f in flags(bundled, "Our serum is an FDA-approved treatment for acne.")}
    assert {"drug_claim", "false_approval"} <= kinds


def test_a_kind_of_product_defined_raises_no_violation_but_this_product_does(bundled):
    assert not flags(bundled, "Acne creams are topical treatments designed to clear pimples.")
    assert drug(bundled, "This cream is a treatment designed to clear pimples.") == {"disease"}


def test_how_a_condition_arises_raises_no_violation(bundled):
    assert not flags(bundled, "Eczema occurs when the skin barrier is weakened.")


# kinds of treatment named, and harms -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Several acne treatments can dry the skin, so moisturise well.",
                                  "Avoid the eye area when using any acne treatment."])
def test_a_kind_of_treatment_named_is_not_claimed(bundled, text):
    assert not drug(bundled, text)


def test_the_sellers_own_treatment_is_claimed(bundled):
    assert drug(bundled, "Our all-natural acne treatment clears pimples overnight.") == {"disease"}


@pytest.mark.parametrize("text", ["Retinoids can cause irritation and peeling at first.",
                                  "Side effects of hair loss treatments may include scalp itching."])
def test_harms_named_are_not_claims(bundled, text):
    assert not drug(bundled, text)


def test_reducing_a_risk_is_still_a_claim(bundled):
    assert drug(bundled, "Reduces the risk of infection in minor cuts.") == {"disease"}


def test_a_nominal_action_in_a_product_name_is_not_a_claim(bundled):
    assert not drug(bundled, "Our Total Reduction Gel smooths lines.")


# Korean ------------------------------------------------------------------------------------------------------------

def test_a_korean_statement_that_research_is_lacking_raises_no_violation(bundled):
    assert not flags(bundled, "피부 진피층까지 흡수되는지에 대한 연구는 아직 부족합니다.")


def test_korean_penetration_and_regeneration_wording_is_still_flagged(bundled):
    kinds = {(f.jurisdiction, f.kind) for f in flags(bundled, "진피층까지 흡수되어 피부를 재생합니다.")}
    assert {("KR", "drug_claim"), ("KR", "advertising_rule")} <= kinds


# second batch: protection, success, pronouns in the sentence, speech and descriptions ------------------------------

def test_protecting_from_a_disease_is_a_disease_claim_but_from_dryness_is_cosmetic(bundled):
    assert drug(bundled, "Protects against breakouts and infections.") == {"disease"}
    assert not drug(bundled, "Protects skin from dryness and pollution.")


def test_use_said_to_succeed_on_a_condition_is_a_claim_not_history(bundled):
    assert drug(bundled, "Has been used successfully on eczema and psoriasis.") == {"disease"}
    assert not drug(bundled, "Calendula has been used for centuries on minor burns.")


def test_a_pronoun_for_a_condition_named_earlier_in_the_sentence_carries_it(bundled):
    assert drug(bundled, "Scars? Treat them with our gel and they will fade.") == {"disease"}


def test_what_the_regulator_has_yet_to_see_raises_no_violation(bundled):
    assert not flags(bundled, "The ASA has yet to see evidence that creams can reduce cellulite.")


@pytest.mark.parametrize("text", ["A wart is a small growth caused by a virus.",
                                  "When the skin is injured, the body produces collagen to close the wound.",
                                  "Scarring is a normal part of how wounds heal."])
def test_what_a_condition_is_or_what_the_body_does_raises_no_violation(bundled, text):
    assert not flags(bundled, text)


def test_what_a_particular_study_found_is_a_description(bundled):
    assert stance(bundled, "A review suggested that niacinamide reduced acne lesions.") == ["described"]


def test_a_korean_report_with_a_speech_verb_raises_no_violation(bundled):
    assert not flags(bundled, "식약처는 화장품은 의약품이 아니라고 강조했다.")


def test_korean_body_shaping_wording_is_misleading(bundled):
    assert {(f.jurisdiction, f.kind) for f in flags(bundled, "바르기만 하면 살 빠지는 크림")} >= {("KR", "advertising_rule")}


def test_a_speech_verb_as_an_imperative_reports_nothing(bundled):
    assert drug(bundled, "Say hello to clear skin: our gel kills acne bacteria.") == {"disease"}


def test_a_denied_harm_does_not_excuse_the_claim_before_it(bundled):
    assert drug(bundled, "A natural remedy for cold sores without any side effects.") == {"disease"}
