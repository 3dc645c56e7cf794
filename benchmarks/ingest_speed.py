"""Ingestion throughput and memory: records/s and peak resident memory while streaming MEDLINE XML.

The input is the 604-citation 2016 baseline sample (shared/data/medline, beside the repository) repeated N times
into one MedlineCitationSet file in a temporary folder, each repeat with its own PMIDs (so that ingestion skips
nothing). Each mode then reads that file in a fresh process, so that its peak memory is its own:

- ``baseline``: lxml ``iterparse`` counting the MedlineCitation elements and freeing each (the least any streaming
  parser must do), measured in the same run;
- ``parse``: ``skinevidence.ingest`` reading each record into a typed ``Citation``;
- ``classify``: parse plus the classification of every record against the bundled vocabulary;
- ``ingest``: the whole of ``skinevidence ingest`` into a temporary review queue (classify, queue, fsync per batch);
- ``ingest-relevant``: the same with ``--only-relevant`` (a cheap relevance test first; only relevant records are
  classified and queued), the way a whole PubMed baseline would be read.

Peak memory is the growth of the process's maximum resident set size while the mode runs.

    python benchmarks/ingest_speed.py [--times 20] [--modes baseline,parse,classify,ingest,ingest-relevant]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "medline" / "medline16n0902.xml.gz"
MODES = ("baseline", "parse", "classify", "ingest", "ingest-relevant")


def write_input(target: Path, times: int) -> int:
    """The sample's citations ``times`` over as one file; returns its size in bytes."""
    data = gzip.open(SAMPLE).read()
    start, end = data.index(b"<MedlineCitation "), data.rindex(b"</MedlineCitationSet>")
    with target.open("wb") as out:
        out.write(data[:start])
        for index in range(times):
            offset = index * 30_000_000  # keeps PMIDs within nine digits for up to 32 repeats
            out.write(re.sub(rb'(<PMID Version="\d+">)(\d+)',
                             lambda m: m.group(1) + str(int(m.group(2)) + offset).encode(), data[start:end]))
        out.write(data[end:])
    return target.stat().st_size


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_mode(mode: str, source: Path) -> dict:
    """One measurement, in this process."""
    from lxml import etree

    from skinevidence.evidence.database import Database
    from skinevidence.ingest.classify import classify
    from skinevidence.ingest.queue import ReviewQueue
    from skinevidence.ingest.read import read_citations
    from skinevidence.ingest.records import Citation
    from skinevidence.ingest.run import ingest_files

    extra = {}
    if mode in ("classify", "ingest", "ingest-relevant"):
        catalog = Database.open().catalog()
        classify(Citation(pmid="1", title="warm-up"), catalog)  # compile the lexicons outside the timing
    if mode == "baseline":
        def work():
            count = 0
            for _, element in etree.iterparse(str(source), events=("end",), tag="MedlineCitation"):
                count += 1
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
            return count
    elif mode == "parse":
        def work():
            return sum(1 for _ in read_citations(source))
    elif mode == "classify":
        def work():
            return sum(1 for record in read_citations(source)
                       if not isinstance(record, Citation) or classify(record, catalog) is not None)
    elif mode in ("ingest", "ingest-relevant"):
        folder = tempfile.TemporaryDirectory()

        def work():
            with ReviewQueue(Path(folder.name) / "queue.jsonl", writable=True) as queue:
                report = ingest_files([source], catalog, queue, only_relevant=mode == "ingest-relevant")
            extra.update(queued=report.queued, relevant=report.relevant, deleted=report.deleted)
            return report.read + report.deleted
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    before = _rss_mb()
    start = time.perf_counter()
    count = work()
    seconds = time.perf_counter() - start
    return {"mode": mode, "records": count, "seconds": seconds, "records_per_s": count / seconds,
            "peak_mb": _rss_mb() - before, "extra": extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=20, help="how many times to repeat the 604 citations (<= 32)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_mode(args.child[0], Path(args.child[1]))))
        return
    if not SAMPLE.exists():
        raise SystemExit(f"{SAMPLE} not found: the benchmark reads shared/data/medline beside the repository")
    if not 1 <= args.times <= 32:
        raise SystemExit("--times must be between 1 and 32")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "repeated.xml"
        size = write_input(source, args.times)
        results = []
        for mode in args.modes.split(","):
            done = subprocess.run([sys.executable, __file__, "--child", mode, str(source)],
                                  capture_output=True, text=True, check=True)
            results.append(json.loads(done.stdout))
    baseline = next((r for r in results if r["mode"] == "baseline"), None)
    print(f"{args.times} x 604 citations, one {size / 1e6:.0f} MB MEDLINE XML file; peak = growth of max RSS "
          f"while the mode runs")
    print(f"{'mode':<17}{'records':>9}{'seconds':>9}{'records/s':>11}{'peak MB':>9}  vs baseline")
    for r in results:
        ratio = f"{baseline['records_per_s'] / r['records_per_s']:.1f}x slower" if baseline and r is not baseline \
            else ""
        extra = f"  {r['extra']}" if r["extra"] else ""
        print(f"{r['mode']:<17}{r['records']:>9}{r['seconds']:>9.2f}{r['records_per_s']:>11,.0f}"
              f"{r['peak_mb']:>9.1f}  {ratio}{extra}")


if __name__ == "__main__":
    main()
