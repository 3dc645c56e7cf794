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


@dataclass(frozen=True)
class Model:
    version: str
    weights: dict[str, dict[str, float]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]

    def score(self, label: str, present: set[str]) -> Score:
        weights = self.weights[label]
        pulls = sorted(((f, weights[f]) for f in present if f in weights), key=lambda fw: -abs(fw[1]))
        total = self.intercepts[label] + sum(w for _, w in pulls)
        return Score(label, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total)))), tuple(pulls))

    def scores(self, present: set[str]) -> dict[str, Score]:
        return {label: self.score(label, present) for label in self.weights}

    def above(self, score: Score) -> bool:
        return score.probability >= self.thresholds.get(score.label, 0.5)


@cache
def load_model() -> Model:
    data = json.loads(resources.files("skinevidence.ingest").joinpath("model.json").read_text(encoding="utf-8"))
    return Model(version=data["version"], weights=data["weights"], intercepts=data["intercepts"],
                 thresholds=data["thresholds"])
