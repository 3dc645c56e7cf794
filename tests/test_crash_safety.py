"""Crash safety (docs/hardening.md): a command killed outright (SIGKILL) leaves nothing that the next command of the
same kind does not clean, and loses or duplicates nothing. The slow tests kill the real CLI (``db build``, ``review
accept``, ``ingest``) at random points, seeded, then run it again and compare with an uninterrupted run; ``screen``
is killed the same way in tests/test_screen.py. The fast ones show each clean-up on the state a kill leaves."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MEDLINE, EvidenceBuilder
from killing import cli, cli_env, kill_after, timed
from skinevidence.claims.listings import ParquetParts, parts_folder
from skinevidence.evidence.database import BUILDING_PREFIX, Database, compile_database
from skinevidence.evidence.files import bundled_evidence_dir, load_evidence
from skinevidence.ingest import ReviewQueue, accept_record, ingest_files
from skinevidence.ingest.accept import Curation, write_study
from skinevidence.paths import TEMPORARY_PREFIX, atomic_write, remove_stale, temporary_file

BASELINE = MEDLINE / "medline16n0902.xml.gz"
#: Records of the shared sample accepted in the tests, with what the curator supplies (the invented vocabulary of
#: conftest.py: the codes are placeholders, the crash safety under test does not depend on them).
ACCEPTS = {
    "26702233": ["--population", "human", "--intervention", "gamma-peel", "--outcome", "wrinkles"],
    "26200786": ["--design", "case-series", "--population", "human", "--intervention", "beta-cream",
                 "--outcome", "pigmentation"],
}


@pytest.fixture
def baseline() -> Path:
    """The shared MEDLINE sample (conftest.py skips the test, or fails it in CI, when ../shared is absent)."""
    return BASELINE


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leftover(folder: Path, prefix: str, pid: int, suffix: str) -> Path:
    """A temporary file as a writer with id ``pid`` names it, left behind (its writer was killed)."""
    path = folder / f"{prefix}{pid}-k1ll3d0x{suffix}"
    path.write_bytes(b"half written")
    return path


# the clean-up, on the state a kill leaves ------------------------------------------------------------------------

def test_stale_temporary_files_of_ended_writers_are_removed_and_nothing_else(tmp_path):
    ended = dead_pid()
    stale = leftover(tmp_path, TEMPORARY_PREFIX, ended, ".tmp")
    handle, live = temporary_file(tmp_path)  # this process is writing it
    os.close(handle)
    unrelated = [tmp_path / ".writing-notes.txt", tmp_path / "study.yaml", tmp_path / f".writing-{ended}.yaml"]
    for path in unrelated:
        path.write_text("kept", encoding="utf-8")
    assert remove_stale(tmp_path) == [stale]
    assert sorted(tmp_path.iterdir()) == sorted([Path(live), *unrelated])


def test_an_atomic_write_that_fails_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "record.yaml"
    target.write_text("before\n", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write(target, None)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "before\n"
    assert list(tmp_path.iterdir()) == [target]


def test_an_atomic_write_removes_what_a_killed_writer_left_in_its_folder(tmp_path):
    stale = leftover(tmp_path, TEMPORARY_PREFIX, dead_pid(), ".tmp")
    atomic_write(tmp_path / "record.yaml", "id: x\n")
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]
    assert not stale.exists()


def test_a_build_removes_what_a_killed_build_left_and_keeps_a_running_builds_file(tmp_path):
    ended = dead_pid()
    killed = [leftover(tmp_path, BUILDING_PREFIX, ended, ".sqlite"),
              leftover(tmp_path, BUILDING_PREFIX, ended, ".sqlite-journal")]
    handle, running = temporary_file(tmp_path, BUILDING_PREFIX, ".sqlite")  # a build of this process, in flight
    os.close(handle)
    compile_database(bundled_evidence_dir(), tmp_path / "evidence.sqlite")
    assert not any(path.exists() for path in killed)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([Path(running).name, "evidence.sqlite"])


def test_opening_a_current_database_removes_what_a_killed_build_left(tmp_path):
    target = tmp_path / "evidence.sqlite"
    compile_database(bundled_evidence_dir(), target)
    killed = leftover(tmp_path, BUILDING_PREFIX, dead_pid(), ".sqlite")
    Database.open(target).close()
    assert files_in(tmp_path) == ["evidence.sqlite"]
    assert not killed.exists()


def test_an_accept_killed_after_writing_the_study_is_completed_by_the_next_accept_without_a_second_file(
        evidence, tmp_path, baseline):
    queue_path = tmp_path / "queue.sqlite"
    with ReviewQueue(queue_path, writable=True) as queue:
        ingest_files([baseline], evidence.catalog(), queue)
        citation = queue.citation("26702233")
    curation = Curation(interventions=("gamma-peel",), outcomes=("wrinkles",))
    written, path, _ = write_study(citation, evidence.root, curation=curation)  # the queue never heard of it
    stale = leftover(evidence.root / "studies", TEMPORARY_PREFIX, dead_pid(), ".tmp")
    decision = accept_record(queue_path, "26702233", evidence.root, curation=curation)
    assert (decision.study_id, decision.path) == (written, str(path))
    assert ReviewQueue.open(queue_path).get("26702233").study_id == written
    assert sorted(p.name for p in (evidence.root / "studies").iterdir()) == [path.name]
    assert not stale.exists()
    assert load_evidence(evidence.root)[1] == []


def test_parquet_parts_are_kept_until_the_run_is_recorded_complete(tmp_path):
    output = tmp_path / "out.parquet"
    parts = ParquetParts(output)
    parts.write([{"row": 1, "id": "a", "brand": None, "country": None, "claims": 0, "overclaims": 0,
                  "verdict": None, "flags": {}, "findings": []}])
    parts.commit()
    (parts_folder(output) / "part-000001.tmp").write_bytes(b"half written")  # a part a kill interrupted
    resumed = ParquetParts(output, resume_parts=1)
    assert [p.name for p in parts_folder(output).iterdir()] == ["part-000000.parquet"]
    resumed.finish()  # killed here: the parts stay, so a run resumed now joins them again
    assert output.exists() and parts_folder(output).is_dir()
    resumed.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


# the real commands, killed at random points ----------------------------------------------------------------------

def kill_points(rng: random.Random, seconds: float, count: int) -> list[float]:
    """``count`` moments spread over a run that takes ``seconds`` (start-up included), drawn from ``rng``."""
    return sorted(rng.uniform(0.15, 0.95) * seconds for _ in range(count))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow
def test_db_build_killed_at_random_points_then_run_again_leaves_one_whole_database(tmp_path):
    reference = tmp_path / "reference" / "evidence.sqlite"
    done, seconds = timed(cli("db", "build"), cli_env(reference))
    assert done.returncode == 0, done.stderr
    target = tmp_path / "cache" / "evidence.sqlite"
    env = cli_env(target)
    kills = kill_after(cli("db", "build"), env, kill_points(random.Random(17), seconds, 5))
    final = subprocess.run(cli("db", "build"), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert final.returncode == 0, final.stderr
    assert kills >= 1
    assert files_in(target.parent) == ["evidence.sqlite"]
    with Database.open(target) as built, Database.open(reference) as whole:
        assert built.stats() == whole.stats()
        assert built.fingerprint == whole.fingerprint


def queue_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT key, state, fingerprint, summary, citation, study_id FROM records "
                                  "ORDER BY key").fetchall()


@pytest.mark.slow
def test_ingest_killed_at_random_points_then_run_again_queues_every_record_once(evidence, tmp_path, baseline):
    def command(queue: Path) -> list[str]:
        return cli("--evidence", str(evidence.root), "ingest", str(baseline), "--queue", str(queue))

    env = cli_env(tmp_path / "evidence.sqlite")
    reference = tmp_path / "reference" / "queue.sqlite"
    reference.parent.mkdir()
    done, seconds = timed(command(reference), env)
    assert done.returncode == 0, done.stderr
    queue = tmp_path / "killed" / "queue.sqlite"
    queue.parent.mkdir()
    kills = kill_after(command(queue), env, kill_points(random.Random(23), seconds, 5))
    final = subprocess.run(command(queue), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert final.returncode == 0, final.stderr
    assert kills >= 1
    assert files_in(queue.parent) == files_in(reference.parent)  # the queue and its lock file: no journal left
    assert queue_rows(queue) == queue_rows(reference)
    assert len(queue_rows(queue)) == 604  # every article of the sample, once


def copy_of(evidence: EvidenceBuilder, queue: Path, folder: Path) -> tuple[Path, Path]:
    shutil.copytree(evidence.root, folder / "evidence")
    shutil.copy(queue, folder / queue.name)
    return folder / "evidence", folder / queue.name


def studies(folder: Path) -> dict[str, dict]:
    """Each study file by name, as data."""
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((folder / "studies").iterdir())}


@pytest.mark.slow
def test_review_accept_killed_at_random_points_then_run_again_writes_each_study_once(evidence, tmp_path, baseline):
    queue = tmp_path / "queue.sqlite"
    with ReviewQueue(queue, writable=True) as writable:
        ingest_files([baseline], evidence.catalog(), writable)
    env = cli_env(tmp_path / "evidence.sqlite")

    def accept(folder: Path, key: str) -> list[str]:
        return cli("--evidence", str(folder / "evidence"), "review", "accept", key, *ACCEPTS[key],
                   "--queue", str(folder / "queue.sqlite"))

    whole, killed = tmp_path / "whole", tmp_path / "killed"
    for folder in (whole, killed):
        folder.mkdir()
        copy_of(evidence, queue, folder)
    rng = random.Random(31)
    kills = 0
    for key in ACCEPTS:
        done, seconds = timed(accept(whole, key), env)
        assert done.returncode == 0, done.stderr
        kills += kill_after(accept(killed, key), env, kill_points(rng, seconds, 3))
        again = subprocess.run(accept(killed, key), env=env, capture_output=True, text=True, timeout=600, check=False)
        assert again.returncode == 0 or "was already accepted" in again.stderr, again.stderr
    assert kills >= 1
    assert studies(killed / "evidence") == studies(whole / "evidence")  # one file per record, no temporary file
    assert load_evidence(killed / "evidence")[1] == []
    decided = json.loads(subprocess.run(
        cli("--evidence", str(killed / "evidence"), "review", "list", "--queue", str(killed / "queue.sqlite"),
            "--format", "json"), env=env, capture_output=True, text=True, timeout=600, check=True).stdout)
    assert decided["counts"]["accepted"] == len(ACCEPTS)
