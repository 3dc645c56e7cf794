"""Questions understood: each is routed to its intent and answered from the matching part of the base (hand-made
evidence with invented interventions, so that no answer is pinned to a real ingredient)."""

from __future__ import annotations

import pytest

from conftest import finding, study
from skinevidence.answers.ask import ask
from skinevidence.errors import NotFound
from skinevidence.evidence.models import Route

PROVENANCE = {"urls": ["https://example.org/record"], "read_on": "2026-11-22"}


@pytest.fixture
def base(evidence):
    evidence.add(study("alpha-trial", findings=[finding(first_difference_weeks=6, timepoints_weeks=[6, 12],
                                                        protocol="a pea-sized amount at night for 12 weeks")]),
                 study("beta-trial", findings=[finding(intervention="beta-cream", outcome="melasma")]),
                 study("alpha-harms", findings=[finding(outcome="adverse-events", direction="no-difference")]))
    evidence.write("safety/alpha-pregnancy.yaml", {
        "id": "alpha-pregnancy", "intervention": "alpha-serum", "kind": "pregnancy", "advice": "avoid",
        "event": "Use in pregnancy", "statement": "A label says not to use it in pregnancy.", "provenance": PROVENANCE})
    evidence.write("safety/alpha-lactation.yaml", {
        "id": "alpha-lactation", "intervention": "alpha-serum", "kind": "lactation", "advice": "compatible",
        "event": "Use while breastfeeding", "statement": "A review found little passes into milk.",
        "provenance": PROVENANCE})
    evidence.write("regulation/alpha-eu.yaml", {
        "id": "alpha-eu", "intervention": "alpha-serum", "jurisdiction": "EU", "authority": "European Commission",
        "kind": "prohibition", "statement": "Not allowed in cosmetics in the EU.", "provenance": PROVENANCE})
    evidence.write("regulation/alpha-us.yaml", {
        "id": "alpha-us", "intervention": "alpha-serum", "jurisdiction": "US", "authority": "FDA",
        "kind": "prescription-only", "statement": "A prescription medicine in the US.", "provenance": PROVENANCE})
    return evidence.catalog()


# Twenty questions written for this test, in the words people use; each with the intent it must be routed to.
QUESTIONS = [
    ("does alpha serum help wrinkles?", "efficacy"),
    ("is alpha serum worth it for fine lines?", "efficacy"),
    ("will beta cream fade my dark spots", "efficacy"),
    ("is alpha serum safe?", "safety"),
    ("what are the side effects of gamma peels?", "safety"),
    ("can I mix alpha serum with beta cream?", "safety"),
    ("can I use alpha serum while pregnant?", "pregnancy"),
    ("is beta cream ok in the first trimester?", "pregnancy"),
    ("is alpha serum safe when breastfeeding?", "lactation"),
    ("can a nursing mother use beta cream?", "lactation"),
    ("is alpha serum legal in Europe?", "regulation"),
    ("is alpha serum FDA approved?", "regulation"),
    ("do I need a prescription for beta cream in the UK?", "regulation"),
    ("what is the best treatment for melasma?", "best-for"),
    ("what works for dark spots?", "best-for"),
    ("alpha serum vs beta cream for wrinkles", "versus"),
    ("which is better, alpha serum or beta cream?", "versus"),
    ("how long does alpha serum take to work?", "time"),
    ("when will I see results from beta cream on melasma?", "time"),
    ("how often should I apply alpha serum?", "usage"),
]


@pytest.mark.parametrize("question, intent", QUESTIONS)
def test_each_kind_of_question_is_routed_to_its_intent(base, question, intent):
    assert ask(base, question).intent == intent


def test_a_pregnancy_question_is_answered_from_the_pregnancy_record(base):
    answer = ask(base, "can I use alpha serum while pregnant?")
    assert answer.references[0].id == "alpha-pregnancy" and "avoid" in answer.summary


def test_a_breastfeeding_question_is_answered_from_the_lactation_record(base):
    answer = ask(base, "is alpha serum safe when breastfeeding?")
    assert [r.id for r in answer.references] == ["alpha-lactation"]


def test_a_pregnancy_question_without_a_record_says_so_rather_than_answering_efficacy(base):
    answer = ask(base, "is beta cream ok in the first trimester?")
    assert "holds no record" in answer.summary and not answer.grades


def test_a_regulation_question_answers_for_the_jurisdiction_it_names(base):
    answer = ask(base, "is alpha serum legal in Europe?", jurisdiction="US")
    assert answer.jurisdiction == "EU" and [r.id for r in answer.references] == ["alpha-eu"]


def test_a_regulation_question_without_a_place_answers_for_the_readers_jurisdiction(base):
    answer = ask(base, "is alpha serum allowed?", jurisdiction="US")
    assert answer.jurisdiction == "US" and [r.id for r in answer.references] == ["alpha-us"]


def test_a_regulation_question_for_a_place_without_a_statement_says_where_there_are_some(base):
    answer = ask(base, "is alpha serum legal in Japan?")
    assert "no regulator's statement for JP" in answer.summary and "EU, US" in answer.summary


def test_best_for_ranks_the_options_for_the_outcome(base):
    answer = ask(base, "what is the best treatment for melasma?")
    assert answer.interventions == [] and answer.points[0].text.startswith("Melasma: Beta cream")


def test_versus_compares_the_named_interventions_on_the_named_outcome(base):
    answer = ask(base, "alpha serum vs beta cream for wrinkles")
    assert answer.comparison is not None and answer.comparison.outcome == "wrinkles"
    assert {r.intervention for r in answer.comparison.rows} == {"alpha-serum", "beta-cream"}


def test_time_to_results_comes_from_the_first_difference(base):
    answer = ask(base, "how long does alpha serum take to work?")
    assert "first seen at 6 weeks" in answer.summary


def test_usage_gives_the_protocol_the_study_used(base):
    answer = ask(base, "how often should I apply alpha serum?")
    assert "a pea-sized amount at night" in answer.summary and answer.references[0].id == "alpha-trial"


def test_an_ingredient_the_base_does_not_hold_is_named_instead_of_answering_about_another(base):
    with pytest.raises(NotFound, match="holds nothing on 'zeta balm'"):
        ask(base, "is zeta balm good for wrinkles?")


def test_a_comparison_with_an_unknown_ingredient_names_it(base):
    with pytest.raises(NotFound, match="holds nothing on 'zeta balm'"):
        ask(base, "is zeta balm better than alpha serum?")


def test_a_question_it_cannot_answer_says_what_it_can(base):
    with pytest.raises(NotFound, match="I can answer: does X work"):
        ask(base, "what is the capital of France?")


def test_the_route_of_the_question_is_kept(base):
    assert ask(base, "are alpha serum injections safe?").route is Route.INJECTION
