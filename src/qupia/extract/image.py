"""Images (TIFF with any number of pages, PNG, JPEG) → a Document, through OCR (:mod:`.ocr`).

Each frame of the image is a page. Its lines keep their regions as a PDF page's do: the header
and footer bands, a framed stamp as a text box. Without OCR (``--ocr off``, or Tesseract not
installed) every page is unreadable, and the file says so; it is never passed as clean.

Pillow's decompression-bomb guard is kept, and made an error: an image of more pixels than
Pillow allows (about 89 million, A4 at 1,200 dpi) is refused before it is decoded.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from qupia.extract.errors import ExtractError, Limits
from qupia.extract.ocr import DPI, OcrError, reason, recognise_all, runs_of, unavailable
from qupia.extract.pdf import assign_regions
from qupia.model import Document

WHAT = "image without a text layer"

def read_image(path: Path | BinaryIO, limits: Limits, ocr: str = "auto", workers: int = 1,
               name: str | None = None) -> Document:
    """Read the image at *path*, or in the open file *path* (a member of an archive) named
    *name*."""
    from PIL import Image, UnidentifiedImageError

    name = name if name is not None else str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise ExtractError(f"not a readable image ({str(exc).split('.')[0]})") from None
    except OSError as exc:
        raise ExtractError(f"not a readable image ({exc})") from None
    try:
        if frames > limits.max_pages:
            raise ExtractError(f"{frames} pages, over the limit of {limits.max_pages}")
        if ocr == "off" or unavailable():
            pages = list(range(1, frames + 1))
            return Document(path=name, format="image", pages=frames, blocks=(),
                            unreadable_pages=tuple(pages),
                            unreadable_reason=reason(pages, frames, ocr, {}, WHAT))
        sizes: dict[int, tuple[int, float]] = {}

        def pages() -> Iterator[tuple[int, Any]]:
            for index in range(frames):
                try:
                    image.seek(index)
                    frame = image.convert("L")
                except (OSError, ValueError, EOFError) as exc:
                    raise ExtractError(f"page {index + 1} of the image cannot be read "
                                       f"({exc})") from None
                dpi = _dpi(image)
                sizes[index + 1] = (frame.height, dpi)
                yield index + 1, frame

        runs: list[Any] = []
        flags: list[tuple[bool, bool]] = []
        failed: dict[int, str] = {}
        for page, got in recognise_all(pages(), workers):
            if isinstance(got, OcrError):
                failed[page] = str(got)
                continue
            height, dpi = sizes[page]
            page_runs, boxed = runs_of(page, got, dpi, height)
            runs.extend(page_runs)
            flags.extend((True, b) for b in boxed)
    finally:
        image.close()
    blocks = assign_regions(runs, frames, flags)
    bad = sorted(failed)
    return Document(path=name, format="image", pages=frames, blocks=tuple(blocks),
                    unreadable_pages=tuple(bad),
                    unreadable_reason=reason(bad, frames, ocr, failed, WHAT)
                    if bad else None)


def _dpi(image: Any) -> float:
    """The resolution the image says it has, else the OCR resolution (a photo of a page has
    none; the value only scales boxes to points)."""
    value = image.info.get("dpi")
    try:
        dpi = float(value[0]) if value else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    return dpi if 50 <= dpi <= 1200 else float(DPI)
