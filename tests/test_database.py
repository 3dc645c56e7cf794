"""The SQLite database: built on first use, rebuilt when files change, never half-written, never from bad files."""

import os
import sqlite3
import zlib

import pytest

from conftest import study
from skinevidence.errors import EvidenceInvalid
from skinevidence.evidence.database import Database


def test_the_database_is_built_on_first_use(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    with Database.open(path, evidence.root) as db:
        assert db.stats()["records"]["studies"] == 1
    assert path.exists()


def test_a_changed_file_triggers_a_rebuild(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    evidence.add(study("t2"))
    with Database.open(path, evidence.root) as db:
        assert db.stats()["records"]["studies"] == 2


def test_an_unchanged_base_is_not_rebuilt(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    before = path.stat().st_mtime_ns
    Database.open(path, evidence.root).close()
    assert path.stat().st_mtime_ns == before


def test_an_edit_that_keeps_the_size_triggers_a_rebuild(evidence, tmp_path):
    evidence.add(study("t1", participants=500))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    evidence.add(study("t1", participants=600))  # same number of bytes, new modification time
    with Database.open(path, evidence.root) as db:
        assert db.catalog().studies["t1"].participants == 600


def test_a_touched_but_unchanged_file_is_not_rebuilt_and_is_then_recognised_cheaply(evidence, tmp_path, monkeypatch):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    built = sqlite3.connect(path).execute("SELECT count(*) FROM studies").fetchone()
    record = evidence.root / "studies" / "t1.yaml"
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 5_000_000_000))
    Database.open(path, evidence.root).close()  # bytes hashed once, signature remembered
    hashed = []
    monkeypatch.setattr("skinevidence.evidence.database.fingerprint", lambda folder: hashed.append(folder) or "")
    Database.open(path, evidence.root).close()
    assert hashed == [] and sqlite3.connect(path).execute("SELECT count(*) FROM studies").fetchone() == built


def test_invalid_files_never_replace_a_good_database(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    evidence.add(study("t2", doi="not a doi"))
    with pytest.raises(EvidenceInvalid) as raised:
        Database.open(path, evidence.root)
    assert "studies/t2.yaml" in str(raised.value)
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT count(*) FROM studies").fetchone() == (1,)


def test_a_failed_build_leaves_no_partial_file(evidence, tmp_path):
    evidence.add(study("t1", pmid="abc"))
    with pytest.raises(EvidenceInvalid):
        Database.open(tmp_path / "db.sqlite", evidence.root)
    assert list(tmp_path.glob("*.sqlite")) == []


def test_records_round_trip_through_sqlite_unchanged(evidence, tmp_path):
    record = study("t1", doi="10.1000/xyz", pmid="123", condition="adults with \u00e9czema")
    evidence.add(record)
    with Database.open(tmp_path / "db.sqlite", evidence.root) as db:
        stored = db.catalog().studies["t1"]
    assert (stored.doi, stored.pmid, stored.condition) == ("10.1000/xyz", "123", "adults with \u00e9czema")


def test_stats_count_human_studies_by_design_and_route(evidence, tmp_path):
    evidence.add(study("t1"), study("t2", design="single-arm", findings=[
        {"intervention": "alpha-serum", "outcome": "wrinkles", "route": "after-microneedling", "direction": "benefit"}]))
    with Database.open(tmp_path / "db.sqlite", evidence.root) as db:
        stats = db.stats()
    assert stats["human_studies_by_design"] == {"rct": 1, "single-arm": 1}
    assert stats["human_studies_by_route"] == {"topical": 1, "after-microneedling": 1}


def test_a_kept_answer_is_given_back_for_the_same_records_and_code(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).keep_answer("report", "alpha-serum", "the answer")
    with Database.open(path, evidence.root) as db:
        assert db.kept_answer("report", "alpha-serum") == "the answer"
        assert db.kept_answer("report", "beta-cream") is None and db.kept_answer("compare", "alpha-serum") is None


def test_a_new_build_of_the_records_starts_with_no_kept_answer(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).keep_answer("report", "alpha-serum", "the answer")
    evidence.add(study("t2"))
    with Database.open(path, evidence.root) as db:
        assert db.kept_answer("report", "alpha-serum") is None


def test_an_answer_kept_by_other_code_is_not_given_back_and_goes_at_the_next_keep(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    Database.open(path, evidence.root).close()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO answers VALUES ('report', 'alpha-serum', 'older code', ?)",
                           (zlib.compress(b"an old answer"),))
    with Database.open(path, evidence.root) as db:
        assert db.kept_answer("report", "alpha-serum") is None
        db.keep_answer("report", "beta-cream", "a new answer")
    assert sqlite3.connect(path).execute("SELECT count(*) FROM answers WHERE code = 'older code'").fetchone() == (0,)


def test_only_the_most_recent_answers_are_kept(evidence, tmp_path, monkeypatch):
    monkeypatch.setattr("skinevidence.evidence.database.KEPT_ANSWERS", 2)
    evidence.add(study("t1"))
    with Database.open(tmp_path / "db.sqlite", evidence.root) as db:
        for key in ("first", "second", "third"):
            db.keep_answer("report", key, key)
        assert [db.kept_answer("report", key) for key in ("first", "second", "third")] == [None, "second", "third"]


def test_a_busy_database_keeps_nothing_and_raises_nothing(evidence, tmp_path):
    evidence.add(study("t1"))
    path = tmp_path / "db.sqlite"
    db = Database.open(path, evidence.root)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        db.keep_answer("report", "alpha-serum", "the answer")
    finally:
        writer.execute("ROLLBACK")
    assert db.kept_answer("report", "alpha-serum") is None


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_the_catalog_leaves_the_garbage_collector_as_it_found_it(evidence, tmp_path, enabled):
    import gc
    evidence.add(study("t1"))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        Database.open(tmp_path / "db.sqlite", evidence.root).catalog()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
