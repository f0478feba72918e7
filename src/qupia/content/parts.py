"""The parts of a long document read on their own: overlapping segments and its sections.

Averaged over a long text, one disclosing section drowns; :func:`qupia.content.detect.analyse`
reads each part like a document of its own when the whole does not reach a group's threshold.
A section is a paragraph of the file (:func:`paragraphs`): a TXT file's part between blank
lines, a DOCX paragraph, or a PDF's lines joined where the layout leaves no paragraph gap.
"""

from __future__ import annotations

import itertools
import statistics

from qupia.content.matcher import Packs, Scan
from qupia.content.prepared import Text
from qupia.content.signals import Signals
from qupia.model import Block

SEGMENT = 2_000  # characters of a segment of a long document, read like a document of its own
MAX_SEGMENTS = 16
SECTION_MIN = 250  # characters of a block (paragraph, or a TXT file's part) read on its own
LAW_BLOCK_MIN = 250  # the same in a file laid out as law, which is read in its blocks alone


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


GAP = 0.35  # of a line's height: white space between two PDF lines beyond the usual that
# starts a paragraph (reportlab's paragraph spacing of 6 pt at 10.5 pt type is about 0.6)


def paragraph_starts(text: Text) -> list[int]:
    """The indices of the blocks of *text* that start a paragraph. A TXT file's blocks (its
    parts between blank lines) and a DOCX's paragraphs each do; a PDF's blocks are its lines,
    and a line starts a paragraph when it starts a page or a region (header, body, table…)
    or lies further below the line before it than the file's usual line gap by more than
    GAP of its height — unless it starts in lower case or with one of GOES_ON (the sentence
    goes on, over a page break too) or stands on the line before it (a link's words are
    runs of their own)."""
    blocks = text.doc.blocks
    boxes = [b.bbox for b in blocks]
    if not blocks or any(box is None for box in boxes):
        return list(range(len(blocks)))
    gaps = [b.bbox[1] - a.bbox[3] for a, b in itertools.pairwise(blocks)
            if a.bbox and b.bbox and a.page == b.page and a.region is b.region
            and b.bbox[1] > a.bbox[1]]
    usual = statistics.median(gaps) if gaps else 0.0
    return [0, *(k for k in range(1, len(blocks)) if _starts(blocks[k - 1], blocks[k], usual))]


GOES_ON = ",;).:"  # a line that starts so (or in lower case) goes on the sentence before it


def _starts(before: Block, block: Block, usual: float) -> bool:
    if before.region is not block.region or before.bbox is None or block.bbox is None:
        return True
    first = block.text.lstrip()[:1]
    if first and (first.islower() or first in GOES_ON):
        return False  # the sentence goes on (over a page break too)
    if before.page != block.page:
        return True
    (_, top0, _, bottom0), (_, top, _, bottom) = before.bbox, block.bbox
    if top < bottom0 and bottom > top0:  # on the same line (a link's words are runs of
        return False  # their own in a PDF): the line goes on
    if top <= top0:  # above the line before it: a new column, a part of its own
        return True
    return top - bottom0 > usual + GAP * max(bottom - top, bottom0 - top0)


def paragraphs(text: Text) -> list[tuple[int, int]]:
    """The paragraphs of *text* (:func:`paragraph_starts`) as spans of its folded text."""
    firsts = paragraph_starts(text)
    ends = [*(text.starts[k] for k in firsts[1:]), len(text.folded) + 1]
    return [(text.starts[k], end - 1) for k, end in zip(firsts, ends, strict=True)]


def sections(text: Text, least: int = SECTION_MIN) -> list[tuple[int, int]]:
    """The paragraphs of a long text (:func:`paragraphs`) of *least* to SEGMENT * 2
    characters, each a place the file gives a part of its own (a pasted document, a report's
    section); [] for a short text."""
    if len(text.folded) <= SEGMENT * 2:
        return []
    return [(a, b) for a, b in paragraphs(text) if least <= b - a <= SEGMENT * 2]


def best_segments(text: Text, packs: Packs, scan: Scan, signals: Signals | None = None,
                  blocks_only: bool = False) -> list[tuple[int, int]]:
    """The parts to read on their own: the segments (all, or the MAX_SEGMENTS that rank
    first), and the sections (:func:`sections`, likewise); with *blocks_only* the
    blocks of LAW_BLOCK_MIN characters or more alone (a file laid out as law: a document
    pasted whole between its articles is a block of its own, while a segment cut across the
    law joins the fragments its layout leaves between the law blocks). A part ranks by its
    cue weight times one plus its disclosure signals (*signals*' specific ones: unit
    numbers, frequencies, call signs…): a short report of a unit's strength and call signs
    outranks a long news story that names more topics."""
    out = []
    least = LAW_BLOCK_MIN if blocks_only else SECTION_MIN
    for parts in ([sections(text, least)] if blocks_only
                  else [segments(text.folded), sections(text, least)]):
        if len(parts) <= MAX_SEGMENTS:
            out += parts
            continue
        weight = packs.spread(scan, parts)  # the scan features() matched: no second pass
        if signals is not None:
            weight = [w * (1 + sum(signals.count(signals.specific, text.original[a:b],
                                                 text.folded[a:b]).values()))
                      if w > 0 else 0.0 for w, (a, b) in zip(weight, parts, strict=True)]
        ranked = sorted(range(len(parts)), key=lambda k: -weight[k])[:MAX_SEGMENTS]
        out += [parts[k] for k in sorted(ranked) if weight[k] > 0]
    return out
