"""Reports, comparisons and questions: every section is computed, cited and rendered in four formats."""

import json

import pytest

from conftest import finding, study
from skinevidence.answers.ask import ask
from skinevidence.answers.compare import compare
from skinevidence.answers.report import build_report
from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.models import Route
from skinevidence.grading.statements import Certainty
from skinevidence.render import render
from skinevidence.text.mapping import map_text


@pytest.fixture
def small(evidence):
    evidence.add(study("trial", doi="10.1000/trial", pmid="111", participants=60,
                       findings=[finding(first_difference_weeks=8, protocol="once daily for 12 weeks")]),
                 study("after", findings=[finding(route="after-microneedling", outcome="pigmentation")]),
                 study("mice", design="animal", population="animal", participants=None,
                       findings=[finding(outcome="collagen")]),
                 study("beta", findings=[finding(intervention="beta-cream")]))
    evidence.write("regulation/r1.yaml", {
        "id": "r1", "intervention": "alpha-serum", "jurisdiction": "US", "authority": "FDA", "kind": "warning",
        "statement": "A warning in our words.", "provenance": {"urls": ["https://example.org/r1"],
                                                              "read_on": "2026-11-22"}})
    return evidence.catalog()


def test_the_report_separates_human_from_preclinical_outcomes(small):
    report = build_report(small, "alpha")
    assert report.human_outcomes == ["pigmentation", "wrinkles"]
    assert report.preclinical_only_outcomes == ["collagen"]


def test_the_report_ranks_alternatives_by_certainty_for_the_same_outcome(small):
    report = build_report(small, "alpha-serum")
    wrinkles = next(g for g in report.alternatives if g.outcome == "wrinkles")
    assert [o.intervention for o in wrinkles.options] == ["beta-cream"]
    assert wrinkles.options[0].certainty is Certainty.HIGH


def test_stronger_evidence_after_a_procedure_than_at_home_raises_a_pitfall(small):
    pitfall = next(p for p in build_report(small, "alpha-serum").pitfalls if "after laser or microneedling" in p.text)
    assert pitfall.refs == ["after"]


def test_no_such_pitfall_when_home_use_is_as_well_supported(evidence):
    evidence.add(study("home"), study("after", findings=[finding(route="after-microneedling")]))
    assert not any("after laser or microneedling" in p.text for p in build_report(evidence.catalog(),
                                                                                  "alpha-serum").pitfalls)


def test_a_protocol_stated_by_a_source_is_reported_with_it(small):
    protocol = build_report(small, "alpha-serum").protocols[0]
    assert protocol.text.endswith("once daily for 12 weeks") and protocol.refs == ["trial"]


def test_every_cited_record_is_numbered_once_with_its_links(small):
    report = build_report(small, "alpha-serum")
    ids = [r.id for r in report.references]
    assert len(ids) == len(set(ids)) and {"trial", "after", "mice", "r1"} <= set(ids)
    trial = next(r for r in report.references if r.id == "trial")
    assert (trial.doi, trial.pmid, trial.url) == ("10.1000/trial", "111", "https://doi.org/10.1000/trial")


def test_regulation_is_grouped_by_jurisdiction(small):
    assert list(build_report(small, "alpha-serum").regulation) == ["US"]


def test_a_misspelled_name_gets_did_you_mean(small):
    with pytest.raises(NotFound) as raised:
        build_report(small, "alpha serrum")
    assert raised.value.suggestions[0] == "alpha-serum"


def test_an_inci_name_finds_its_intervention(small):
    assert build_report(small, "Alpha Extract").intervention == "alpha-serum"


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_the_report_renders_in_every_format(small, fmt):
    out = render(build_report(small, "alpha-serum"), fmt)
    assert "Alpha serum" in out and "A warning in our words." in out


def test_json_references_carry_doi_and_pmid(small):
    data = json.loads(render(build_report(small, "alpha-serum"), "json"))
    assert {"doi", "pmid", "number", "url"} <= set(data["references"][0])


def test_html_is_standalone_and_escapes_record_text(evidence):
    evidence.add(study("t1", title="<script>alert(1)</script> trial"))
    html = render(build_report(evidence.catalog(), "alpha-serum"), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<link" not in html and "src=" not in html


def test_compare_puts_the_stronger_evidence_first(small):
    table = compare(small, ["alpha-serum", "beta-cream"], outcome="wrinkles")
    assert [r.intervention for r in table.rows] == ["beta-cream", "alpha-serum"]


def test_compare_needs_two_interventions(small):
    with pytest.raises(InputError):
        compare(small, ["alpha-serum"])


def test_a_procedure_named_beside_a_product_is_read_as_the_route(small):
    mapping = map_text(small, "does alpha serum with microneedling fade dark spots?")
    assert (mapping.interventions, mapping.outcomes) == (["alpha-serum"], ["pigmentation"])
    assert mapping.route is Route.AFTER_MICRONEEDLING


def test_a_procedure_named_alone_is_the_intervention(small):
    mapping = map_text(small, "is microneedling good for wrinkles?")
    assert mapping.interventions == ["needling"] and mapping.route is Route.PROCEDURE


def test_a_habit_named_alone_is_not_read_as_an_in_office_procedure(evidence):
    evidence.vocabulary("interventions", [{"id": "shade", "name": "Shade seeking", "kind": "behaviour"}])
    mapping = map_text(evidence.catalog(), "does shade seeking prevent wrinkles?")
    assert mapping.interventions == ["shade"] and mapping.route is None


def test_ask_answers_in_the_report_words(small):
    answer = ask(small, "does alpha serum help fine lines?")
    assert answer.summary == build_report(small, "alpha-serum").grades[-1].statement


def test_ask_shows_other_routes_as_context_when_the_asked_route_has_none(small):
    answer = ask(small, "does an alpha serum injection fade dark spots?")
    assert answer.grades[0].route is Route.INJECTION and answer.grades[0].certainty is Certainty.NO_EVIDENCE
    assert any("does not carry over" in n for n in answer.notes)


def test_ask_says_when_it_cannot_map_the_question(small):
    with pytest.raises(NotFound, match="could not tell which ingredient"):
        ask(small, "is the weather nice today?")


def test_ask_refuses_an_empty_or_huge_question(small):
    with pytest.raises(InputError):
        ask(small, "   ")
    with pytest.raises(InputError):
        ask(small, "alpha " * 1000)
