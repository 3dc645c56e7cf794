"""Claim-checking throughput: MB of text per second and claims per second, one process and one per core.

The corpus is built from the seed articles (shared/seeds, beside the repository) and generated marketing copy
that combines the vocabularies' names with strength words, outcomes and numbers. The baseline measured in the same
run is sentence splitting alone, the least any checker must do. Target (issue 5): at least 0.5 MB/s per core.

    python benchmarks/check_speed.py [--mb 4]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from skinevidence.claims.check import check_text
from skinevidence.evidence.database import Database
from skinevidence.text.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TEMPLATES = [
    "Our {i} serum is clinically proven to {v} {o} by {n}% in {d} days!",
    "{I} {v}s {o} and is a breakthrough for {o2}.",
    "With {i}, you may see less {o} within {d} weeks.",
    "No study has shown that {i} can {v} {o}.",
    "Brands claim that {i} will {v} {o}.",
    "This FDA approved {i} cream is safe, with no side effects.",
    "Dermatologists say {i} works like Botox for {o}.",
    "Ingredients: Water, Glycerin, Niacinamide, Sodium Hyaluronate, {i}.",
]
VERBS = ["reduce", "boost", "improve", "fade", "firm", "smooth", "repair", "erase"]


def corpus(catalog, megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    names = [alias for i in catalog.interventions.values() for alias in [i.name, *i.aliases[:3]]]
    outcomes = [alias for o in catalog.outcomes.values() for alias in o.aliases[:4]]
    target = int(megabytes * 1_000_000)
    size = sum(len(p) for p in parts)
    while size < target:
        line = rng.choice(TEMPLATES).format(i=rng.choice(names), I=rng.choice(names).capitalize(),
                                            v=rng.choice(VERBS), o=rng.choice(outcomes), o2=rng.choice(outcomes),
                                            n=rng.randint(10, 300), d=rng.randint(3, 60))
        parts.append(line)
        size += len(line) + 1
        if rng.random() < 0.15:
            parts.append(rng.choice(parts[:5]) if SEEDS.exists() and len(parts) > 5 else line)
            size += len(parts[-1]) + 1
    return "\n".join(parts)


def _check_chunk(chunk: str) -> int:
    return len(check_text(Database.open().catalog(), chunk).claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of the generated corpus in MB")
    args = parser.parse_args()
    catalog = Database.open().catalog()
    check_text(catalog, "Exosomes boost collagen.")  # compile the lexicons once, as a long-running process would
    text = corpus(catalog, args.mb)
    megabytes = len(text.encode("utf-8")) / 1_000_000

    start = time.perf_counter()
    sentences = len(split_sentences(text))
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    report = check_text(catalog, text)
    single = time.perf_counter() - start

    workers = os.cpu_count() or 1
    lines = text.split("\n")
    chunks = ["\n".join(lines[i::workers * 4]) for i in range(workers * 4)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        parallel_claims = sum(pool.map(_check_chunk, chunks))
    parallel = time.perf_counter() - start

    print(f"corpus: {megabytes:.2f} MB, {sentences:,} sentences, {len(report.claims):,} claims")
    print(f"baseline (sentence splitting only): {megabytes / baseline:.1f} MB/s")
    print(f"check, 1 process:   {megabytes / single:.2f} MB/s, {len(report.claims) / single:,.0f} claims/s "
          f"({single / baseline:.1f}x the baseline's time)   target >= 0.5 MB/s per core")
    print(f"check, {workers} processes: {megabytes / parallel:.2f} MB/s in all ({megabytes / parallel / workers:.2f} "
          f"MB/s per core, {parallel_claims / parallel:,.0f} claims/s, start-up included)")


if __name__ == "__main__":
    main()
