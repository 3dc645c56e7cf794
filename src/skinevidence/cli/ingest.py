"""Commands that bring new records in: ingest, review."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import FormatOption, app, examples, open_database, options
from skinevidence.render import Format

QueueOption = Annotated[Path | None, typer.Option(
    help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")]


@app.command(epilog=examples("skinevidence ingest pubmed-29768149.xml", "skinevidence ingest medline16n0902.xml.gz "
                             "--only-relevant", "skinevidence ingest citations.ris records.nbib",
                             "skinevidence ingest pubmed25n*.xml.gz --engine spark --parquet medline.parquet"))
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
    output = run_ingest(files, open_database().catalog(), queue, options["evidence"], options["db"],
                        only_relevant, format)
    sys.stdout.write(output)
    if "interrupted after" in output or '"interrupted": true' in output:
        raise typer.Exit(130)  # interrupted: the summary above says how far it got and how to resume


@app.command(epilog=examples("skinevidence review list --only-relevant", "skinevidence review show 29768149",
                             "skinevidence review accept 29768149 --id kwon-2020-exosomes-acne-scars",
                             "skinevidence review reject 29768149",
                             "skinevidence review edit kwon-2020-exosomes-acne-scars --finding 1 --direction benefit"))
def review(action: Annotated[str, typer.Argument(
               help="list | show KEY | accept KEY [--id ID] | reject KEY | edit STUDY --finding N --direction D")],
           pmid: Annotated[str | None, typer.Argument(
               help="The PMID, DOI or NCT number to show, accept or reject; the study id to edit.")] = None,
           id: Annotated[str | None, typer.Option(
               "--id", help="accept: the study id (default: author-year-words).")] = None,
           design: Annotated[str | None, typer.Option(
               help="accept: the design, when it was not derived (rct, cohort, case-report...).")] = None,
           population: Annotated[str | None, typer.Option(
               help="accept: the population, when it was not derived (human, animal, cells, mixed).")] = None,
           intervention: Annotated[list[str] | None, typer.Option(
               help="accept: an intervention id the paper studies (repeat for several).")] = None,
           outcome: Annotated[list[str] | None, typer.Option(
               help="accept: an outcome id the paper measures (repeat for several).")] = None,
           finding: Annotated[int | None, typer.Option(help="edit: which finding (1 = the first).", min=1)] = None,
           direction: Annotated[str | None, typer.Option(
               help="edit: benefit, no-difference, harm, mixed or not-reported.")] = None,
           effect: Annotated[str | None, typer.Option(help="edit: the effect, in your own words.")] = None,
           only_relevant: Annotated[bool, typer.Option(
               "--only-relevant", help="list: only records about skin naming the vocabulary.")] = False,
           queue: QueueOption = None,
           format: FormatOption = Format.TEXT) -> None:
    """Review ingested records: list the queue (relevant first, strongest designs, newest), show one with its
    reasons, accept it into the evidence folder as a study file (coded_by: auto, checked by the validator; say what
    the record does not show with --design, --population, --intervention, --outcome), reject it (remembered), or
    edit an accepted study's finding (direction and effect)."""
    from skinevidence.ingest.commands import curation_from, run_review
    curation = curation_from(design, population, intervention, outcome)
    sys.stdout.write(run_review(action, pmid, lambda: open_database().catalog(), queue, options["evidence"],
                                options["db"], id, format, curation, finding, direction, effect, only_relevant))


@app.command(epilog=examples("skinevidence classify pubmed-29768149.xml",
                             "skinevidence classify medline16n0902.xml.gz --format text"))
def classify(files: Annotated[list[Path], typer.Argument(help="MEDLINE/PubMed XML (.gz), PubMed .nbib or RIS files.")],
             format: Annotated[str, typer.Option("--format", "-f", help="jsonl (one JSON object a record) or text.")]
             = "jsonl") -> None:
    """Classify every record of citation files without queueing them: design, population, route, n, relevance and
    the design's confidence, each with its reason (one JSON line per record: pmid, design, population, route, n,
    relevant, confidence, why)."""
    from skinevidence.ingest.commands import classify_lines
    for line in classify_lines(files, open_database().catalog(), format):
        sys.stdout.write(line)


SearchesOption = Annotated[Path, typer.Option(
    "--searches", help="The folder of saved searches (searches/<name>.yaml).", envvar="SKINEVIDENCE_SEARCHES")]


@app.command(epilog=examples("skinevidence update", "skinevidence update exosomes --batch 100",
                             "NCBI_API_KEY=... NCBI_EMAIL=me@example.org skinevidence update"))
def update(names: Annotated[list[str] | None, typer.Argument(
               help="Saved searches to run (default: every one in the searches folder).")] = None,
           searches: SearchesOption = Path("searches"),
           queue: QueueOption = None,
           batch: Annotated[int | None, typer.Option(
               help="PMIDs per EFetch request (1-200; default 200).", min=1, max=200)] = None,
           only_relevant: Annotated[bool, typer.Option(
               "--only-relevant", help="Queue only records about skin that name an intervention or outcome.")] = False,
           format: FormatOption = Format.TEXT) -> None:
    """Re-run saved searches on PubMed (records entered since the last run) and ClinicalTrials.gov; fetch only what
    the review queue does not hold, classify it and queue it. An interrupted run resumes where it stopped.
    NCBI_API_KEY and NCBI_EMAIL are read from the environment."""
    from skinevidence.ingest.commands import run_update
    sys.stdout.write(run_update(searches, open_database().catalog(), queue, options["evidence"], options["db"],
                                names, batch, only_relevant, format))


@app.command(name="search-pubmed", epilog=examples('skinevidence search-pubmed "exosome* AND skin" --limit 50',
                                                  'skinevidence search-pubmed "microneedling AND scar*" --save scars'))
def search_pubmed(query: Annotated[str, typer.Argument(help="A PubMed query, as typed on pubmed.ncbi.nlm.nih.gov.")],
                  since: Annotated[datetime | None, typer.Option(
                      help="Only records entered on or after this day (YYYY-MM-DD).", formats=["%Y-%m-%d"])] = None,
                  limit: Annotated[int, typer.Option(help="Fetch at most this many records.", min=1,
                                                     max=10_000)] = 200,
                  save: Annotated[str | None, typer.Option(
                      help="Keep the query as a saved search of this name for 'skinevidence update'.")] = None,
                  searches: SearchesOption = Path("searches"),
                  queue: QueueOption = None,
                  format: FormatOption = Format.TEXT) -> None:
    """Search PubMed now: fetch what the review queue does not hold yet, classify it and queue it."""
    from skinevidence.ingest.commands import run_search_pubmed
    sys.stdout.write(run_search_pubmed(query, open_database().catalog(), queue, options["evidence"], options["db"],
                                       searches, since.date() if since else None, limit, save, format))
