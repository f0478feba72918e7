"""A document's blocks as streams: the text of one page region, its blocks joined by newlines,
folded once (:func:`qupia.text.fold.fold_blocks`); and the line geometry the stamp tests read
(line segments, the lines before and after, a line's words)."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import regex

from qupia.model import Block, Document, Region
from qupia.text.fold import fold

_TOKEN = regex.compile(r"[\w]+(?:[.\-][\w]+)*")
_SEGMENT = regex.compile(r"\t| {3,}")


@dataclass(frozen=True)
class Stream:
    """The text of one page region, its blocks joined by newlines."""

    page: int
    region: Region
    text: str
    folded: str
    starts: tuple[int, ...]  # offset of each block in text
    blocks: tuple[Block, ...]
    ids: tuple[int, ...]  # each block's index in the document


def split_streams(doc: Document, folded: list[str]) -> list[Stream]:
    return [make_stream(doc, folded, *group) for group in stream_groups(doc)]


def stream_groups(doc: Document) -> list[tuple[int, Region, list[int]]]:
    """(page, region, the indices of its blocks) of each stream of *doc*, in page order,
    then the regions a reader meets first."""
    groups: dict[tuple[int, Region], list[int]] = {}
    page, region, ids = None, None, []
    for index, block in enumerate(doc.blocks):
        # blocks come page by page, a region's often one after another: the list is looked
        # up when the page or the region changes
        if block.page != page or block.region is not region:
            page, region = block.page, block.region
            ids = groups.setdefault((page, region), [])
        ids.append(index)
    rank = {r: i for i, r in enumerate(Region)}
    order = sorted(groups, key=lambda k: (k[0], rank[k[1]]))
    return [(page, region, groups[(page, region)]) for page, region in order]


def make_stream(doc: Document, folded: list[str] | None, page: int, region: Region,
                ids: list[int]) -> Stream:
    """The stream of the blocks *ids* of *doc* (:func:`stream_groups`); *folded*: each block's
    text folded (:func:`qupia.text.fold.fold_blocks`), else the stream's text is folded here
    (the same: folding keeps each character's place and never looks past a newline)."""
    blocks = tuple(map(doc.blocks.__getitem__, ids))
    lengths = [len(b.text) + 1 for b in blocks]
    starts = tuple(itertools.accumulate(lengths[:-1], initial=0)) if blocks else ()
    text = "\n".join([b.text for b in blocks])
    return Stream(page, region, text,
                  "\n".join(map(folded.__getitem__, ids)) if folded is not None else fold(text),
                  starts, blocks, tuple(ids))


def global_spans(stream: Stream, start: int, end: int, offsets: list[int]
                  ) -> list[tuple[int, int]]:
    """A match in a stream as spans of the whole document's text (blocks joined by newlines
    in document order), one per block it touches."""
    out = []
    k = max(0, bisect.bisect_right(stream.starts, start) - 1)
    while k < len(stream.starts) and stream.starts[k] < end:
        lo = max(start, stream.starts[k])
        hi = min(end, stream.starts[k] + len(stream.blocks[k].text))
        if hi > lo:
            base = offsets[stream.ids[k]] - stream.starts[k]
            out.append((base + lo, base + hi))
        k += 1
    return out


def line_segment(stream: Stream, start: int, end: int) -> tuple[int, int]:
    """The bounds of the line segment holding [start, end)."""
    text = stream.text
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    for m in _SEGMENT.finditer(text, lo, start):
        lo = m.end()
    m = _SEGMENT.search(text, end, hi)
    if m:
        hi = m.start()
    return lo, hi


def words_of(text: str) -> list[str]:
    return _TOKEN.findall(text)


def prev_line(folded: str, lo: int) -> str:
    if lo <= 0:
        return ""
    start = folded.rfind("\n", 0, lo - 1) + 1
    return folded[start : lo - 1]


def next_line(folded: str, hi: int) -> str:
    if hi >= len(folded):
        return ""
    end = folded.find("\n", hi + 1)
    return folded[hi + 1 : len(folded) if end < 0 else end]
