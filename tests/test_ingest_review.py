"""Working through the review queue: the order of the queue, accepting (what the record lacks, what is left to the
curator), editing a finding, retractions, relevance, and 'classify --format jsonl'. Real records come from the
shared MEDLINE samples and tests/fixtures; vocabularies are the invented ones of conftest.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MEDLINE, study
from skinevidence.answers.report import build_report
from skinevidence.errors import InputError
from skinevidence.evidence.database import Database
from skinevidence.evidence.files import load_evidence
from skinevidence.evidence.models import Design, Direction, Population, Status
from skinevidence.grading.grade import grade_intervention
from skinevidence.ingest import Citation, RecordRefused, ReviewQueue, accept_record, classify, ingest_files, list_queue
from skinevidence.ingest.accept import Curation
from skinevidence.ingest.edit import edit_finding
from skinevidence.ingest.records import Source
from test_ingest import RCT_ABSTRACT, RCT_TITLE, article, xml_file

FIXTURES = Path(__file__).parent / "fixtures"
BASELINE = MEDLINE / "medline16n0902.xml.gz"
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def queue_path(tmp_path) -> Path:
    return tmp_path / "queue.sqlite"


def ingest(paths, catalog, queue_path):
    with ReviewQueue(queue_path, writable=True) as queue:
        return ingest_files(paths, catalog, queue)


def cite(title: str, abstract: str = "", **fields) -> Citation:
    return Citation(pmid=fields.pop("pmid", "1"), title=title, abstract=abstract,
                    source=Source("hand-built.xml", 1), **fields)


# the queue's order ---------------------------------------------------------------------------------------------------

def test_the_queue_lists_relevant_records_first_then_stronger_designs_then_newer(evidence, queue_path, tmp_path):
    path = xml_file(tmp_path,
                    article("11", "Dark spots in a patient: a case report", "We report a woman with dark spots of "
                            "the skin treated with beta cream."),
                    article("12", "Liver enzymes after surgery: a randomized trial", "Patients were randomly "
                            "assigned to two diets."),
                    article("13", RCT_TITLE, RCT_ABSTRACT))
    ingest([path], evidence.catalog(), queue_path)
    keys = [item.key for item in list_queue(queue_path).items]
    assert keys == ["13", "11", "12"]


# accepting -----------------------------------------------------------------------------------------------------------

def test_accept_of_a_record_without_a_design_says_which_option_supplies_it_and_writes_nothing(evidence, queue_path,
                                                                                               tmp_path):
    path = xml_file(tmp_path, article("21", "Alpha serum and the skin", "Alpha serum is discussed for wrinkles of "
                                      "the skin in general terms."))
    ingest([path], evidence.catalog(), queue_path)
    before = sorted((evidence.root / "studies").iterdir())
    with pytest.raises(RecordRefused, match="give --design") as refused:
        accept_record(queue_path, "21", evidence.root, curation=Curation(population=Population.HUMAN))
    assert [p.field for p in refused.value.problems] == ["design"]
    assert sorted((evidence.root / "studies").iterdir()) == before


def test_accepting_a_record_as_cell_work_writes_a_valid_study_on_route_laboratory(evidence, queue_path, tmp_path):
    path = xml_file(tmp_path, article("22", "Alpha serum and the skin", "Alpha serum is discussed for wrinkles of "
                                      "the skin in general terms."))
    ingest([path], evidence.catalog(), queue_path)
    decision = accept_record(queue_path, "22", evidence.root,
                             curation=Curation(design=Design.IN_VITRO, population=Population.CELLS))
    assert "route: laboratory" in Path(decision.path).read_text(encoding="utf-8")
    assert load_evidence(evidence.root)[1] == []


def test_accept_tells_what_is_left_for_the_curator(evidence, queue_path, tmp_path):
    ingest([xml_file(tmp_path, article("31", RCT_TITLE, RCT_ABSTRACT))], evidence.catalog(), queue_path)
    decision = accept_record(queue_path, "31", evidence.root)
    assert "funding" in decision.missing and any("direction and effect" in m for m in decision.missing)


@pytest.mark.shared_data
def test_a_relevant_record_of_the_shared_sample_is_accepted_and_listed_in_its_interventions_report(
        evidence, queue_path, tmp_path):
    # the invented vocabulary gains one outcome that the sample's hyperhidrosis surgery paper names ('wound')
    evidence.vocabulary("outcomes", [{"id": "wound-healing", "name": "Wound healing", "aliases": ["wound"]}])
    ingest([BASELINE], evidence.catalog(), queue_path)
    relevant = list_queue(queue_path, only_relevant=True).items
    assert relevant and relevant[0].key == "26702233"
    decision = accept_record(queue_path, "26702233", evidence.root, today=TODAY,
                             curation=Curation(interventions=("gamma-peel",)))
    assert load_evidence(evidence.root)[1] == []
    report = build_report(Database.open(evidence.root / "db.sqlite", evidence.root).catalog(), "gamma-peel")
    assert decision.study_id in [r.id for r in report.references]
    assert report.updated == f"Evidence read on {TODAY.isoformat()} (1 study) (1 awaiting curation: listed, not " \
                             "yet graded)."


def test_a_second_accepted_study_makes_the_report_say_updated_with_one_new_study(evidence, queue_path, tmp_path):
    evidence.add(study("t1"))
    ingest([xml_file(tmp_path, article("41", RCT_TITLE, RCT_ABSTRACT))], evidence.catalog(), queue_path)
    accept_record(queue_path, "41", evidence.root, today=TODAY)
    report = build_report(Database.open(evidence.root / "db.sqlite", evidence.root).catalog(), "alpha-serum")
    assert report.updated.startswith(f"Evidence updated on {TODAY.isoformat()} with 1 new study")


# editing a finding ---------------------------------------------------------------------------------------------------

@pytest.fixture
def accepted(evidence, queue_path, tmp_path):
    ingest([xml_file(tmp_path, article("51", RCT_TITLE, RCT_ABSTRACT))], evidence.catalog(), queue_path)
    return accept_record(queue_path, "51", evidence.root, study_id="doe-alpha", today=TODAY)


def test_review_edit_sets_direction_and_effect_keeping_the_files_comments(evidence, accepted):
    edit = edit_finding(evidence.root, "doe-alpha", 1, Direction.BENEFIT, "wrinkle score fell more than with vehicle",
                        today=TODAY)
    text = Path(edit.path).read_text(encoding="utf-8")
    assert edit.comments_kept and "# Auto-ingested" in text
    assert "direction: benefit  # set by the curator on 2026-12-02" in text
    finding = yaml.safe_load(text)["findings"][0]
    assert (finding["direction"], finding["effect"]) == ("benefit", "wrinkle score fell more than with vehicle")


def test_an_edited_direction_enters_the_grade_at_once(evidence, accepted):
    def studies():
        catalog = Database.open(evidence.root / "db.sqlite", evidence.root).catalog()
        return [s for g in grade_intervention(catalog, "alpha-serum") for s in g.studies]
    assert "doe-alpha" not in studies()
    edit_finding(evidence.root, "doe-alpha", 1, Direction.BENEFIT)
    assert "doe-alpha" in studies()


def test_an_edit_that_names_a_missing_finding_is_an_input_error(evidence, accepted):
    with pytest.raises(InputError, match="--finding must be 1 to 1"):
        edit_finding(evidence.root, "doe-alpha", 3, Direction.HARM)


def test_review_edit_from_the_command_line(evidence, accepted, tmp_path):
    env = {**os.environ, "SKINEVIDENCE_DB": str(tmp_path / "cli.sqlite")}
    done = subprocess.run([sys.executable, "-m", "skinevidence", "--evidence", str(evidence.root), "review", "edit",
                           "doe-alpha", "--finding", "1", "--direction", "no-difference", "--effect", "no change"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "direction no-difference" in done.stdout


# retractions ---------------------------------------------------------------------------------------------------------

def test_a_retracted_record_is_flagged_with_its_notice(evidence):
    from skinevidence.ingest import read_citations
    found = {r.pmid: r for r in read_citations(FIXTURES / "medline" / "retracted-and-corrected.xml")}
    retracted = classify(found["33104149"], evidence.catalog()).status
    corrected = classify(found["25185776"], evidence.catalog()).status
    assert retracted.value is Status.RETRACTED and "RetractionIn" not in retracted.why and "PMID" in retracted.why
    assert corrected.value is Status.PUBLISHED and "corrected:" in corrected.why


def test_an_accepted_retracted_record_is_shown_in_the_report_and_never_graded(evidence, queue_path, tmp_path):
    evidence.add(study("t1"))
    body = article("61", RCT_TITLE, RCT_ABSTRACT, types=("Journal Article", "Retracted Publication"))
    ingest([xml_file(tmp_path, body)], evidence.catalog(), queue_path)
    decision = accept_record(queue_path, "61", evidence.root, study_id="retracted-alpha", today=TODAY)
    edit_finding(evidence.root, decision.study_id, 1, Direction.BENEFIT)
    catalog = Database.open(evidence.root / "db.sqlite", evidence.root).catalog()
    assert catalog.studies["retracted-alpha"].status is Status.RETRACTED
    assert "retracted-alpha" not in [s for g in grade_intervention(catalog, "alpha-serum") for s in g.studies]
    report = build_report(catalog, "alpha-serum")
    assert [p.refs for p in report.retracted] == [["retracted-alpha"]]


# relevance -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("title, abstract", [
    ("Alopecia and wrinkles of the skin in dogs with leishmaniasis", "Dogs were examined by a veterinary team."),
    ("Heterologous expression of a terpenoid pathway in Nicotiana benthamiana",
     "Plant terpenoids are used in cosmetics; alpha serum peptides were expressed in leaves of seedlings."),
    ("Wound complications after hernia repair", "Side effects were recorded in the skin incision of 40 patients."),
])
def test_veterinary_plant_and_harm_only_records_are_not_relevant(evidence, title, abstract):
    assert classify(cite(title, abstract), evidence.catalog()).relevant.value is False


def test_one_skin_word_in_a_long_abstract_does_not_make_a_record_about_skin(evidence):
    result = classify(cite("Alpha serum and liver enzymes", "Alpha serum was given to 30 adults with fatty liver; one "
                           "had a skin rash."), evidence.catalog())
    assert result.relevant.value is False and "fewer than two" in result.relevant.why


def test_a_record_about_human_skin_naming_the_vocabulary_is_relevant(evidence):
    assert classify(cite(RCT_TITLE, RCT_ABSTRACT), evidence.catalog()).relevant.value is True


# classify --format jsonl -------------------------------------------------------------------------------------------

def test_classify_prints_one_json_line_per_record_with_the_stable_fields(evidence, tmp_path):
    env = {**os.environ, "SKINEVIDENCE_DB": str(tmp_path / "cli.sqlite")}
    done = subprocess.run([sys.executable, "-m", "skinevidence", "--evidence", str(evidence.root), "classify",
                           str(FIXTURES / "eutils" / "efetch-records.xml"), "--format", "jsonl"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 5
    assert {"pmid", "design", "population", "route", "n", "relevant", "confidence", "why"} <= set(rows[0])
    assert rows[0]["pmid"] == "29768149" and rows[0]["design"] == "rct" and rows[0]["n"] == 3849


def test_a_record_without_an_abstract_says_so_rather_than_guessing_a_design(evidence):
    result = classify(cite("Alpha serum: efficacy and safety in practice"), evidence.catalog())
    assert result.design.value is None and "no abstract" in result.design.why


def test_every_design_decision_weighed_from_text_has_a_confidence(evidence):
    result = classify(cite(RCT_TITLE, RCT_ABSTRACT), evidence.catalog())
    assert result.design.value is Design.RCT and 0 < result.design.confidence <= 1


def test_an_editorial_about_a_trial_is_not_taken_for_the_trial(evidence):
    result = classify(cite("Editorial: why we published an inconclusive trial of alpha serum",
                           "Patients were randomly assigned to alpha serum or placebo in the trial we discuss."),
                      evidence.catalog())
    assert result.design.value is None and "not its report" in result.design.why
