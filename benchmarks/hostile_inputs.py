"""Hostile inputs to the citation readers: how long each takes to be refused, and the peak memory meanwhile.

Each input is made in a temporary folder (nothing large is kept) and read in a fresh process through
``skinevidence.ingest.read_citations``, so that its peak resident memory is its own. The inputs:

- a 256 MB RIS file of one line (plain), and the same line gzip-compressed (a 4 GiB line in 4 MB);
- a gzip bomb in each format: 16 GiB of MEDLINE XML (empty elements outside any record), of MEDLINE text records
  and of RIS records, each a few MB compressed (one member compressed once and repeated: gzip reads members one
  after another);
- 256 MB of MEDLINE XML with eight million empty elements outside any record (plain, not a bomb).

``--src`` measures another checkout's ``src`` folder in the same run (the code before a change), with
``--timeout`` seconds and ``--memory-mb`` of address space for each input: past them the input "did not finish".

    python benchmarks/hostile_inputs.py [--src ../other/src] [--timeout 300] [--memory-mb 4000] [--only ris-line]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

MB = 1 << 20
SRC = Path(__file__).resolve().parents[1] / "src"

READ = textwrap.dedent("""
    import json, resource, sys, time
    from skinevidence.errors import InputError
    from skinevidence.ingest.read import read_citations
    started, count, outcome = time.perf_counter(), 0, "read whole"
    try:
        for count, _ in enumerate(read_citations(sys.argv[1]), 1):
            pass
    except InputError as exc:
        outcome = "InputError: " + str(exc)
    except MemoryError:
        outcome = "MemoryError"
    print(json.dumps({"seconds": time.perf_counter() - started, "records": count, "outcome": outcome,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def one_line_ris(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(b"TY  - JOUR\nTI  - ")
        for _ in range(size // MB):
            out.write(b"a" * MB)
        out.write(b"\nER  - \n")


def members(path: Path, head: bytes, chunk: bytes, total: int, tail: bytes = b"") -> None:
    """``head``, ``chunk`` repeated to ``total`` bytes, ``tail``: one gzip member compressed once, written again."""
    block = chunk * max(1, MB // len(chunk))
    member = gzip.compress(block, 9, mtime=0)
    with path.open("wb") as out:
        out.write(gzip.compress(head, mtime=0))
        for _ in range(total // len(block)):
            out.write(member)
        out.write(gzip.compress(tail, mtime=0))


def plain_xml(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0"?>\n<PubmedArticleSet>\n')
        for _ in range(size // MB):
            out.write(b"<x/>" * (MB // 4))
        out.write(b"</PubmedArticleSet>\n")


INPUTS = {
    "ris-line": ("RIS, one line of 256 MB", "line.ris", lambda p: one_line_ris(p, 256 * MB)),
    "ris-line-gz": ("RIS, one line of 4 GiB, gzip", "line.ris.gz",
                    lambda p: members(p, b"TY  - JOUR\nTI  - ", b"a" * MB, 4096 * MB)),
    "xml-bomb": ("MEDLINE XML bomb, 16 GiB of elements outside records, gzip", "bomb.xml.gz",
                 lambda p: members(p, b"<PubmedArticleSet>", b"<x/>" + b" " * 1020, 16384 * MB)),
    "nbib-bomb": ("MEDLINE text bomb, 16 GiB of records, gzip", "bomb.nbib.gz",
                  lambda p: members(p, b"", b"PMID- 1\nTI  - " + b"t" * 1000 + b"\n\n", 16384 * MB)),
    "ris-bomb": ("RIS bomb, 16 GiB of records, gzip", "bomb.ris.gz",
                 lambda p: members(p, b"", b"TY  - JOUR\nTI  - " + b"t" * 4000 + b"\nER  - \n", 16384 * MB)),
    "xml-elements": ("MEDLINE XML, 256 MB: 64 million empty elements outside records", "elements.xml",
                     lambda p: plain_xml(p, 256 * MB)),
}


def measure(src: Path, path: Path, timeout: int, memory_mb: int) -> dict:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    try:
        done = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=False,
                              timeout=timeout, env={**os.environ, "PYTHONPATH": str(src)}, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return {"outcome": f"did not finish in {timeout} s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"outcome": f"crashed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, action="append", help="another checkout's src folder (repeatable)")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--memory-mb", type=int, default=4000)
    parser.add_argument("--only", action="append", choices=list(INPUTS))
    args = parser.parse_args()
    sources = [SRC, *(args.src or [])]
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        for key in args.only or INPUTS:
            title, name, make = INPUTS[key]
            path = Path(folder) / name
            make(path)
            print(f"{title} ({path.stat().st_size / MB:,.1f} MB on disk)")
            for src in sources:
                result = measure(src, path, args.timeout, args.memory_mb)
                figures = (f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB, {result['records']} records"
                           if "seconds" in result else "")
                print(f"  {src}: {figures}\n    {result['outcome'][:300]}")
            path.unlink()


if __name__ == "__main__":
    main()
