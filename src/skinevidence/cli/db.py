"""The evidence base itself: db validate, db build, db stats."""

from __future__ import annotations

import sys

import typer

from skinevidence.cli.app import FormatOption, db_app, emit, examples, open_database, options
from skinevidence.render import Format


@db_app.command(epilog=examples("skinevidence db validate", "skinevidence --evidence ./evidence db validate --format json"))
def validate(format: FormatOption = Format.TEXT) -> None:
    """Check every evidence file; each problem names the file, the record and the field.

    Errors (exit code 4) make a file unusable; warnings (printed after them, exit code 0) flag records worth a
    second look, such as a study with a PMID or DOI but no authors."""
    from skinevidence.evidence.files import bundled_evidence_dir, citation_warnings, load_evidence
    folder = options["evidence"] or bundled_evidence_dir()
    evidence, issues = load_evidence(folder)
    warnings = list(citation_warnings(evidence))
    if format is Format.JSON:
        import json
        items = [{**issue.__dict__, "severity": "error"} for issue in issues]
        items += [{**warning.__dict__, "severity": "warning"} for warning in warnings]
        print(json.dumps(items, indent=2))
    else:
        for issue in issues:
            print(issue)
        for warning in warnings:
            print(f"warning: {warning}")
        records = len(evidence.studies) + len(evidence.regulation) + len(evidence.safety)
        print(f"{len(issues)} problem(s) and {len(warnings)} warning(s) in {folder} ({records} records read).",
              file=sys.stderr)
    if issues:
        raise typer.Exit(4)


@db_app.command(epilog=examples("skinevidence db build", "skinevidence --db /tmp/evidence.sqlite db build"))
def build() -> None:
    """Rebuild the SQLite database from the evidence files now (it is also built on first use)."""
    from skinevidence.evidence.database import Database
    database = Database.open(options["db"], options["evidence"], rebuild=True)
    counts = database.stats()["records"]
    print(f"Built: {counts['studies']} studies, {counts['findings']} findings, "
          f"{counts['regulatory_facts']} regulatory facts, {counts['safety_signals']} safety signals.")


@db_app.command(epilog=examples("skinevidence db stats", "skinevidence db stats --format json"))
def stats(format: FormatOption = Format.TEXT) -> None:
    """Counts: records, human studies by design, route and EV source, facts by jurisdiction."""
    from skinevidence.answers.listing import Stats
    emit(Stats(counts=open_database().stats()), format)
