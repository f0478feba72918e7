"""PDF: text and positions through pdfium (pypdfium2), regions by position and repetition.

pdfplumber, the design's first choice, reads 5–6 pages/s here against pdftotext's 300–480
(../shared/MEASURED.md); pdfium's text rectangles give the same words with their boxes at
250–320 pages/s, so qupia reads PDFs with pypdfium2.

A page's text comes as pdfium's text rectangles: runs of characters on one line, split where the
gap between them is wide (the org name at top left and the stamp at top right are two runs).
Each run becomes a :class:`Block`. Regions:

* header: the run lies in the top band of the page, or its text repeats near the top of most
  pages; footer likewise for the bottom band.
* body otherwise. Rotated runs (a stamp put at an angle) keep their words: pdfium returns the
  characters of a rotated run in one rectangle.

If the rectangles lose characters that the page's full text has (overlapping rotated text can
do that), the page falls back to its full text as body lines, so no word is lost.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from qupia.extract.errors import ExtractError, Limits
from qupia.model import Block, Document, Region

HEADER_BAND = 0.12  # share of the page height from the top edge
FOOTER_BAND = 0.09  # from the bottom edge
REPEAT_BAND = 0.22  # repeated runs this close to an edge are header/footer too
MAX_GAP = 24.0  # points: a repeated header run further below the last one is body
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractError("encrypted PDF: a password is required") from None
        raise ExtractError(f"not a readable PDF ({message.split(':')[-1].strip()})") from None


def _visible(text: str) -> str:
    return _SPACE.sub("", text)


def read_pdf(path: Path, limits: Limits) -> Document:
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise ExtractError(f"{count} pages, over the limit of {limits.max_pages}")
        runs: list[tuple[int, str, tuple[float, float, float, float], float]] = []
        for index in range(count):
            runs.extend(_page_runs(pdf, index))
    finally:
        pdf.close()
    blocks = _assign_regions(runs, count)
    return Document(path=str(path), format="pdf", pages=count, blocks=tuple(blocks))


def _page_runs(
    pdf: pdfium.PdfDocument, index: int
) -> list[tuple[int, str, tuple[float, float, float, float], float]]:
    """(page, text, bbox from top-left, page height) for each text rectangle of a page."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            full = textpage.get_text_range()
            out = []
            seen = 0
            for i in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(i)
                text = textpage.get_text_bounded(left, bottom, right, top)
                text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
                if not text.strip():
                    continue
                seen += len(_visible(text))
                out.append((index + 1, text.strip(), (left, height - top, right, height - bottom)))
            if seen != len(_visible(full)):
                # Overlapping or rotated text made rectangles and full text disagree:
                # keep every word, without geometry.
                lines = [ln for ln in full.replace("\r\n", "\n").split("\n") if ln.strip()]
                return [(index + 1, ln.strip(), (0.0, height / 2, width, height / 2), height)
                        for ln in lines]
            return [(p, t, box, height) for p, t, box in out]
        finally:
            textpage.close()
    finally:
        page.close()


def _key(text: str) -> str:
    """Text with digits removed: page numbers must not stop a footer from repeating."""
    return _SPACE.sub(" ", _DIGITS.sub("#", text)).strip().lower()


def _assign_regions(
    runs: list[tuple[int, str, tuple[float, float, float, float], float]], pages: int
) -> list[Block]:
    """Tag runs header/footer/body.

    A run is header when it lies in the top band, or when it repeats near the top of most pages
    and nothing but header runs stands above it on its page; footer likewise from the bottom.
    """
    top_keys: Counter[str] = Counter()
    bottom_keys: Counter[str] = Counter()
    for _, text, (_, top, _, bottom), height in runs:
        if top < height * REPEAT_BAND:
            top_keys[_key(text)] += 1
        if bottom > height * (1 - REPEAT_BAND):
            bottom_keys[_key(text)] += 1
    needed = max(2, (pages * 2 + 2) // 3) if pages > 1 else 10**9
    by_page: dict[int, list[int]] = {}
    for i, run in enumerate(runs):
        by_page.setdefault(run[0], []).append(i)
    regions = [Region.BODY] * len(runs)
    for indices in by_page.values():
        edge = 0.0
        for i in sorted(indices, key=lambda k: runs[k][2][1]):
            _, text, (_, top, _, bottom), height = runs[i]
            if bottom <= height * HEADER_BAND or (
                top < height * REPEAT_BAND
                and top_keys[_key(text)] >= needed
                and top - edge < MAX_GAP
            ):
                regions[i] = Region.HEADER
                edge = max(edge, bottom)
            else:
                break
        edge = float("inf")
        for i in sorted(indices, key=lambda k: -runs[k][2][3]):
            _, text, (_, top, _, bottom), height = runs[i]
            if regions[i] is Region.HEADER:
                break
            if top >= height * (1 - FOOTER_BAND) or (
                bottom > height * (1 - REPEAT_BAND)
                and bottom_keys[_key(text)] >= needed
                and min(edge, height) - bottom < MAX_GAP
            ):
                regions[i] = Region.FOOTER
                edge = min(edge, top)
            else:
                break
    return [
        Block(text=text, page=page, region=region, bbox=box)
        for (page, text, box, _), region in zip(runs, regions, strict=True)
    ]
