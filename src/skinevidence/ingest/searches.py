"""Saved searches and ``update``: a topic's query re-run against PubMed and ClinicalTrials.gov, only what is new
fetched, classified and queued.

A saved search is one YAML file in a searches folder (``searches/<name>.yaml``)::

    query: (exosome* OR "extracellular vesicle*") AND (skin OR hair OR scar*)
    databases: [pubmed, clinicaltrials]
    trials: {condition: skin aging, intervention: exosomes}   # optional; else the registry gets the query
    last_run: 2026-11-30                                      # written by update

``update`` asks PubMed for the records entered since the last run (ESearch on the history server, entry dates from
``last_run`` to today), subtracts every PMID the review queue already holds, remembers the rest in the queue
file, then fetches them in batches (EFetch); each batch's records and the note that its ids are done are committed
together, so a killed run resumes with nothing lost or fetched twice. The registry is asked for studies updated
since the last run. ``last_run`` is written when every database of the search has been read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog
from skinevidence.ingest.ctgov import ClinicalTrials, TrialQuery
from skinevidence.ingest.pubmed import PubMed
from skinevidence.ingest.queue import ReviewQueue
from skinevidence.ingest.records import Citation
from skinevidence.ingest.run import IngestReport, queue_records
from skinevidence.paths import atomic_write, record_path

Database = Literal["pubmed", "clinicaltrials"]
ADHOC = "search-pubmed"  # the name under which a one-off search keeps its unfetched ids


class Trials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    condition: str | None = None
    intervention: str | None = None
    term: str | None = None


class SavedSearch(BaseModel):
    """One topic's search. ``name`` is the file's name; ``last_run`` the day ``update`` last completed it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(exclude=True)
    query: str = Field(min_length=1)
    databases: list[Database] = ["pubmed"]
    trials: Trials | None = None
    last_run: dt.date | None = None

    def trial_query(self) -> TrialQuery:
        if self.trials is not None and (self.trials.condition or self.trials.intervention or self.trials.term):
            return TrialQuery(self.trials.condition, self.trials.intervention, self.trials.term)
        return TrialQuery(term=self.query)


class SearchRun(BaseModel):
    """What one saved search did in one run."""

    name: str
    since: dt.date | None
    until: dt.date
    pubmed_found: int | None = None      # PMIDs in the window
    pubmed_new: int | None = None        # of those, not in the queue yet (or left over by a killed run)
    pubmed_fetched: int = 0              # records EFetch returned
    trials_read: int | None = None       # studies the registry returned
    ingest: IngestReport
    warnings: list[str] = []


class UpdateReport(BaseModel):
    queue: str
    searches: list[SearchRun] = []


def load_search(path: Path) -> SavedSearch:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a saved search is a mapping with at least 'query'")
    try:
        return SavedSearch(**{**data, "name": path.stem})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InputError(f"{path}: {problems}") from None


def load_searches(folder: Path, names: list[str] | None = None) -> list[SavedSearch]:
    """The saved searches in ``folder`` (all, or those named), in name order."""
    folder = Path(folder)
    if names:
        return [load_search(_existing(record_path(folder, name), folder)) for name in names]
    if not folder.is_dir():
        raise InputError(f"no saved searches: {folder} is not a folder (save one with 'skinevidence search-pubmed "
                         "QUERY --save NAME')")
    found = sorted(folder.glob("*.yaml"))
    if not found:
        raise InputError(f"no saved searches in {folder}")
    return [load_search(path) for path in found]


def _existing(path: Path, folder: Path) -> Path:
    if not path.is_file():
        raise InputError(f"no saved search {path.stem!r} in {folder}")
    return path


def save_search(folder: Path, search: SavedSearch) -> Path:
    """Write ``searches/<name>.yaml`` (atomically; the name must be a record id)."""
    folder = Path(folder)
    target = record_path(folder, search.name)
    folder.mkdir(parents=True, exist_ok=True)
    data = search.model_dump(exclude_none=True)
    atomic_write(target, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120))
    return target


def run_search(search: SavedSearch, catalog: Catalog, queue: ReviewQueue, today: dt.date,
               pubmed: PubMed | None = None, trials: ClinicalTrials | None = None,
               only_relevant: bool = False, limit: int | None = None) -> SearchRun:
    """Run one search into ``queue`` (opened writable): new PubMed records, then registry studies."""
    report = IngestReport(files=[], queue=str(queue.path))
    run = SearchRun(name=search.name, since=search.last_run, until=today, ingest=report)
    try:
        if "pubmed" in search.databases:
            _pubmed(search, catalog, queue, today, pubmed or PubMed.from_environment(), run, only_relevant, limit)
        if "clinicaltrials" in search.databases:
            client = trials or ClinicalTrials.from_environment()
            run.trials_read = 0
            for citation in client.studies(search.trial_query(), updated_since=search.last_run):
                run.trials_read += 1
                queue_records([citation], catalog, queue, report, only_relevant)
    finally:
        queue.commit()
    return run


def _pubmed(search: SavedSearch, catalog: Catalog, queue: ReviewQueue, today: dt.date, client: PubMed,
            run: SearchRun, only_relevant: bool, limit: int | None) -> None:
    found = client.search(search.query, mindate=search.last_run, maxdate=today if search.last_run else None,
                          limit=limit)
    run.warnings += found.warnings
    left_over = queue.planned(search.name, "pubmed")
    known = queue.known(found.ids)
    queue.plan(search.name, "pubmed", [i for i in found.ids if i not in known])
    todo = queue.planned(search.name, "pubmed")
    run.pubmed_found, run.pubmed_new = found.count, len(todo)
    if left_over:
        run.warnings.append(f"{len(left_over)} PMID(s) left by an interrupted run are fetched first")
    for start in range(0, len(todo), client.batch):
        batch = todo[start:start + client.batch]
        records = list(client.fetch(batch))  # one batch in memory at most
        returned = {r.pmid for r in records if isinstance(r, Citation)}
        run.pubmed_fetched += len(returned)
        missing = [i for i in batch if i not in returned]
        if missing:
            run.warnings.append(f"PubMed returned no record for {len(missing)} PMID(s): {', '.join(missing[:10])}")
        queue_records(records, catalog, queue, run.ingest, only_relevant)
        queue.done(search.name, "pubmed", batch)
        queue.commit()  # the batch's records and its ids' removal from the plan, together


def update(folder: Path, catalog: Catalog, queue: ReviewQueue, today: dt.date | None = None,
           names: list[str] | None = None, pubmed: PubMed | None = None, trials: ClinicalTrials | None = None,
           only_relevant: bool = False) -> UpdateReport:
    """Re-run saved searches; each search's ``last_run`` is set to today once all its databases are read."""
    today = today or dt.date.today()
    report = UpdateReport(queue=str(queue.path))
    for search in load_searches(folder, names):
        run = run_search(search, catalog, queue, today, pubmed, trials, only_relevant)
        report.searches.append(run)
        save_search(folder, search.model_copy(update={"last_run": today}))
    return report


def search_pubmed(query: str, catalog: Catalog, queue: ReviewQueue, today: dt.date | None = None,
                  since: dt.date | None = None, limit: int | None = 200, save: str | None = None,
                  folder: Path | None = None, pubmed: PubMed | None = None) -> SearchRun:
    """A one-off PubMed search: fetch what is new (at most ``limit`` records), classify and queue it; with ``save``,
    keep it as a saved search in ``folder`` whose next ``update`` starts from today."""
    today = today or dt.date.today()
    search = SavedSearch(name=save or ADHOC, query=query, last_run=since)
    if save is not None:
        if folder is None:
            raise InputError("--save needs a searches folder")
        record_path(Path(folder), save)  # a bad name is refused before anything is fetched
    run = run_search(search, catalog, queue, today, pubmed=pubmed, limit=limit)
    if save is not None and folder is not None:  # a save without a folder was refused above
        save_search(Path(folder), search.model_copy(update={"last_run": today}))
    return run
