"""The command line's shared parts: the typer app, the global options, opening the database and printing an answer.

Exit codes: 0 success; 2 usage error; 3 not found (unknown intervention, outcome, study, unmappable question);
4 the evidence files are invalid; 5 unreadable or unusable input; 1 any other error the user can act on;
130 interrupted.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from skinevidence.render import Format, render

app = typer.Typer(
    name="skinevidence", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="What the science really says about a skincare ingredient, treatment or claim: graded and cited.")
db_app = typer.Typer(no_args_is_help=True, help="Validate, build and count the evidence base.")
app.add_typer(db_app, name="db")

options: dict[str, Path | None] = {"evidence": None, "db": None}

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: text, md, html or json.")]


@app.callback()
def _options(
    evidence: Annotated[Optional[Path], typer.Option(
        help="Folder of evidence files to use instead of the bundled base.", envvar="SKINEVIDENCE_EVIDENCE")] = None,
    db: Annotated[Optional[Path], typer.Option(
        help="Where the compiled SQLite database lives (default: a cache file).", envvar="SKINEVIDENCE_DB")] = None,
) -> None:
    """Global options."""
    options["evidence"], options["db"] = evidence, db


def open_database():
    from skinevidence.evidence.database import Database
    return Database.open(options["db"], options["evidence"])


def emit(answer, fmt: Format) -> None:
    color = fmt is Format.TEXT and sys.stdout.isatty()
    width = min(shutil.get_terminal_size((120, 40)).columns, 140) if sys.stdout.isatty() else 120
    sys.stdout.write(render(answer, fmt, color=color, width=width))
    if fmt is Format.JSON:
        sys.stdout.write("\n")
