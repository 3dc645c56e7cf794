"""What the two command-line functions call: argument checks, the progress bar, and text or JSON output.
The work itself is in :mod:`.run` and :mod:`.review`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.files import bundled_evidence_dir
from skinevidence.evidence.models import Design, Direction, Population
from skinevidence.ingest.accept import Curation
from skinevidence.ingest.classify import classification_row, classify
from skinevidence.ingest.edit import edit_finding
from skinevidence.ingest.queue import ReviewQueue, default_queue_path
from skinevidence.ingest.read import read_citations
from skinevidence.ingest.records import Deletion
from skinevidence.ingest.review import (
    accept_record,
    format_decision,
    format_listing,
    format_record,
    list_queue,
    reject_record,
    show_record,
)
from skinevidence.ingest.run import IngestReport, ingest_files
from skinevidence.ingest.searches import SearchRun, UpdateReport, search_pubmed, update
from skinevidence.text.input import check_input

PROGRESS_MIN_BYTES = 2 * 1024 * 1024  # files smaller than this finish before a bar is worth drawing


class ReviewAction(StrEnum):
    LIST = "list"
    SHOW = "show"
    ACCEPT = "accept"
    REJECT = "reject"
    EDIT = "edit"


def _json(fmt) -> bool:
    value = getattr(fmt, "value", fmt)
    if value not in ("text", "json"):
        raise InputError(f"ingest and review print text or json, not {value!r}")
    return value == "json"


def queue_path(queue: Path | None, evidence: Path | None, db: Path | None) -> Path:
    return Path(queue) if queue else default_queue_path(Path(evidence) if evidence else bundled_evidence_dir(), db)


@contextmanager
def _progress_bar(paths: list[Path]):
    """A rich progress bar on standard error, for long files and only on a terminal."""
    sizes = [p.stat().st_size if p.is_file() else 0 for p in paths]
    if not sys.stderr.isatty() or max(sizes, default=0) < PROGRESS_MIN_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(Path(name).name, total=total or None)
            progress.update(tasks[name], completed=done)
        yield update


def run_ingest(files: list[Path], catalog: Catalog, queue: Path | None, evidence: Path | None, db: Path | None,
               only_relevant: bool = False, fmt: str = "text") -> str:
    json = _json(fmt)
    if not files:
        raise InputError("no file given: name one or more MEDLINE/PubMed XML, .nbib or RIS files")
    path = queue_path(queue, evidence, db)
    with ReviewQueue(path, writable=True) as review_queue, _progress_bar(list(files)) as progress:
        report = ingest_files(files, catalog, review_queue, only_relevant=only_relevant, progress=progress)
    return report.model_dump_json(indent=2) + "\n" if json else format_report(report)


def classify_lines(files: list[Path], catalog: Catalog, fmt: str = "jsonl") -> Iterator[str]:
    """One line per record of ``files``: JSON (the stable way to evaluate the classifier) or a text row."""
    import json as json_module
    if fmt not in ("jsonl", "text"):
        raise InputError(f"classify prints jsonl or text, not {fmt!r}")
    if not files:
        raise InputError("no file given: name one or more MEDLINE/PubMed XML, .nbib or RIS files")
    for path in files:
        check_input(Path(path))
    for path in files:
        for record in read_citations(path):
            if isinstance(record, Deletion):
                continue
            row = classification_row(record, classify(record, catalog))
            if fmt == "jsonl":
                yield json_module.dumps(row, ensure_ascii=False) + "\n"
            else:
                yield (f"{row['pmid'] or row['key'] or '?':>10}  {row['design'] or 'design ?':<25} "
                       f"{row['population'] or '?':<7} {row['confidence'] if row['confidence'] is not None else '':<5} "
                       f"{'relevant' if row['relevant'] else '':<8}  {row['why']['design'][:90]}\n")


def run_update(folder: Path, catalog: Catalog, queue: Path | None, evidence: Path | None, db: Path | None,
               names: list[str] | None = None, batch: int | None = None, only_relevant: bool = False,
               fmt: str = "text") -> str:
    from skinevidence.ingest.pubmed import PubMed
    json = _json(fmt)
    pubmed = PubMed.from_environment(**({"batch": batch} if batch else {}))
    with ReviewQueue(queue_path(queue, evidence, db), writable=True) as review_queue:
        report = update(folder, catalog, review_queue, names=names or None, pubmed=pubmed, only_relevant=only_relevant)
    return report.model_dump_json(indent=2) + "\n" if json else format_update(report)


def run_search_pubmed(query: str, catalog: Catalog, queue: Path | None, evidence: Path | None, db: Path | None,
                      folder: Path, since=None, limit: int | None = 200, save: str | None = None,
                      fmt: str = "text") -> str:
    json = _json(fmt)
    with ReviewQueue(queue_path(queue, evidence, db), writable=True) as review_queue:
        run = search_pubmed(query, catalog, review_queue, since=since, limit=limit, save=save, folder=folder)
    if json:
        return run.model_dump_json(indent=2) + "\n"
    saved = f"saved as {Path(folder) / (save + '.yaml')}; 'skinevidence update' re-runs it\n" if save else ""
    return format_search(run) + saved


def format_update(report: UpdateReport) -> str:
    if not report.searches:
        return "No saved search was run.\n"
    return "".join(format_search(run) for run in report.searches)


def format_search(run: SearchRun) -> str:
    window = f"entered {run.since.isoformat()} to {run.until.isoformat()}" if run.since else "all dates"
    lines = [f"{run.name} ({window}):"]
    if run.pubmed_found is not None:
        lines.append(f"  PubMed: {run.pubmed_found} found, {run.pubmed_new} new, {run.pubmed_fetched} fetched")
    if run.trials_read is not None:
        lines.append(f"  ClinicalTrials.gov: {run.trials_read} studies read")
    lines += ["  " + line for line in format_report(run.ingest, files=False).splitlines()]
    lines += [f"  note: {w}" for w in run.warnings]
    return "\n".join(lines) + "\n"


def format_report(report: IngestReport, files: bool = True) -> str:
    rows = [
        ("read", report.read, "records in " + (f"{len(report.files)} files" if len(report.files) != 1
                                               else report.files[0])),
        ("skipped", report.skipped, "already queued, accepted or rejected"),
        ("deleted", report.deleted, f"deletion notices ({report.removed} queued record(s) removed)"),
        ("queued", report.queued, "new in the queue" + (f" ({report.updated} updated to a newer version)"
                                                         if report.updated else "")),
        ("relevant", report.relevant, "about skin, naming an intervention or outcome of the vocabulary"
         + (f"; {report.left_out} others left out (--only-relevant)" if report.left_out else "")),
    ]
    if not files:
        rows[0] = ("read", report.read, "records")
    if report.retracted:
        rows.append(("retracted", report.retracted, "marked retracted by PubMed: flagged, never graded"))
    if report.unidentified:
        rows.append(("no id", report.unidentified, "records with neither a PMID nor a DOI, not queued"))
    lines = [f"{name:<9}{count:>9}  {note}" for name, count, note in rows]
    lines += [f"warning: {w}" for w in report.warnings]
    if files:
        lines.append(f"queue: {report.queue} ('skinevidence review list')")
    if report.interrupted:
        lines.append(f"interrupted after {report.read} records: everything read so far is in the queue; run the "
                     "same command again to resume (records already queued are skipped, none is queued twice)")
    return "\n".join(lines) + "\n"


def curation_from(design: str | None, population: str | None, interventions: list[str] | None,
                  outcomes: list[str] | None) -> Curation:
    """The accept options, checked: an unknown design or population is a usage error."""
    import typer
    try:
        return Curation(Design(design) if design else None, Population(population) if population else None,
                        tuple(interventions or ()), tuple(outcomes or ()))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--design' or '--population'") from None


def run_review(action: str, key: str | None, catalog_factory, queue: Path | None, evidence: Path | None,
               db: Path | None, study_id: str | None = None, fmt: str = "text", curation: Curation | None = None,
               finding: int | None = None, direction: str | None = None, effect: str | None = None,
               only_relevant: bool = False) -> str:
    """Dispatch one review verb. ``catalog_factory`` is only called when the verb needs the vocabulary."""
    json = _json(fmt)
    import typer  # wrong or missing arguments are usage errors: exit code 2, like any other bad argument
    try:
        action = ReviewAction(action)
    except ValueError:
        raise typer.BadParameter(f"{action!r} is not one of {', '.join(a.value for a in ReviewAction)}",
                                 param_hint="'ACTION'") from None
    if action is not ReviewAction.LIST and not key:
        what = "a study id" if action is ReviewAction.EDIT else "a PMID (or a DOI or NCT number)"
        raise typer.BadParameter(f"'review {action.value}' needs {what}", param_hint="'PMID'")
    curation = curation or Curation()
    if (study_id is not None or curation != Curation()) and action is not ReviewAction.ACCEPT:
        raise typer.BadParameter("--id, --design, --population, --intervention and --outcome are for 'review accept'",
                                 param_hint="'--id'")
    if (finding is not None or direction is not None or effect is not None) and action is not ReviewAction.EDIT:
        raise typer.BadParameter("--finding, --direction and --effect are for 'review edit'", param_hint="'--finding'")
    path = queue_path(queue, evidence, db)
    folder = Path(evidence) if evidence else bundled_evidence_dir()
    key = key or ""  # given for every verb but list (checked above)
    answer: Any  # the verb's result model, shown by its own formatter
    text: Callable[[Any], str]
    if action is ReviewAction.LIST:
        answer, text = list_queue(path, only_relevant=only_relevant), format_listing
    elif action is ReviewAction.SHOW:
        answer, text = show_record(path, key, catalog_factory()), format_record
    elif action is ReviewAction.ACCEPT:
        answer, text = accept_record(path, key, folder, study_id, curation=curation), format_decision
    elif action is ReviewAction.EDIT:
        try:
            chosen = Direction(direction) if direction is not None else None
        except ValueError:
            raise typer.BadParameter(f"{direction!r} is not one of {', '.join(d.value for d in Direction)}",
                                     param_hint="'--direction'") from None
        answer, text = edit_finding(folder, key, finding or 1, chosen, effect), format_edit
    else:
        answer, text = reject_record(path, key), format_decision
    return answer.model_dump_json(indent=2) + "\n" if json else text(answer)


def format_edit(edit) -> str:
    kept = "" if edit.comments_kept else " (the file was rewritten from its content: its comments are gone)"
    return (f"{edit.study_id}, finding {edit.finding} ({edit.intervention} x {edit.outcome}): direction "
            f"{edit.direction}, effect {edit.effect or 'not set'}{kept}\n{edit.path}\n"
            "Grades are recomputed on the next command.\n")
