"""A PDF page's text runs through pdfium (pypdfium2's raw API), and whether the page's text
layer is usable.

A page's text comes as pdfium's text rectangles: runs of characters on one line, split where the
gap between them is wide (the org name at top left and the stamp at top right are two runs).
Rotated runs (a stamp put at an angle) keep their words: pdfium returns the characters of a
rotated run in one rectangle. If the rectangles lose characters that the page's full text has
(overlapping rotated text can do that), the page falls back to its full text as body lines, so
no word is lost.
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from qupia.extract.errors import ExtractError
from qupia.extract.textlayer import SAMPLE as TEXT_SAMPLE
from qupia.extract.textlayer import garbled

_SPACE = re.compile(r"\s+")
Run = tuple[int, str, tuple[float, float, float, float], float]
_SAMPLES = 5  # characters whose render mode is looked at


def _visible(text: str) -> str:
    return _SPACE.sub("", text)



def page_runs(pdf: pdfium.PdfDocument, index: int, force: bool = False
               ) -> tuple[list[Run], str | None]:
    """(page, text, bbox from top-left, page height) for each text run of a page, and why the
    page must be read from its image, if it must: ``empty`` (no text, but something is drawn),
    ``garbled`` (:func:`.textlayer.garbled`), ``invisible`` (the text is drawn invisible: an
    earlier OCR layer under a scan), ``image`` (a little text on a page that is mostly an
    image), ``force`` (``--ocr force``).

    pdfium gives the page's text in reading order (lines separated by CR LF) and, cheaply, its
    text rectangles in the same order: one per line, more where a line has wide gaps. Lines and
    rectangles are paired in order; where a line holds several rectangles, the character at each
    rectangle's left edge tells where the line splits. When lines and rectangles cannot be
    paired (rotated or overlapping text), each rectangle's text is asked for by its bounds.
    """
    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise ExtractError(f"page {index + 1} cannot be read")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        raw = pdfium_c.FPDFText_LoadPage(page)
        if not raw:
            raise ExtractError(f"the text of page {index + 1} cannot be read")
        try:
            textpage = _TextPage(raw)
            runs = _runs(textpage, index + 1, width, height)
            chars = sum(len(r[1]) for r in runs)  # runs are stripped: no blank run counts
            why: str | None = None
            if chars == 0:
                why = "empty" if _drawn(page, width * height)[0] else None
            elif _invisible(textpage):
                why = "invisible"
            elif garbled(_head(runs)):
                why = "garbled"
            elif chars < 200 and _drawn(page, width * height)[1] > 0.5:
                why = "image"
            if force and (chars or why):
                why = "force"
            return runs, why
        finally:
            pdfium_c.FPDFText_ClosePage(raw)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _head(runs: list[Run]) -> str:
    """The page's first runs, up to the sample the text-layer check judges."""
    out: list[str] = []
    size = 0
    for run in runs:
        out.append(run[1])
        size += len(run[1]) + 1
        if size >= TEXT_SAMPLE:
            break
    return "\n".join(out)


def _invisible(textpage: _TextPage) -> bool:
    """Whether the page's text is drawn invisible (render mode 3, ISO 32000-1 §9.3.6): the
    text layer an OCR program puts under a scanned image. A few characters are sampled."""
    count = textpage.count_chars()
    step = max(1, count // _SAMPLES)
    seen = 0
    for i in range(0, count, step):
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
        if not obj:
            continue
        seen += 1
        if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            return False
    return seen > 0


def _drawn(page: object, area: float) -> tuple[bool, float]:
    """Whether anything but text is drawn on the page, and the share of the page its images
    cover (from their bounds; forms are looked into one level)."""
    left, bottom, right, top = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(),
                                ctypes.c_float())
    covered = 0.0
    drawn = False
    objects = [pdfium_c.FPDFPage_GetObject(page, i)
               for i in range(max(0, pdfium_c.FPDFPage_CountObjects(page)))]
    for obj in objects[:5000]:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            objects.extend(pdfium_c.FPDFFormObj_GetObject(obj, i) for i in
                           range(max(0, pdfium_c.FPDFFormObj_CountObjects(obj))))
            continue
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH,
                    pdfium_c.FPDF_PAGEOBJ_SHADING):
            drawn = True
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(
                obj, left, bottom, right, top):
            covered += max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)
    return drawn, (covered / area if area > 0 else 0.0)


_SHARED: list[ctypes.Array[ctypes.c_ushort]] = []


def _units(size: int) -> ctypes.Array[ctypes.c_ushort]:
    """A buffer of at least *size* UTF-16 units, shared by every call in this process (each
    call reads back only what pdfium wrote into it). One buffer, of a power of two units: a
    ctypes array type of a new length is a new class, about 70 µs to make, and every page
    has its own number of characters."""
    if not _SHARED or len(_SHARED[0]) < size:
        _SHARED[:] = [(ctypes.c_ushort * (1 << max(12, (size - 1).bit_length())))()]
    return _SHARED[0]


#: whether this pdfium's FPDFText_GetBoundedText copies the text and then a zero (learnt from
#: its first answer that has text: [None] until then)
_TERMINATED: list[bool | None] = [None]


class _TextPage:
    """The pdfium text-page calls qupia makes, through pypdfium2's raw API: its helper objects
    (a finaliser to register and detach for every page and text page, new ctypes values for
    every rectangle) cost about 7 ms per 100 pages, a tenth of what qupia adds to pdfium."""

    def __init__(self, raw: object) -> None:
        self.raw = raw
        self._box = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())

    def count_chars(self) -> int:
        return max(0, pdfium_c.FPDFText_CountChars(self.raw))

    def get_text_range(self) -> str:
        """The page's whole text."""
        count = self.count_chars()
        if not count:
            return ""
        buffer = _units(count + 1)
        written = pdfium_c.FPDFText_GetText(self.raw, 0, count, buffer)
        return ctypes.string_at(buffer, 2 * max(0, written - 1)).decode("utf-16-le", "ignore")

    def rects(self) -> list[Rect]:
        """The text rectangles: left, bottom, right, top."""
        left, top, right, bottom = self._box
        get = pdfium_c.FPDFText_GetRect
        out = []
        for i in range(max(0, pdfium_c.FPDFText_CountRects(self.raw, 0, -1))):
            if get(self.raw, i, left, top, right, bottom):  # it fills left, top, right, bottom
                out.append((left.value, bottom.value, right.value, top.value))
        return out

    def get_index(self, x: float, y: float, x_tol: float, y_tol: float) -> int | None:
        index = pdfium_c.FPDFText_GetCharIndexAtPos(self.raw, x, y, x_tol, y_tol)
        return index if index >= 0 else None

    def get_text_bounded(self, left: float, bottom: float, right: float, top: float) -> str:
        """The text pdfium finds within the rectangle. Each call makes pdfium look at every
        character of the page, so where this pdfium is known to copy its text with a
        terminating zero (:data:`_TERMINATED`), one call with a buffer large enough for the
        page is made, not one for the size and one for the text."""
        if _TERMINATED[0]:
            buffer = _units(2 * self.count_chars() + 16)
            size = len(buffer)
            copied = pdfium_c.FPDFText_GetBoundedText(self.raw, left, top, right, bottom,
                                                      buffer, size)
            if 0 < copied < size:  # all of it, with its terminator
                return ctypes.string_at(buffer, 2 * (copied - 1)).decode("utf-16-le", "ignore")
        count = pdfium_c.FPDFText_GetBoundedText(self.raw, left, top, right, bottom, None, 0)
        if count <= 0:
            return ""
        buffer = (ctypes.c_ushort * (count + 1))()
        copied = pdfium_c.FPDFText_GetBoundedText(self.raw, left, top, right, bottom, buffer,
                                                  count + 1)
        if _TERMINATED[0] is None:
            _TERMINATED[0] = copied == count + 1 and buffer[count] == 0
        return ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "ignore")

    def get_charbox(self, index: int) -> Rect:
        left, bottom, right, top = self._box
        pdfium_c.FPDFText_GetCharBox(self.raw, index, left, right, bottom, top)  # l, r, b, t
        return left.value, bottom.value, right.value, top.value


Rect = tuple[float, float, float, float]  # pdfium: left, bottom, right, top


def _same_line(a: Rect, b: Rect) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]) and b[0] >= a[2] - 1


def _runs(textpage: _TextPage, page: int, width: float, height: float) -> list[Run]:
    """The page's runs: (page, text, bbox from the top-left corner, page height)."""
    full = textpage.get_text_range()
    rects = textpage.rects()
    groups: list[list[Rect]] = []
    last: Rect | None = None
    for rect in rects:  # _same_line(last, rect), written out: it runs for every rectangle;
        # its horizontal test first, which settles most pairs (a line starts left of where
        # the line before it ended)
        if last is not None and rect[0] >= last[2] - 1 and (min(last[3], rect[3]) - max(
                last[1], rect[1]) > 0.5 * min(last[3] - last[1], rect[3] - rect[1])):
            groups[-1].append(rect)
        else:
            groups.append([rect])
        last = rect
    split = full.split("\r\n")
    lines: list[tuple[int, str, str]] = []  # start, line, its text stripped
    pos = 0
    for line in split:
        text = line.strip()
        if text:
            lines.append((pos, line, text))
        pos += len(line) + 2
    if len(full) != textpage.count_chars() or len(groups) != len(lines):
        return _flipped(page, height, _bounded(textpage, full, rects, width, height))
    out: list[Run] = []
    if len(groups) == len(rects):  # one rectangle a line: the common case, kept quick
        for (start, line, text), (rect,) in zip(lines, groups, strict=True):
            left, bottom, right, top = rect
            size = top - bottom
            # a run far wider than its characters need: one text object with a wide gap inside
            # ("МИНИСТЕРСТВО ОБОРОНЫ" … "СЕКРЕТНО" drawn as one string, padded with spaces
            # that pdfium folds into one), cut where the gap is
            if size > 0 and (right - left) > 0.9 * size * len(text) + 4 * size:
                out.extend(_flipped(page, height, _split_gaps(textpage, start, line)))
            else:
                out.append((page, text, (left, height - top, right, height - bottom), height))
        return out
    for (start, line, text), group in zip(lines, groups, strict=True):
        if len(group) == 1:  # the line is the rectangle's text
            left, bottom, right, top = group[0]
            out.append((page, text, (left, height - top, right, height - bottom), height))
            continue
        cuts = [start]
        for rect in group[1:]:
            mid = (rect[1] + rect[3]) / 2
            at = textpage.get_index(rect[0] + 0.5, mid, 1.5, 1.5)
            if at is None or not cuts[-1] < at < start + len(line):
                break
            cuts.append(at)
        pieces: list[tuple[str, Rect]] = []
        if len(cuts) == len(group):
            cuts.append(start + len(line))
            for rect, a, b in zip(group, cuts, cuts[1:], strict=False):
                if full[a:b].strip():
                    pieces.append((full[a:b].strip(), rect))
        else:
            for rect in group:
                piece = " ".join(textpage.get_text_bounded(*rect).split())
                if piece:
                    pieces.append((piece, rect))
        out.extend(_flipped(page, height, pieces))
    return out


def _flipped(page: int, height: float, pieces: list[tuple[str, Rect]]) -> list[Run]:
    """Runs of *pieces* (text, pdfium rectangle): the rectangle as a bbox from the top."""
    return [(page, text, (left, height - top, right, height - bottom), height)
            for text, (left, bottom, right, top) in pieces]


def _split_gaps(textpage: _TextPage, start: int, line: str
                ) -> list[tuple[str, Rect]]:
    """A run cut at its wide gaps, from pdfium's character boxes (left, bottom, right, top);
    the words keep the spaces pdfium put between them."""
    pieces: list[tuple[str, Rect]] = []
    chars: list[str] = []
    box: list[float] = []
    last_right: float | None = None
    for i, ch in enumerate(line):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
            continue
        left, bottom, right, top = textpage.get_charbox(start + i)
        size = max(top - bottom, 1.0)
        if last_right is not None and left - last_right > 2.5 * size and chars:
            pieces.append(("".join(chars).strip(), (box[0], box[1], box[2], box[3])))
            chars, box = [], []
        chars.append(ch)
        box = [left, bottom, right, top] if not box else [
            min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        last_right = right
    if chars:
        pieces.append(("".join(chars).strip(), (box[0], box[1], box[2], box[3])))
    return pieces


def _bounded(
    textpage: _TextPage, full: str, rects: list[Rect], width: float, height: float
) -> list[tuple[str, Rect]]:
    out = []
    seen = 0
    for rect in rects:
        text = " ".join(textpage.get_text_bounded(*rect).split())
        if text:
            seen += len(_visible(text))
            out.append((text, rect))
    if seen != len(_visible(full)):
        # Overlapping or rotated text made rectangles and full text disagree: keep every
        # word, without geometry.
        mid = (0.0, height / 2, width, height / 2)
        return [(" ".join(ln.split()), mid) for ln in full.split("\r\n") if ln.strip()]
    return out
