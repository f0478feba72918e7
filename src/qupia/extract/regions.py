"""Regions of a page's text runs by position and repetition: header, footer, body.

* header: the run lies in the top band of the page, or its text repeats near the top of most
  pages; footer likewise for the bottom band;
* body otherwise.

Used for PDF text layers (:mod:`.pdf`) and for text read by OCR (:mod:`.image`, :mod:`.pdf`).
"""

from __future__ import annotations

import re
from collections import Counter

from qupia.model import Block, Region

HEADER_BAND = 0.12  # share of the page height from the top edge
FOOTER_BAND = 0.09  # from the bottom edge
REPEAT_BAND = 0.22  # repeated runs this close to an edge are header/footer too
MIN_GAP = 8.0  # points of white space that set a header or footer apart from the body

_DIGITS = re.compile(r"[0-9]")


def _key(text: str) -> str:
    """Text with digits masked: page numbers must not stop a footer from repeating."""
    return _DIGITS.sub("#", text).lower()


Run = tuple[int, str, tuple[float, float, float, float], float]


def repeat_counts(runs: list[Run]) -> tuple[Counter[str], Counter[str]]:
    """How often each run's text (digits masked) stands near the top and near the bottom of a
    page, from which :func:`assign_regions` tells repeated headers and footers; the counts of
    a document's page ranges add up to the whole document's."""
    top_keys: Counter[str] = Counter()
    bottom_keys: Counter[str] = Counter()
    for _, text, (_, top, _, bottom), height in runs:
        if top < height * REPEAT_BAND:
            top_keys[_key(text)] += 1
        elif bottom > height * (1 - REPEAT_BAND):
            bottom_keys[_key(text)] += 1
    return top_keys, bottom_keys


def assign_regions(
    runs: list[Run], pages: int, flags: list[tuple[bool, bool]] | None = None,
    counts: tuple[Counter[str], Counter[str]] | None = None,
) -> list[Block]:
    """Tag runs header/footer/body; *counts*: :func:`repeat_counts` of *runs* when already
    made (by page range, on two cores: :mod:`.pdf`).

    Header: the runs at the top of a page that lie in the top band (or repeat near the top of
    most pages), up to the last one followed by a clear vertical gap — running text that simply
    starts high on the page has no such gap and stays body. Footer likewise from the bottom.
    """
    top_keys: Counter[str] = Counter()
    bottom_keys: Counter[str] = Counter()
    if pages > 1:
        top_keys, bottom_keys = counts if counts is not None else repeat_counts(runs)
    needed = max(2, (pages * 2 + 2) // 3) if pages > 1 else 10**9
    by_page: dict[int, list[int]] = {}
    last_page, indices = None, []
    for i, run in enumerate(runs):  # runs come page by page: a page's list is looked up once
        if run[0] != last_page:
            last_page = run[0]
            indices = by_page.setdefault(last_page, [])
        indices.append(i)
    regions = [Region.BODY] * len(runs)
    tops = [run[2][1] for run in runs]
    bottoms = [-run[2][3] for run in runs]
    for indices in by_page.values():
        down = sorted(indices, key=tops.__getitem__)
        for i in _edge(runs, down, top_keys, needed, top=True):
            regions[i] = Region.HEADER
        up = [i for i in sorted(indices, key=bottoms.__getitem__)
              if regions[i] is Region.BODY]
        for i in _edge(runs, up, bottom_keys, needed, top=False):
            regions[i] = Region.FOOTER
    if flags is None:  # (positional arguments: a tenth quicker for tens of thousands of runs)
        return [Block(text, page, region, box)
                for (page, text, box, _), region in zip(runs, regions, strict=True)]
    # OCR'd runs (flags: read by OCR, drawn in a frame): a framed run in the body is a box
    return [
        Block(text=text, page=page, bbox=box, ocr=ocr,
              region=Region.TEXTBOX if boxed and region is Region.BODY else region)
        for (page, text, box, _), region, (ocr, boxed) in zip(runs, regions, flags, strict=True)
    ]


def _edge(
    runs: list[tuple[int, str, tuple[float, float, float, float], float]],
    order: list[int],
    repeated: Counter[str],
    needed: int,
    top: bool,
) -> list[int]:
    """The header (top=True) or footer runs among *order*, sorted from that edge inwards."""
    candidates: list[int] = []
    for i in order:
        _, text, (_, y0, _, y1), height = runs[i]
        inner, outer = (y1, y0) if top else (height - y0, height - y1)
        band = HEADER_BAND if top else FOOTER_BAND
        if inner <= height * band or (outer < height * REPEAT_BAND and repeated[_key(text)]
                                      >= needed):
            candidates.append(i)
        else:
            break
    rest = order[len(candidates):]
    # Keep candidates up to the last one followed by a clear gap.
    keep = 0
    for n, i in enumerate(candidates):
        _, _, (_, y0, _, y1), _ = runs[i]
        nxt = candidates[n + 1] if n + 1 < len(candidates) else (rest[0] if rest else None)
        if nxt is None:
            keep = n + 1
            continue
        _, _, (_, n0, _, n1), _ = runs[nxt]
        gap = (n0 - y1) if top else (y0 - n1)
        if gap >= max(MIN_GAP, 0.8 * (y1 - y0)):
            keep = n + 1
    return candidates[:keep]
