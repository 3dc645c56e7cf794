"""Fetching from PubMed and ClinicalTrials.gov: saved searches, 'update' and 'search-pubmed', against the local
fake server (tests/fakeserver.py) that replays the services' documented and recorded answers. No test touches the
network."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fakeserver import Answer, FakeServer, fixture, rate_limited, server_error
from skinevidence.ingest.ctgov import ClinicalTrials, TrialQuery
from skinevidence.ingest.http import FetchError, Polite
from skinevidence.ingest.pubmed import PubMed
from skinevidence.ingest.queue import ReviewQueue
from skinevidence.ingest.searches import load_search, search_pubmed, update

TODAY = dt.date(2026, 12, 2)
RECORDS = ["29768149", "36400559", "2930949", "11446611", "28786991"]  # tests/fixtures/eutils/efetch-records.xml


def fast() -> Polite:
    return Polite(per_second=1000, backoff=0.01)


@pytest.fixture
def server():
    with FakeServer() as running:
        yield running


@pytest.fixture
def searches(tmp_path) -> Path:
    folder = tmp_path / "searches"
    folder.mkdir()
    (folder / "topic.yaml").write_text("query: alpha serum AND skin\ndatabases: [pubmed, clinicaltrials]\n"
                                       "trials: {condition: wrinkles, intervention: alpha serum}\n", encoding="utf-8")
    return folder


def run_update(server, searches, tmp_path, catalog, today=TODAY, **client):
    pubmed = PubMed(base=server.eutils, http=fast(), **client)
    trials = ClinicalTrials(base=server.ctgov, http=fast())
    with ReviewQueue(tmp_path / "queue.sqlite", writable=True) as queue:
        return update(searches, catalog, queue, today=today, pubmed=pubmed, trials=trials)


# update --------------------------------------------------------------------------------------------------------------

def test_update_fetches_classifies_and_queues_every_new_record(server, searches, tmp_path, evidence):
    report = run_update(server, searches, tmp_path, evidence.catalog(), batch=2)
    run = report.searches[0]
    assert (run.pubmed_found, run.pubmed_new, run.pubmed_fetched, run.trials_read) == (5, 5, 5, 3)
    assert run.ingest.queued == 8
    assert [len(c.params["id"].split(",")) for c in server.calls("efetch")] == [2, 2, 1]
    queue = ReviewQueue.open(tmp_path / "queue.sqlite")
    assert {e.key for e in queue.items()} == {*RECORDS, "NCT03540771", "NCT03630471", "NCT00587795"}


def test_update_writes_the_day_of_the_run_into_the_saved_search(server, searches, tmp_path, evidence):
    run_update(server, searches, tmp_path, evidence.catalog())
    assert load_search(searches / "topic.yaml").last_run == TODAY
    assert yaml.safe_load((searches / "topic.yaml").read_text())["query"] == "alpha serum AND skin"


def test_the_next_update_asks_pubmed_only_for_records_entered_since_the_last_run(server, searches, tmp_path,
                                                                                  evidence):
    run_update(server, searches, tmp_path, evidence.catalog())
    run_update(server, searches, tmp_path, evidence.catalog(), today=TODAY + dt.timedelta(days=3))
    second = server.calls("esearch")[-1].params
    assert (second["mindate"], second["maxdate"], second["datetype"]) == ("2026/12/02", "2026/12/05", "edat")
    assert second["usehistory"] == "y"


def test_a_second_update_the_same_day_fetches_nothing_new(server, searches, tmp_path, evidence):
    run_update(server, searches, tmp_path, evidence.catalog())
    fetches = len(server.calls("efetch"))
    report = run_update(server, searches, tmp_path, evidence.catalog())
    run = report.searches[0]
    assert len(server.calls("efetch")) == fetches
    assert (run.pubmed_new, run.pubmed_fetched, run.ingest.queued) == (0, 0, 0)


def test_a_killed_update_resumes_with_nothing_lost_or_fetched_twice(server, searches, tmp_path, evidence):
    import threading
    server.efetch_gate = threading.Event()  # the second EFetch waits: the run is killed while it does
    queue_path = tmp_path / "queue.sqlite"
    env = {**os.environ, "SKINEVIDENCE_EUTILS_URL": server.eutils, "SKINEVIDENCE_CTGOV_URL": server.ctgov,
           "SKINEVIDENCE_DB": str(tmp_path / "db.sqlite")}
    child = subprocess.Popen([sys.executable, "-m", "skinevidence", "--evidence", str(evidence.root), "update",
                              "--searches", str(searches), "--queue", str(queue_path), "--batch", "2"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.efetch_seen.acquire(timeout=60) and server.efetch_seen.acquire(timeout=60)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    queued_before = {e.key for e in ReviewQueue.open(queue_path).items()}
    assert queued_before == set(RECORDS[:2])  # the first batch was committed, nothing else
    assert load_search(searches / "topic.yaml").last_run is None
    server.efetch_gate = None
    fetched_before = len(server.calls("efetch"))
    run = run_update(server, searches, tmp_path, evidence.catalog(), batch=2).searches[0]
    refetched = [i for c in server.calls("efetch")[fetched_before:] for i in c.params["id"].split(",")]
    assert sorted(refetched) == sorted(RECORDS[2:])
    assert run.ingest.queued == 3 + 3 and run.ingest.skipped == 0
    assert ReviewQueue.open(queue_path).counts()["queued"] == 8


# NCBI's limits and errors ----------------------------------------------------------------------------------------

def test_a_rate_limit_answer_is_retried_after_the_wait_the_server_asks(server):
    server.fail("esearch", rate_limited())
    waits = []
    client = PubMed(base=server.eutils, http=Polite(per_second=1000, backoff=5.0, sleep=waits.append))
    assert client.search("skin").count == 5
    assert len(server.calls("esearch")) == 2 and 0 in waits and 5.0 not in waits  # Retry-After: 0 honoured


def test_server_errors_are_retried_with_growing_waits(server):
    server.fail("esearch", server_error(), server_error())
    waits = []
    client = PubMed(base=server.eutils, http=Polite(per_second=1000, backoff=1.0, sleep=waits.append))
    assert client.search("skin").ids == RECORDS
    assert [w for w in waits if w >= 1] == [1.0, 2.0]


def test_a_failure_that_outlasts_the_retries_is_a_fetch_error_quoting_the_server(server):
    server.fail("esearch", *[rate_limited()] * 3)
    client = PubMed(base=server.eutils, api_key="secret-key", http=Polite(per_second=1000, retries=2, backoff=0,
                                                                          sleep=lambda s: None))
    with pytest.raises(FetchError, match="HTTP 429.*API rate limit exceeded") as raised:
        client.search("skin")
    assert "secret-key" not in str(raised.value)


def test_an_error_inside_an_esearch_answer_is_a_fetch_error(server):
    server.fail("esearch", Answer(200, fixture("eutils/esearch-backend-error.xml"), "text/xml"))
    with pytest.raises(FetchError, match="Search Backend failed"):
        PubMed(base=server.eutils, http=fast()).search("skin")


def test_an_efetch_error_answer_is_a_fetch_error_with_ncbis_message(server):
    server.fail("efetch", Answer(400, fixture("eutils/efetch-error-out-of-range.xml"), "text/xml"))
    with pytest.raises(FetchError, match="HTTP 400.*OUT OF RANGE"):
        list(PubMed(base=server.eutils, http=fast()).fetch(["29768149"]))


def test_requests_without_a_key_are_spaced_a_third_of_a_second_apart():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds
    polite = PubMed(http=None).http
    limited = Polite(per_second=polite.per_second, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        limited._wait_turn()
    assert polite.per_second == 3.0 and waits == [pytest.approx(1 / 3)] * 2


def test_an_api_key_raises_the_rate_to_ten_a_second():
    assert PubMed(api_key="k").http.per_second == 10.0


def test_the_key_email_and_tool_go_with_every_request(server):
    client = PubMed(base=server.eutils, api_key="k123", email="me@example.org", http=fast())
    list(client.fetch(client.search("skin").ids[:2]))
    for call in server.calls("esearch") + server.calls("efetch"):
        assert (call.params["api_key"], call.params["email"], call.params["tool"]) == \
            ("k123", "me@example.org", "skinevidence")


def test_the_key_and_email_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "from-env")
    monkeypatch.setenv("NCBI_EMAIL", "curator@example.org")
    client = PubMed.from_environment()
    assert (client.api_key, client.email, client.http.per_second) == ("from-env", "curator@example.org", 10.0)


# ClinicalTrials.gov ----------------------------------------------------------------------------------------------

def test_registry_studies_are_read_page_by_page_with_their_status(server):
    studies = list(ClinicalTrials(base=server.ctgov, http=fast()).studies(TrialQuery(condition="acne")))
    assert [s.registry_ids[0] for s in studies] == ["NCT03540771", "NCT03630471", "NCT00587795"]
    assert [(s.registration.status, s.registration.has_results) for s in studies] == \
        [("RECRUITING", False), ("COMPLETED", False), ("TERMINATED", True)]
    assert [c.params.get("pageToken") for c in server.calls("studies")] == [None, "abracadabra"]
    assert server.calls("studies")[0].params["query.cond"] == "acne"


def test_the_registry_is_asked_for_studies_updated_since_the_last_run(server):
    list(ClinicalTrials(base=server.ctgov, http=fast()).studies(TrialQuery(intervention="alpha"),
                                                                 updated_since=dt.date(2026, 11, 1)))
    assert server.calls("studies")[0].params["query.term"] == "AREA[LastUpdatePostDate]RANGE[2026-11-01,MAX]"


def test_a_registry_error_is_a_fetch_error_quoting_its_text(server):
    server.fail("studies", Answer(400, fixture("clinicaltrials/ctgov-400.txt"), "text/plain"))
    with pytest.raises(FetchError, match="HTTP 400.*is unknown parameter"):
        list(ClinicalTrials(base=server.ctgov, http=fast()).studies(TrialQuery(condition="acne")))


def test_a_registry_record_is_queued_under_its_nct_number_with_its_registration(server, searches, tmp_path,
                                                                                 evidence):
    run_update(server, searches, tmp_path, evidence.catalog())
    queue = ReviewQueue.open(tmp_path / "queue.sqlite")
    citation = queue.citation("NCT00587795")
    assert citation.registration.has_results and citation.title.startswith("Orthopedic Study")


# search-pubmed -----------------------------------------------------------------------------------------------------

def test_search_pubmed_queues_at_most_the_limit_and_can_save_the_search(server, tmp_path, evidence):
    with ReviewQueue(tmp_path / "queue.sqlite", writable=True) as queue:
        run = search_pubmed("back pain", evidence.catalog(), queue, today=TODAY, limit=3, save="back-pain",
                            folder=tmp_path / "searches", pubmed=PubMed(base=server.eutils, http=fast()))
    assert run.ingest.queued == 3
    saved = load_search(tmp_path / "searches" / "back-pain.yaml")
    assert (saved.query, saved.databases, saved.last_run) == ("back pain", ["pubmed"], TODAY)


def test_search_pubmed_from_the_command_line(server, tmp_path, evidence):
    env = {**os.environ, "SKINEVIDENCE_EUTILS_URL": server.eutils, "SKINEVIDENCE_DB": str(tmp_path / "db.sqlite"),
           "SKINEVIDENCE_QUEUE": str(tmp_path / "queue.sqlite")}
    done = subprocess.run([sys.executable, "-m", "skinevidence", "--evidence", str(evidence.root), "search-pubmed",
                           "back pain", "--limit", "2"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "PubMed: 5 found, 2 new, 2 fetched" in done.stdout


def test_a_saved_search_name_that_is_not_a_record_id_is_refused_before_fetching(server, tmp_path, evidence):
    from skinevidence.errors import InputError
    with ReviewQueue(tmp_path / "queue.sqlite", writable=True) as queue, pytest.raises(InputError,
                                                                                         match="not a record id"):
        search_pubmed("x", evidence.catalog(), queue, save="../up", folder=tmp_path,
                      pubmed=PubMed(base=server.eutils, http=fast()))
    assert server.requests == []
