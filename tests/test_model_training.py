"""The trainer's seed average (models/train_content.py) is a model of the same kind whose
log-odds are the mean of the seeds' models: what bow.py reads, and what the averaged model's
calibration was fitted on."""

from __future__ import annotations

import math
import sys
from types import SimpleNamespace
from typing import Any

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "models"))

import train_content

TEXTS = [
    ("аскерл бөлім 0000 адам 00 танк орналас", ["11.1"], []),
    ("жаңалық парад өтті қала тұрғын мереке", [], []),
    ("ластан өзен зауыт қалдық мөлшер 00 есе", [], ["17.1.4"]),
    ("шифрла байлан жиілік 000 мгц кілт ауысады", ["14.4"], []),
    ("конференция баяндама ғылым зерттеу нәтиже", [], []),
    ("авария жарақат алды адам ауруха жеткізі", [], ["17.1.1"]),
]


def _docs() -> list[dict[str, Any]]:
    return [{"text": SimpleNamespace(for_model=text),
             "labels": {"items": items, "art17": art17}} for text, items, art17 in TEXTS * 2]


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def test_seed_average_is_the_mean_of_the_seeds_log_odds() -> None:
    docs = _docs()
    one = [train_content.train_textcat(docs, epochs=2, seeds=(seed,)) for seed in (0, 1)]
    both = train_content.train_textcat(docs, epochs=2, seeds=(0, 1))
    texts = ["аскерл бөлім танк", "өзен ластан зауыт", "парад мереке"]
    for a, b, mean in zip(*(list(m.pipe(texts)) for m in (*one, both)), strict=True):
        assert a.cats != b.cats  # the seeds gave different models
        for label in train_content.LABELS:
            expected = (_logit(a.cats[label]) + _logit(b.cats[label])) / 2
            assert math.isclose(_logit(mean.cats[label]), expected, abs_tol=1e-3)

