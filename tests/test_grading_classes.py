"""Classes and members (docs/method.md, "Classes and members"): evidence on a class or a sibling informs a member one
level down, only where the member inherits; members graded apart stay apart, and count for their class only as
indirect evidence."""

import pytest

from conftest import finding, study
from skinevidence.evidence.models import Route
from skinevidence.grading.grade import grade, grade_intervention
from skinevidence.grading.statements import Certainty

CLASS = [
    {"id": "delta-acids", "name": "Delta acids", "kind": "class", "plural": True},
    {"id": "delta-one", "name": "Delta one", "kind": "ingredient", "parent": "delta-acids"},
    {"id": "delta-two", "name": "Delta two", "kind": "ingredient", "parent": "delta-acids"},
    {"id": "delta-three", "name": "Delta three", "kind": "ingredient", "parent": "delta-acids", "inherits": False},
]


@pytest.fixture
def family(evidence):
    return evidence.vocabulary("interventions", CLASS)


def graded(evidence, intervention, outcome="wrinkles", route=Route.TOPICAL):
    return grade(evidence.catalog(), intervention, outcome, route)


def test_a_member_without_studies_of_its_own_is_rated_from_its_class_one_level_down(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids")]))
    result = graded(family, "delta-one")
    assert result.certainty is Certainty.MODERATE and result.borrowed_from == ["delta-acids"]
    reason = next(r for r in result.reasons if r.domain == "indirectness")
    assert reason.change == -1 and "Delta acids" in reason.text


def test_a_member_is_rated_from_a_sibling_one_level_down(family):
    family.add(study("sibling-trial", findings=[finding(intervention="delta-two")]))
    result = graded(family, "delta-one")
    assert result.certainty is Certainty.MODERATE and result.borrowed_from == ["delta-two"]


def test_weak_direct_evidence_gives_way_to_stronger_class_evidence_and_says_so(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids")]),
               study("own-series", design="case-series", participants=8, randomised=False,
                     findings=[finding(intervention="delta-one", comparator="none")]))
    result = graded(family, "delta-one")
    assert result.certainty is Certainty.MODERATE
    assert any(r.domain == "direct evidence" and r.studies == ["own-series"] for r in result.reasons)


def test_direct_evidence_at_least_as_strong_as_the_borrowed_is_kept(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids")]),
               study("own-trial", participants=150, findings=[finding(intervention="delta-one")]))
    result = graded(family, "delta-one")
    assert result.certainty is Certainty.MODERATE and result.borrowed_from == []
    assert result.rating_studies == ["own-trial"]


def test_a_member_graded_apart_borrows_nothing(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids")]),
               study("sibling-trial", findings=[finding(intervention="delta-two")]))
    assert graded(family, "delta-three").certainty is Certainty.NO_EVIDENCE


def test_a_member_graded_apart_lends_nothing_to_its_siblings(family):
    family.add(study("apart-trial", findings=[finding(intervention="delta-three")]))
    assert graded(family, "delta-one").certainty is Certainty.NO_EVIDENCE


def test_a_class_rated_from_a_member_graded_apart_says_so_and_points_to_the_members_own_grade(family):
    family.add(study("apart-trial", findings=[finding(intervention="delta-three")]))
    result = graded(family, "delta-acids")
    assert result.certainty is Certainty.HIGH
    note = next(r for r in result.reasons if r.domain == "indirectness")
    assert note.change == 0 and "delta-three" in note.text and note.studies == ["apart-trial"]


def test_a_class_rated_from_members_that_inherit_is_direct(family):
    family.add(study("member-trial", findings=[finding(intervention="delta-one")]))
    result = graded(family, "delta-acids")
    assert result.certainty is Certainty.HIGH


def test_borrowed_cells_appear_among_a_members_grades(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids", outcome="pigmentation")]))
    cells = {(g.outcome, g.route) for g in grade_intervention(family.catalog(), "delta-one")}
    assert ("pigmentation", Route.TOPICAL) in cells


def test_class_evidence_by_another_route_does_not_reach_a_member(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids", route="after-microneedling")]))
    assert graded(family, "delta-one").certainty is Certainty.NO_EVIDENCE


def test_indirectness_of_every_kind_moves_the_grade_two_levels_at_most(family):
    family.add(study("class-trial", findings=[finding(intervention="delta-acids", outcome="collagen",
                                                      route="not-reported")]))
    result = graded(family, "delta-one", outcome="collagen", route=Route.NOT_REPORTED)
    moves = [r.change for r in result.reasons if r.domain == "indirectness"]
    assert len(moves) == 3 and sum(moves) == -2 and result.certainty is Certainty.LOW


def test_siblings_never_overrule_a_reviews_own_rating_of_the_member(family):
    family.add(study("sibling-trial", findings=[finding(intervention="delta-two")]),
               study("own-review", design="systematic-review", review_of="rct", participants=None,
                     findings=[finding(intervention="delta-one", participants=900, certainty_stated="very-low")]))
    result = graded(family, "delta-one")
    assert result.certainty is Certainty.VERY_LOW and result.borrowed_from == []


def test_a_sibling_of_another_kind_lends_nothing(family):
    family.vocabulary("interventions", [{"id": "delta-drug", "name": "Delta drug", "kind": "drug",
                                          "parent": "delta-acids"}])
    family.add(study("drug-trial", findings=[finding(intervention="delta-drug")]))
    assert graded(family, "delta-one").certainty is Certainty.NO_EVIDENCE
