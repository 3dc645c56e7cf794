"""The review queue: ingested citations waiting for a person to accept or reject them.

It is a JSON Lines log kept outside the evidence folder (rebuilding the database never touches it), one event per
line: ``queue`` (a record and its summary), ``remove`` (PubMed deleted the PMID), ``accept`` and ``reject``. The
state is the log replayed. Writes are append-only and fsynced per batch, under an exclusive lock, so an
interrupted run loses at most the batch in flight: a torn last line is ignored when read and cut off before the
next write, and every earlier line stands. Rejected and accepted PMIDs are remembered, so ingesting the same file
again skips them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.database import default_database_path
from skinevidence.ingest.records import Citation

try:  # POSIX advisory locking; elsewhere a single writer is assumed
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

QUEUED, ACCEPTED, REJECTED = "queued", "accepted", "rejected"
STATES = (QUEUED, ACCEPTED, REJECTED)
FORMAT_VERSION = 1


def default_queue_path(evidence_dir: Path, db_path: Path | None = None) -> Path:
    """Beside the database cache of that evidence folder: ``<database>.review-queue.jsonl``."""
    database = Path(db_path) if db_path else default_database_path(Path(evidence_dir))
    return database.with_name(database.stem + ".review-queue.jsonl")


@dataclass
class Entry:
    """What the queue knows about one key (a PMID, or ``doi:...`` for exports without PMIDs)."""

    key: str
    state: str
    fingerprint: str | None
    offset: int | None          # where the record's ``queue`` line starts in the file (summary and record)
    study_id: str | None = None
    at: str | None = None


class ReviewQueue:
    """Open with :meth:`open` (reading) or as a context manager with ``writable=True`` (locks the file)."""

    def __init__(self, path: Path, writable: bool = False):
        self.path = Path(path)
        self.writable = writable
        self.entries: dict[str, Entry] = {}
        self._handle = None
        self._pending = 0
        self._good_length = 0
        if writable:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "a+b")
            except OSError as exc:
                raise SkinEvidenceError(f"cannot open the review queue {self.path}: {exc.strerror}") from None
            if fcntl is not None:
                try:
                    fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self._handle.close()
                    raise SkinEvidenceError(f"the review queue {self.path} is in use by another skinevidence "
                                            "process; try again when it has finished") from None
        try:
            self._load()
            if writable and self._good_length < self.path.stat().st_size:
                self._handle.truncate(self._good_length)  # a torn line from an interrupted write
        except BaseException:
            if self._handle is not None:
                self._handle.close()
            raise

    @classmethod
    def open(cls, path: Path, writable: bool = False) -> ReviewQueue:
        return cls(path, writable)

    def __enter__(self) -> ReviewQueue:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            try:
                self.commit()
            finally:
                self._handle.close()  # closing releases the lock
                self._handle = None

    # reading --------------------------------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SkinEvidenceError(f"cannot read the review queue {self.path}: {exc.strerror}") from None
        with handle:
            offset = 0
            for number, line in enumerate(handle, 1):
                start, offset = offset, offset + len(line)
                try:
                    event = json.loads(line) if line.endswith(b"\n") else None
                except ValueError:
                    event = None
                if event is None or not isinstance(event, dict) or "op" not in event:
                    if handle.read(1) == b"":  # the last line: torn by an interrupted write, ignored
                        return
                    raise InputError(f"{self.path}: line {number}: the review queue is damaged (not a queue event); "
                                     "move the file away to start a new queue")
                self._apply(event, start)
                self._good_length = offset

    def _apply(self, event: dict, offset: int) -> None:
        op, key = event.get("op"), event.get("key")
        if op == "queue":
            self.entries[key] = Entry(key, QUEUED, event.get("fingerprint"), offset, at=event.get("at"))
        elif op == "remove":
            entry = self.entries.get(key)
            if entry is not None and entry.state == QUEUED:
                del self.entries[key]
        elif op in ("accept", "reject"):
            entry = self.entries.get(key) or Entry(key, QUEUED, None, None)
            entry.state = ACCEPTED if op == "accept" else REJECTED
            entry.study_id = event.get("study_id")
            entry.at = event.get("at")
            self.entries[key] = entry

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def state(self, key: str) -> str | None:
        entry = self.entries.get(key)
        return entry.state if entry else None

    def _event(self, key: str) -> dict | None:
        """The ``queue`` line of a key, read from the file at its offset (the index keeps only offsets)."""
        entry = self.entries.get(key)
        if entry is None or entry.offset is None:
            return None
        if self._handle is not None:
            self._handle.flush()
        with open(self.path, "rb") as handle:
            handle.seek(entry.offset)
            return json.loads(handle.readline())

    def citation(self, key: str) -> Citation:
        """The record as it was queued."""
        event = self._event(key)
        if event is None:
            raise SkinEvidenceError(f"{key} has no record in the review queue {self.path}")
        return Citation.from_dict(event["citation"])

    def summary(self, key: str) -> dict:
        """The few fields ``review list`` shows, stored beside the record."""
        event = self._event(key)
        return (event or {}).get("summary") or {}

    def items(self, state: str | None = None) -> Iterator[Entry]:
        return (e for e in self.entries.values() if state is None or e.state == state)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        for entry in self.entries.values():
            counts[entry.state] += 1
        return counts

    # writing --------------------------------------------------------------------------------------------------
    def _append(self, event: dict) -> int:
        if self._handle is None:
            raise SkinEvidenceError("the review queue was opened read-only")
        event = {"v": FORMAT_VERSION, "at": _now(), **event}
        line = (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        self._handle.seek(0, os.SEEK_END)
        offset = self._handle.tell()
        self._handle.write(line)
        self._pending += 1
        self._apply(event, offset)
        self._good_length = offset + len(line)
        return offset

    def add(self, citation: Citation, summary: dict) -> None:
        key = citation.key
        if key is None:
            raise SkinEvidenceError("a record without a PMID or DOI cannot be queued")
        self._append({"op": "queue", "key": key, "fingerprint": citation.fingerprint(), "summary": summary,
                      "citation": citation.to_dict()})

    def remove(self, key: str, reason: str) -> bool:
        """PubMed deleted the record: drop it if it is still queued. True when something was removed."""
        if self.state(key) != QUEUED:
            return False
        self._append({"op": "remove", "key": key, "reason": reason})
        return True

    def accept(self, key: str, study_id: str) -> None:
        self._append({"op": "accept", "key": key, "study_id": study_id})
        self.commit()

    def reject(self, key: str) -> None:
        self._append({"op": "reject", "key": key})
        self.commit()

    def commit(self) -> None:
        """Flush and fsync what was appended since the last commit."""
        if self._handle is not None and self._pending:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._pending = 0

    @property
    def pending(self) -> int:
        return self._pending


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
