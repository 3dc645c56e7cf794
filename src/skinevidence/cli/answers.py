"""Commands that answer from the evidence: report, compare, ask, list, show."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from skinevidence.cli.app import FormatOption, app, emit, open_database
from skinevidence.render import Format


@app.command()
def report(intervention: Annotated[str, typer.Argument(help="An intervention: id, name, alias or INCI name.")],
           format: FormatOption = Format.TEXT) -> None:
    """The graded, cited evidence report for one ingredient or treatment."""
    from skinevidence.answers.report import build_report
    emit(build_report(open_database().catalog(), intervention), format)


@app.command()
def compare(interventions: Annotated[list[str], typer.Argument(help="Two or more interventions.")],
            outcome: Annotated[Optional[str], typer.Option(help="Compare on this outcome only.")] = None,
            format: FormatOption = Format.TEXT) -> None:
    """Several interventions side by side: certainty, direction, studies, participants, time to results."""
    from skinevidence.answers.compare import compare as build
    emit(build(open_database().catalog(), interventions, outcome), format)


@app.command()
def ask(question: Annotated[str, typer.Argument(help="A plain question, e.g. 'does retinol help wrinkles?'")],
        format: FormatOption = Format.TEXT) -> None:
    """Answer a plain question from the graded evidence."""
    from skinevidence.answers.ask import ask as answer
    emit(answer(open_database().catalog(), question), format)


@app.command(name="list")
def list_(format: FormatOption = Format.TEXT) -> None:
    """Every intervention in the evidence base, with its strongest grade."""
    from skinevidence.answers.listing import list_interventions
    emit(list_interventions(open_database().catalog()), format)


@app.command()
def show(study: Annotated[str, typer.Argument(help="A study id, DOI or PMID.")],
         format: FormatOption = Format.TEXT) -> None:
    """One study as it is coded, with its provenance."""
    from skinevidence.answers.listing import show_study
    emit(show_study(open_database().catalog(), study), format)
