"""Commands that judge a text or a product: check, audit, product."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import FormatOption, app, emit, examples, open_database
from skinevidence.render import Format


@app.command(epilog=examples(
    "skinevidence check \"Our exosome serum is clinically proven to boost collagen in 7 days\"",
    "skinevidence check --file label.txt -j US -j EU", "cat copy.txt | skinevidence check --format csv > claims.csv"))
def check(text: Annotated[str | None, typer.Argument(help="The text to check ('-' or nothing: standard input).")] = None,
          file: Annotated[Path | None, typer.Option("--file", help="Read the text from a file.")] = None,
          jurisdiction: Annotated[list[str] | None, typer.Option(
              "--jurisdiction", "-j", help="Only flags for these jurisdictions (US, EU, KR, CN, TW...).")] = None,
          format: FormatOption = Format.TEXT) -> None:
    """Find the claims in marketing copy, a label or an article and judge each against the evidence and the law."""
    from skinevidence.claims.check import check_text
    from skinevidence.text.input import read_source
    body, name = read_source(text, file)
    jurisdictions = {j.upper() for j in jurisdiction} if jurisdiction else None
    if format is Format.JSON:  # written claim by claim: memory stays flat however long the text
        from skinevidence.claims.check import CheckStream
        from skinevidence.claims.reading import text_reader
        from skinevidence.render.stream import check_json
        catalog = open_database().catalog()
        check_json(CheckStream(catalog, body, text_reader(catalog, body), name, jurisdictions=jurisdictions),
                   sys.stdout)
        sys.stdout.write("\n")
        return
    emit(check_text(open_database().catalog(), body, source=name, jurisdictions=jurisdictions), format)


@app.command(epilog=examples("skinevidence audit article.html", "skinevidence audit article.md --format md > audit.md"))
def audit(article: Annotated[Path | None, typer.Argument(
              help="The article: a text, Markdown or HTML file ('-' or nothing: standard input).")] = None,
          format: FormatOption = Format.TEXT) -> None:
    """Audit an article: every claim, DISCERN, JAMA and HealthNewsReview criteria, spin, commercial signals and
    citations, each with the sentences behind it."""
    from skinevidence.claims.audit import audit_text
    from skinevidence.text.input import read_source
    body, name = read_source(None, article)
    if format is Format.JSON:  # written claim by claim: memory stays flat however long the article
        from skinevidence.claims.audit import AuditStream
        from skinevidence.render.stream import audit_json
        audit_json(AuditStream(open_database().catalog(), body, source=name), sys.stdout)
        sys.stdout.write("\n")
        return
    emit(audit_text(open_database().catalog(), body, source=name), format)


@app.command(epilog=examples(
    "skinevidence product --name \"Exosome serum\" --claims \"Stimulates collagen\" --inci \"Aqua, Niacinamide\"",
    "skinevidence product --file product.json --format json"))
def product(name: Annotated[str, typer.Option("--name", help="The product's name.")] = "",
            claims: Annotated[str, typer.Option("--claims", help="The product's claims (marketing text).")] = "",
            inci: Annotated[str, typer.Option("--inci", help="The ingredient (INCI) list, comma-separated.")] = "",
            file: Annotated[Path | None, typer.Option(
                "--file", help="A JSON file {\"name\", \"claims\", \"inci\"} ('-': standard input).")] = None,
            format: FormatOption = Format.TEXT) -> None:
    """Check a product: what its ingredients are proven to do, what could explain its claims, what it discloses."""
    from skinevidence.claims.product import check_product, read_product_json
    ingredients: str | list[str] = inci
    if file is not None:
        name, claims, ingredients = read_product_json(file)
    emit(check_product(open_database().catalog(), name, claims, ingredients), format)
