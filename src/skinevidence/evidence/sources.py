"""Where the evidence files are and what they hold, in two signatures: the files' paths and bytes (``fingerprint``),
and their paths, sizes and modification times (``stat_signature``, cheap). Light on purpose: no YAML, no records,
so that telling whether the compiled database is current costs a few milliseconds."""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path


def bundled_evidence_dir() -> Path:
    """The evidence base shipped inside the package."""
    return Path(str(resources.files("skinevidence.evidence") / "data"))


def _walk(directory: Path) -> list[tuple[str, os.stat_result]]:
    """Every data file under ``directory`` (hidden files and folders skipped) with its stat, by relative path."""
    found: list[tuple[str, os.stat_result]] = []
    stack = [(directory, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    found.append((f"{prefix}{entry.name}", entry.stat()))
    return sorted(found, key=lambda item: item[0])


def fingerprint(directory: Path) -> str:
    """A hash of every evidence file's path and bytes: the database is rebuilt when it changes."""
    digest = hashlib.sha256()
    for relative, _ in _walk(directory):
        digest.update(relative.encode())
        digest.update(b"\0")
        digest.update((directory / relative).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def stat_signature(directory: Path) -> str:
    """A hash of every evidence file's path, size and modification time: a cheap test that nothing changed since
    the content fingerprint was last taken (a file edited in place changes its modification time)."""
    digest = hashlib.sha256()
    for relative, stat in _walk(directory):
        digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
