"""Commands that answer from the evidence: report, compare, ask, list, show."""

from __future__ import annotations

from typing import Annotated

import typer

from skinevidence.cli.app import (
    DetailOption,
    FormatOption,
    JurisdictionOption,
    app,
    emit,
    emit_kept,
    examples,
    open_database,
    reader_jurisdiction,
)
from skinevidence.render import Detail, Format


@app.command(epilog=examples("skinevidence report exosomes", "skinevidence report tretinoin --jurisdiction EU",
                             "skinevidence report exosomes --detail full --format md > exosomes.md",
                             "skinevidence report exosomes --format bibtex > exosomes.bib"))
def report(intervention: Annotated[str, typer.Argument(help="An intervention: id, name, alias or INCI name.")],
           format: FormatOption = Format.TEXT, detail: DetailOption = Detail.SUMMARY,
           jurisdiction: JurisdictionOption = None) -> None:
    """The evidence on one ingredient or treatment: a one-screen answer (bottom line, uses, safety, regulation,
    alternatives, pitfalls, references), or with --detail full every graded cell and reason."""
    where = reader_jurisdiction(jurisdiction)

    def answer(database):
        from skinevidence.answers.report import build_report
        return build_report(database.catalog(), intervention, where)
    emit_kept("report", (intervention, where), answer, format, detail)


@app.command(epilog=examples("skinevidence compare exosomes tretinoin niacinamide peptides",
                             "skinevidence compare retinol tretinoin --outcome wrinkles --format csv > wrinkles.csv"))
def compare(interventions: Annotated[list[str], typer.Argument(help="Two or more interventions.")],
            outcome: Annotated[str | None, typer.Option(
                help="Compare on this outcome (default: the one they all share, if any).")] = None,
            format: FormatOption = Format.TEXT) -> None:
    """Several interventions side by side: certainty, direction, studies, participants, time to results."""
    from skinevidence.answers.compare import compare as build
    if len(interventions) < 2:
        raise typer.BadParameter("name at least two interventions to compare", param_hint="INTERVENTIONS")
    emit(build(open_database().catalog(), interventions, outcome), format)


@app.command(epilog=examples("skinevidence ask \"does niacinamide help redness?\"",
                             "skinevidence ask \"can I use tretinoin while pregnant?\"",
                             "skinevidence ask \"are exosome injections legal in the US?\"",
                             "skinevidence ask \"what works best for melasma?\" --format json"))
def ask(question: Annotated[str, typer.Argument(help="A plain question, e.g. 'does retinol help wrinkles?'")],
        format: FormatOption = Format.TEXT, jurisdiction: JurisdictionOption = None) -> None:
    """Answer a plain question from the matching part of the evidence base: does it work, is it safe, in pregnancy
    or breastfeeding, is it legal where I live, what works best for, X versus Y, how long until results, how to
    use it."""
    from skinevidence.answers.ask import ask as answer
    emit(answer(open_database().catalog(), question, reader_jurisdiction(jurisdiction)), format)


@app.command(name="list", epilog=examples("skinevidence list", "skinevidence list --format csv > interventions.csv"))
def list_(format: FormatOption = Format.TEXT) -> None:
    """Every intervention in the evidence base, with its strongest grade."""
    from skinevidence.answers.listing import list_interventions
    emit(list_interventions(open_database().catalog()), format)


@app.command(epilog=examples("skinevidence show 10.2340/00015555-3666", "skinevidence show 33073298 --format ris"))
def show(study: Annotated[str, typer.Argument(help="A study id, DOI or PMID.")],
         format: FormatOption = Format.TEXT) -> None:
    """One study as it is coded, with its provenance."""
    from skinevidence.answers.listing import show_study
    emit(show_study(open_database().catalog(), study), format)
