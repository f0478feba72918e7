"""The calibration that turns features into scores, and the decision it makes (:func:`decide`).

Weights are fitted on the train split and thresholds chosen on the dev split by
``models/train_content.py`` (``models/content/calibration.json``).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from qupia.content.classifier import models_dir
from qupia.content.features import DOC_FEATURES, GROUPS, ITEM_FEATURES, Features, group_of


@dataclass(frozen=True)
class Calibration:
    """Weights fitted on the train split; thresholds chosen on the dev split."""

    item: dict[str, tuple[float, ...]]  # group → one weight per ITEM_FEATURES
    doc: dict[str, tuple[float, ...]]  # group → one weight per DOC_FEATURES
    doc_threshold: dict[str, float]  # group → the document score that means "has content"
    item_threshold: float  # item score at which a further item is reported


@functools.lru_cache(maxsize=2)
def load_calibration(path: str | None = None) -> Calibration:
    where = Path(path) if path else models_dir() / "content" / "calibration.json"
    data = json.loads(where.read_text(encoding="utf-8"))
    if tuple(data["item_features"]) != ITEM_FEATURES or tuple(data["doc_features"]) != \
            DOC_FEATURES:
        raise ValueError(f"{where}: features do not match this version of qupia; "
                         "run `make model`")
    return Calibration({g: tuple(w) for g, w in data["item_weights"].items()},
                       {g: tuple(w) for g, w in data["doc_weights"].items()},
                       {g: float(t) for g, t in data["doc_threshold"].items()},
                       float(data["item_threshold"]))



def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def _dot(weights: tuple[float, ...], vector: list[float]) -> float:
    return _sigmoid(sum(w * x for w, x in zip(weights, vector, strict=True)))


def decide(calibration: Calibration, feats: Features, threshold: float | None = None
           ) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Document scores per group, and the items reported (best first).

    A group's items are reported only when its document score reaches the threshold (the
    user's, else the calibrated one); then every item whose own score reaches the item
    threshold, and at least the best one. A text laid out as a legal act scores 0.
    """
    doc_scores = {g: 0.0 if feats.legal_act else _dot(calibration.doc[g], feats.docs[g])
                  for g in GROUPS}
    chosen: list[tuple[str, float]] = []
    for group in GROUPS:
        limit = calibration.doc_threshold[group] if threshold is None else threshold
        if doc_scores[group] < limit:
            continue
        ranked = sorted(((i, _dot(calibration.item[group], v)) for i, v in feats.items.items()
                         if group_of(i) == group), key=lambda kv: -kv[1])
        keep = [kv for kv in ranked if kv[1] >= calibration.item_threshold] or ranked[:1]
        chosen.extend(keep)
    return doc_scores, chosen
