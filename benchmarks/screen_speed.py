"""Catalogue screening throughput, in one run on one generated file (docs/screen.md, issue 15).

Prints, for the same file of generated listings (claims/synthetic.py, fixed seed): ``screen`` listings/s on one
process and on every core; the same with the field cache off; the prefilter pass alone (reading the file and one
automaton pass over every field: the floor); a naive baseline that runs one compiled regular expression per
lexicon phrase over each listing (measured on a sample, it is that slow); the ratios between them; the peak memory
(largest process) on the file and on a tenth of it; and ``screen --engine spark`` in local mode with its overhead
over the plain run. Targets on a 2-core machine: >= 5,000 listings/s on all cores, within 10x of the prefilter
pass, >= 1.7x from one core to two, >= 20x the naive baseline, memory flat as the file grows 10x.

    python benchmarks/screen_speed.py [--listings 100000] [--no-spark]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skinevidence.claims.listings import TEXT_FIELDS, Columns, Listing, read_listings
from skinevidence.claims.reading import read_text, reading_lexicon
from skinevidence.claims.screen import Settings, has_cue
from skinevidence.claims.synthetic import write_listings
from skinevidence.evidence.database import Database

RUN = """
import json, resource, sys
from pathlib import Path
from skinevidence.claims.listings import Columns
from skinevidence.claims.screen import Settings, screen_file
source, output, workers, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "on"
settings = Settings(columns=Columns().names, input_format=None, output_format="jsonl")
summary = screen_file(Path(source), Path(output), settings, workers=workers, use_cache=cache, restart=True)
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({"seconds": summary.seconds, "listings": summary.screened, "cpu": cpu,
                  "peak_mb": max(own.ru_maxrss, children.ru_maxrss) / 1024}))
"""


def screen_run(source: Path, folder: Path, workers: int, cache: bool = True) -> dict:
    """One ``screen_file`` run in a fresh process (so that its peak memory is its own)."""
    output = folder / f"out-{workers}-{cache}-{source.stem}.jsonl"
    done = subprocess.run([sys.executable, "-c", RUN, str(source), str(output), str(workers), "on" if cache else "off"],
                          capture_output=True, text=True, check=True, env={**os.environ})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rate"] = result["listings"] / result["seconds"]
    result["per_cpu_second"] = result["listings"] / result["cpu"]  # the machine's load does not change this one
    return result


def prefilter_pass(source: Path, catalog) -> float:
    """Reading the file and the checker's reader over every field (one split, one automaton pass), with the
    prefilter's test: all that a listing costs before judging."""
    start = time.process_time()
    count = 0
    for listing in read_listings(source, Columns()):
        if isinstance(listing, Listing):
            for name in TEXT_FIELDS:
                text = getattr(listing, name)
                if text:
                    has_cue(read_text(catalog, text))
            count += 1
    return count / (time.process_time() - start)


def naive_baseline(source: Path, catalog, sample: int) -> tuple[float, int]:
    """One compiled regular expression per lexicon phrase (every phrase of the checker's automaton), each searched
    in every listing."""
    phrases = sorted({key for key, _ in reading_lexicon(catalog)._automaton.items()})
    patterns = [re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE) for p in phrases]
    listings = []
    for listing in read_listings(source, Columns()):
        if isinstance(listing, Listing):
            listings.append("\n".join(getattr(listing, f) for f in TEXT_FIELDS))
        if len(listings) == sample:
            break
    start = time.process_time()
    for text in listings:
        for pattern in patterns:
            pattern.search(text)
    return len(listings) / (time.process_time() - start), len(patterns)


def spark_run(source: Path, folder: Path) -> float | None:
    try:
        from skinevidence.spark.screen import screen_spark
    except ImportError:
        return None
    settings = Settings(columns=Columns().names, input_format=None, output_format="jsonl")
    start = time.perf_counter()
    summary = screen_spark(source, folder / "spark-out", settings)
    return summary.screened / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000, help="listings in the generated file")
    parser.add_argument("--naive-sample", type=int, default=1000, help="listings the naive baseline reads")
    parser.add_argument("--no-spark", action="store_true", help="leave out the Spark run")
    args = parser.parse_args()
    catalog = Database.open().catalog()
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; load average before the run {os.getloadavg()[0]:.2f} "
          f"(other work on the machine slows every figure alike)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = write_listings(catalog, folder / "listings.jsonl", args.listings, seed=15)
        tenth = write_listings(catalog, folder / "tenth.jsonl", args.listings // 10, seed=15)
        size = source.stat().st_size / 1_048_576
        print(f"file: {args.listings:,} generated listings, {size:.0f} MB (seed 15); a tenth of it: "
              f"{args.listings // 10:,}")
        read_text(catalog, "Niacinamide boosts collagen.")  # compile the automaton before the clock starts
        floor = prefilter_pass(source, catalog)
        naive, patterns = naive_baseline(source, catalog, args.naive_sample)
        one = screen_run(source, folder, 1)
        every = screen_run(source, folder, cores)
        nocache = screen_run(source, folder, cores, cache=False)
        small = screen_run(tenth, folder, cores)
        spark = None if args.no_spark else spark_run(source, folder)
    print("listings per second of wall-clock time (what a user waits) and per CPU-second (what the work costs, "
          "whatever else runs on the machine):")
    rows = [
        ("screen, 1 process", one),
        (f"screen, {cores} processes", every),
        (f"screen, {cores} processes, field cache off", nocache),
    ]
    for name, run in rows:
        print(f"  {name:<52} {run['rate']:>9,.0f} /s wall   {run['per_cpu_second']:>9,.0f} /CPU-s")
    print(f"  {'prefilter pass alone (1 process: read, split, scan)':<52} {'':>9}        {floor:>9,.0f} /CPU-s")
    print(f"  {f'naive baseline ({patterns:,} regexes, {args.naive_sample:,} listings)':<52} {'':>9}        "
          f"{naive:>9,.0f} /CPU-s")
    if spark is not None:
        print(f"  {'screen --engine spark, local[*], JVM start included':<52} {spark:>9,.0f} /s wall")
    print(f"all cores vs one process (wall):   {every['rate'] / one['rate']:.2f}x   (target >= 1.7x on 2 cores)")
    print(f"screen vs naive baseline (CPU):    {one['per_cpu_second'] / naive:.1f}x   (target >= 20x)")
    print(f"prefilter pass vs screen (CPU):    {floor / one['per_cpu_second']:.1f}x   (target: within 10x)")
    print(f"field cache on vs off (CPU):       {every['per_cpu_second'] / nocache['per_cpu_second']:.2f}x")
    print(f"all cores: {every['rate']:,.0f} listings/s wall; {cores} x {one['per_cpu_second']:,.0f} = "
          f"{cores * one['per_cpu_second']:,.0f} listings/s on {cores} idle cores (target >= 5,000)")
    print(f"peak memory (largest process): {small['peak_mb']:.0f} MB on {args.listings // 10:,} listings, "
          f"{every['peak_mb']:.0f} MB on {args.listings:,} ({every['peak_mb'] / small['peak_mb']:.2f}x for 10x the "
          "listings)")
    if spark is not None:
        print(f"spark overhead: the plain run on all cores is {every['rate'] / spark:.2f}x as fast (wall)")
    print(f"load average after the run {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
