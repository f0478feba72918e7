"""PDF: text and positions through pdfium (pypdfium2), regions by position and repetition.

pdfplumber, the design's first choice, reads 5–6 pages/s here against pdftotext's 300–480
(docs/measurements.md); pdfium's text rectangles give the same words with their boxes at
250–320 pages/s, so qupia reads PDFs with pypdfium2.

A page's text comes as pdfium's text rectangles: runs of characters on one line, split where the
gap between them is wide (the org name at top left and the stamp at top right are two runs).
Each run becomes a :class:`Block`. Regions:

* header: the run lies in the top band of the page, or its text repeats near the top of most
  pages; footer likewise for the bottom band.
* body otherwise. Rotated runs (a stamp put at an angle) keep their words: pdfium returns the
  characters of a rotated run in one rectangle.

Document information and XMP metadata become blocks of region metadata
(:mod:`qupia.extract.metadata`).

If the rectangles lose characters that the page's full text has (overlapping rotated text can
do that), the page falls back to its full text as body lines, so no word is lost.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from qupia.extract import pages
from qupia.extract.errors import ExtractError, Limits
from qupia.extract.metadata import PDF_INFO_KEYS, pdf_xmp, property_blocks, xmp_properties
from qupia.extract.ocr import DPI as OCR_DPI
from qupia.extract.ocr import OcrError, recognise_all, runs_of
from qupia.extract.ocr import reason as ocr_reason
from qupia.extract.ocr import unavailable as ocr_unavailable
from qupia.extract.textlayer import SAMPLE as TEXT_SAMPLE
from qupia.extract.textlayer import garbled
from qupia.model import Block, Document, Region

HEADER_BAND = 0.12  # share of the page height from the top edge
FOOTER_BAND = 0.09  # from the bottom edge
REPEAT_BAND = 0.22  # repeated runs this close to an edge are header/footer too
MIN_GAP = 8.0  # points of white space that set a header or footer apart from the body
_SPACE = re.compile(r"\s+")


def _open(path: Path | bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractError("encrypted PDF: a password is required") from None
        raise ExtractError(f"not a readable PDF ({message.split(':')[-1].strip()})") from None


def _visible(text: str) -> str:
    return _SPACE.sub("", text)


def read_pdf(path: Path | bytes, limits: Limits, name: str | None = None, ocr: str = "auto",
             workers: int = 1) -> Document:
    """Read the PDF at *path*, or its bytes (a member of an archive) named *name*; pages
    without a usable text layer are read by OCR (:mod:`.ocr`) when *ocr* allows, else listed
    as unreadable (``Document.unreadable_pages``)."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise ExtractError(f"{count} pages, over the limit of {limits.max_pages}")
        force = ocr == "force"
        # A long PDF's second half is read by a forked helper meanwhile (pages.py)
        half = count // 2 if count >= pages.SPLIT_PAGES and pages.cores() > 1 else count
        helper = pages.fork_reader(lambda: _read_range(path, half, count, force=force)) \
            if half < count else None
        read: list[tuple[list[Run], str | None]] = []
        try:
            for index in range(half):
                read.append(_page_runs(pdf, index, force))
        except BaseException:
            if helper is not None:
                helper.discard()
            raise
        rest = helper.result() if helper is not None else None
        if half < count:  # the helper's pages; read here if it failed or could not start
            read.extend(rest if rest is not None else _read_range(path, half, count, pdf, force))
        by_page: list[list[Run]] = [page_runs for page_runs, _ in read]
        # page (1-based) → why its text layer is not enough
        need: dict[int, str] = {i + 1: why for i, (_, why) in enumerate(read) if why}
        boxed: dict[int, list[bool]] = {}
        unreadable: list[int] = []
        failures: dict[int, str] = {}
        if need and ocr != "off" and not ocr_unavailable():
            for page, got in recognise_all(
                    ((p, _render(pdf, p - 1)) for p in sorted(need)), workers):
                if isinstance(got, OcrError):
                    failures[page] = str(got)
                    if need[page] in ("empty", "garbled", "image"):
                        unreadable.append(page)
                    continue
                image_h = round(pdf_height(pdf, page - 1) * OCR_DPI / 72.0)
                page_runs, flags = runs_of(page, got, OCR_DPI, image_h)
                by_page[page - 1] = page_runs
                boxed[page] = flags
        else:
            # Without OCR an earlier OCR layer drawn invisible is the best reading there is;
            # a page with no text, garbage text or text on a small part of a page image is not
            # read at all.
            unreadable = [p for p, why in need.items() if why in ("empty", "garbled", "image")]
        info = _info(pdf)
    finally:
        pdf.close()
    runs = [r for page_runs in by_page for r in page_runs]
    flags = [(r[0] in boxed, boxed[r[0]][i] if r[0] in boxed else False)
             for page_runs in by_page for i, r in enumerate(page_runs)]
    blocks = assign_regions(runs, count, flags)
    blocks.extend(property_blocks(_unique(info + [p for packet in pdf_xmp(path)
                                                  for p in xmp_properties(packet)])))
    why = None
    if unreadable:
        kinds = {need[p] for p in unreadable}
        what = "no usable text layer" if kinds - {"empty"} else "no text layer"
        why = ocr_reason(sorted(unreadable), count, ocr,
                         {p: failures[p] for p in unreadable if p in failures}, what)
    return Document(path=name if name is not None else str(path), format="pdf", pages=count,
                    blocks=tuple(blocks), unreadable_pages=tuple(sorted(unreadable)),
                    unreadable_reason=why)


def pdf_height(pdf: pdfium.PdfDocument, index: int) -> float:
    page = pdf[index]
    try:
        return float(page.get_height())
    finally:
        page.close()


def _render(pdf: pdfium.PdfDocument, index: int) -> object:
    """A page as a grey-scale Pillow image at the OCR resolution."""
    page = pdf[index]
    try:
        return page.render(scale=OCR_DPI / 72.0, grayscale=True).to_pil()
    finally:
        page.close()


Run = tuple[int, str, tuple[float, float, float, float], float]
_SAMPLES = 5  # characters whose render mode is looked at


def _read_range(path: Path | bytes, start: int, end: int,
                pdf: pdfium.PdfDocument | None = None, force: bool = False
                ) -> list[tuple[list[Run], str | None]]:
    """:func:`_page_runs` of pages start … end-1 (0-based), from *pdf* or from the file
    opened anew."""
    own = pdf is None
    pdf = pdf or _open(path)
    try:
        return [_page_runs(pdf, index, force) for index in range(start, end)]
    finally:
        if own:
            pdf.close()


def _info(pdf: pdfium.PdfDocument) -> list[tuple[str, str]]:
    """The document information entries of :data:`PDF_INFO_KEYS` (ISO 32000-1 §14.3.3)."""
    out = []
    for key in PDF_INFO_KEYS:
        size = pdfium_c.FPDF_GetMetaText(pdf.raw, key.encode("ascii"), None, 0)
        if size <= 2:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_GetMetaText(pdf.raw, key.encode("ascii"), buffer, size)
        value = buffer.raw[: size - 2].decode("utf-16-le", "ignore")
        if value.strip():
            out.append((f"Info:{key}", value))
    return out


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(pairs))


def _page_runs(pdf: pdfium.PdfDocument, index: int, force: bool = False
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
            runs = [(index + 1, text, (left, height - top, right, height - bottom), height)
                    for text, (left, bottom, right, top) in _runs(textpage, width, height)]
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
        buffer = (ctypes.c_ushort * (count + 1))()
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
        count = pdfium_c.FPDFText_GetBoundedText(self.raw, left, top, right, bottom, None, 0)
        if count <= 0:
            return ""
        buffer = (ctypes.c_ushort * count)()
        pdfium_c.FPDFText_GetBoundedText(self.raw, left, top, right, bottom, buffer, count)
        return ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "ignore")

    def get_charbox(self, index: int) -> Rect:
        left, bottom, right, top = self._box
        pdfium_c.FPDFText_GetCharBox(self.raw, index, left, right, bottom, top)  # l, r, b, t
        return left.value, bottom.value, right.value, top.value


Rect = tuple[float, float, float, float]  # pdfium: left, bottom, right, top


def _same_line(a: Rect, b: Rect) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]) and b[0] >= a[2] - 1


def _runs(textpage: _TextPage, width: float, height: float) -> list[tuple[str, Rect]]:
    full = textpage.get_text_range()
    rects = textpage.rects()
    groups: list[list[Rect]] = []
    for rect in rects:
        if groups and _same_line(groups[-1][-1], rect):
            groups[-1].append(rect)
        else:
            groups.append([rect])
    split = full.split("\r\n")
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in split:
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 2
    if len(full) == textpage.count_chars() and len(groups) == len(lines):
        if len(groups) == len(rects):  # one rectangle a line: the common case, kept quick
            out = []
            for (start, line), group in zip(lines, groups, strict=True):
                rect = group[0]
                if _too_wide(line, rect):
                    out.extend(_split_gaps(textpage, start, line))
                else:
                    out.append((line.strip(), rect))
            return out
        out = []
        for (start, line), group in zip(lines, groups, strict=True):
            cuts = [start]
            for rect in group[1:]:
                mid = (rect[1] + rect[3]) / 2
                at = textpage.get_index(rect[0] + 0.5, mid, 1.5, 1.5)
                if at is None or not cuts[-1] < at < start + len(line):
                    break
                cuts.append(at)
            if len(cuts) == len(group):
                cuts.append(start + len(line))
                for rect, a, b in zip(group, cuts, cuts[1:], strict=False):
                    if full[a:b].strip():
                        out.append((full[a:b].strip(), rect))
                continue
            for rect in group:
                text = " ".join(textpage.get_text_bounded(*rect).split())
                if text:
                    out.append((text, rect))
        return out
    return _bounded(textpage, full, rects, width, height)


def _too_wide(line: str, rect: Rect) -> bool:
    """A run far wider than its characters need: one text object with a wide gap inside
    ("МИНИСТЕРСТВО ОБОРОНЫ" … "СЕКРЕТНО" drawn as one string, padded with spaces that pdfium
    folds into one), which must be cut where the gap is."""
    size = rect[3] - rect[1]
    return size > 0 and (rect[2] - rect[0]) > 0.9 * size * len(line.strip()) + 4 * size


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


_DIGITS = re.compile(r"[0-9]")


def _key(text: str) -> str:
    """Text with digits masked: page numbers must not stop a footer from repeating."""
    return _DIGITS.sub("#", text).lower()


def assign_regions(
    runs: list[tuple[int, str, tuple[float, float, float, float], float]], pages: int,
    flags: list[tuple[bool, bool]] | None = None,
) -> list[Block]:
    """Tag runs header/footer/body.

    Header: the runs at the top of a page that lie in the top band (or repeat near the top of
    most pages), up to the last one followed by a clear vertical gap — running text that simply
    starts high on the page has no such gap and stays body. Footer likewise from the bottom.
    """
    top_keys: Counter[str] = Counter()
    bottom_keys: Counter[str] = Counter()
    if pages > 1:
        for _, text, (_, top, _, bottom), height in runs:
            if top < height * REPEAT_BAND:
                top_keys[_key(text)] += 1
            elif bottom > height * (1 - REPEAT_BAND):
                bottom_keys[_key(text)] += 1
    needed = max(2, (pages * 2 + 2) // 3) if pages > 1 else 10**9
    by_page: dict[int, list[int]] = {}
    for i, run in enumerate(runs):
        by_page.setdefault(run[0], []).append(i)
    regions = [Region.BODY] * len(runs)
    for indices in by_page.values():
        down = sorted(indices, key=lambda k: runs[k][2][1])
        for i in _edge(runs, down, top_keys, needed, top=True):
            regions[i] = Region.HEADER
        up = [i for i in sorted(indices, key=lambda k: -runs[k][2][3])
              if regions[i] is Region.BODY]
        for i in _edge(runs, up, bottom_keys, needed, top=False):
            regions[i] = Region.FOOTER
    if flags is None:
        return [
            Block(text=text, page=page, region=region, bbox=box)
            for (page, text, box, _), region in zip(runs, regions, strict=True)
        ]
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
