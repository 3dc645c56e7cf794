"""Time and memory of ``check`` and ``audit`` as the text grows: 10 KB, 100 KB, 1 MB and 10 MB of claim-dense text.

Each run is the real command (``python -m skinevidence check --file T --format json``, and ``audit T --format
json``) in a fresh process, its output thrown away. Time is the child's CPU time (user + system: the machine may be
shared), peak memory its maximum resident set size, both as the kernel reports them for that child alone. The fixed
cost of a run (start-up, opening the database, compiling the lexicon) is measured in the same session on a text of
one paragraph and subtracted, so that time per MB is the cost of the text itself.

The text is paragraphs of marketing and article sentences written for this benchmark (claims of every strength about
the vocabulary's ingredients and outcomes, hedged and proven, drug wordings, numbers and speeds of results, with
neutral sentences between them), drawn with a fixed seed: dense in claims, the hard case. Targets (issue 17): time
per MB at 10 MB within 1.5x of the time per MB at 1 MB, and peak memory at 10 MB under 400 MB.

``--baseline SRC`` measures another checkout's sources (``/path/to/other/src``) in the same run, on the same texts,
to compare before and after a change.

    python benchmarks/text_scaling.py [--sizes 0.01,0.1,1,10] [--commands check,audit] [--repeat 1] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 400

CLAIMS = (
    "Our {i} serum is clinically proven to reduce {o} by {n}% in just {d} days.",
    "{I} visibly improves the look of {o} after {w} weeks of daily use.",
    "With {i}, you may notice less {o} within {w} weeks.",
    "This breakthrough {i} formula erases {o} overnight.",
    "{I} helps reduce the appearance of {o}.",
    "Dermatologists recommend {i} for {o}, and {n}% of users saw results.",
    "A {d}-day study found that {i} boosted collagen and smoothed {o}.",
    "{I} treats {o} at the source and stops it coming back.",
    "The most powerful {i} cream on the market repairs {o} fast.",
    "Some small studies suggest {i} might improve {o}, but the evidence is limited.",
    "Our FDA approved {i} booster is safe for every skin type, with no side effects.",
    "In a split-face trial, {i} applied after microneedling improved {o} more than saline.",
    "{I} works like Botox for {o}, without needles.",
    "Results in {d} days: {o} fades and skin looks {n}% brighter.",
)
NEUTRAL = (
    "Apply two pumps to clean, dry skin every evening.",
    "The texture is light and absorbs without a greasy finish.",
    "Store below 25 degrees and use within six months of opening.",
    "The brand was founded in Seoul by two sisters.",
    "Shipping is free on orders over fifty dollars.",
    "Patch test before first use and avoid the eye area.",
    "We asked a dermatologist what she keeps on her own bathroom shelf.",
    "The bottle is made of recycled glass with a bamboo cap.",
)
INGREDIENTS = ("exosome", "plant exosome", "retinol", "tretinoin", "niacinamide", "vitamin C", "hyaluronic acid",
               "peptide", "PDRN", "salmon DNA", "centella", "azelaic acid", "bakuchiol", "growth factor",
               "glycolic acid", "snail mucin")
OUTCOMES = ("wrinkles", "fine lines", "dark spots", "hyperpigmentation", "melasma", "acne scars", "acne", "redness",
            "rosacea", "dryness", "sagging", "pores", "hair loss", "uneven tone", "dullness", "eczema")


def claim_dense_text(size: int, seed: int = 17) -> str:
    """About ``size`` characters of paragraphs, four to nine sentences each, two thirds of them claims."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(4, 9)):
            if rng.random() < 0.67:
                ingredient = rng.choice(INGREDIENTS)
                sentences.append(rng.choice(CLAIMS).format(
                    i=ingredient, I=ingredient[0].upper() + ingredient[1:], o=rng.choice(OUTCOMES),
                    n=rng.randint(12, 97), d=rng.randint(3, 60), w=rng.randint(2, 16)))
            else:
                sentences.append(rng.choice(NEUTRAL))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size].rsplit(" ", 1)[0] + "\n"


def measure(arguments: list[str], env: dict) -> tuple[float, float, int]:
    """CPU seconds, peak resident memory (MB) and exit code of one command in a fresh process."""
    process = subprocess.Popen([sys.executable, "-m", "skinevidence", *arguments], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace")[-400:] if process.stderr else ""
    if process.returncode:
        print(f"  {' '.join(arguments[:2])}: exit code {process.returncode}: {error.strip()}", file=sys.stderr)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def command(name: str, path: Path) -> list[str]:
    return ["check", "--file", str(path), "--format", "json"] if name == "check" else \
        ["audit", str(path), "--format", "json"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.01,0.1,1,10", help="text sizes in MB (1 MB = 1,000,000 characters)")
    parser.add_argument("--commands", default="check,audit")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest counts")
    parser.add_argument("--baseline", type=Path, help="another checkout's src/ folder, measured the same way")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    trees = {"this checkout": ROOT / "src", **({f"baseline {args.baseline}": args.baseline} if args.baseline else {})}
    with tempfile.TemporaryDirectory(prefix="text-scaling-") as folder:
        texts = {}
        for size in [0.0, *sizes]:
            path = Path(folder) / f"text-{size}.txt"
            path.write_text(claim_dense_text(int(size * 1_000_000)) if size else claim_dense_text(600),
                            encoding="utf-8")
            texts[size] = path
        for label, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree),
                   "SKINEVIDENCE_DB": os.environ.get("SKINEVIDENCE_DB") or str(Path(folder) / f"{len(label)}.sqlite")}
            subprocess.run([sys.executable, "-m", "skinevidence", "db", "build"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            print(f"== {label}")
            for name in args.commands.split(","):
                report(name, sizes, {size: min((measure(command(name, path), env) for _ in range(args.repeat)),
                                               key=lambda r: r[0]) for size, path in texts.items()})


def report(name: str, sizes: list[float], runs: dict[float, tuple[float, float, int]]) -> None:
    fixed = runs[0.0][0]
    print(f"{name}: fixed cost (start-up, database, lexicon) {fixed:.2f} s CPU, {runs[0.0][1]:.0f} MB")
    per_mb = {}
    for size in sizes:
        seconds, memory, code = runs[size]
        per_mb[size] = max(seconds - fixed, 0.0) / size
        print(f"  {size:>6g} MB: {seconds:7.2f} s CPU, {per_mb[size]:6.2f} s per MB, peak memory "
              f"{memory:6.0f} MB{'' if code == 0 else f'  (exit code {code})'}")
    if 1.0 in per_mb and 10.0 in per_mb and per_mb[1.0] > 0:
        ratio = per_mb[10.0] / per_mb[1.0]
        memory = runs[10.0][1]
        print(f"  time per MB, 10 MB / 1 MB: {ratio:.2f}x (target <= {RATIO_TARGET}x: "
              f"{'met' if ratio <= RATIO_TARGET else 'NOT met'}); peak memory at 10 MB {memory:.0f} MB "
              f"(target < {MEMORY_TARGET_MB} MB: {'met' if memory < MEMORY_TARGET_MB else 'NOT met'})")


if __name__ == "__main__":
    main()
