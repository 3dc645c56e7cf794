"""Report speed: in-process p50/p95 to build (and render) every intervention's report, and the CLI's wall time.

Targets (issue 2): p95 under 20 ms in process; one CLI report under 0.5 s. The baseline measured in the same run is
Python's own start-up (`python -c pass`), so the CLI figure can be read as a ratio on any machine.

    python benchmarks/report_speed.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skinevidence.answers.report import build_report
from skinevidence.evidence.database import Database
from skinevidence.render import render


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wall(command: list[str], repeat: int, env: dict | None = None) -> float:
    """Median wall time of ``command``, after one untimed run (which builds the database if it must)."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="at least 2: the first pass is the cold one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database.open(Path(folder) / "bench.sqlite")
        start = time.perf_counter()
        catalog = database.catalog()
        load = time.perf_counter() - start
        build, build_render, cold = [], [], []
        for repeat in range(args.repeat):
            for intervention in catalog.interventions:
                t0 = time.perf_counter()
                report = build_report(catalog, intervention)
                t1 = time.perf_counter()
                render(report, "json")
                t2 = time.perf_counter()
                (cold if repeat == 0 else build).append(t1 - t0)
                build_render.append(t2 - t0)
        python = [sys.executable]
        env = {**os.environ, "SKINEVIDENCE_DB": str(Path(folder) / "bench.sqlite")}  # the database built above
        baseline = wall([*python, "-c", "pass"], args.repeat)
        cli_text = wall([*python, "-m", "skinevidence", "report", "exosomes"], args.repeat, env)
        cli_json = wall([*python, "-m", "skinevidence", "report", "exosomes", "--format", "json"], args.repeat, env)
    ms = 1000
    print(f"interventions: {len(catalog.interventions)}, studies: {len(catalog.studies)}, repeats: {args.repeat}")
    print(f"catalog load from SQLite: {load * ms:.1f} ms")
    print(f"first build of each report (grades not yet cached): p50 {statistics.median(cold) * ms:.1f} ms   "
          f"p95 {percentile(cold, .95) * ms:.1f} ms   max {max(cold) * ms:.1f} ms")
    print(f"build report, in process:  p50 {statistics.median(build) * ms:.1f} ms   p95 {percentile(build, .95) * ms:.1f} ms"
          f"   max {max(build) * ms:.1f} ms   (target p95 < 20 ms)")
    print(f"build + JSON, in process:  p50 {statistics.median(build_render) * ms:.1f} ms   "
          f"p95 {percentile(build_render, .95) * ms:.1f} ms")
    print(f"python start-up baseline:  {baseline:.3f} s")
    print(f"CLI report exosomes, text: {cli_text:.3f} s ({cli_text / baseline:.1f}x baseline)   (target < 0.5 s)")
    print(f"CLI report exosomes, json: {cli_json:.3f} s ({cli_json / baseline:.1f}x baseline)")


if __name__ == "__main__":
    main()
