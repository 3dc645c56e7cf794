"""Permalinks for posted answers: a check, an audit or a product check is kept under the hash of what was posted, so
that its address (``/check/<hash>``) can be shared, reloaded and downloaded. Only the input is kept (the answer is
recomputed from it against the evidence base being served); files are written atomically, named by hash only, inside
one folder, and the oldest are removed beyond ``limit`` (docs/web.md, "Permalinks")."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from skinevidence.errors import NotFound
from skinevidence.paths import atomic_write, record_path

DIGEST_PATTERN = r"^[0-9a-f]{40}$"


class ResultStore:
    def __init__(self, folder: Path, limit: int = 10_000):
        self.folder = Path(folder)
        self.limit = limit

    @staticmethod
    def digest(tool: str, data: dict) -> str:
        """The content hash of a posted input: the same input always has the same address."""
        canonical = json.dumps({"tool": tool, "input": data}, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(canonical.encode("utf-8"), digest_size=20).hexdigest()

    def put(self, tool: str, data: dict) -> str:
        digest = self.digest(tool, data)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = record_path(self.folder, f"{tool}-{digest}", ".json")
        if not target.exists():
            atomic_write(target, json.dumps(data, ensure_ascii=False))
            self._prune()
        return digest

    def get(self, tool: str, digest: str) -> dict:
        try:
            target = record_path(self.folder, f"{tool}-{digest}", ".json")
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise NotFound(f"no saved {tool} result at this address (it may have been removed to make room; "
                           "post the text again)") from None

    def _prune(self) -> None:
        entries = [e for e in os.scandir(self.folder) if e.name.endswith(".json")]
        if len(entries) > self.limit:
            for entry in sorted(entries, key=lambda e: e.stat().st_mtime)[:len(entries) - self.limit]:
                Path(entry.path).unlink(missing_ok=True)
