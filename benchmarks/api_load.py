"""Web app under load: requests per second and latency (p50/p99) for an intervention's report page and for the
claim-check API, against a baseline measured in the same run (/healthz, the cheapest answer the server gives).

Starts `skinevidence serve` (uvicorn, one process) on 127.0.0.1 and a free port, warms the pages once, then sends
a bounded number of requests (keep-alive connections, a few threads) and stops at the count or the time limit,
whichever comes first. Loopback traffic only. Targets: the report page at >= 80% of /healthz's rate in the same run
with p99 < 100 ms and no errors (issue 14); >= 500 req/s (issue 7, on an idle machine). Pages are rendered once
per database fingerprint, then served from memory.

The client asks for gzip, as a browser does, and decodes every body. Client and server share the same cores, so a
Python client inflating a 400 KB page is part of what is measured: `--raw` reads every byte as sent (its length
checked against Content-Length) without decompressing, as wrk, hey and ab do, to see the server's side alone.

    python benchmarks/api_load.py [--requests 3000] [--threads 8] [--seconds 30] [--raw]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CHECK_TEXT = ("Our exosome serum is clinically proven to erase wrinkles in 7 days. Niacinamide may reduce redness. "
              "This FDA approved cream boosts collagen by 300%.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, folder: str) -> subprocess.Popen:
    env = {**os.environ, "SKINEVIDENCE_DB": str(Path(folder) / "evidence.sqlite")}
    process = subprocess.Popen([sys.executable, "-m", "skinevidence", "serve", "--host", "127.0.0.1", "--port",
                                str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 90 s")


def fetch(client: httpx.Client, method: str, path: str, body: dict | None, decode: bool) -> bool:
    """One request; True when it is a 200 with a whole, non-empty body."""
    if decode:
        response = client.request(method, path, json=body)
        return response.status_code == 200 and bool(response.content)
    with client.stream(method, path, json=body) as response:
        received = sum(len(chunk) for chunk in response.iter_raw())
        declared = response.headers.get("content-length")
        return response.status_code == 200 and received > 0 and (declared is None or int(declared) == received)


def load(base: str, method: str, path: str, body: dict | None, requests: int, threads: int, seconds: float,
         decode: bool = True) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [requests]
    stop_at = time.monotonic() + seconds

    def worker():
        mine, failed = [], 0
        with httpx.Client(base_url=base, timeout=10) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if remaining[0] <= 0:
                        break
                    remaining[0] -= 1
                start = time.perf_counter()
                try:
                    ok = fetch(client, method, path, body, decode)
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - start)
                failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"path": f"{method} {path}", "requests": len(latencies), "seconds": elapsed,
            "rps": len(latencies) / elapsed if elapsed else 0.0, "errors": errors[0],
            "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per endpoint (default 3000)")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per endpoint (default 30)")
    parser.add_argument("--raw", action="store_true", help="read bodies as sent, without decompressing them")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(port, folder)
        try:
            for path in ("/intervention/exosomes", "/intervention/tretinoin"):
                httpx.get(base + path, timeout=30)  # warm: rendered once, then cached
            limits = (args.threads, args.seconds, not args.raw)
            runs = [
                load(base, "GET", "/healthz", None, args.requests, *limits),
                load(base, "GET", "/intervention/exosomes", None, args.requests, *limits),
                load(base, "GET", "/api/v1/report/tretinoin", None, args.requests, *limits),
                load(base, "POST", "/api/v1/check", {"text": CHECK_TEXT}, max(args.requests // 5, 100), *limits),
            ]
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(f"skinevidence web under load: uvicorn, 1 process, {args.threads} client threads, loopback, "
          f"{os.cpu_count()} cores shared by server and client, bodies {'read as sent' if args.raw else 'decoded'}")
    print(f"{'endpoint':34} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for run in runs:
        print(f"{run['path']:34} {run['requests']:>8} {run['rps']:>8.0f} {run['p50_ms']:>8.1f} "
              f"{run['p99_ms']:>8.1f} {run['errors']:>7}")
    page = runs[1]
    share = page["rps"] / runs[0]["rps"]
    met = share >= 0.8 and page["p99_ms"] < 100 and page["errors"] == 0
    print(f"report page vs baseline: {share:.0%} of /healthz throughput; target >= 80%, p99 < 100 ms, no errors: "
          f"{'met' if met else 'NOT met'} ({'' if page['rps'] >= 500 else 'not '}at 500 req/s)")


if __name__ == "__main__":
    main()
