"""`skinevidence db validate`: every kind of bad record is reported with its file, record and field."""

import pytest

from conftest import finding, study
from skinevidence.evidence.files import load_evidence


def problems(evidence):
    return [str(issue) for issue in load_evidence(evidence.root)[1]]


def only_problem(evidence) -> str:
    found = problems(evidence)
    assert len(found) == 1, found
    return found[0]


def test_a_clean_set_has_no_problems(evidence):
    evidence.add(study("t1"))
    assert problems(evidence) == []


@pytest.mark.parametrize("field, value, words", [
    ("doi", "https://doi.org/10.1/x", "bare DOI"),
    ("pmid", "PMID123", "PMID"),
    ("pmcid", "12345", "PMCID"),
    ("registry_ids", ["trial-1"], "registry id"),
    ("design", "anecdote", "design"),
    ("year", 1850, "year"),
    ("participants", 0, "participants"),
])
def test_malformed_fields_name_the_field(evidence, field, value, words):
    evidence.add(study("t1", **{field: value}))
    problem = only_problem(evidence)
    assert problem.startswith("studies/t1.yaml: t1: ") and field in problem
    assert words.lower() in problem.lower()


def test_an_unknown_field_is_rejected(evidence):
    evidence.add(study("t1", impact_factor=9))
    assert "impact_factor: unknown field" in only_problem(evidence)


def test_an_empty_required_field_says_it_is_required(evidence):
    evidence.add(study("t1", findings=[finding(route=None)]))
    assert "findings.0.route: is empty, but this field is required" in only_problem(evidence)


def test_unknown_intervention_and_outcome_ids_are_rejected(evidence):
    evidence.add(study("t1", findings=[finding(intervention="delta", outcome="glow")]))
    found = problems(evidence)
    assert any("findings[0].intervention: unknown intervention 'delta'" in p for p in found)
    assert any("findings[0].outcome: unknown outcome 'glow'" in p for p in found)


def test_the_id_must_match_the_file_name(evidence):
    evidence.write("studies/other-name.yaml", study("t1"))
    assert "must equal the file name 'other-name'" in only_problem(evidence)


def test_invalid_yaml_gives_the_line(evidence):
    (evidence.root / "studies" / "t1.yaml").write_text("id: t1\ntitle: [unclosed\n", encoding="utf-8")
    assert "is not valid YAML at line" in only_problem(evidence)


def test_a_file_that_is_not_utf8_is_reported(evidence):
    (evidence.root / "studies" / "t1.yaml").write_bytes(b"id: t1\ntitle: caf\xe9\n")
    assert "not UTF-8" in only_problem(evidence)


def test_an_oversized_file_is_refused_unread(evidence):
    (evidence.root / "studies" / "t1.yaml").write_text("# " + "x" * 1_100_000, encoding="utf-8")
    assert "the limit is" in only_problem(evidence)


def test_a_stray_file_in_an_evidence_folder_is_reported(evidence):
    (evidence.root / "studies" / "notes.txt").write_text("todo", encoding="utf-8")
    assert "not a .yaml file" in only_problem(evidence)


def test_the_same_doi_coded_twice_is_reported(evidence):
    evidence.add(study("t1", doi="10.1000/abc"), study("t2", doi="10.1000/ABC"))
    assert "10.1000/ABC is already coded as t1" in only_problem(evidence)


def test_included_in_must_name_a_coded_systematic_review(evidence):
    evidence.add(study("t1", included_in=["missing-review"]), study("t2", included_in=["t1"]))
    found = problems(evidence)
    assert any("no coded review 'missing-review'" in p for p in found)
    assert any("'t1' is a rct, not a systematic review" in p for p in found)


def test_design_and_population_must_agree(evidence):
    evidence.add(study("t1", design="animal", population="human"))
    assert "population 'human' does not fit design 'animal'" in only_problem(evidence)


def test_a_registered_trial_cannot_carry_a_result(evidence):
    evidence.add(study("t1", status="registered"))
    assert "registered trial without results" in only_problem(evidence)


def test_a_retraction_needs_its_notice(evidence):
    evidence.add(study("t1", status="retracted"))
    assert "retraction block" in only_problem(evidence)


def test_a_study_needs_a_source_address(evidence):
    evidence.add(study("t1", provenance={"urls": [], "read_on": "2026-11-22"}))
    assert "provenance.urls" in only_problem(evidence)


def test_a_published_study_needs_a_finding(evidence):
    evidence.add(study("t1", findings=[]))
    assert "needs at least one finding" in only_problem(evidence)


def test_ev_source_must_match_the_intervention(evidence):
    evidence.add(study("t1", findings=[finding(ev_source="plant")]))
    assert "ev_source 'plant' belongs to intervention 'exosomes-plant'" in only_problem(evidence)


def test_parent_cycles_in_the_vocabulary_are_reported(evidence):
    evidence.vocabulary("interventions", [
        {"id": "a", "name": "A", "kind": "ingredient", "parent": "b"},
        {"id": "b", "name": "B", "kind": "ingredient", "parent": "a"}])
    assert any("parents form a cycle" in p for p in problems(evidence))


def test_an_alias_may_name_only_one_intervention(evidence):
    evidence.vocabulary("interventions", [
        {"id": "a", "name": "A", "kind": "ingredient", "aliases": ["shared"]},
        {"id": "b", "name": "B", "kind": "ingredient", "aliases": ["Shared"]}])
    assert any("'Shared' already names 'a'" in p for p in problems(evidence))


def test_a_safety_signal_must_point_at_coded_studies(evidence):
    evidence.write("safety/s1.yaml", {"id": "s1", "intervention": "alpha-serum", "event": "rash",
                                      "studies": ["nowhere"], "statement": "A rash.",
                                      "provenance": {"urls": ["https://example.org"], "read_on": "2026-11-22"}})
    assert "no coded study 'nowhere'" in only_problem(evidence)


def safety_record(**overrides) -> dict:
    record = {"id": "s1", "intervention": "alpha-serum", "event": "use in pregnancy", "statement": "As labelled.",
              "provenance": {"urls": ["https://example.org/label"], "read_on": "2026-11-22"}}
    record.update(overrides)
    return record


def test_a_pregnancy_record_needs_advice(evidence):
    evidence.write("safety/s1.yaml", safety_record(kind="pregnancy"))
    assert "a pregnancy record needs advice" in only_problem(evidence)


def test_advice_is_only_for_pregnancy_and_lactation(evidence):
    evidence.write("safety/s1.yaml", safety_record(kind="adverse-effects", advice="avoid"))
    assert "advice is only for pregnancy and lactation records" in only_problem(evidence)


def test_a_lactation_record_with_advice_validates(evidence):
    evidence.write("safety/s1.yaml", safety_record(kind="lactation", advice="no-information-found"))
    assert problems(evidence) == []


def test_an_effect_size_interval_must_be_ordered(evidence):
    evidence.add(study("t1", findings=[finding(effect_size={"metric": "smd", "value": 0.5, "ci_low": 0.8,
                                                            "ci_high": 0.2})]))
    assert "ci_low is larger than ci_high" in only_problem(evidence)


def test_a_ratio_effect_size_is_positive(evidence):
    evidence.add(study("t1", findings=[finding(effect_size={"metric": "rr", "value": 0})]))
    assert "a RR and its interval are positive numbers" in only_problem(evidence)


def test_a_group_cannot_have_more_events_than_people(evidence):
    evidence.add(study("t1", findings=[finding(effect_size={"metric": "responders", "intervention_events": 12,
                                                            "intervention_total": 10})]))
    assert "more events than people in a group" in only_problem(evidence)


def test_conditioned_medium_from_human_cells_belongs_to_conditioned_media(evidence):
    evidence.vocabulary("interventions", [{"id": "exosomes-human", "name": "Human EVs", "kind": "ingredient"},
                                          {"id": "conditioned-media", "name": "CM", "kind": "ingredient"}])
    evidence.add(study("t1", findings=[finding(intervention="exosomes-human", ev_source="adipose-msc",
                                               ev_preparation="conditioned-medium")]))
    assert "belongs to intervention 'conditioned-media'" in only_problem(evidence)


def test_an_unknown_intervention_kind_is_refused(evidence):
    evidence.vocabulary("interventions", [{"id": "delta", "name": "Delta", "kind": "potion"}])
    assert any("kind" in p for p in problems(evidence))


def test_a_vocabulary_file_must_be_named_after_its_id(evidence):
    evidence.write("interventions/other-name.yaml", {"id": "delta", "name": "Delta", "kind": "ingredient"})
    assert "must equal the file name 'other-name'" in only_problem(evidence)


def warnings(evidence):
    from skinevidence.evidence.files import citation_warnings
    return [str(warning) for warning in citation_warnings(load_evidence(evidence.root)[0])]


def test_a_study_with_a_pmid_but_no_authors_is_a_warning_not_a_problem(evidence):
    evidence.add(study("t1", pmid="123", first_author=None))
    assert problems(evidence) == []
    assert warnings(evidence) == [("studies/t1.yaml: t1: first_author: no authors although the record has PMID 123; "
                                   "the page it leads to usually names them")]


def test_a_title_marked_as_not_shown_on_a_study_with_a_doi_is_a_warning(evidence):
    evidence.add(study("t1", doi="10.1000/t1", title="[Title not shown on the pages read] A trial of alpha serum"))
    assert warnings(evidence) == [("studies/t1.yaml: t1: title: the title is marked as not shown although the record "
                                   "has DOI 10.1000/t1")]


def test_a_study_nobody_could_look_up_gets_no_citation_warning(evidence):
    evidence.add(study("t1", first_author=None, title="[Title not shown on the pages read] A trial"))
    assert warnings(evidence) == []


def test_a_title_that_only_mentions_a_missing_title_is_not_flagged(evidence):
    evidence.add(study("t1", pmid="123", title="Why the title of a trial is not shown in registries"))
    assert warnings(evidence) == []


@pytest.mark.parametrize("registry_id", ["NCT01234567", "RBR-4x2t7h", "IRCT20190101042156N1", "ChiCTR2000031234",
                                         "ISRCTN12345678", "KCT0001234"])
def test_registry_ids_of_the_main_registries_are_accepted(evidence, registry_id):
    evidence.add(study("t1", registry_ids=[registry_id]))
    assert problems(evidence) == []


def test_an_empty_study_file_is_a_problem_naming_it(evidence):
    (evidence.root / "studies" / "t1.yaml").write_text("", encoding="utf-8")
    assert only_problem(evidence).startswith("studies/t1.yaml: is empty: it holds no record")


def test_a_study_file_cut_short_is_a_problem_that_says_so(evidence):
    path = evidence.write("studies/t1.yaml", study("t1"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("provenance:") + len("provenance:\n  ur")], encoding="utf-8")
    found = problems(evidence)
    assert found and all(p.startswith("studies/t1.yaml") for p in found)
    assert any("does not end with a line break: was it cut short?" in p for p in found)


def test_a_whole_study_file_without_a_final_line_break_is_no_problem(evidence):
    path = evidence.write("studies/t1.yaml", study("t1"))
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    assert problems(evidence) == []


@pytest.mark.parametrize("text", ["id: " + "[" * 100_000 + "]" * 100_000, "- " * 200_000 + "x\n",
                                  "a: " + "{b: " * 50_000 + "}" * 50_000])
def test_yaml_nested_beyond_reason_is_a_problem_not_a_crash(evidence, text):
    """libyaml's constructor recurses per level: 100,000 brackets killed the process (no message at all)."""
    (evidence.root / "studies" / "t1.yaml").write_text(text, encoding="utf-8")
    assert "nested more than 50 deep" in only_problem(evidence)


def test_yaml_nested_fifty_deep_is_read(evidence):
    (evidence.root / "studies" / "t1.yaml").write_text("id: " + "[" * 49 + "]" * 49 + "\n", encoding="utf-8")
    found = problems(evidence)
    assert "studies/t1.yaml: t1: id: Input should be a valid string" in found
    assert not any("nested more than" in p for p in found)


def test_yaml_nested_fifty_one_deep_is_a_problem(evidence):
    (evidence.root / "studies" / "t1.yaml").write_text("id: " + "[" * 50 + "]" * 50 + "\n", encoding="utf-8")
    assert "is not valid YAML at line 1, column 54: collections nested more than 50 deep" in only_problem(evidence)
