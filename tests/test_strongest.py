"""One rule names an intervention's strongest grade, and every answer uses it.

The hand-made base is built so that the rules used before disagreed: two outcomes at the same (high) certainty,
the larger body of evidence showing no difference, the smaller one a benefit. Ranking by participants alone named
pigmentation; ranking benefit first named wrinkles.
"""

from __future__ import annotations

import pytest

from conftest import finding, study
from skinevidence.answers.compare import compare
from skinevidence.answers.evidence_map import map_data
from skinevidence.answers.listing import list_interventions
from skinevidence.answers.report import build_report
from skinevidence.claims.check import check_text
from skinevidence.grading.grade import grade_intervention
from skinevidence.grading.strongest import by_strength, strongest


@pytest.fixture
def catalog(evidence):
    evidence.add(
        study("benefit-1", participants=500, findings=[finding(outcome="wrinkles", direction="benefit")]),
        study("null-1", participants=600, findings=[finding(outcome="pigmentation", direction="no-difference")]),
        study("beta-1", participants=500, findings=[finding(intervention="beta-cream", outcome="wrinkles")]),
    )
    return evidence.catalog()


def test_at_equal_certainty_a_benefit_is_stronger_than_a_larger_null_result(catalog):
    best = strongest(grade_intervention(catalog, "alpha-serum"))
    assert (best.outcome, best.certainty.value) == ("wrinkles", "high")


def test_the_report_list_compare_claims_and_map_name_the_same_strongest_grade(catalog):
    best = strongest(grade_intervention(catalog, "alpha-serum"))
    listed = next(s for s in list_interventions(catalog) if s.id == "alpha-serum")
    row = next(r for r in compare(catalog, ["alpha-serum", "beta-cream"]).rows if r.intervention == "alpha-serum")
    claim = check_text(catalog, "Alpha serum is clinically proven to rejuvenate skin.").claims[0]
    cell = next(c for c in map_data(catalog).cells if c.intervention == "alpha-serum" and c.outcome == best.outcome)
    report = build_report(catalog, "alpha-serum")
    assert listed.best_outcome == row.outcome == claim.evidence.outcome == best.outcome
    assert listed.best_certainty == row.certainty == cell.certainty == best.certainty
    assert best.statement in report.verdict


def test_harm_outcomes_are_never_the_headline_unless_asked_for(evidence):
    catalog = evidence.add(
        study("harm-1", participants=900, findings=[finding(outcome="adverse-events", direction="harm")]),
        study("small-1", design="single-arm", participants=20, randomised=False,
              findings=[finding(outcome="wrinkles", comparator="none")]),
    ).catalog()
    grades = grade_intervention(catalog, "alpha-serum")
    assert strongest(grades).outcome == "wrinkles"
    assert strongest(grades, harms=True).outcome == "adverse-events"


def test_full_ties_are_broken_by_ids_whatever_the_order(catalog):
    grades = grade_intervention(catalog, "beta-cream") + grade_intervention(catalog, "alpha-serum")
    assert by_strength(grades) == by_strength(list(reversed(grades)))
