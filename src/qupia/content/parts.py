"""The parts of a long document read on their own: overlapping segments and its sections.

Averaged over a long text, one disclosing section drowns; :func:`qupia.content.detect.analyse`
reads each part like a document of its own when the whole does not reach a group's threshold.
"""

from __future__ import annotations

from qupia.content.matcher import Packs, Scan
from qupia.content.prepared import Text

SEGMENT = 2_000  # characters of a segment of a long document, read like a document of its own
MAX_SEGMENTS = 16
SECTION_MIN = 400  # characters of a block (paragraph, or a TXT file's part) read on its own
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


def sections(text: Text, least: int = SECTION_MIN) -> list[tuple[int, int]]:
    """The blocks of a long text (paragraphs; a TXT file's parts between blank lines) of
    *least* to SEGMENT * 2 characters, each a place the file gives a part of its own (a
    pasted document, a report's section); [] for a short text."""
    if len(text.folded) <= SEGMENT * 2:
        return []
    ends = [*text.starts[1:], len(text.folded) + 1]
    return [(a, b - 1) for a, b in zip(text.starts, ends, strict=True)
            if least <= b - 1 - a <= SEGMENT * 2]


def best_segments(text: Text, packs: Packs, scan: Scan, blocks_only: bool = False
                  ) -> list[tuple[int, int]]:
    """The parts to read on their own: the segments (all, or the MAX_SEGMENTS with the most
    cue weight), and the sections (:func:`sections`, likewise); with *blocks_only* the
    blocks of LAW_BLOCK_MIN characters or more alone (a file laid out as law: a document
    pasted whole between its articles is a block of its own, while a segment cut across the
    law joins the fragments its layout leaves between the law blocks)."""
    out = []
    for parts in ([sections(text, LAW_BLOCK_MIN)] if blocks_only
                  else [segments(text.folded), sections(text)]):
        if len(parts) <= MAX_SEGMENTS:
            out += parts
            continue
        weight = packs.spread(scan, parts)  # the scan features() matched: no second pass
        ranked = sorted(range(len(parts)), key=lambda k: -weight[k])[:MAX_SEGMENTS]
        out += [parts[k] for k in sorted(ranked) if weight[k] > 0]
    return out
