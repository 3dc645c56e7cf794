"""Apache Spark in local mode (docs/spark.md): ``screen --engine spark`` writes the rows of the plain command, and
``ingest --engine spark`` writes Parquet holding the records the plain ``ingest`` queues, then queues the relevant
ones as ``ingest --only-relevant`` does. Slow (each run starts a JVM); CI runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import MEDLINE
from skinevidence.claims.listings import Columns
from skinevidence.claims.screen import Settings, screen_file
from skinevidence.claims.synthetic import write_listings
from skinevidence.ingest import ReviewQueue, ingest_files

SAMPLES = ["medline16n0902.xml.gz", "test_current_medline.xml.gz", "pubmed-29768149.xml"]
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def spark_installed():
    import importlib.util
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI"):
            pytest.fail("pyspark is missing: the test extra installs it")
        pytest.skip("pyspark is not installed (pip install -e '.[test]')")


def settings(fmt: str) -> Settings:
    return Settings(columns=Columns().names, input_format=None, output_format=fmt)


def part_rows(folder: Path) -> list[dict]:
    return [json.loads(line) for part in sorted(folder.glob("part-*")) for line in part.read_text().splitlines()]


@pytest.fixture(scope="module")
def samples() -> list[Path]:
    return [MEDLINE / name for name in SAMPLES]


def test_screen_on_spark_writes_the_rows_of_the_plain_run_in_the_same_order(bundled, bundled_db, tmp_path):
    from skinevidence.spark.screen import screen_spark
    source = write_listings(bundled, tmp_path / "in.jsonl", 400, seed=21)
    with source.open("a", encoding="utf-8") as out:
        out.write("{not json\n")  # row 401: reported by number on Spark too
    plain = screen_file(source, tmp_path / "plain.jsonl", settings("jsonl"), workers=1, catalog=bundled)
    summary = screen_spark(source, tmp_path / "spark", settings("jsonl"), db=None, evidence=bundled_db.evidence_dir)
    expected = [json.loads(line) for line in (tmp_path / "plain.jsonl").read_text().splitlines()]
    assert part_rows(tmp_path / "spark") == expected
    assert (summary.screened, summary.claims, summary.flags, summary.brands) == \
        (plain.screened, plain.claims, plain.flags, plain.brands)
    assert summary.error_rows == plain.error_rows == [{"row": 401, "message": summary.error_rows[0]["message"]}]


def test_ingest_on_spark_writes_the_records_of_the_plain_ingest_and_queues_the_relevant_ones(bundled, samples,
                                                                                             tmp_path):
    from skinevidence.spark.ingest import ingest_spark, read_records
    with ReviewQueue(tmp_path / "plain.sqlite", writable=True) as queue:
        plain_report = ingest_files(samples, bundled, queue)
        plain = {e.key: queue.summary(e.key) for e in queue.items(state="queued")}
    with ReviewQueue(tmp_path / "relevant.sqlite", writable=True) as queue:
        ingest_files(samples, bundled, queue, only_relevant=True)
        plain_relevant = {e.key: e.fingerprint for e in queue.items(state="queued")}
    report = ingest_spark(samples, tmp_path / "spark-queue.sqlite", tmp_path / "records.parquet")
    records = read_records(tmp_path / "records.parquet")
    fields = ("title", "year", "first_author", "design", "relevant", "participants", "interventions", "outcomes")
    assert {r["key"]: {f: r[f] for f in fields} for r in records} == \
        {k: {f: s[f] for f in fields} for k, s in plain.items()}
    with ReviewQueue(tmp_path / "spark-queue.sqlite") as queue:
        assert {e.key: e.fingerprint for e in queue.items(state="queued")} == plain_relevant
    assert (report.queue.read, report.queue.deleted) == (plain_report.read, plain_report.deleted)
    assert report.relevant_records == len(plain_relevant) > 0
