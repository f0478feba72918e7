"""Blocks → Article 11–14 and 17(1) matches, each with its evidence and why it scored so.

Three kinds of evidence, combined by logistic functions whose weights are fitted by
``models/train_content.py`` (``models/content/calibration.json``):

* cue scores — per item, the weights of its cues found in the text (each cue once), less the
  weights of its exceptions found (12.12's aggregate indicators, …), and its share of the best
  cue score in its article;
* the classifier's probabilities (:mod:`qupia.content.classifier`) that the text discloses Article
  11–14 facts (or holds Article 17 facts) and to which article they belong, averaged over the
  text and at their best in one paragraph window;
* disclosure signals (unit numbers, counts with units, frequencies, call signs, exact dates…)
  per 100 words, and discussion signals (the language of laws, news, job postings, research).

A document score per group (Article 11–14; Article 17) decides whether the document holds such
content (:func:`decide`); item scores then choose which items to report. So a law or a news
story that names every topic scores low, and a report that gives a brigade's garrison and
strength scores high. A long document that a group's score does not reach as a whole is
also read in segments (:func:`analyse`). Secrecy marks are blanked before anything is read:
the content is judged, not the stamp.
"""

from __future__ import annotations

import bisect
import functools
import gc
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qupia.content.classifier import load_model, models_dir, predict
from qupia.content.matcher import Packs, Scan
from qupia.content.packs import load_packs
from qupia.content.signals import Signals, load_signals
from qupia.markings import Pack
from qupia.model import CategoryMatch, Document, Evidence
from qupia.text.fold import fold, latin_to_cyrillic

ITEM_FEATURES = ("bias", "cue", "cue_share", "p_article", "p_group", "specific", "discussion")
DOC_FEATURES = ("bias", "logit_group", "p_article_max", "cue_max", "cue_top3", "p_x_cue",
                "specific", "discussion", "logit_window_max")
GROUPS = ("1114", "17")  # Article 11–14 content; Article 17(1) content
EVIDENCE_CHARS = 160
CUE_WORDS = 8  # matched cue words kept with a category match, the weightiest first
SEGMENT = 2_000  # characters of a segment of a long document, read like a document of its own
MAX_SEGMENTS = 16
SECTION_MIN = 400  # characters of a block (paragraph, or a TXT file's part) read on its own
# An excerpt of a legal act (Signals.is_legal_excerpt) with at most this many letters and digits
# outside its quoted-law blocks (Signals.law_blocks) is discussion as a whole; a text with more
# (a memo or a long file that pastes an article beside its own words) is read without the
# quoted law. A disclosure is rarely shorter; on the dev excerpts 0 and 1,500 gave the same.
EXCERPT_REST = 300
SAMPLE = 20_000  # characters read for the signal densities (the corpus documents are shorter)


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


@dataclass(frozen=True)
class Text:
    """A document's text with its marks blanked, folded, and where each block starts.

    ``cyrillic`` is the same text with Kazakh Latin letters written as Cyrillic ones (same
    offsets), made when a tenth or more of the letters are Latin: the classifier and the
    Cyrillic cues then read a Latin-script document too.
    """

    original: str
    folded: str
    starts: tuple[int, ...]
    doc: Document
    cyrillic: str | None = None

    @property
    def for_model(self) -> str:
        return self.cyrillic if self.cyrillic is not None else self.folded


_LATIN = re.compile(r"[a-zäğıñöşūüáóúǵń]", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def _blank(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """*text* with each span replaced by as many spaces (offsets kept)."""
    out = []
    last = 0
    for start, end in spans:
        start = max(start, last)
        out.append(text[last:start])
        out.append(" " * (end - start))
        last = end
    out.append(text[last:])
    return "".join(out)


def prepare(doc: Document, marks: Pack, folded_blocks: list[str] | None = None,
            spans: tuple[tuple[int, int], ...] | None = None) -> Text:
    """The document's text for the content stage. *folded_blocks* and *spans* come from the
    markings stage when it ran (:func:`qupia.text.fold.fold_blocks`, ``MarkingFacts.spans``),
    so nothing is folded or matched twice; without them they are made here."""
    parts = []
    starts = []
    pos = 0
    for block in doc.blocks:
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text) + 1
    original = "\n".join(parts)
    folded = "\n".join(folded_blocks) if folded_blocks is not None else fold(original)
    # Blank every mark and mention of one: the classifier must not learn the stamp.
    if spans is None:
        spans = tuple(m.span() for m in marks.matcher.finditer(folded))
    cyrillic = None
    sample = original[:20_000]
    latin = sum(1 for _ in _LATIN.finditer(sample))
    if latin and latin * 10 >= sum(1 for _ in _LETTER.finditer(sample)):
        cyrillic = _blank(fold(latin_to_cyrillic(original)), spans)
    return Text(original, _blank(folded, spans), tuple(starts), doc, cyrillic)


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


@dataclass(frozen=True)
class Resources:
    packs: Packs
    signals: Signals
    nlp: Any
    calibration: Calibration


def load_resources() -> Resources:
    """The packs, signals, model and calibration (each loaded once and cached). The first
    time, they are moved out of the garbage collector's sight (``gc.freeze``): they live as
    long as the process, and its full collections stop walking the model's objects."""
    resources = Resources(load_packs(), load_signals(), load_model(), load_calibration())
    if not _FROZEN:
        gc.freeze()
        _FROZEN.append(True)
    return resources


_FROZEN: list[bool] = []


def _evidence(text: Text, span: tuple[int, int]) -> Evidence:
    index = max(0, bisect.bisect_right(text.starts, span[0]) - 1)
    block = text.doc.blocks[index]
    offset = span[0] - text.starts[index]
    lo = max(0, offset - EVIDENCE_CHARS // 3)
    if lo:  # start at a word: after the last space before the cut, if it is near
        space = block.text.rfind(" ", max(0, lo - 20), lo + 1)
        lo = space + 1 if space >= 0 else lo
    snippet = " ".join(block.text[lo : lo + EVIDENCE_CHARS].split())
    return Evidence(page=block.page, text=snippet, region=block.region.value)


def segments(folded: str, size: int = SEGMENT) -> list[tuple[int, int]]:
    """A long text as overlapping parts of about *size* characters cut at line ends, each
    starting half a part after the one before (so a section of up to *size* characters
    lies whole in one of them); [] for a text short enough to be read as one (the corpus's
    documents, on which the calibration was fitted, are under 5,000 characters)."""
    if len(folded) <= SEGMENT * 2:
        return []
    out = []
    start = 0
    while True:
        end = folded.find("\n", start + size)
        if end < 0 or len(folded) - end < size // 4:
            out.append((start, len(folded)))
            return out
        out.append((start, end))
        nxt = folded.find("\n", start + size // 2)
        start = nxt + 1 if 0 <= nxt < end else end + 1


def sections(text: Text) -> list[tuple[int, int]]:
    """The blocks of a long text (paragraphs; a TXT file's parts between blank lines) of
    SECTION_MIN to SEGMENT * 2 characters, each a place the file gives a part of its own (a
    pasted document, a report's section); [] for a short text."""
    if len(text.folded) <= SEGMENT * 2:
        return []
    ends = [*text.starts[1:], len(text.folded) + 1]
    return [(a, b - 1) for a, b in zip(text.starts, ends, strict=True)
            if SECTION_MIN <= b - 1 - a <= SEGMENT * 2]


def _part(text: Text, start: int, end: int) -> Text:
    """A segment of *text* as a text of its own (spans in it are offsets from *start*). A
    Kazakh Latin part of a mostly Cyrillic file is read in Cyrillic too, as a Latin document
    is (:func:`prepare`)."""
    original, folded = text.original[start:end], text.folded[start:end]
    if text.cyrillic is not None:
        return Text(original, folded, (0,), text.doc, text.cyrillic[start:end])
    cyrillic = None
    latin = sum(1 for _ in _LATIN.finditer(original))
    if latin and latin * 10 >= sum(1 for _ in _LETTER.finditer(original)):
        # blanked where the folded text was blanked (its marks, quoted law)
        converted = fold(latin_to_cyrillic(original))
        cyrillic = "".join(" " if f == " " and o != " " else c
                           for c, f, o in zip(converted, folded, original, strict=True))
    return Text(original, folded, (0,), text.doc, cyrillic)


def _rest(folded: str, spans: tuple[tuple[int, int], ...]) -> int:
    """Letters and digits of *folded* outside *spans*."""
    inside = sum(len(_LETTER_OR_DIGIT.findall(folded, a, b)) for a, b in spans)
    return len(_LETTER_OR_DIGIT.findall(folded)) - inside


_LETTER_OR_DIGIT = re.compile(r"\w")


def _without(text: Text, spans: tuple[tuple[int, int], ...]) -> Text:
    """*text* with *spans* blanked (offsets kept), or *text* itself when there are none."""
    if not spans:
        return text
    return Text(_blank(text.original, spans), _blank(text.folded, spans), text.starts, text.doc,
                _blank(text.cyrillic, spans) if text.cyrillic is not None else None)


def _best_segments(text: Text, packs: Packs, scan: Scan) -> list[tuple[int, int]]:
    """The parts to read on their own: the segments (all, or the MAX_SEGMENTS with the most
    cue weight), and the sections (:func:`sections`, likewise)."""
    out = []
    for parts in (segments(text.folded), sections(text)):
        if len(parts) <= MAX_SEGMENTS:
            out += parts
            continue
        weight = packs.spread(scan, parts)  # the scan features() matched: no second pass
        ranked = sorted(range(len(parts)), key=lambda k: -weight[k])[:MAX_SEGMENTS]
        out += [parts[k] for k in sorted(ranked) if weight[k] > 0]
    return out


def analyse(
    text: Text, resources: Resources, threshold: float | None = None
) -> tuple[tuple[CategoryMatch, ...], dict[str, float]]:
    """The items matched in a document's *text* (:func:`prepare`), best first, and the
    document scores of the two groups ("1114", "17").

    A long document that does not reach a group's threshold as a whole is also read in
    segments of about SEGMENT characters, each judged like a document of its own: the group's
    score is the best of the whole and of its segments, and its items come from the reading
    that gave that score. Averaged over a long text, one disclosing section drowns:
    ``make eval-long`` (``corpus/longdocs.py``) buries dev disclosures among other dev
    documents; read as a whole, half of them were missed (README, *Quality*, has the figures
    with segments). 2,000 characters found more there than 3,000 or 4,000. Its sections —
    blocks of 400 to 4,000 characters, a pasted document or a report's part — are read
    alone too, and each part is judged by its own words: the discussion signals of the rest
    of a long file (its news, its laws) are not its part's (with both, 44 of the 46 dev
    disclosures are found, against 34 with segments that took the whole file's signals).

    A text laid out as a legal act is not segmented: it discloses nothing anywhere. An
    excerpt of one (:meth:`~qupia.content.signals.Signals.is_legal_excerpt`) is discussion as
    a whole; law quoted inside another text (:meth:`~qupia.content.signals.Signals.law_blocks`)
    is blanked before the rest is read.
    """
    cal = resources.calibration
    law = resources.signals
    if law.is_legal_act(text.folded):
        return (), {g: 0.0 for g in GROUPS}  # a legal act names categories, discloses none
    blocks = tuple(law.law_blocks(text.folded, text.original))
    if law.is_legal_excerpt(text.folded, text.original) and \
            _rest(text.folded, blocks) <= EXCERPT_REST:
        return (), {g: 0.0 for g in GROUPS}  # an excerpt of one: discussion too
    # quoted law inside another text (an article pasted into a memo or a long file) is
    # discussion: blanked, so the rest is read as it would be without it
    text = _without(text, blocks)
    probs = predict(resources.nlp, text.for_model)
    scan = resources.packs.scan(text.folded)  # one automaton pass, for the cues and spread
    feats = features(resources.packs, resources.signals, text, probs, scan=scan)
    doc_scores, _ = decide(cal, feats, threshold)
    source = {g: (feats, probs, 0) for g in GROUPS}  # the reading each group's score is from
    limits = {g: cal.doc_threshold[g] if threshold is None else threshold for g in GROUPS}
    # groups the whole document does not reach: its segments may (a group it reaches keeps
    # the whole document's reading and evidence)
    open_groups = [g for g in GROUPS if doc_scores[g] < limits[g]]
    if not feats.legal_act and open_groups:
        for start, end in _best_segments(text, resources.packs, scan):
            part = _part(text, start, end)
            part_probs = predict(resources.nlp, part.for_model)
            part_feats = features(resources.packs, resources.signals, part, part_probs)
            scores, _ = decide(cal, part_feats, threshold)
            for group in open_groups:
                if not part_feats.legal_act and scores[group] > doc_scores[group]:
                    doc_scores[group] = scores[group]
                    source[group] = (part_feats, part_probs, start)
    matches = []
    for group in GROUPS:
        group_feats, group_probs, offset = source[group]
        if doc_scores[group] < limits[group]:
            continue
        _, chosen = decide(cal, group_feats, threshold)
        signals = (
            "disclosure signals: "
            f"{', '.join(f'{k}×{v}' for k, v in group_feats.specific.items()) or 'none'}"
            "; discussion signals: "
            f"{', '.join(f'{k}×{v}' for k, v in group_feats.discussion.items()) or 'none'}"
        )
        label = "ART17" if group == "17" else "DISCLOSE"
        where = "" if not offset else f" (read in the segment from character {offset})"
        for item, value in chosen:
            if group_of(item) != group:
                continue
            ev = group_feats.evidence[item]
            explanation = (
                f"{len(ev.cues)} cue{'s' if len(ev.cues) != 1 else ''} matched; {signals}; "
                f"model P({label})={group_probs[label]:.2f}; document score "
                f"{doc_scores[group]:.2f}{where}, item score {value:.2f}"
            )
            span = (ev.first[0] + offset, ev.first[1] + offset) if ev.first else None
            matches.append(CategoryMatch(
                article=resources.packs.article(item), item=item, score=value,
                evidence=(_evidence(text, span),) if span else (), explanation=explanation,
                cues=ev.words[:CUE_WORDS], weight=round(max(0.0, sum(ev.cues.values())
                                                            - ev.excepted), 3),
                group_score=round(doc_scores[group], 4),
            ))
    return tuple(matches), doc_scores
