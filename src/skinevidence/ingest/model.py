"""The learned part of the classifier: one logistic regression per study type over the cue features of
:mod:`.features`, trained by ``scripts/train_classifier.py`` on the development set (real PubMed records labelled
by the publication types and MeSH headings that NLM's indexers gave them, hidden from the model) and shipped as
weights in ``model.json``. Loading needs nothing but the standard library; scoring a record is a sum over the few
features it has. Every probability comes with the features that moved it most, so that a decision can say why.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

LABELS = ("rct", "systematic", "case", "review", "animal", "cells", "human")


@dataclass(frozen=True)
class Score:
    label: str
    probability: float
    reasons: tuple[tuple[str, float], ...]  # (feature, weight), strongest pull first

    def supporting(self, limit: int = 4) -> list[str]:
        return [f for f, w in self.reasons if w > 0][:limit]

    def opposing(self, limit: int = 3) -> list[str]:
        return [f for f, w in self.reasons if w < 0][:limit]


@dataclass(frozen=True, eq=False)
class Model:
    version: str
    weights: dict[str, dict[str, float]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.weights)

    def margins(self, present: set[str]) -> dict[str, float]:
        """Per label, how far above its threshold the record scores, in log-odds (positive: the label holds)."""
        totals = dict(self._offsets)
        for feature in present:
            for label, weight in self._table.get(feature, ()):
                totals[label] += weight
        return totals

    def score(self, label: str, present: set[str]) -> Score:
        """One label's probability and the features that moved it, strongest first (for a reason)."""
        weights = self.weights[label]
        pulls = sorted(((f, weights[f]) for f in present if f in weights), key=lambda fw: -abs(fw[1]))
        total = self.intercepts[label] + sum(w for _, w in pulls)
        return Score(label, _sigmoid(total), tuple(pulls))

    @property
    def _table(self) -> dict[str, list[tuple[str, float]]]:
        return _tables(self)[0]

    @property
    def _offsets(self) -> dict[str, float]:
        return _tables(self)[1]


def _sigmoid(total: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@cache
def _tables(model: Model) -> tuple[dict[str, list[tuple[str, float]]], dict[str, float]]:
    """feature -> [(label, weight)], and per label the intercept less the threshold's log-odds."""
    table: dict[str, list[tuple[str, float]]] = {}
    for label, weights in model.weights.items():
        for feature, weight in weights.items():
            table.setdefault(feature, []).append((label, weight))
    offsets = {label: model.intercepts[label] - _logit(model.thresholds.get(label, 0.5)) for label in model.weights}
    return table, offsets


@cache
def load_model() -> Model:
    data = json.loads(resources.files("skinevidence.ingest").joinpath("model.json").read_text(encoding="utf-8"))
    return Model(version=data["version"], weights=data["weights"], intercepts=data["intercepts"],
                 thresholds=data["thresholds"])
