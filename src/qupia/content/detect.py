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
import gc
from dataclasses import dataclass, replace
from typing import Any

from qupia.content.calibration import Calibration, decide, load_calibration
from qupia.content.classifier import load_model, predict
from qupia.content.features import GROUPS, Features, ItemEvidence, features, group_of
from qupia.content.matcher import Packs
from qupia.content.packs import load_packs
from qupia.content.parts import (
    LAW_BLOCK_MIN,
    SEGMENT,
    best_segments,
    paragraph_starts,
    segments,
)
from qupia.content.prepared import Text, part, prepare, rest, rest_at_most, without
from qupia.content.signals import Signals, load_signals
from qupia.content.substance import paragraph_chars
from qupia.model import CategoryMatch, Evidence

__all__ = ["GROUPS", "Calibration", "Features", "Resources", "Text", "analyse", "decide",
           "features", "group_of", "load_calibration", "load_resources", "prepare", "segments"]

EVIDENCE_CHARS = 160
CUE_WORDS = 8  # matched cue words kept with a category match, the weightiest first
# An excerpt of a legal act (Signals.is_legal_excerpt) with at most this many letters and digits
# outside its quoted-law blocks (Signals.law_blocks) is discussion as a whole; a text with more
# (a memo or a long file that pastes an article beside its own words) is read without the
# quoted law. A disclosure is rarely shorter; on the dev excerpts 0 and 1,500 gave the same.
EXCERPT_REST = 300


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


def item_match(text: Text, packs: Packs, item: str, value: float, ev: ItemEvidence,
               offset: int, explanation: str, group_score: float) -> CategoryMatch:
    """The match of *item* (score *value*) as read in the part of *text* from character
    *offset*: its first cue's place as evidence, its weightiest cue words and their weight."""
    span = (ev.first[0] + offset, ev.first[1] + offset) if ev.first else None
    return CategoryMatch(
        article=packs.article(item), item=item, score=value,
        evidence=(_evidence(text, span),) if span else (), explanation=explanation,
        cues=ev.words[:CUE_WORDS], weight=round(max(0.0, sum(ev.cues.values()) - ev.excepted), 3),
        group_score=round(group_score, 4))


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
    documents; read as a whole, half of them were missed (docs/quality.md has the figures
    with segments). 2,000 characters found more there than 3,000 or 4,000. Its sections —
    blocks of 400 to 4,000 characters, a pasted document or a report's part — are read
    alone too, and each part is judged by its own words: the discussion signals of the rest
    of a long file (its news, its laws) are not its part's (with both, 44 of the 46 dev
    disclosures are found, against 34 with segments that took the whole file's signals).
    Short runs of paragraphs under 250 characters (up to 600 characters: a frequency table,
    a field message) are read when they hold a disclosure signal, and a segment only where
    no section or run read reaches: joining a file's own paragraphs adds up the topic words
    of several public texts (:func:`~qupia.content.parts.best_segments`).

    A text laid out as a legal act (:meth:`~qupia.content.signals.Signals.is_legal_act`)
    discloses nothing as a whole, and a short one nothing anywhere. An excerpt of one
    (:meth:`~qupia.content.signals.Signals.is_legal_excerpt`) is discussion as a whole; law
    quoted inside another text (:meth:`~qupia.content.signals.Signals.law_blocks`) is blanked
    before the rest is read. A long file laid out as law (articles pasted with other
    documents between them) is read only in its blocks of LAW_BLOCK_MIN characters or more
    with half of them outside the law (:func:`~qupia.content.parts.best_segments`): a
    document pasted whole is a block of its own, while a segment cut across a law joins the
    fragments its layout leaves between the law blocks. While such a file read as nothing,
    ``make eval-long`` missed 16 of 46 dev disclosures among fillers that hold law excerpts;
    the 50 laws of corpus/public and public-2 stay clean.
    """
    cal = resources.calibration
    law = resources.signals
    legal_act = law.is_legal_act(text.folded)
    if legal_act and len(text.folded) <= SEGMENT * 2:
        return (), {g: 0.0 for g in GROUPS}  # a legal act names categories, discloses none
    # where the file starts a paragraph: a TXT file's blank lines, a PDF's layout (a DOCX's
    # paragraphs may be the lines of a law pasted from a PDF: no breaks there)
    laid_out = any(b.bbox is not None for b in text.doc.blocks)
    breaks = frozenset(text.starts[k] for k in paragraph_starts(text)) \
        if text.doc.format == "txt" or laid_out else frozenset()
    blocks = tuple(law.law_blocks(text.folded, text.original, breaks))
    # (the rest outside the law first: it is counted only up to the limit, while the excerpt's
    # layout reads every line)
    if rest_at_most(text.folded, blocks, EXCERPT_REST) and \
            law.is_legal_excerpt(text.folded, text.original):
        return (), {g: 0.0 for g in GROUPS}  # an excerpt of one: discussion too
    # quoted law inside another text (an article pasted into a memo or a long file) is
    # discussion: blanked, so the rest is read as it would be without it
    text = without(text, blocks)
    scan = resources.packs.scan(text.folded)  # one automaton pass, for the cues and spread
    # the reading each group's score is from: (features, probabilities, offset)
    source: dict[str, tuple[Features, dict[str, float], int]] = {}
    if legal_act:  # as a whole a legal act discloses nothing: only blocks outside its law may
        doc_scores = {g: 0.0 for g in GROUPS}
    else:
        probs = predict(resources.nlp, text.for_model)
        feats = features(resources.packs, resources.signals, text, probs, scan=scan)
        doc_scores, _ = decide(cal, feats, threshold)
        source = {g: (feats, probs, 0) for g in GROUPS}
    limits = {g: cal.doc_threshold[g] if threshold is None else threshold for g in GROUPS}
    # groups the whole document does not reach: its segments may (a group it reaches keeps
    # the whole document's reading and evidence)
    open_groups = [g for g in GROUPS if doc_scores[g] < limits[g]]
    narrowest: dict[str, tuple[int, float, Features, dict[str, float], int]] = {}
    if (legal_act or not feats.legal_act) and open_groups:
        for start, end in best_segments(text, resources.packs, scan, law,
                                        blocks_only=legal_act):
            if legal_act and rest(text.folded[start:end], ()) < LAW_BLOCK_MIN // 2:
                continue  # a block of the law itself (blanked)
            piece = part(text, start, end)
            if legal_act and laid_out and not any(
                    law.count(law.specific, piece.original, reading)
                    for reading in piece.readings):
                continue  # a PDF law's own prose, cut by its layout: no disclosure signal
                # (on the folded text or, for Kazakh Latin, its Cyrillic reading)
            part_probs = predict(resources.nlp, piece.for_model)
            part_feats = features(resources.packs, resources.signals, piece, part_probs)
            scores, _ = decide(cal, part_feats, threshold)
            for group in open_groups:
                if part_feats.legal_act:
                    continue
                if scores[group] >= limits[group] and \
                        end - start < narrowest.get(group, (len(text.folded) + 1,))[0]:
                    narrowest[group] = (end - start, scores[group], part_feats, part_probs,
                                        start)
                if scores[group] > doc_scores[group]:
                    doc_scores[group] = scores[group]
                    source[group] = (part_feats, part_probs, start)
        # of the parts that reach a group's threshold, the narrowest one is reported: a
        # pasted document rather than a segment, or a paragraph cut by a page break rather
        # than it joined with the law's item above it, whose topic words would be the items
        for group, (_, score, part_feats, part_probs, start) in narrowest.items():
            doc_scores[group] = score
            source[group] = (part_feats, part_probs, start)
    matches = []
    for group in GROUPS:
        if doc_scores[group] < limits[group]:
            continue
        group_feats, group_probs, offset = source[group]
        _, chosen = decide(cal, group_feats, threshold)
        signals = (
            "disclosure signals: "
            f"{', '.join(f'{k}×{v}' for k, v in group_feats.specific.items()) or 'none'}"
            "; discussion signals: "
            f"{', '.join(f'{k}×{v}' for k, v in group_feats.discussion.items()) or 'none'}"
        )
        label = "ART17" if group == "17" else "DISCLOSE"
        where = "" if not offset else f" (read in the segment from character {offset})"
        # the disclosure-versus-discussion decision first, then what it rests on
        decision = (
            f"{'states Article 17 facts' if group == '17' else 'discloses'}, not discussion: "
            f"document score {doc_scores[group]:.2f} ≥ {limits[group]:.2f}{where}"
            + ("; quoted law set aside" if blocks else "")
        )
        for item, value in chosen:
            if group_of(item) != group:
                continue
            ev = group_feats.evidence[item]
            explanation = (
                f"{decision}; {len(ev.cues)} cue{'s' if len(ev.cues) != 1 else ''} matched; "
                f"{signals}; model P({label})={group_probs[label]:.2f}; item score {value:.2f}"
            )
            matches.append(item_match(text, resources.packs, item, value, ev, offset,
                                      explanation, doc_scores[group]))
    if len({m.article == "17" for m in matches}) == 2:  # both groups: what is it about?
        chars = paragraph_chars(text, resources.packs, {m.item for m in matches})
        matches = [replace(m, chars=chars[m.item]) for m in matches]
    return tuple(matches), doc_scores
