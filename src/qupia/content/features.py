"""The features the content stage scores: cue scores per item, the classifier's probabilities
and the signals of disclosure and discussion, per item and per group (:func:`features`).

Their weights are fitted by ``models/train_content.py`` (:mod:`qupia.content.calibration`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qupia.content.matcher import Packs, Scan
from qupia.content.prepared import Text
from qupia.content.signals import Signals

ITEM_FEATURES = ("bias", "cue", "cue_share", "p_article", "p_group", "specific", "discussion")
DOC_FEATURES = ("bias", "logit_group", "p_article_max", "cue_max", "cue_top3", "p_x_cue",
                "specific", "discussion", "logit_window_max")
GROUPS = ("1114", "17")  # Article 11–14 content; Article 17(1) content
SAMPLE = 20_000  # characters read for the signal densities (the corpus documents are shorter)


@dataclass(frozen=True)
class ItemEvidence:
    cues: dict[str, float]  # cue label → weight
    first: tuple[int, int] | None  # span of the strongest cue's first match
    excepted: float  # the summed weights of the item's exceptions found
    words: tuple[str, ...] = ()  # the words each cue matched, the weightiest cue first


def cue_scores(packs: Packs, text: Text, scan: Scan | None = None) -> dict[str, ItemEvidence]:
    """Per item: the cues found (each cue — one YAML entry — once, by its first stem found),
    where the strongest one first matched, and the exceptions found. *scan*: text.folded's
    :meth:`~qupia.content.matcher.Packs.scan`, when the caller has made it."""
    found: dict[str, dict[str, tuple[str, float, int, int]]] = {}
    excepted: dict[str, dict[str, float]] = {}  # item → exception group → weight
    hits = packs.hits(scan if scan is not None else text.folded)
    if text.cyrillic is not None:  # Cyrillic cues on a Latin-script text
        for index, span in packs.hits(text.cyrillic).items():
            hits[index] = min(hits.get(index, span), span)
    for index, (start, end) in sorted(hits.items(), key=lambda kv: kv[1]):
        cue = packs.cues[index]
        if cue.exception:
            excepted.setdefault(cue.item, {}).setdefault(cue.group, cue.weight)
            continue
        found.setdefault(cue.item, {}).setdefault(cue.group, (cue.label, cue.weight, start, end))
    out = {}
    for item, cues in found.items():
        best = max(cues.values(), key=lambda c: (c[1], -c[2]))
        strongest = sorted(cues.values(), key=lambda c: (-c[1], c[2]))
        words = tuple(dict.fromkeys(" ".join(text.original[a:b].split())
                                    for _, _, a, b in strongest))
        out[item] = ItemEvidence({label: w for label, w, _, _ in cues.values()},
                                 (best[2], best[3]), sum(excepted.get(item, {}).values()), words)
    return out


def group_of(item: str) -> str:
    return "17" if item.startswith("17.") else "1114"


@dataclass(frozen=True)
class Features:
    items: dict[str, list[float]]  # item → ITEM_FEATURES vector (items with a cue only)
    docs: dict[str, list[float]]  # group → DOC_FEATURES vector
    evidence: dict[str, ItemEvidence]
    specific: dict[str, int]
    discussion: dict[str, int]
    probs: dict[str, float]
    legal_act: bool = False  # a legal act or an excerpt of one: names categories, discloses none


def features(packs: Packs, signals: Signals, text: Text, probs: dict[str, float],
             genre: dict[str, int] | None = None, scan: Scan | None = None) -> Features:
    """The features of *text*. *genre*: the discussion signals of the whole document when
    *text* is a segment of it: a law's or a news story's language anywhere in a document says
    what kind of document every part of it is."""
    evidence = cue_scores(packs, text, scan)
    # Signals are densities: the first SAMPLE characters tell them as well as the whole.
    original, folded = text.original[:SAMPLE], text.folded[:SAMPLE]
    specific = Signals.count(signals.specific, original, folded)
    discussion = Signals.count(signals.discussion, original, folded)
    for name, count in (genre or {}).items():
        discussion[name] = max(discussion.get(name, 0), count)
    words = max(1, len(folded.split()))
    spec = math.log1p(100.0 * sum(specific.values()) / words)
    disc = math.log1p(sum(discussion.values()))
    best: dict[str, float] = {}
    raw: dict[str, float] = {}
    for item, ev in evidence.items():
        # An exception weighs against the item's cues (12.12: aggregate indicators), so a
        # document that also gives the excluded kind of figure keeps strong specific cues.
        raw[item] = max(0.0, sum(ev.cues.values()) - ev.excepted)
        article = packs.article(item)
        best[article] = max(best.get(article, 0.0), raw[item])
    items = {}
    for item, value in raw.items():
        article = packs.article(item)
        p_group = probs["ART17"] if article == "17" else probs["DISCLOSE"]
        p_article = probs["ART17"] if article == "17" else probs.get(f"A{article}", 0.0)
        items[item] = [1.0, math.log1p(value), value / best[article] if best[article] else 0.0,
                       p_article, p_group, spec, disc]
    docs = {}
    for group in GROUPS:
        values = sorted((v for i, v in raw.items() if group_of(i) == group), reverse=True)
        p_group = probs["ART17"] if group == "17" else probs["DISCLOSE"]
        p_article = probs["ART17"] if group == "17" else max(probs[f"A{a}"] for a in
                                                             ("11", "12", "13", "14"))
        cue_max = math.log1p(values[0] if values else 0.0)
        # The product asks for both: topic cues AND a classifier that reads a disclosure —
        # a law names every topic (high cues) and discloses nothing (low probability).
        window = probs.get("ART17_MAX" if group == "17" else "DISCLOSE_MAX", p_group)
        docs[group] = [1.0, _logit(p_group), p_article, cue_max, math.log1p(sum(values[:3])),
                       p_group * cue_max, spec, disc, _logit(window)]
    return Features(items, docs, evidence, specific, discussion, probs,
                    signals.is_legal_act(text.folded))


def _logit(p: float) -> float:
    """The classifier's confidence on a linear scale, clipped to ±6."""
    p = min(max(p, 0.0025), 0.9975)
    return math.log(p / (1.0 - p))
