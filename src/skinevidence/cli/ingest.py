"""Commands that bring new records in: ingest, review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import FormatOption, app, open_database, options
from skinevidence.render import Format


@app.command()
def ingest(files: Annotated[list[Path], typer.Argument(
               help="MEDLINE/PubMed XML (.xml, .xml.gz: baseline, update or efetch files), PubMed .nbib/.txt or RIS.")],
           queue: Annotated[Path | None, typer.Option(
               help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")] = None,
           only_relevant: Annotated[bool, typer.Option(
               "--only-relevant", help="Queue only records about skin that name an intervention or outcome.")] = False,
           engine: Annotated[str, typer.Option(
               help="plain (this machine, one process) or spark (Apache Spark: Parquet of every record, then the "
                    "relevant ones queued).")] = "plain",
           master: Annotated[str | None, typer.Option(
               help="Spark master URL (default: local[*], every core of this machine).")] = None,
           parquet: Annotated[Path | None, typer.Option(
               help="Spark: the Parquet folder to write (default: beside the queue, <queue>.parquet).")] = None,
           format: FormatOption = Format.TEXT) -> None:
    """Read citation files into the review queue, each record classified with the reason for every value."""
    if engine == "spark":
        from skinevidence.ingest.commands import format_report, queue_path
        from skinevidence.spark.ingest import ingest_spark
        target = queue_path(queue, options["evidence"], options["db"])
        report = ingest_spark(files, target, parquet or target.with_name(target.name + ".parquet"), master=master,
                              db=options["db"], evidence=options["evidence"])
        text = (format_report(report.queue) + f"parquet: {report.parquet} ({report.records} records, "
                f"{report.relevant_records} relevant) in {report.seconds:.1f} s\n")
        sys.stdout.write(report.model_dump_json(indent=2) + "\n" if format is Format.JSON else text)
        return
    if engine != "plain":
        raise typer.BadParameter(f"{engine!r} is not plain or spark", param_hint="'--engine'")
    from skinevidence.ingest.commands import run_ingest
    sys.stdout.write(run_ingest(files, open_database().catalog(), queue, options["evidence"], options["db"],
                                only_relevant, format))


@app.command()
def review(action: Annotated[str, typer.Argument(help="list | show PMID | accept PMID [--id ID] | reject PMID")],
           pmid: Annotated[str | None, typer.Argument(help="The PMID (or DOI) to show, accept or reject.")] = None,
           id: Annotated[str | None, typer.Option(
               "--id", help="accept: the study id (default: author-year-words).")] = None,
           queue: Annotated[Path | None, typer.Option(
               help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")] = None,
           format: FormatOption = Format.TEXT) -> None:
    """Review ingested records: list the queue, show one with its reasons, accept it into the evidence folder as a
    study file (coded_by: auto, checked by the validator), or reject it (remembered)."""
    from skinevidence.ingest.commands import run_review
    sys.stdout.write(run_review(action, pmid, lambda: open_database().catalog(), queue, options["evidence"], options["db"],
                                id, format))
