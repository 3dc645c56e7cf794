"""The embedded SQLite database compiled from the evidence files.

The files are the source of truth; the database is a derived, disposable artefact. It is built on first use and
rebuilt whenever the files' fingerprint changes. A build writes a new file beside the old one (``.building-<pid>-*``),
flushes it to disk and swaps it in with one atomic rename, so an interrupted build never leaves a partial database,
and invalid files never replace a good one. A build killed outright leaves its file behind; the next opening of the
database removes it (and any other whose process no longer runs).

Beside the records, the database keeps a few finished answers (``answers``: the text a command printed) so that the
command line can give the same answer again without loading and grading the whole base. A kept answer belongs to the
records of its database (a new build starts with none) and to the code that computed it (it carries the code's
signature, and is ignored once any file of the package changes); it is written in one transaction, or not at all.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import zlib
from collections import Counter
from contextlib import closing, contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Self

from skinevidence.errors import EvidenceInvalid, SkinEvidenceError
from skinevidence.evidence.sources import bundled_evidence_dir, fingerprint, stat_signature
from skinevidence.paths import remove_stale, sync_folder, temporary_file

if TYPE_CHECKING:  # the records and the catalog are imported where they are read: a kept answer needs neither
    from skinevidence.evidence.catalog import Catalog
    from skinevidence.evidence.files import EvidenceSet

SCHEMA_VERSION = "3"  # 3: the answers table
BUILDING_PREFIX = ".building-"  # the database being built, beside the one it replaces
KEPT_ANSWERS = 256  # the most recent answers kept; older ones are dropped

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE interventions (id TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT, record TEXT NOT NULL);
CREATE TABLE outcomes (id TEXT PRIMARY KEY, name TEXT NOT NULL, surrogate INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE studies (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER, design TEXT NOT NULL, population TEXT NOT NULL,
  status TEXT NOT NULL, participants INTEGER, doi TEXT, pmid TEXT, pmcid TEXT, coded_by TEXT NOT NULL,
  record TEXT NOT NULL);
CREATE TABLE findings (
  study_id TEXT NOT NULL REFERENCES studies(id), position INTEGER NOT NULL, intervention TEXT NOT NULL,
  outcome TEXT NOT NULL, route TEXT NOT NULL, direction TEXT NOT NULL, ev_source TEXT, ev_preparation TEXT,
  PRIMARY KEY (study_id, position));
CREATE INDEX findings_cell ON findings (intervention, outcome, route);
CREATE TABLE included_in (study_id TEXT NOT NULL, review_id TEXT NOT NULL, PRIMARY KEY (study_id, review_id));
CREATE TABLE regulation (id TEXT PRIMARY KEY, intervention TEXT, jurisdiction TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE safety (id TEXT PRIMARY KEY, intervention TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE inci (name TEXT NOT NULL, intervention TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE answers (kind TEXT NOT NULL, key TEXT NOT NULL, code TEXT NOT NULL, body BLOB NOT NULL,
  PRIMARY KEY (kind, key));
"""


def default_database_path(evidence_dir: Path) -> Path:
    """``$SKINEVIDENCE_DB`` if set, else a cache file keyed by the evidence folder."""
    configured = os.environ.get("SKINEVIDENCE_DB")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skinevidence"
    key = hashlib.sha256(str(evidence_dir.resolve()).encode()).hexdigest()[:12]
    return cache / f"evidence-{key}.sqlite"


def write_schema(connection: sqlite3.Connection, evidence: EvidenceSet, source_fingerprint: str,
                 signature: str = "") -> None:
    """Fill an empty connection with every record, in one transaction."""
    with connection:
        connection.executescript(SCHEMA)
        connection.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("schema_version", SCHEMA_VERSION), ("fingerprint", source_fingerprint), ("stat_signature", signature)])
        connection.executemany("INSERT INTO interventions VALUES (?, ?, ?, ?)", [
            (i.id, i.name, i.parent, i.model_dump_json()) for i in evidence.interventions])
        connection.executemany("INSERT INTO outcomes VALUES (?, ?, ?, ?)", [
            (o.id, o.name, int(o.surrogate), o.model_dump_json()) for o in evidence.outcomes])
        connection.executemany("INSERT INTO studies VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
            (s.id, s.title, s.year, s.design.value, s.population.value, s.status.value, s.participants, s.doi,
             s.pmid, s.pmcid, s.provenance.coded_by, s.model_dump_json()) for s in evidence.studies])
        connection.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?)", [
            (s.id, n, f.intervention, f.outcome, f.route.value, f.direction.value,
             f.ev_source.value if f.ev_source else None, f.ev_preparation.value if f.ev_preparation else None)
            for s in evidence.studies for n, f in enumerate(s.findings)])
        connection.executemany("INSERT INTO included_in VALUES (?, ?)", [
            (s.id, review) for s in evidence.studies for review in s.included_in])
        connection.executemany("INSERT INTO regulation VALUES (?, ?, ?, ?)", [
            (r.id, r.intervention, r.jurisdiction, r.model_dump_json()) for r in evidence.regulation])
        connection.executemany("INSERT INTO safety VALUES (?, ?, ?)", [
            (s.id, s.intervention, s.model_dump_json()) for s in evidence.safety])
        connection.executemany("INSERT INTO inci VALUES (?, ?, ?)", [
            (i.name, i.intervention, i.model_dump_json()) for i in evidence.inci])


def compile_database(evidence_dir: Path, target: Path) -> None:
    """Validate the files and build a fresh database at ``target``, swapped in atomically."""
    from skinevidence.evidence.files import load_evidence

    evidence, issues = load_evidence(evidence_dir)
    if issues:
        raise EvidenceInvalid(issues)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent, BUILDING_PREFIX)
    handle, temporary = temporary_file(target.parent, BUILDING_PREFIX, ".sqlite")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA synchronous=FULL")  # the commit reaches the disk before the rename
            write_schema(connection, evidence, fingerprint(evidence_dir), stat_signature(evidence_dir))
        finally:
            connection.close()
        os.replace(temporary, target)
    except BaseException:
        for leftover in (temporary, f"{temporary}-journal"):
            Path(leftover).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def _stored(path: Path) -> dict[str, str]:
    """The database's meta table (empty when there is no usable database of this schema version)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        finally:
            connection.close()
    except sqlite3.Error:
        return {}
    return meta if meta.get("schema_version") == SCHEMA_VERSION else {}


def is_current(path: Path, evidence_dir: Path) -> bool:
    """Whether the database at ``path`` holds exactly the files in ``evidence_dir``. Cheap when nothing changed: the
    files' paths, sizes and modification times are compared first; only when they differ are the bytes hashed, and
    when the bytes still match (a file touched or checked out again) the new signature is remembered."""
    stored = _stored(path)
    if not stored:
        return False
    signature = stat_signature(evidence_dir)
    if stored.get("stat_signature") == signature:
        return True
    if stored.get("fingerprint") != fingerprint(evidence_dir):
        return False
    try:
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('stat_signature', ?)", (signature,))
    except sqlite3.Error:
        pass  # a read-only cache: the bytes are hashed again next time, nothing else changes
    return True


@cache
def code_signature() -> str:
    """The signature of the code that computes answers: every file of the package (its path, size and modification
    time), the evidence data apart (the database's fingerprint covers it). Read once per process (about 150 files);
    any edit, install or upgrade changes it."""
    package = Path(__file__).resolve().parents[1]
    data = package / "evidence" / "data"
    entries = []
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__" and Path(folder, f) != data)
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                info = os.stat(Path(folder, name))
                entries.append(f"{Path(folder, name).relative_to(package)}\t{info.st_size}\t{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while tens of thousands of records are created: none of them is
    garbage yet, and each collection pass would walk them all again (a third of the load time). Its state is
    restored after, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Database:
    """The compiled evidence base: one object, clear verbs. Open it with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, evidence_dir: Path | None = None):
        self.connection = connection
        self.evidence_dir = evidence_dir
        self._catalog: Catalog | None = None

    @classmethod
    def open(cls, path: Path | str | None = None, evidence_dir: Path | str | None = None,
             rebuild: bool = False) -> Database:
        """Open the database for ``evidence_dir`` (the bundled base by default), building it if missing or stale."""
        evidence_dir = Path(evidence_dir) if evidence_dir else bundled_evidence_dir()
        path = Path(path) if path else default_database_path(evidence_dir)
        remove_stale(path.parent, BUILDING_PREFIX)  # a build killed outright, even when no build is due now
        if rebuild or not is_current(path, evidence_dir):
            try:
                compile_database(evidence_dir, path)
            except OSError as exc:
                raise SkinEvidenceError(f"cannot write the database at {path}: {exc.strerror}") from exc
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return cls(connection, evidence_dir)

    def close(self) -> None:
        self.connection.close()

    @property
    def path(self) -> Path | None:
        """The database file (None for a database in memory)."""
        name = self.connection.execute("PRAGMA database_list").fetchone()[2]
        return Path(name) if name else None

    def kept_answer(self, kind: str, key: str) -> str | None:
        """An answer kept by :meth:`keep_answer` for these records and this code, else None."""
        try:
            row = self.connection.execute("SELECT code, body FROM answers WHERE kind = ? AND key = ?",
                                          (kind, key)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != code_signature():
            return None
        return zlib.decompress(row[1]).decode("utf-8")

    def keep_answer(self, kind: str, key: str, text: str) -> None:
        """Keep ``text`` as the answer to (kind, key), in one transaction; answers of other code and the oldest
        beyond the most recent few hundred go. A database that cannot be written (read-only file or folder, busy)
        keeps nothing, and nothing else changes."""
        path = self.path
        if path is None:
            return
        try:
            with closing(sqlite3.connect(path, timeout=0.2)) as connection, connection:
                connection.execute("DELETE FROM answers WHERE code != ?", (code_signature(),))
                connection.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                                   (kind, key, code_signature(), zlib.compress(text.encode("utf-8"), 6)))
                connection.execute("DELETE FROM answers WHERE rowid NOT IN "
                                   "(SELECT rowid FROM answers ORDER BY rowid DESC LIMIT ?)", (KEPT_ANSWERS,))
        except sqlite3.Error:
            pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def fingerprint(self) -> str:
        return self.connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0]

    def _records(self, table: str, model):
        return [model.model_validate_json(row[0])
                for row in self.connection.execute(f"SELECT record FROM {table} ORDER BY rowid")]

    def evidence(self) -> EvidenceSet:
        from skinevidence.evidence.files import EvidenceSet
        from skinevidence.evidence.models import InciName, Intervention, Outcome, RegulatoryFact, SafetySignal, Study

        with _collector_paused():
            return EvidenceSet(
                interventions=self._records("interventions", Intervention),
                outcomes=self._records("outcomes", Outcome),
                studies=self._records("studies", Study),
                regulation=self._records("regulation", RegulatoryFact),
                safety=self._records("safety", SafetySignal),
                inci=self._records("inci", InciName),
            )

    def catalog(self) -> Catalog:
        """The whole evidence base indexed in memory for grading and answers (built once per database)."""
        if self._catalog is None:
            from skinevidence.evidence.catalog import Catalog
            self._catalog = Catalog(self.evidence())
        return self._catalog

    def stats(self) -> dict:
        """Counts of what the base holds: records, human studies by design, route and EV source."""
        query = self.connection.execute

        def counter(sql: str) -> dict[str, int]:
            return dict(Counter({key: n for key, n in query(sql).fetchall()}).most_common())

        human = "SELECT id FROM studies WHERE population IN ('human', 'mixed') AND status = 'published'"
        return {
            "records": {
                "studies": query("SELECT count(*) FROM studies").fetchone()[0],
                "findings": query("SELECT count(*) FROM findings").fetchone()[0],
                "regulatory_facts": query("SELECT count(*) FROM regulation").fetchone()[0],
                "safety_signals": query("SELECT count(*) FROM safety").fetchone()[0],
                "inci_names": query("SELECT count(*) FROM inci").fetchone()[0],
                "interventions": query("SELECT count(*) FROM interventions").fetchone()[0],
                "outcomes": query("SELECT count(*) FROM outcomes").fetchone()[0],
            },
            "studies_by_status": counter("SELECT status, count(*) FROM studies GROUP BY status"),
            "studies_by_population": counter("SELECT population, count(*) FROM studies GROUP BY population"),
            "human_studies_by_design": counter(
                f"SELECT design, count(*) FROM studies WHERE id IN ({human}) GROUP BY design"),
            "human_studies_by_route": counter(
                f"SELECT route, count(DISTINCT study_id) FROM findings WHERE study_id IN ({human}) GROUP BY route"),
            "human_studies_by_ev_source": counter(
                f"SELECT ev_source, count(DISTINCT study_id) FROM findings WHERE study_id IN ({human}) "
                "AND ev_source IS NOT NULL GROUP BY ev_source"),
            "human_studies_by_intervention": counter(
                f"SELECT intervention, count(DISTINCT study_id) FROM findings WHERE study_id IN ({human}) "
                "GROUP BY intervention"),
            "regulatory_facts_by_jurisdiction": counter(
                "SELECT jurisdiction, count(*) FROM regulation GROUP BY jurisdiction"),
            "coded_by": counter("SELECT coded_by, count(*) FROM studies GROUP BY coded_by"),
        }
