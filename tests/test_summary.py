"""The one-screen answer: a bottom line by the written rule (docs/answers.md), uses at home and after procedures
apart, first-line alternatives first, regulation where the reader lives, and references numbered from 1."""

from __future__ import annotations

import re

import pytest

from conftest import finding, study
from skinevidence.answers.jurisdiction import from_locale, jurisdiction
from skinevidence.answers.report import build_report
from skinevidence.answers.summary import Decision
from skinevidence.errors import InputError
from skinevidence.render import render

PROVENANCE = {"urls": ["https://example.org/record"], "read_on": "2026-11-22"}
SMALL = 60  # participants: imprecision takes a randomised trial down to low (docs/method.md)


def decision(evidence, *records) -> Decision:
    evidence.add(*records)
    return build_report(evidence.catalog(), "alpha-serum").summary.bottom_line.decision


def test_high_certainty_of_benefit_at_home_is_recommended(evidence):
    assert decision(evidence, study("t1")) is Decision.RECOMMENDED


def test_moderate_certainty_of_benefit_at_home_is_an_option(evidence):
    assert decision(evidence, study("t1", participants=200)) is Decision.AN_OPTION


def test_high_certainty_with_a_serious_safety_signal_is_only_an_option(evidence):
    evidence.write("safety/s1.yaml", {"id": "s1", "intervention": "alpha-serum", "event": "Skin necrosis",
                                      "seriousness": "serious", "statement": "A case report.",
                                      "provenance": PROVENANCE})
    assert decision(evidence, study("t1")) is Decision.AN_OPTION


def test_low_certainty_with_a_better_proven_option_is_not_recommended(evidence):
    assert decision(evidence, study("t1", participants=SMALL),
                    study("b1", findings=[finding(intervention="beta-cream")])) is Decision.NOT_RECOMMENDED


def test_low_certainty_with_nothing_better_on_record_is_unproven(evidence):
    assert decision(evidence, study("t1", participants=SMALL)) is Decision.UNPROVEN


def test_moderate_certainty_of_no_difference_is_not_recommended(evidence):
    assert decision(evidence, study("t1", participants=200, findings=[finding(direction="no-difference")])) \
        is Decision.NOT_RECOMMENDED


def test_evidence_only_after_a_procedure_does_not_make_a_product_recommended_for_home_use(evidence):
    evidence.add(study("t1", findings=[finding(route="after-microneedling")]))
    summary = build_report(evidence.catalog(), "alpha-serum").summary
    assert summary.bottom_line.decision is Decision.UNPROVEN
    assert "at home: not tested in people" in summary.uses[0].text
    assert "topical after microneedling: high certainty, helps" in summary.uses[0].text


def test_a_first_line_guideline_option_comes_before_a_better_graded_one(evidence):
    evidence.add(study("t1", participants=SMALL),
                 study("b1", findings=[finding(intervention="beta-cream")]),
                 study("g1", design="guideline", participants=None, findings=[finding(
                     intervention="gamma-peel", route="procedure", recommendation="first-line")]))
    alternatives = build_report(evidence.catalog(), "alpha-serum").summary.alternatives
    assert alternatives[0].text.startswith("Wrinkles: Gamma peel (first-line in a guideline); Beta cream (high)")
    assert alternatives[0].refs == ["g1", "b1"]


def test_the_regulation_section_speaks_for_the_readers_jurisdiction(evidence):
    evidence.add(study("t1"))
    for place in ("US", "EU"):
        evidence.write(f"regulation/{place.lower()}.yaml", {
            "id": place.lower(), "intervention": "alpha-serum", "jurisdiction": place, "kind": "approval-status",
            "statement": f"A statement for {place}.", "provenance": PROVENANCE})
    summary = build_report(evidence.catalog(), "alpha-serum", jurisdiction="EU").summary
    assert summary.regulation[0].refs == ["eu"] and "Also on record for: US" in summary.regulation[-1].text


def test_the_summary_cites_the_first_references(evidence):
    evidence.add(study("t1"), study("b1", findings=[finding(intervention="beta-cream")]))
    report = build_report(evidence.catalog(), "alpha-serum")
    assert report.summary_references >= 1
    cited = {r for p in [report.summary.bottom_line, *report.summary.uses, *report.summary.alternatives]
             for r in p.refs}
    assert {r.id for r in report.references[:report.summary_references]} >= cited


def test_a_cell_that_repeats_a_more_specific_outcome_is_shown_once(evidence):
    evidence.add(study("t1", findings=[finding(outcome="melasma")]))
    report = build_report(evidence.catalog(), "alpha-serum")
    assert [(d.outcome, d.same_as) for d in report.duplicates] == [("pigmentation", "melasma")] \
        or not any(g.outcome == "pigmentation" for g in report.grades)


@pytest.mark.parametrize("locale, expected", [("en_GB.UTF-8", "UK"), ("de_AT.UTF-8", "EU"), ("ko_KR", "KR"),
                                              ("C", "US"), ("pt_BR.UTF-8", "US"), ("", "US")])
def test_the_jurisdiction_comes_from_the_locale(locale, expected):
    assert from_locale(locale) == expected


def test_a_chosen_jurisdiction_wins_over_the_locale_and_an_unknown_one_is_refused():
    assert jurisdiction("eu", {"LANG": "en_GB.UTF-8"}) == "EU"
    assert jurisdiction(None, {"LANG": "en_GB.UTF-8"}) == "UK"
    with pytest.raises(InputError, match="unknown jurisdiction"):
        jurisdiction("XX", {})


# --- the bundled base: the shape of every report, never a grade ----------------------------------------------------

def test_every_reports_summary_fits_one_screen_and_opens_with_the_bottom_line(bundled):
    for intervention in bundled.interventions:
        text = render(build_report(bundled, intervention), "text", width=100)
        assert len(text.split()) <= 900, intervention
        assert text.split("\n\n")[1].startswith("Bottom line: "), intervention


INTERNAL = re.compile(r"OCEBM \d|OCEBM level|split RCT|non-rand\b|\[(rct|split-body-rct|single-arm|non-randomised-controlled)[],]")


@pytest.mark.parametrize("fmt, detail", [("text", "summary"), ("text", "full"), ("md", "full"), ("html", "full")])
def test_no_record_id_or_code_in_what_a_reader_sees(bundled, fmt, detail):
    report = build_report(bundled, "exosomes")
    out = render(report, fmt, detail=detail, width=120)
    studies = {r.id for r in report.references if r.kind == "study" and "-" in r.id}
    html_ids = {f'id="ref-{r.number}"' for r in report.references}
    leaked = [sid for sid in studies if sid in out and f"/study/{sid}" not in out]
    assert not leaked and not INTERNAL.search(out), (leaked[:3], INTERNAL.search(out))
    assert html_ids or fmt != "html"


def test_a_class_whose_members_are_graded_apart_sets_them_side_by_side(evidence):
    evidence.vocabulary("interventions", [
        {"id": "vesicles", "name": "Vesicles", "kind": "class"},
        {"id": "vesicles-a", "name": "Vesicles of kind A", "kind": "ingredient", "parent": "vesicles",
         "inherits": False},
        {"id": "vesicles-b", "name": "Vesicles of kind B", "kind": "ingredient", "parent": "vesicles",
         "inherits": False}])
    evidence.add(study("a1", findings=[finding(intervention="vesicles-a")]),
                 study("b1", design="single-arm", randomised=False, participants=12,
                       findings=[finding(intervention="vesicles-b", comparator="none")]))
    uses = build_report(evidence.catalog(), "vesicles").summary.uses
    side_by_side = next(p.text for p in uses if p.text.startswith("Its kinds are graded apart"))
    assert "best certainty of each: Vesicles of kind A: high (" in side_by_side
    assert "Vesicles of kind B: very low (" in side_by_side


def test_a_class_whose_members_inherit_has_no_side_by_side_line(evidence):
    evidence.add(study("t1", findings=[finding(intervention="alpha-serum-plant")]))
    uses = build_report(evidence.catalog(), "alpha-serum").summary.uses
    assert not any(p.text.startswith("Its kinds are graded apart") for p in uses)
