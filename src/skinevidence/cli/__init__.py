"""The command line: parse arguments, call one library function, render the answer. Nothing else lives here.
Each module registers one group of commands on the app defined in ``app``.

Layer 7, the top: may import every layer below; nothing imports it.

Exit codes: 0 success; 2 usage error; 3 not found (unknown intervention, outcome, study, unmappable question);
4 the evidence files are invalid; 5 unreadable or unusable input; 1 any other error the user can act on;
130 interrupted.
"""

from __future__ import annotations

import os
import sys

import typer

from skinevidence.cli import answers, claims, db, ingest, screen, web  # noqa: F401  (each registers its commands)
from skinevidence.cli.app import app
from skinevidence.errors import SkinEvidenceError


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
        show = getattr(exc, "show", None)  # the click ones print usage and message; the base class has only a message
        if show is not None:
            show()
        else:
            print(f"skinevidence: {exc.format_message()}", file=sys.stderr)
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
