"""``ingest --engine spark``: MEDLINE/PubMed files parsed and classified on Spark into Parquet, PubMed's deletions
and revisions applied across files, and only the relevant records loaded into the review queue.

Each file is one task: an executor streams it with :func:`~skinevidence.ingest.read_citations` and summarises every
citation with :func:`~skinevidence.ingest.classify.summarise` (design, relevance, status: what the plain ``ingest``
stores) against the evidence broadcast once. Files are ordered as given (a baseline, then its update files): for every PMID the last event wins,
so a record revised by an update file replaces the earlier one and a ``DeleteCitation`` removes it. The Parquet
folder holds one row per surviving record; the queue then receives the relevant ones (and the deletions, which
withdraw records an earlier run queued) through the same :func:`~skinevidence.ingest.run.queue_records` as the
plain command.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from skinevidence.ingest.classify import summarise
from skinevidence.ingest.queue import ReviewQueue
from skinevidence.ingest.read import read_citations
from skinevidence.ingest.records import Citation, Deletion
from skinevidence.ingest.run import IngestReport, queue_records
from skinevidence.spark.session import shipped_catalog, spark_errors, spark_session
from skinevidence.text.input import check_input

#: One row of the Parquet output: where the record came from, the summary ``review list`` shows, and the whole
#: record (``citation``, JSON) so that it can be queued again without the file.
RECORD_SCHEMA = (
    "`key` STRING, `pmid` STRING, `kind` STRING, `file` STRING, `file_index` INT, `position` INT, "
    "`fingerprint` STRING, `title` STRING, `year` INT, `first_author` STRING, `design` STRING, "
    "`relevant` BOOLEAN, `participants` INT, `interventions` ARRAY<STRING>, `outcomes` ARRAY<STRING>, "
    "`source` STRING, `citation` STRING")
_COLUMNS = re.findall(r"`(\w+)`", RECORD_SCHEMA)


class SparkIngestReport(BaseModel):
    """The plain command's report of what entered the queue, with what Spark wrote."""

    parquet: str
    records: int          # rows in the Parquet folder (after deletions and revisions)
    relevant_records: int
    seconds: float
    queue: IngestReport


class _PairSum:
    """Spark accumulator parameter (duck-typed AccumulatorParam) adding up (articles, deletion notices)."""

    def zero(self, value: tuple[int, int]) -> tuple[int, int]:
        return (0, 0)

    def addInPlace(self, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        return (a[0] + b[0], a[1] + b[1])


def _read_file(shipped, key: str, counts, task: tuple[int, str]) -> Iterator[tuple]:
    """Runs on an executor: every record of one file, classified. ``counts`` (an accumulator) adds up the articles
    and deletion notices read."""
    index, path = task
    catalog = shipped_catalog(shipped, key)
    for position, record in enumerate(read_citations(path)):
        counts.add((0, 1) if isinstance(record, Deletion) else (1, 0))
        if isinstance(record, Deletion):
            yield (record.pmid, record.pmid, "deletion", path, index, position, None, None, None, None, None, None,
                   None, None, None, None, None)
            continue
        if record.key is None:
            continue  # neither a PMID nor a DOI: nothing to file it under (the plain command counts these too)
        shown = summarise(record, catalog)  # what the plain command stores for `review list`
        yield (record.key, record.pmid, "citation", path, index, position, record.fingerprint(), shown["title"],
               shown["year"], shown["first_author"], shown["design"], bool(shown["relevant"]),
               shown["participants"], list(shown["interventions"] or []), list(shown["outcomes"] or []),
               shown["source"], json.dumps(record.to_dict(), ensure_ascii=False))


def ingest_spark(files: list[Path], queue_path: Path, output: Path, *, master: str | None = None,
                 db: Path | None = None, evidence: Path | None = None) -> SparkIngestReport:
    """Parse and classify ``files`` on Spark into the Parquet folder ``output``, then queue the relevant records.
    The files must be readable at the same path by every executor (local mode, or a shared file system)."""
    from skinevidence.evidence.database import Database
    paths = [Path(p) for p in files]
    for path in paths:
        check_input(path)
    started = time.perf_counter()
    database = Database.open(db, evidence)
    catalog = database.catalog()
    target = Path(output)
    temporary = target.with_name(f".writing-{target.name}")
    with spark_session(master) as spark, spark_errors():
        from pyspark.sql import Window
        from pyspark.sql import functions as F
        context = spark.sparkContext
        shipped = context.broadcast(database.evidence())
        counts = context.accumulator((0, 0), _PairSum())
        tasks = context.parallelize([(i, str(p.resolve())) for i, p in enumerate(paths)], len(paths))
        events = spark.createDataFrame(tasks.flatMap(partial(_read_file, shipped, database.fingerprint, counts)),
                                       RECORD_SCHEMA)
        latest = Window.partitionBy("key").orderBy(F.desc("file_index"), F.desc("position"))
        final = events.withColumn("_n", F.row_number().over(latest)).where("_n = 1").drop("_n").cache()
        records = final.where("kind = 'citation'").orderBy("file_index", "position")
        shutil.rmtree(temporary, ignore_errors=True)
        records.write.parquet(str(temporary))
        deleted = [row.pmid for row in final.where("kind = 'deletion'").select("pmid").collect()]
        relevant = [row.citation for row in records.where("relevant").select("citation").toLocalIterator()]
        count = records.count()
        read, notices = counts.value
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    temporary.rename(target)
    report = IngestReport(files=[str(p) for p in paths], queue=str(queue_path))
    stream: list[Citation | Deletion] = [*(Deletion(pmid) for pmid in deleted),
                                         *(Citation.from_dict(json.loads(c)) for c in relevant)]
    with ReviewQueue(queue_path, writable=True) as queue:
        try:
            queue_records(stream, catalog, queue, report, only_relevant=True)
        finally:
            queue.commit()
    # what Spark read, beside what the queue received (the relevant survivors and the deletions)
    report.read, report.deleted, report.left_out = read, notices, count - len(relevant)
    return SparkIngestReport(parquet=str(target), records=count, relevant_records=len(relevant),
                             seconds=time.perf_counter() - started, queue=report)


def read_records(folder: Path) -> list[dict]:
    """The Parquet folder's rows (for tests and small inspections)."""
    import pyarrow.parquet as pq
    return pq.read_table(folder, columns=_COLUMNS).to_pylist()
