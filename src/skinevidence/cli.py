"""The command line: parse arguments, call one library function, render the answer. Nothing else lives here.

Exit codes: 0 success; 2 usage error; 3 not found (unknown intervention, outcome, study, unmappable question);
4 the evidence files are invalid; 5 unreadable or unusable input; 1 any other error the user can act on;
130 interrupted.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from skinevidence.errors import SkinEvidenceError
from skinevidence.render import Format, render

app = typer.Typer(
    name="skinevidence", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="What the science really says about a skincare ingredient, treatment or claim: graded and cited.")
db_app = typer.Typer(no_args_is_help=True, help="Validate, build and count the evidence base.")
app.add_typer(db_app, name="db")

_state: dict[str, Path | None] = {"evidence": None, "db": None}

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: text, md, html or json.")]


@app.callback()
def _options(
    evidence: Annotated[Optional[Path], typer.Option(
        help="Folder of evidence files to use instead of the bundled base.", envvar="SKINEVIDENCE_EVIDENCE")] = None,
    db: Annotated[Optional[Path], typer.Option(
        help="Where the compiled SQLite database lives (default: a cache file).", envvar="SKINEVIDENCE_DB")] = None,
) -> None:
    """Global options."""
    _state["evidence"], _state["db"] = evidence, db


def _database():
    from skinevidence.evidence.database import Database
    return Database.open(_state["db"], _state["evidence"])


def _emit(answer, fmt: Format) -> None:
    color = fmt is Format.TEXT and sys.stdout.isatty()
    width = min(shutil.get_terminal_size((120, 40)).columns, 140) if sys.stdout.isatty() else 120
    sys.stdout.write(render(answer, fmt, color=color, width=width))
    if fmt is Format.JSON:
        sys.stdout.write("\n")


@app.command()
def report(intervention: Annotated[str, typer.Argument(help="An intervention: id, name, alias or INCI name.")],
           format: FormatOption = Format.TEXT) -> None:
    """The graded, cited evidence report for one ingredient or treatment."""
    from skinevidence.answers.report import build_report
    _emit(build_report(_database().catalog(), intervention), format)


@app.command()
def compare(interventions: Annotated[list[str], typer.Argument(help="Two or more interventions.")],
            outcome: Annotated[Optional[str], typer.Option(help="Compare on this outcome only.")] = None,
            format: FormatOption = Format.TEXT) -> None:
    """Several interventions side by side: certainty, direction, studies, participants, time to results."""
    from skinevidence.answers.compare import compare as build
    _emit(build(_database().catalog(), interventions, outcome), format)


@app.command()
def ask(question: Annotated[str, typer.Argument(help="A plain question, e.g. 'does retinol help wrinkles?'")],
        format: FormatOption = Format.TEXT) -> None:
    """Answer a plain question from the graded evidence."""
    from skinevidence.answers.ask import ask as answer
    _emit(answer(_database().catalog(), question), format)


@app.command(name="list")
def list_(format: FormatOption = Format.TEXT) -> None:
    """Every intervention in the evidence base, with its strongest grade."""
    from skinevidence.answers.listing import list_interventions
    _emit(list_interventions(_database().catalog()), format)


@app.command()
def show(study: Annotated[str, typer.Argument(help="A study id, DOI or PMID.")],
         format: FormatOption = Format.TEXT) -> None:
    """One study as it is coded, with its provenance."""
    from skinevidence.answers.listing import show_study
    _emit(show_study(_database().catalog(), study), format)


@app.command()
def check(text: Annotated[Optional[str], typer.Argument(help="The text to check ('-' or nothing: standard input).")] = None,
          file: Annotated[Optional[Path], typer.Option("--file", help="Read the text from a file.")] = None,
          jurisdiction: Annotated[Optional[list[str]], typer.Option(
              "--jurisdiction", "-j", help="Only flags for these jurisdictions (US, EU, KR, CN, TW...).")] = None,
          format: FormatOption = Format.TEXT) -> None:
    """Find the claims in marketing copy, a label or an article and judge each against the evidence and the law."""
    from skinevidence.claims.check import check_text
    from skinevidence.text.input import read_source
    body, name = read_source(text, file)
    _emit(check_text(_database().catalog(), body, source=name,
                     jurisdictions={j.upper() for j in jurisdiction} if jurisdiction else None), format)


@app.command()
def audit(article: Annotated[Optional[Path], typer.Argument(
              help="The article: a text, Markdown or HTML file ('-' or nothing: standard input).")] = None,
          format: FormatOption = Format.TEXT) -> None:
    """Audit an article: every claim, DISCERN, JAMA and HealthNewsReview criteria, spin, commercial signals and
    citations, each with the sentences behind it."""
    from skinevidence.claims.audit import audit_text
    from skinevidence.text.input import read_source
    body, name = read_source(None, article)
    _emit(audit_text(_database().catalog(), body, source=name), format)


@app.command()
def product(name: Annotated[str, typer.Option("--name", help="The product's name.")] = "",
            claims: Annotated[str, typer.Option("--claims", help="The product's claims (marketing text).")] = "",
            inci: Annotated[str, typer.Option("--inci", help="The ingredient (INCI) list, comma-separated.")] = "",
            file: Annotated[Optional[Path], typer.Option(
                "--file", help="A JSON file {\"name\", \"claims\", \"inci\"} ('-': standard input).")] = None,
            format: FormatOption = Format.TEXT) -> None:
    """Check a product: what its ingredients are proven to do, what could explain its claims, what it discloses."""
    from skinevidence.claims.product import check_product, read_product_json
    if file is not None:
        name, claims, inci = read_product_json(file)
    _emit(check_product(_database().catalog(), name, claims, inci), format)


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000) -> None:
    """Serve the web app and the JSON API (/api/v1, /openapi.json) until interrupted."""
    from skinevidence.web import serve as run
    run(_database(), host=host, port=port)


@app.command()
def plot(kind: Annotated[str, typer.Argument(help="map (interventions x outcomes) or pyramid (studies by design).")],
         out: Annotated[Path, typer.Option("--out", "-o", help="The file to write: FILE.svg or FILE.png.")],
         intervention: Annotated[Optional[str], typer.Argument(help="The intervention, for a pyramid.")] = None) -> None:
    """Draw the evidence map or an intervention's design pyramid as SVG or PNG."""
    from skinevidence.web import plot_file
    print(plot_file(_database().catalog(), kind, intervention, out))


@app.command()
def ingest(files: Annotated[list[Path], typer.Argument(
               help="MEDLINE/PubMed XML (.xml, .xml.gz: baseline, update or efetch files), PubMed .nbib/.txt or RIS.")],
           queue: Annotated[Optional[Path], typer.Option(
               help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")] = None,
           only_relevant: Annotated[bool, typer.Option(
               "--only-relevant", help="Queue only records about skin that name an intervention or outcome.")] = False,
           format: FormatOption = Format.TEXT) -> None:
    """Read citation files into the review queue, each record classified with the reason for every value."""
    from skinevidence.ingest.commands import run_ingest
    sys.stdout.write(run_ingest(files, _database().catalog(), queue, _state["evidence"], _state["db"],
                                only_relevant, format))


@app.command()
def review(action: Annotated[str, typer.Argument(help="list | show PMID | accept PMID [--id ID] | reject PMID")],
           pmid: Annotated[Optional[str], typer.Argument(help="The PMID (or DOI) to show, accept or reject.")] = None,
           id: Annotated[Optional[str], typer.Option(
               "--id", help="accept: the study id (default: author-year-words).")] = None,
           queue: Annotated[Optional[Path], typer.Option(
               help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")] = None,
           format: FormatOption = Format.TEXT) -> None:
    """Review ingested records: list the queue, show one with its reasons, accept it into the evidence folder as a
    study file (coded_by: auto, checked by the validator), or reject it (remembered)."""
    from skinevidence.ingest.commands import run_review
    sys.stdout.write(run_review(action, pmid, lambda: _database().catalog(), queue, _state["evidence"], _state["db"],
                                id, format))


@db_app.command()
def validate(format: FormatOption = Format.TEXT) -> None:
    """Check every evidence file; each problem names the file, the record and the field."""
    from skinevidence.evidence.files import bundled_evidence_dir, load_evidence
    folder = _state["evidence"] or bundled_evidence_dir()
    evidence, issues = load_evidence(folder)
    if format is Format.JSON:
        import json
        print(json.dumps([issue.__dict__ for issue in issues], indent=2))
    else:
        for issue in issues:
            print(issue)
        records = len(evidence.studies) + len(evidence.regulation) + len(evidence.safety)
        print(f"{len(issues)} problem(s) in {folder} ({records} records read).", file=sys.stderr)
    if issues:
        raise typer.Exit(4)


@db_app.command()
def build() -> None:
    """Rebuild the SQLite database from the evidence files now (it is also built on first use)."""
    from skinevidence.evidence.database import Database
    database = Database.open(_state["db"], _state["evidence"], rebuild=True)
    counts = database.stats()["records"]
    print(f"Built: {counts['studies']} studies, {counts['findings']} findings, "
          f"{counts['regulatory_facts']} regulatory facts, {counts['safety_signals']} safety signals.")


@db_app.command()
def stats(format: FormatOption = Format.TEXT) -> None:
    """Counts: records, human studies by design, route and EV source, facts by jurisdiction."""
    from skinevidence.answers.listing import Stats
    _emit(Stats(counts=_database().stats()), format)


def main() -> None:
    """Entry point: domain errors become one clear message on stderr and an exit code, never a traceback."""
    try:
        code = app(standalone_mode=False)  # click returns a typer.Exit's code here instead of raising it
    except SkinEvidenceError as exc:
        print(f"skinevidence: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("skinevidence: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Abort:
        print("skinevidence: aborted", file=sys.stderr)
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: typer's (bundled) click exceptions
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    _finish(code if isinstance(code, int) else 0)


def _finish(code: int) -> None:
    """Flush and leave without tearing down every object the answer was built from (tens of thousands of records):
    the output is complete and nothing is left to clean up, since the database is opened read-only."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)
