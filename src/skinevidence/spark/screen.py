"""``screen --engine spark``: the catalogue read by Spark (Parquet or JSON Lines), each partition screened by the
same :class:`~skinevidence.claims.screen.Screener` as the plain command, the rows written in input order as a
folder of JSON Lines or Parquet part files, and one summary merged from the partitions'."""

from __future__ import annotations

import json
import shutil
from functools import partial
from pathlib import Path

from skinevidence.claims.listings import Columns, RowError, detect_format, json_listing, to_listing
from skinevidence.claims.screen import Screener, ScreenSummary, Settings
from skinevidence.errors import InputError
from skinevidence.spark.session import shipped_catalog, spark_errors, spark_session

#: The output row (docs/screen.md) as Spark SQL types, for Parquet.
ROW_SCHEMA = (
    "`row` BIGINT, `id` STRING, `brand` STRING, `country` STRING, `claims` BIGINT, `overclaims` BIGINT, "
    "`verdict` STRING, `flags` MAP<STRING, STRING>, `findings` ARRAY<STRUCT<`field`: STRING, `start`: BIGINT, "
    "`end`: BIGINT, `text`: STRING, `verdict`: STRING, `interventions`: ARRAY<STRING>, `outcomes`: ARRAY<STRING>, "
    "`route`: STRING, `strength`: STRING, `stance`: STRING, `grade`: STRING, `overclaim`: BOOLEAN, "
    "`flags`: ARRAY<STRUCT<`kind`: STRING, `jurisdiction`: STRING, `rule`: STRING, `source`: STRING, "
    "`trigger`: STRING, `basis`: STRING>>, `subject`: STRING, `subject_known`: BOOLEAN>>")


def _screen_partition(shipped, key: str, kind: str, names: dict, explicit: set, settings: Settings, items):
    """Runs on an executor: (row values or line, index) pairs in, ("row" | "error", JSON) pairs out."""
    screener = Screener(shipped_catalog(shipped, key), set(settings.jurisdictions) if settings.jurisdictions else None,
                        settings.prefilter)
    columns = Columns(names)
    for value, index in items:
        row = index + 1
        read = json_listing(row, value, columns, explicit) if kind == "jsonl" else to_listing(row, value)
        result = read if isinstance(read, RowError) else screener.screen_many([read])[0]
        if isinstance(result, RowError):
            yield "error", json.dumps({"row": result.row, "message": result.message})
        else:
            yield "row", json.dumps(result, ensure_ascii=False)


def _summarise(source: str, output: str, items):
    summary = ScreenSummary(input=source, output=output)
    for tag, text in items:
        data = json.loads(text)
        if tag == "row":
            summary.add(data)
        else:
            summary.add_error(RowError(data["row"], data["message"]))
    yield summary.model_dump_json()


def screen_spark(path: Path, output: Path | None, settings: Settings, *, master: str | None = None,
                 db: Path | None = None, evidence: Path | None = None) -> ScreenSummary:
    """Screen ``path`` on Spark into the folder ``output`` (part files in input order). The folder is written
    beside the target and renamed into place when the run succeeds; Spark retries failed tasks itself."""
    import time

    from skinevidence.evidence.database import Database
    kind = detect_format(Path(path), settings.input_format)
    if kind == "csv":
        raise InputError("the Spark engine reads Parquet or JSON Lines (a CSV field may span lines, which Spark "
                         "cannot split safely): convert the catalogue, or use the plain engine")
    if output is None:
        raise InputError("the Spark engine writes a folder of part files: give -o FOLDER")
    if not Path(path).exists() and "://" not in str(path):
        raise InputError(f"no such file: {path}")
    started = time.perf_counter()
    database = Database.open(db, evidence)
    catalog_evidence, key = database.evidence(), database.fingerprint
    columns = Columns(dict(settings.columns))
    with spark_session(master) as spark, spark_errors():
        context = spark.sparkContext
        shipped = context.broadcast(catalog_evidence)  # sent to each executor once
        if kind == "parquet":
            frame = spark.read.parquet(str(path))
            found = columns.resolve(frame.columns, str(path), set(settings.explicit))
            fields = list(found)
            values = frame.select(*[found[f] for f in fields]).rdd.map(
                lambda r, fields=fields: {f: r[i] for i, f in enumerate(fields)})
        else:
            values = context.textFile(str(path), use_unicode=False).filter(lambda line: bool(line.strip()))
        results = values.zipWithIndex().mapPartitions(
            partial(_screen_partition, shipped, key, kind, columns.names, set(settings.explicit), settings)).cache()
        rows = results.filter(lambda item: item[0] == "row").map(lambda item: item[1])
        target = Path(output)
        temporary = target.with_name(f".writing-{target.name}")
        shutil.rmtree(temporary, ignore_errors=True)
        if settings.output_format == "parquet":
            spark.read.schema(ROW_SCHEMA).json(rows).write.parquet(str(temporary))
        elif settings.output_format == "jsonl":
            rows.saveAsTextFile(str(temporary))
        else:
            raise InputError("the Spark engine writes jsonl or parquet")
        parts = results.mapPartitions(partial(_summarise, str(path), str(output))).collect()
        results.unpersist()
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    temporary.rename(target)
    summary = ScreenSummary(input=str(path), output=str(output))
    for part in parts:
        summary.merge(ScreenSummary.model_validate_json(part))
    summary.complete = True
    summary.seconds = time.perf_counter() - started
    return summary
