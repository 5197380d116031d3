"""Scores that compare with published figures (see ../shared/eval/README.md for the rules)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from geo.core.geometry import great_circle_km
from geo.eval.corpora import GoldDoc

#: Half the Earth's circumference: the error of a recognised but ungeocoded toponym.
MAX_ERROR_KM = 20_039.0
ACCURACY_KM = 161.0


@dataclass(frozen=True)
class Predicted:
    """A predicted mention: its span and coordinates (None when it was not placed).

    For geo.eval.ceiling: the chosen place's feature code, and the candidates the resolver
    considered, each as (lat, lon, feature code).
    """

    start: int
    end: int
    lat: float | None
    lon: float | None
    feature: str = ""
    candidates: tuple[tuple[float, float, str], ...] = ()


@dataclass(frozen=True)
class Scores:
    """Recognition and resolution figures for a set of documents."""

    docs: int
    gold: int  # gold toponyms with coordinates
    predicted: int
    precision: float
    recall: float
    f1: float
    accuracy_161: float  # over recognised gold toponyms (the published figure)
    accuracy_161_end_to_end: float  # over all gold toponyms with coordinates
    auc: float
    mean_km: float
    median_km: float


def auc(errors: Sequence[float]) -> float:
    """Return the area under the sorted log(1 + km) error curve, scaled to [0, 1] (lower is better)."""
    if len(errors) < 2:
        return math.log1p(errors[0]) / math.log(MAX_ERROR_KM) if errors else 0.0
    logs = sorted(math.log1p(e) for e in errors)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    return area / ((len(logs) - 1) * math.log(MAX_ERROR_KM))


def score(docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Predicted]]) -> Scores:
    """Return the scores of ``predictions`` (one list per document) against the gold ``docs``."""
    n_predicted = n_correct = n_gold = n_found = 0
    errors: list[float] = []
    for doc, predicted in zip(docs, predictions, strict=True):
        n_predicted += len(predicted)
        n_correct += sum(1 for p in predicted if any(_overlap(p, g) for g in doc.toponyms))
        for gold in doc.toponyms:
            if gold.lat is None or gold.lon is None:
                continue
            n_gold += 1
            hits = [p for p in predicted if _overlap(p, gold)]
            if not hits:
                continue
            n_found += 1
            hit = max(hits, key=lambda p: min(p.end, gold.end) - max(p.start, gold.start))
            if hit.lat is None or hit.lon is None:
                errors.append(MAX_ERROR_KM)
            else:
                errors.append(great_circle_km(hit.lat, hit.lon, gold.lat, gold.lon))
    precision = n_correct / n_predicted if n_predicted else 0.0
    recall = n_found / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    within = sum(1 for e in errors if e <= ACCURACY_KM)
    return Scores(
        docs=len(docs),
        gold=n_gold,
        predicted=n_predicted,
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy_161=within / len(errors) if errors else 0.0,
        accuracy_161_end_to_end=within / n_gold if n_gold else 0.0,
        auc=auc(errors),
        mean_km=statistics.fmean(errors) if errors else 0.0,
        median_km=statistics.median(errors) if errors else 0.0,
    )


def _overlap(predicted: Predicted, gold) -> bool:
    return predicted.start < gold.end and gold.start < predicted.end
