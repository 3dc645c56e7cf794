"""Report speed: in-process p50/p95 to build (and render) every intervention's report, and the CLI's wall time, on
the bundled base and on synthetic bases N times its size.

Targets (issues 2, 12 and 14): p95 under 20 ms in process at the bundled size and under 50 ms at 10x; one CLI
report under 0.5 s, text and JSON. The baseline measured in the same run is Python's own start-up
(`python -c pass`), so the CLI figures can be read as ratios on any machine. In-process figures are given as wall
time and as this process's CPU time (steadier when other work shares the machine).

The CLI keeps a printed report in the compiled database (docs/answers.md, "Speed"): "again" is a report asked for
before (the usual case: the timed runs follow one untimed run), "first" a report not asked for before on this
evidence base and code (its kept answers are deleted before each run), which loads the catalog and grades.

    python benchmarks/report_speed.py [--repeat 5] [--times 1 10]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skinevidence.answers.report import build_report
from skinevidence.evidence.database import Database
from skinevidence.render import render

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_base import build as synthetic_base  # the benchmark's sibling, found through sys.path above


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wall(command: list[str], repeat: int, env: dict | None = None, forget: Path | None = None) -> float:
    """Median wall time of ``command``, after one untimed run (which builds the database if it must). With
    ``forget``, the answers kept in that database are deleted before each run."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(repeat):
        if forget is not None:
            with sqlite3.connect(forget) as connection:
                connection.execute("DELETE FROM answers")
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(times: int, folder: Path, repeat: int) -> None:
    evidence = None if times == 1 else synthetic_base(times, folder / f"base{times}")
    path = folder / f"bench{times}.sqlite"
    database = Database.open(path, evidence)
    start = time.perf_counter()
    catalog = database.catalog()
    load = time.perf_counter() - start
    build, build_cpu, build_render, cold = [], [], [], []
    for repeat_number in range(repeat):
        for intervention in catalog.interventions:
            t0, c0 = time.perf_counter(), time.process_time()
            report = build_report(catalog, intervention)
            t1, c1 = time.perf_counter(), time.process_time()
            render(report, "json")
            t2 = time.perf_counter()
            (cold if repeat_number == 0 else build).append(t1 - t0)
            if repeat_number:
                build_cpu.append(c1 - c0)
            build_render.append(t2 - t0)
    python = [sys.executable]
    env = {**os.environ, "SKINEVIDENCE_DB": str(path)}  # the database built above
    if evidence is not None:
        env["SKINEVIDENCE_EVIDENCE"] = str(evidence)
    report_command = [*python, "-m", "skinevidence", "report", "exosomes"]
    baseline = wall([*python, "-c", "pass"], repeat)
    cli = {(fmt, kept): wall([*report_command, "--format", fmt], repeat, env, None if kept else path)
           for fmt in ("text", "json") for kept in (True, False)}
    ms = 1000
    target = 20 if times == 1 else 50
    print(f"--- {times}x the bundled base: interventions {len(catalog.interventions)}, studies "
          f"{len(catalog.studies)}, repeats {repeat}")
    print(f"catalog load from SQLite: {load * ms:.1f} ms")
    print(f"first build of each report (grades not yet cached): p50 {statistics.median(cold) * ms:.1f} ms   "
          f"p95 {percentile(cold, .95) * ms:.1f} ms   max {max(cold) * ms:.1f} ms")
    print(f"build report, in process:  p50 {statistics.median(build) * ms:.1f} ms   p95 {percentile(build, .95) * ms:.1f} ms"
          f"   max {max(build) * ms:.1f} ms   (target p95 < {target} ms)")
    print(f"  the same, CPU time:      p50 {statistics.median(build_cpu) * ms:.1f} ms   "
          f"p95 {percentile(build_cpu, .95) * ms:.1f} ms")
    print(f"build + JSON, in process:  p50 {statistics.median(build_render) * ms:.1f} ms   "
          f"p95 {percentile(build_render, .95) * ms:.1f} ms")
    print(f"python start-up baseline:  {baseline:.3f} s")
    for (fmt, kept), seconds in cli.items():
        print(f"CLI report exosomes, {fmt:4} {'again' if kept else 'first'}: {seconds:.3f} s "
              f"({seconds / baseline:.1f}x baseline)" + ("   (target < 0.5 s)" if kept and times == 1 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="at least 2: the first pass is the cold one")
    parser.add_argument("--times", type=int, nargs="+", default=[1],
                        help="sizes to measure, in multiples of the bundled base (default 1; e.g. 1 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for times in args.times:
            measure(times, Path(folder), args.repeat)


if __name__ == "__main__":
    main()
