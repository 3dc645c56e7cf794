"""Commands that bring new records in: ingest, review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import FormatOption, app, examples, open_database, options
from skinevidence.render import Format


@app.command(epilog=examples("skinevidence ingest pubmed-29768149.xml", "skinevidence ingest medline16n0902.xml.gz "
                             "--only-relevant", "skinevidence ingest citations.ris records.nbib"))
def ingest(files: Annotated[list[Path], typer.Argument(
               help="MEDLINE/PubMed XML (.xml, .xml.gz: baseline, update or efetch files), PubMed .nbib/.txt or RIS.")],
           queue: Annotated[Path | None, typer.Option(
               help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")] = None,
           only_relevant: Annotated[bool, typer.Option(
               "--only-relevant", help="Queue only records about skin that name an intervention or outcome.")] = False,
           format: FormatOption = Format.TEXT) -> None:
    """Read citation files into the review queue, each record classified with the reason for every value."""
    from skinevidence.ingest.commands import run_ingest
    output = run_ingest(files, open_database().catalog(), queue, options["evidence"], options["db"],
                        only_relevant, format)
    sys.stdout.write(output)
    if "interrupted after" in output or '"interrupted": true' in output:
        raise typer.Exit(130)  # interrupted: the summary above says how far it got and how to resume


@app.command(epilog=examples("skinevidence review list", "skinevidence review show 29768149",
                             "skinevidence review accept 29768149 --id kwon-2020-exosomes-acne-scars",
                             "skinevidence review reject 29768149"))
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
