"""PDF: text and positions through pdfium (pypdfium2), regions by position and repetition.

pdfplumber, the design's first choice, reads 5–6 pages/s here against pdftotext's 300–480
(docs/measurements.md); pdfium's text rectangles give the same words with their boxes at
250–320 pages/s, so qupia reads PDFs with pypdfium2.

Each page's text runs come from :mod:`.pdf_text` (which also says whether the page's text layer
is usable, else the page is read by OCR, :mod:`.ocr`); each run becomes a :class:`Block`, its
region (header, footer, body) set by :mod:`.regions`. A long PDF's pages are read on two cores
(:mod:`.pages`). Document information and XMP metadata become blocks of region metadata
(:mod:`qupia.extract.metadata`).
"""

from __future__ import annotations

import ctypes
import functools
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
from qupia.extract.pdf_text import Run, page_runs
from qupia.extract.regions import assign_regions, repeat_counts
from qupia.model import Document
from qupia.startup import gc_paused

__all__ = ["assign_regions", "pdf_height", "read_pdf"]  # assign_regions: for .image



def _open(path: Path | bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractError("encrypted PDF: a password is required") from None
        raise ExtractError(f"not a readable PDF ({message.split(':')[-1].strip()})") from None


@gc_paused()
def read_pdf(path: Path | bytes, limits: Limits, name: str | None = None, ocr: str = "auto",
             workers: int = 1) -> Document:
    """Read the PDF at *path*, or its bytes (a member of an archive) named *name*; pages
    without a usable text layer are read by OCR (:mod:`.ocr`) when *ocr* allows, else listed
    as unreadable (``Document.unreadable_pages``).

    The garbage collector is paused meanwhile: reading makes tens of thousands of runs and
    blocks (a 1,000-page PDF: 51,000 of each) and no garbage but a few ctypes buffer types,
    and its passes walked them again and again (about 0.04 s of CPU on that PDF; one pass
    after reading walks them once)."""
    _keep_freed_memory()
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise ExtractError(f"{count} pages, over the limit of {limits.max_pages}")
        force = ocr == "force"
        # A long PDF's second half is read by a forked helper meanwhile (pages.py), which
        # also counts its repeated lines, so that this is not left to do here
        half = count // 2 if count >= pages.SPLIT_PAGES and pages.cores() > 1 else count
        if half < count:
            own, rest = pages.on_two_cores(
                lambda: _read_part(path, 0, half, pdf, force),
                lambda: _read_part(path, half, count, force=force),
                lambda: _read_part(path, half, count, pdf, force))
        else:
            own, rest = _read_part(path, 0, half, pdf, force), None
        read, counts = own
        if rest is not None:
            read = read + rest[0]
            counts[0].update(rest[1][0])
            counts[1].update(rest[1][1])
        by_page: list[list[Run]] = [runs for runs, _ in read]
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
                ocr_runs, flags = runs_of(page, got, OCR_DPI, image_h)
                by_page[page - 1] = ocr_runs
                boxed[page] = flags
        else:
            # Without OCR an earlier OCR layer drawn invisible is the best reading there is;
            # a page with no text, garbage text or text on a small part of a page image is not
            # read at all.
            unreadable = [p for p, why in need.items() if why in ("empty", "garbled", "image")]
        info = _info(pdf)
    finally:
        pdf.close()
    runs = [r for on_page in by_page for r in on_page]
    flags = [(r[0] in boxed, boxed[r[0]][i] if r[0] in boxed else False)
             for on_page in by_page for i, r in enumerate(on_page)] if boxed else None
    # pages read by OCR have new runs: their lines are counted afresh
    blocks = assign_regions(runs, count, flags, counts if not boxed else None)
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


@functools.cache
def _keep_freed_memory() -> None:
    """Once per process: one block of 1 MB allocated and freed at once. glibc gives a block
    over its mmap threshold (128 KB at first) a mapping of its own, and returns it to the
    system when it is freed; freeing such a block raises the threshold to its size (and the
    threshold for trimming the heap to twice that: man mallopt, M_MMAP_THRESHOLD). A process
    that has not yet freed a large block (one that reads a PDF before loading anything large)
    otherwise had its buffers for each page mapped and zero-filled anew: on a 1,000-page PDF
    about 140,000 page faults and 0.25–0.4 s of system time in the worker and its helper,
    against 45,000 faults after. Where the threshold is already higher (a worker forked after
    the model was loaded) or the C library is another, this changes nothing."""
    bytes(1 << 20)


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




def _read_part(path: Path | bytes, start: int, end: int,
               pdf: pdfium.PdfDocument | None = None, force: bool = False
               ) -> tuple[list[tuple[list[Run], str | None]], tuple[Counter[str], Counter[str]]]:
    """:func:`_read_range` of pages start … end-1, with :func:`.regions.repeat_counts` of
    their runs. (Their text is not folded here: strings made now, among the runs, outlive
    them and keep their memory from being reused; the peak RSS of the full lint grew by 16 MB
    so.)"""
    read = _read_range(path, start, end, pdf, force)
    return read, repeat_counts([r for on_page, _ in read for r in on_page])


def _read_range(path: Path | bytes, start: int, end: int,
                pdf: pdfium.PdfDocument | None = None, force: bool = False
                ) -> list[tuple[list[Run], str | None]]:
    """:func:`.pdf_text.page_runs` of pages start … end-1 (0-based), from *pdf* or from the file
    opened anew."""
    own = pdf is None
    pdf = pdf or _open(path)
    try:
        return [page_runs(pdf, index, force) for index in range(start, end)]
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
