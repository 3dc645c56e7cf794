"""Subjects and verdicts (docs/claims.md, "Evidence"): a verdict only for a claim of effect on an outcome, about the
subject it speaks of, never about another intervention; an unknown subject is named. Hand-made evidence: the
invented interventions of conftest.py."""

from conftest import study
from skinevidence.claims.check import check_text


def claims(catalog, text, **kwargs):
    return check_text(catalog, text, **kwargs).claims


def test_an_unknown_ingredient_is_named_and_never_judged_on_another_interventions_evidence(evidence):
    evidence.add(study("t1"))
    catalog = evidence.catalog()
    text = ("Zorbanide serum is everywhere this year.\nZorbanide smooths wrinkles, and alpha serum is in the bottle "
            "too.\nZorbanide firms skin in a week.")
    report = check_text(catalog, text)
    assert report.topic_known is False and "zorbanide" in report.unknown_topics
    judged = [c for c in report.claims if c.verdict is not None]
    assert judged and all(c.subject == "zorbanide" and c.subject_known is False and c.evidence is None
                          and c.verdict == "no evidence" for c in judged)
    assert any("not in the evidence base" in r for c in judged for r in c.reasons)


def test_an_abbreviation_that_recurs_is_an_unknown_subject(evidence):
    catalog = evidence.catalog()
    report = check_text(catalog, "XQR serum: what to know.\nXQR reduces wrinkles.\nXQR is gentle.")
    assert report.topic == "xqr" and report.topic_known is False


def test_a_negated_or_compared_mention_is_never_the_subject(evidence):
    evidence.add(study("t1"))
    claim = claims(evidence.catalog(), "Unlike alpha serum, our gel reduces wrinkles.", subject=["beta-cream"])[0]
    assert claim.interventions == ["beta-cream"] and claim.subject_from == "topic"


def test_a_supported_verdict_names_its_outcome_and_grade(evidence):
    evidence.add(study("t1"))
    claim = claims(evidence.catalog(), "Alpha serum reduces wrinkles.")[0]
    assert claim.verdict == "supported" and claim.outcomes == ["wrinkles"]
    assert "wrinkles" in claim.reasons[-1].lower() and claim.grade in claim.reasons[-1]


def test_an_effect_without_an_outcome_gets_no_verdict(evidence):
    evidence.add(study("t1"))
    claim = claims(evidence.catalog(), "Alpha serum works wonders, clinically proven.")[0]
    assert claim.verdict is None and any("names no outcome" in r for r in claim.reasons)


def test_popularity_and_definitions_are_not_claims(evidence):
    evidence.add(study("t1"))
    catalog = evidence.catalog()
    assert claims(catalog, "Alpha serum is everywhere on social media.") == []
    assert claims(catalog, "Alpha serum is a water-based liquid.") == []


def test_a_pronoun_refers_back_to_the_subject_of_the_sentence_before(evidence):
    evidence.add(study("t1"))
    found = claims(evidence.catalog(), "Beta cream is popular. Alpha serum is different. It reduces wrinkles.")
    assert found[-1].subject == "alpha-serum" and found[-1].subject_from == "refers back"


def test_a_comparison_is_judged_against_the_compared_interventions_evidence(evidence):
    evidence.add(study("t1", findings=[{"intervention": "beta-cream", "outcome": "wrinkles", "route": "topical",
                                         "comparator": "vehicle", "direction": "benefit"}]))
    claim = claims(evidence.catalog(), "Alpha serum replaces beta cream.")[0]
    assert claim.subject == "alpha-serum" and claim.verdict == "overstated"
    assert "beta cream" in claim.reasons[-1].lower()


def test_reported_and_quoted_claims_get_no_verdict_of_their_own(evidence):
    evidence.add(study("t1"))
    catalog = evidence.catalog()
    reported = claims(catalog, "Brands claim that alpha serum reduces wrinkles.")[0]
    quoted = claims(catalog, "“Alpha serum reduces wrinkles,” says Dr Jane Roe.")[0]
    assert reported.verdict is None and quoted.verdict is None and quoted.speaker == "Dr Jane Roe"
