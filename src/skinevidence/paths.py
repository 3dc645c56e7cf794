"""Files named after records: one check that an id is safe as a file name, and one atomic write.

Every identifier that becomes a file name passes :func:`record_path`, which accepts only the record-id pattern of
the evidence base (lower-case letters, digits, single hyphens) and checks that the path resolves inside its folder.
:func:`atomic_write` (and :func:`atomic_output` for a file written as a stream) writes beside the target, flushes
it to disk and renames, removing its temporary file on every failure path.

A process killed outright (SIGKILL, a power cut) has no failure path: its temporary file stays. Every temporary
file is therefore named ``<prefix><pid>-<random><suffix>``, and the next atomic write into the same folder (and the
commands that write there otherwise: a database build, a screening run) first removes, with :func:`remove_stale`,
those of its prefix whose process no longer runs (a live writer's files are never touched, so two commands may run
side by side).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from skinevidence.errors import InputError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # record ids (lower-case words joined by single hyphens)
SLUG_MAX = 120
_SLUG = re.compile(SLUG_PATTERN)
TEMPORARY_PREFIX = ".writing-"


def record_path(folder: Path, record_id: str, suffix: str = ".yaml") -> Path:
    """``folder/record_id + suffix``, refused unless the id is a record id and the path stays inside ``folder``."""
    shown = record_id.encode("unicode_escape").decode("ascii")[:60]
    if len(record_id) > SLUG_MAX or not _SLUG.fullmatch(record_id):
        raise InputError(f"{shown!r} is not a record id: use lower-case letters, digits and single hyphens "
                         f"(at most {SLUG_MAX} characters), e.g. 'kwon-2020-exosomes-acne-scars'")
    target = folder / f"{record_id}{suffix}"
    if target.resolve().parent != folder.resolve():
        raise InputError(f"{shown!r} would be written outside {folder}")
    return target


def temporary_file(folder: Path, prefix: str = TEMPORARY_PREFIX, suffix: str = ".tmp") -> tuple[int, str]:
    """A new file in ``folder`` named ``<prefix><this process's id>-<random><suffix>``: (open descriptor, path)."""
    return tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}-", suffix=suffix, dir=folder)


_OWNER = re.compile(r"(\d+)-[a-z0-9_]{8}")        # after the prefix: the writer's id, then mkstemp's 8 characters
_OLD_FORMAT = re.compile(r"[a-z0-9_]{8}\.(?:tmp|sqlite)(?:-journal)?$")  # before writers were named
OLD_FORMAT_AGE = 3600  # seconds: a temporary file named without its writer's id is stale after an hour


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def remove_stale(folder: Path, prefix: str = TEMPORARY_PREFIX) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` named by :func:`temporary_file` with ``prefix`` whose
    writer no longer runs (and those an older version named without a process id, once an hour old). Nothing else
    is touched, whatever its name. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        owner = _OWNER.match(entry.name, len(prefix))
        try:
            if owner is not None:
                if _running(int(owner.group(1))):
                    continue
            elif not _OLD_FORMAT.fullmatch(entry.name, len(prefix)) or \
                    time.time() - entry.stat(follow_symlinks=False).st_mtime < OLD_FORMAT_AGE:
                continue
            if entry.is_dir(follow_symlinks=False):
                _remove_tree(Path(entry.path))
            else:
                os.unlink(entry.path)
        except FileNotFoundError:
            continue  # removed meanwhile (its writer finished, or another command cleaned it)
        removed.append(Path(entry.path))
    return removed


def _remove_tree(folder: Path) -> None:
    for root, folders, files in os.walk(folder, topdown=False):
        for name in files:
            Path(root, name).unlink(missing_ok=True)
        for name in folders:
            Path(root, name).rmdir()
    folder.rmdir()


def sync_folder(folder: Path) -> None:
    """Make a rename into ``folder`` durable (where the platform allows opening a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def atomic_output(target: Path, binary: bool = False, prefix: str = TEMPORARY_PREFIX) -> Iterator[IO]:
    """A file to write ``target``'s content into, as a stream; when the block ends without an error it is flushed
    to disk and renamed over ``target`` in one step; on any error it is removed and ``target`` is untouched. What
    killed writers left in the folder is removed first (:func:`remove_stale`)."""
    target = Path(target)
    remove_stale(target.parent, prefix)
    handle, temporary = temporary_file(target.parent, prefix)
    try:
        with os.fdopen(handle, "wb" if binary else "w", encoding=None if binary else "utf-8",
                       newline=None if binary else "") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def atomic_write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file in the same folder and one rename; on any failure the
    temporary file is removed and ``target`` is untouched."""
    with atomic_output(target) as out:
        out.write(text)
