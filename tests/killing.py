"""Running a command of the real CLI and killing it outright (SIGKILL, to its whole process group: the command and
any workers it started), as a power cut or the out-of-memory killer would, with no chance to clean up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment a CLI subprocess runs in: this checkout's sources, the database at ``db``."""
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SKINEVIDENCE_DB": str(db), **extra}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "skinevidence", *args]


def timed(command: list[str], env: dict[str, str], timeout: float = 600) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``command`` to its end: the result and the seconds it took (wall time, on this machine now)."""
    start = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return done, time.monotonic() - start


def kill_after(command: list[str], env: dict[str, str], delays: list[float], log: Path | None = None) -> int:
    """Start ``command`` once per delay and SIGKILL it (with its process group) when the delay has passed, unless it
    finished first. Returns how many runs were killed."""
    kills = 0
    for delay in delays:
        with (log.open("ab") if log else open(os.devnull, "wb")) as errors:
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                                       start_new_session=True)
            try:
                process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                kills += 1
    return kills
