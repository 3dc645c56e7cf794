"""The review queue: ingested records waiting for a person to accept or reject them.

It is a small SQLite file kept outside the evidence folder (rebuilding the database never touches it): one row per
record key (a PMID, ``doi:...`` for exports without one, or a trial registry number) with its state (queued,
accepted, rejected), the record as read, the few fields ``review list`` shows, and the columns the queue is sorted
by (relevant first, then design strength, then recency). A second table holds the ids an ``update`` found but has
not fetched yet, so that a killed run resumes where it stopped. Writes are committed in batches: an interrupted run
loses at most the batch in flight, and every committed record stands. Memory stays flat however many records the
queue holds: nothing is indexed in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Self

from skinevidence.answers.evidence_map import LEVELS
from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.database import default_database_path
from skinevidence.evidence.models import Design
from skinevidence.ingest.records import Citation

try:  # POSIX advisory locking: one writer at a time; elsewhere SQLite's own locking is all there is
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # the module, or None where there is no POSIX locking

QUEUED, ACCEPTED, REJECTED = "queued", "accepted", "rejected"
STATES = (QUEUED, ACCEPTED, REJECTED)
FORMAT_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  key TEXT PRIMARY KEY, state TEXT NOT NULL, fingerprint TEXT, relevant INTEGER NOT NULL, strength INTEGER NOT NULL,
  year INTEGER, summary TEXT NOT NULL, citation TEXT NOT NULL, study_id TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_order ON records (state, relevant DESC, strength, year DESC, key);
CREATE TABLE IF NOT EXISTS pending (
  search TEXT NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (search, source, id));
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_queue_path(evidence_dir: Path, db_path: Path | None = None) -> Path:
    """Beside the database cache of that evidence folder: ``<database>.review-queue.sqlite``."""
    database = Path(db_path) if db_path else default_database_path(Path(evidence_dir))
    return database.with_name(database.stem + ".review-queue.sqlite")


#: The queue's order of designs: the evidence pyramid, with guidelines and reviews without a systematic search
#: after case reports and before animal and cell work; an undetermined design sorts last.
REVIEW_ORDER = (*LEVELS[:-2], Design.GUIDELINE, Design.NARRATIVE_REVIEW, *LEVELS[-2:])


def strength(design: str | None) -> int:
    """Where a design sorts in the queue: 0 for a meta-analysis, then down :data:`REVIEW_ORDER`."""
    return next((rank for rank, level in enumerate(REVIEW_ORDER) if level.value == design), len(REVIEW_ORDER))


@dataclass
class Entry:
    """What the queue knows about one key."""

    key: str
    state: str
    fingerprint: str | None
    summary: dict
    study_id: str | None = None
    at: str | None = None


class ReviewQueue:
    """Open with :meth:`open` (reading) or as a context manager with ``writable=True`` (one writer at a time)."""

    def __init__(self, path: Path, writable: bool = False):
        self.path = Path(path)
        self.writable = writable
        self._lock: IO[bytes] | None = None
        self._pending = 0
        self._stamp: str | None = None  # one timestamp per batch of writes
        try:
            if writable:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._take_lock()
                self._db = sqlite3.connect(self.path)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(FORMAT_VERSION),))
                self._db.commit()
            elif self.path.exists():
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self._db = sqlite3.connect(":memory:")
                self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            self._release()
            raise InputError(f"{self.path}: not a review queue ({exc}); move the file away to start a new "
                             "queue") from None
        except OSError as exc:
            self._release()
            raise SkinEvidenceError(f"cannot open the review queue {self.path}: {exc.strerror}") from None

    def _take_lock(self) -> None:
        self._lock = open(self.path.with_name(self.path.name + ".lock"), "a+b")  # noqa: SIM115 - held until close
        if fcntl is not None:
            try:
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._release()
                raise SkinEvidenceError(f"the review queue {self.path} is in use by another skinevidence process; "
                                        "try again when it has finished") from None

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing releases the lock
            self._lock = None

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is not None and row[0] != str(FORMAT_VERSION):
            raise InputError(f"{self.path}: a review queue of format {row[0]}, not {FORMAT_VERSION}")

    @classmethod
    def open(cls, path: Path, writable: bool = False) -> ReviewQueue:
        return cls(path, writable)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self.writable:
                self.commit()
            self._db.close()
        finally:
            self._release()

    # reading --------------------------------------------------------------------------------------------------
    def get(self, key: str) -> Entry | None:
        row = self._db.execute("SELECT key, state, fingerprint, summary, study_id, at FROM records WHERE key = ?",
                               (key,)).fetchone()
        return _entry(row) if row else None

    def state(self, key: str) -> str | None:
        row = self._db.execute("SELECT state FROM records WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def known(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` the queue already holds, in any state."""
        keys = list(keys)
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(f"SELECT key FROM records WHERE key IN ({marks})", chunk))
        return found

    def citation(self, key: str) -> Citation:
        """The record as it was queued."""
        row = self._db.execute("SELECT citation FROM records WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise SkinEvidenceError(f"{key} has no record in the review queue {self.path}")
        return Citation.from_dict(json.loads(row[0]))

    def summary(self, key: str) -> dict:
        """The few fields ``review list`` shows, stored beside the record."""
        entry = self.get(key)
        return entry.summary if entry else {}

    def items(self, state: str | None = None, only_relevant: bool = False) -> Iterator[Entry]:
        """Entries in review order: relevant first, then by design strength, then the most recent."""
        where, args = [], []
        if state is not None:
            where.append("state = ?")
            args.append(state)
        if only_relevant:
            where.append("relevant = 1")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._db.execute(f"SELECT key, state, fingerprint, summary, study_id, at FROM records {clause} "
                                "ORDER BY relevant DESC, strength, year DESC, key", args)
        return (_entry(row) for row in rows)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        for state, number in self._db.execute("SELECT state, count(*) FROM records GROUP BY state"):
            counts[state] = number
        return counts

    # writing --------------------------------------------------------------------------------------------------
    def _write(self, sql: str, args: tuple | list) -> sqlite3.Cursor:
        if not self.writable:
            raise SkinEvidenceError("the review queue was opened read-only")
        self._pending += 1
        return self._db.execute(sql, args)

    def add(self, citation: Citation, summary: dict) -> None:
        """Queue a record (or replace the queued version of it)."""
        key = citation.key
        if key is None:
            raise SkinEvidenceError("a record without a PMID, DOI or registry number cannot be queued")
        self._write("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                    (key, QUEUED, citation.fingerprint(), int(bool(summary.get("relevant"))),
                     strength(summary.get("design")), citation.year, json.dumps(summary, ensure_ascii=False),
                     json.dumps(citation.to_dict(), ensure_ascii=False), self._time()))

    def remove(self, key: str) -> bool:
        """PubMed deleted the record: drop it if it is still queued. True when something was removed."""
        return self._write("DELETE FROM records WHERE key = ? AND state = ?", (key, QUEUED)).rowcount > 0

    def accept(self, key: str, study_id: str) -> None:
        self._decide(key, ACCEPTED, study_id)

    def reject(self, key: str) -> None:
        self._decide(key, REJECTED, None)

    def _decide(self, key: str, state: str, study_id: str | None) -> None:
        if self._write("UPDATE records SET state = ?, study_id = ?, at = ? WHERE key = ?",
                       (state, study_id, self._time(), key)).rowcount == 0:
            raise SkinEvidenceError(f"{key} has no record in the review queue {self.path}")
        self.commit()

    def commit(self) -> None:
        """Make what was written since the last commit durable."""
        self._stamp = None
        if self.writable and self._pending:
            self._db.commit()
            self._pending = 0

    def _time(self) -> str:
        if self._stamp is None:
            self._stamp = _now()
        return self._stamp

    @property
    def pending(self) -> int:
        return self._pending

    # ids found by an update and not fetched yet ---------------------------------------------------------------
    def plan(self, search: str, source: str, ids: Iterable[str]) -> None:
        """Remember ids to fetch for a saved search (committed at once: a killed run finds them again)."""
        start = self._db.execute("SELECT coalesce(max(position), 0) FROM pending WHERE search = ? AND source = ?",
                                 (search, source)).fetchone()[0]
        if not self.writable:
            raise SkinEvidenceError("the review queue was opened read-only")
        self._pending += 1
        self._db.executemany("INSERT OR IGNORE INTO pending VALUES (?, ?, ?, ?)",
                             [(search, source, i, start + n) for n, i in enumerate(ids, 1)])
        self.commit()

    def planned(self, search: str, source: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM pending WHERE search = ? AND source = ? "
                                               "ORDER BY position", (search, source))]

    def done(self, search: str, source: str, ids: Iterable[str]) -> None:
        """Ids fetched and queued: committed together with the records they brought."""
        for i in ids:
            self._write("DELETE FROM pending WHERE search = ? AND source = ? AND id = ?", (search, source, i))


def _entry(row) -> Entry:
    key, state, fingerprint, summary, study_id, at = row
    return Entry(key, state, fingerprint, json.loads(summary), study_id, at)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
