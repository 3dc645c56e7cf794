"""The review pages behind 'serve --review': off unless asked for, answering this computer only, and doing what
'review accept' and 'review edit' do, with reports following at once. In-process, over hand-made evidence."""

from __future__ import annotations

import pytest
import yaml
from fastapi.testclient import TestClient

from conftest import study
from skinevidence.errors import SkinEvidenceError
from skinevidence.evidence.database import Database
from skinevidence.ingest import ReviewQueue, ingest_files
from skinevidence.web import create_app, serve
from skinevidence.web.review import ReviewSettings
from test_ingest import RCT_ABSTRACT, RCT_TITLE, article, xml_file


@pytest.fixture
def review(evidence, tmp_path):
    evidence.add(study("t1"))
    queue = tmp_path / "queue.sqlite"
    with ReviewQueue(queue, writable=True) as writable:
        ingest_files([xml_file(tmp_path, article("71", RCT_TITLE, RCT_ABSTRACT),
                               article("72", "Alpha serum and the skin", "Alpha serum is discussed for wrinkles of "
                                       "the skin."))], evidence.catalog(), writable)
    settings = ReviewSettings(queue, evidence.root, tmp_path / "web.sqlite")
    database = Database.open(settings.db, evidence.root)
    # the test client's requests come from 127.0.0.1, as a browser on this computer would
    return TestClient(create_app(database, review=settings), client=("127.0.0.1", 50000)), evidence


def test_the_review_pages_are_absent_unless_asked_for(evidence, tmp_path):
    client = TestClient(create_app(Database.open(tmp_path / "web.sqlite", evidence.root)))
    assert client.get("/review").status_code == 404


def test_the_review_pages_refuse_a_client_that_is_not_this_computer(review):
    client, _ = review
    remote = TestClient(client.app, client=("192.0.2.10", 50000))
    assert remote.get("/review").status_code == 403


def test_serving_the_review_pages_on_a_public_address_is_refused():
    with pytest.raises(SkinEvidenceError, match="127.0.0.1 only"):
        serve(None, host="0.0.0.0", review=ReviewSettings(queue=None, evidence=None))


def test_the_queue_page_lists_relevant_records_first(review):
    client, _ = review
    page = client.get("/review").text
    assert page.index("/review/record/71") < page.index("/review/record/72")


def test_accepting_on_the_page_writes_the_study_and_the_report_lists_it_at_once(review):
    client, evidence = review
    answer = client.post("/review/record/71/accept", data={"study_id": "web-alpha"}, follow_redirects=False)
    assert answer.status_code == 303 and "accepted=web-alpha" in answer.headers["location"]
    assert (evidence.root / "studies" / "web-alpha.yaml").exists()
    assert "web-alpha" in client.get("/api/v1/report/alpha-serum").text


def test_a_record_the_page_cannot_accept_shows_what_is_missing(review):
    client, evidence = review
    answer = client.post("/review/record/72/accept", data={"population": "human"})
    assert answer.status_code == 422 and "give --design" in answer.text
    assert not any(p.name.startswith("doe-2021-alpha-serum-skin") for p in (evidence.root / "studies").iterdir())


def test_setting_a_finding_on_the_page_enters_the_grade(review):
    client, evidence = review
    client.post("/review/record/71/accept", data={"study_id": "web-alpha"})
    answer = client.post("/review/study/web-alpha/edit", data={"key": "71", "finding": "1", "direction": "benefit",
                                                                "effect": "wrinkles fell more than with vehicle"},
                         follow_redirects=False)
    assert answer.status_code == 303
    finding = yaml.safe_load((evidence.root / "studies" / "web-alpha.yaml").read_text())["findings"][0]
    assert finding["direction"] == "benefit"
    grades = client.get("/api/v1/report/alpha-serum").json()["grades"]
    assert any("web-alpha" in g["studies"] for g in grades)


def test_rejecting_on_the_page_removes_the_record_from_the_waiting_list(review):
    client, _ = review
    client.post("/review/record/72/reject")
    assert "/review/record/72" not in client.get("/review").text
