"""The command line's shared parts: the typer app, the global options, opening the database and printing an answer.

Exit codes: 0 success; 2 usage error; 3 not found (unknown intervention, outcome, study, unmappable question);
4 the evidence files are invalid; 5 unreadable or unusable input; 1 any other error the user can act on;
130 interrupted.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypedDict

import typer

from skinevidence import __version__
from skinevidence.render import Detail, Format, render

if TYPE_CHECKING:
    from pydantic import BaseModel

    from skinevidence.evidence.database import Database

# rich_markup_mode=None: help is click's plain text (fast, no rich import); "\b" keeps an example block as written
app = typer.Typer(
    name="skinevidence", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="What the science really says about a skincare ingredient, treatment or claim: graded and cited.",
    epilog=("\b\nExamples:\n  skinevidence report exosomes\n  skinevidence ask \"is tretinoin safe in pregnancy?\"\n"
            "  skinevidence compare retinol tretinoin --outcome wrinkles\n  skinevidence --version"))
db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Validate, build and count the evidence base.",
                     epilog="\b\nExamples:\n  skinevidence db validate\n  skinevidence db stats --format json")
app.add_typer(db_app, name="db")



class Options(TypedDict):
    """The global options, set by the callback before any command runs."""

    evidence: Path | None
    db: Path | None
    color: bool


options: Options = {"evidence": None, "db": None, "color": True}

FormatOption = Annotated[Format, typer.Option(
    "--format", "-f", help="Output format: text, md, html, json; csv for a table; bibtex or ris for references.")]
DetailOption = Annotated[Detail, typer.Option(
    "--detail", "-d", help="summary: the one-screen answer; full: every graded cell, reason and reference "
                           "(text, md and html; json always has everything).")]
JurisdictionOption = Annotated[str | None, typer.Option(
    "--jurisdiction", "-j", help="Where you live, for the regulation section: US, EU, UK, KR, CN, TW, JP, AU or CA "
                                 "(default: from the locale, else US).")]


def examples(*lines: str) -> str:
    """A command's help epilog: its examples, kept as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def reader_jurisdiction(chosen: str | None) -> str:
    """--jurisdiction checked (a usage error when unknown), else the locale's, else US."""
    from skinevidence.answers.jurisdiction import jurisdiction
    from skinevidence.errors import InputError
    try:
        return jurisdiction(chosen, os.environ)
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--jurisdiction") from None


def _version(value: bool) -> None:
    if value:
        print(f"skinevidence {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    evidence: Annotated[Path | None, typer.Option(
        help="Folder of evidence files to use instead of the bundled base.", envvar="SKINEVIDENCE_EVIDENCE")] = None,
    db: Annotated[Path | None, typer.Option(
        help="Where the compiled SQLite database lives (default: a cache file).", envvar="SKINEVIDENCE_DB")] = None,
    no_color: Annotated[bool, typer.Option(
        "--no-color", help="No colour in terminal output (also when NO_COLOR is set).")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_version, is_eager=True)] = False,
) -> None:
    """Global options."""
    options["evidence"], options["db"], options["color"] = evidence, db, not no_color


def open_database():
    from skinevidence.evidence.database import Database
    return Database.open(options["db"], options["evidence"])


def use_color() -> bool:
    """Colour only on a terminal, never with --no-color, NO_COLOR set (https://no-color.org) or TERM=dumb."""
    return (bool(options["color"]) and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def width() -> int:
    """COLUMNS when set, else the terminal's width, else 100; kept between 40 and 160 columns."""
    return max(40, min(shutil.get_terminal_size((100, 40)).columns, 160))


def emit(answer, fmt: Format, detail: Detail = Detail.SUMMARY) -> None:
    sys.stdout.write(render(answer, fmt, color=fmt is Format.TEXT and use_color(), width=width(), detail=detail))
    if fmt is Format.JSON:
        sys.stdout.write("\n")


def emit_kept(kind: str, question: tuple[str, ...], answer: Callable[[Database], BaseModel | list], fmt: Format,
              detail: Detail = Detail.SUMMARY) -> None:
    """Print ``answer(database)`` as :func:`emit` does, and keep the printed text in the database under the question
    and everything else the text depends on (format, detail, width, colour); the same command run again prints the
    kept text without loading, grading or rendering anything. A kept text goes with a new build of the evidence
    base or any change to the code (``Database.kept_answer``)."""
    database = open_database()
    color, columns = fmt is Format.TEXT and use_color(), width()
    key = "\n".join([*question, fmt.value, detail.value, str(columns), str(color)])
    text = database.kept_answer(kind, key)
    if text is None:
        text = render(answer(database), fmt, color=color, width=columns, detail=detail)
        text += "\n" if fmt is Format.JSON else ""
        database.keep_answer(kind, key, text)
    sys.stdout.write(text)
