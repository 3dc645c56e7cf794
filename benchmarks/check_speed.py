"""Claim-checking throughput: MB of text per second per core, against two baselines measured in the same run.

The corpus is built from the seed articles (shared/seeds, beside the repository, when present) and generated
marketing copy that combines the vocabularies' names with strength words, outcomes and numbers (dense in claims: a
hard case). The full check (split once, scan once with one automaton, classify every sentence for intended use and
judge its evidence) is compared with:

- sentence splitting alone, the least any checker must do;
- a naive matcher: one regular expression per lexicon phrase, each run over the same text (matching only, none of
  the classification). The ratio of its time to the full check's is printed (issue 10 asks for 20x).

Per-core figures use CPU time (the machine may be shared); the parallel run reports wall time, start-up included.
Targets: at least 0.5 MB/s per core, at least 20x the naive matcher.

    python benchmarks/check_speed.py [--mb 1] [--naive-phrases N]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from skinevidence.claims import intent, rules
from skinevidence.claims.check import check_text
from skinevidence.claims.reading import audit_cue_entries, claim_cue_entries, form_entries
from skinevidence.evidence.database import Database
from skinevidence.text.lexicon import file_entries
from skinevidence.text.mapping import catalog_entries
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
    parts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
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
        if rng.random() < 0.15 and len(parts) > 5:
            parts.append(rng.choice(parts[:5]))
            size += len(parts[-1]) + 1
    return "\n".join(parts)


def lexicon_phrases(catalog) -> list[str]:
    """Every phrase of the checker's lexicon (the same entries the automaton is compiled from)."""
    entries = [*catalog_entries(catalog), *file_entries("routes", "route"), *claim_cue_entries(),
               *intent.entries(), *rules.entries(), *audit_cue_entries(), *form_entries()]
    return sorted({" ".join(phrase.split()) for phrase, _, _ in entries if phrase.strip()})


def naive_seconds(phrases: list[str], text: str) -> tuple[float, int]:
    """CPU seconds for one case-insensitive, word-bounded regular expression per phrase over the whole text."""
    patterns = [re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE) for phrase in phrases]
    start = time.process_time()
    found = sum(1 for pattern in patterns for _ in pattern.finditer(text))
    return time.process_time() - start, found


def _check_chunk(chunk: str) -> int:
    return len(check_text(Database.open().catalog(), chunk).claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the generated corpus in MB")
    parser.add_argument("--naive-phrases", type=int, default=0,
                        help="time the naive matcher on this many phrases and scale up (0: all of them)")
    args = parser.parse_args()
    catalog = Database.open().catalog()
    check_text(catalog, "Exosomes boost collagen.")  # compile the lexicons once, as a long-running process would
    text = corpus(catalog, args.mb)
    megabytes = len(text.encode("utf-8")) / 1_000_000

    start = time.process_time()
    sentences = len(split_sentences(text))
    baseline = time.process_time() - start

    start, wall = time.process_time(), time.perf_counter()
    report = check_text(catalog, text)
    single, single_wall = time.process_time() - start, time.perf_counter() - wall

    phrases = lexicon_phrases(catalog)
    sample = phrases if not args.naive_phrases else random.Random(1).sample(phrases, min(args.naive_phrases,
                                                                                        len(phrases)))
    naive, hits = naive_seconds(sample, text)
    naive *= len(phrases) / len(sample)

    workers = os.cpu_count() or 1
    lines = text.split("\n")
    chunks = ["\n".join(lines[i::workers * 4]) for i in range(workers * 4)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        parallel_claims = sum(pool.map(_check_chunk, chunks))
    parallel = time.perf_counter() - start

    print(f"corpus: {megabytes:.2f} MB, {sentences:,} sentences, {len(report.claims):,} claims")
    print(f"baseline (sentence splitting only): {megabytes / baseline:.1f} MB/s per core")
    print(f"check, 1 process: {megabytes / single:.2f} MB/s per core (CPU time; {megabytes / single_wall:.2f} MB/s "
          f"wall), {len(report.claims) / single:,.0f} claims/s   target >= 0.5 MB/s per core")
    print(f"naive matcher, one regular expression per phrase ({len(phrases):,} phrases"
          f"{f', {len(sample):,} timed and scaled' if len(sample) < len(phrases) else ''}, {hits:,} hits): "
          f"{megabytes / naive:.3f} MB/s per core")
    print(f"ratio: the full check is {naive / single:.1f}x faster than the naive matcher alone   target >= 20x")
    print(f"check, {workers} processes: {megabytes / parallel:.2f} MB/s in all ({megabytes / parallel / workers:.2f} "
          f"MB/s per core, {parallel_claims / parallel:,.0f} claims/s, wall time, start-up included)")


if __name__ == "__main__":
    main()
