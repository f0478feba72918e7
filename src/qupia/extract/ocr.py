"""Page images → text lines with their boxes, through Tesseract 5 (``kaz+rus``) via tesserocr.

Why tesserocr: it keeps one Tesseract engine loaded per thread and hands it Pillow images, where
pytesseract writes each page to a file and starts the ``tesseract`` program for it (loading the
language data again every time). On the same rough A4 pages qupia's whole OCR reading (with
the second look at framed stamps and the regions) took 1.45 s of CPU a page against 1.79 s for
the bare program with TSV output, and read as many words right (``bench/bench_ocr.py``); its
wheel bundles libtesseract 5.5, so nothing is compiled; the Debian packages give the language
data.
Both languages are needed: ``rus`` alone reads "ӨТЕ ҚҰПИЯ" as "ОТЕ КУПИЯ", ``kaz`` alone misreads
"Экз. № 1".

Tesseract's word boxes (its TSV output) are kept, not a flat string: words are grouped into its
lines, a line is cut where a wide gap parts two columns (the organisation's name on the left, the
stamp on the right), and a line whose block is drawn inside a frame (a rubber stamp, a boxed
note; often turned a few degrees) is marked ``boxed``. The PDF and image readers turn these lines
into blocks with regions, as the text-layer reader does.

Each page is independent: pages are recognised in a small thread pool (tesserocr releases the
interpreter lock while Tesseract works), one engine per thread.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGS = "kaz+rus"
#: Resolution PDF pages are rendered at: a rough 300-dpi scan rendered at 300 dpi read 97.2% of
#: its words against 96.3% at 200 dpi, for 1.5 times the CPU (README, "Speed").
DPI = 200
INSTALL = "Debian: tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus"
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tesseract-ocr/5/tessdata",
)
WIDE_GAP = 2.5  # line heights of white space that part two runs on one line
MIN_CONF = 10.0  # words Tesseract is less sure of than this, without a letter, are speckles


@dataclass(frozen=True)
class Line:
    """A run of words on one line: text, box in pixels (x0, top, x1, bottom), in a frame."""

    text: str
    box: tuple[int, int, int, int]
    boxed: bool = False


class OcrError(Exception):
    """OCR could not run on a page; the message is the one-line reason."""


def tessdata() -> Path | None:
    """The folder of Tesseract's language data: ``$TESSDATA_PREFIX``, else the usual places."""
    env = os.environ.get("TESSDATA_PREFIX")
    candidates = [env, *_TESSDATA_DIRS] if env else list(_TESSDATA_DIRS)
    for folder in candidates:
        if folder and all((Path(folder) / f"{lang}.traineddata").is_file()
                          for lang in LANGS.split("+")):
            return Path(folder)
    return None


@functools.cache
def unavailable() -> str | None:
    """Why OCR cannot run here (a one-line reason naming what to install), or None."""
    # One thread a page; pages run side by side instead (the default OpenMP threads cost more
    # than they give on two cores). Set before Tesseract loads.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "the tesserocr module is missing (pip install tesserocr)"
    if tessdata() is None:
        return f"Tesseract's kaz and rus language data are not installed ({INSTALL})"
    return None


_local = threading.local()
#: Kazakh in Latin script (the 2017–2021 alphabets) is read with Tesseract's English data when
#: kaz+rus makes garbage of a page: kaz and rus know no Latin letters. Diacritics it misses
#: ("Ó" read "O") are folded away before marks are matched anyway.
LATIN = "eng"


def _api(lang: str = LANGS) -> Any:
    apis: dict[str, Any] = getattr(_local, "apis", None) or {}
    _local.apis = apis
    if lang not in apis:
        import tesserocr

        apis[lang] = tesserocr.PyTessBaseAPI(path=str(tessdata()) + "/", lang=lang,
                                             psm=tesserocr.PSM.AUTO)
    return apis[lang]


def _latin() -> bool:
    folder = tessdata()
    return folder is not None and (folder / f"{LATIN}.traineddata").is_file()


def recognise(image: Any) -> list[Line]:
    """The text lines of one page image (a Pillow image, grey or colour)."""
    if unavailable():
        raise OcrError(unavailable())
    grey = image.convert("L") if image.mode != "L" else image
    lines, confidence = _recognise(grey, LANGS)
    if confidence < LATIN_BELOW and _latin():
        latin, latin_confidence = _recognise(grey, LATIN)
        if latin_confidence > confidence:
            return latin
    return lines


#: Tesseract's mean word confidence under which a page is read again as Latin script: about
#: 90 on Cyrillic pages, rough scans included, and 55 on a Kazakh Latin page read as kaz+rus
#: (85 as eng) in bench/bench_ocr.py and corpus/scans.py.
LATIN_BELOW = 72.0


def _recognise(grey: Any, lang: str) -> tuple[list[Line], float]:
    api = _api(lang)
    try:
        api.SetImage(grey)
        tsv = api.GetTSVText(0)
        lines = lines_of(tsv, grey)
        figures = _figures(api, grey.width * grey.height)
        lines += _read_figures(api, grey, figures, lines)
    except RuntimeError as exc:
        raise OcrError(f"Tesseract failed: {exc}") from None
    finally:
        api.Clear()
    return lines, mean_confidence(tsv)


def mean_confidence(tsv: str) -> float:
    """The mean confidence (0–100) of the words of Tesseract's TSV; 100 with no words."""
    confs = [float(cells[10]) for row in tsv.splitlines()
             if (cells := row.split("\t"))[0] == "5" and len(cells) >= 12 and cells[11].strip()]
    return sum(confs) / len(confs) if confs else 100.0


_IMAGE_BLOCKS = (9, 10, 11)  # PolyBlockType: flowing, heading, pull-out image


def _figures(api: Any, area: int) -> list[tuple[int, int, int, int]]:
    """The boxes Tesseract's layout analysis took for pictures in the page just recognised. A
    framed, turned stamp is often one of them, and its words are then left out of the page's
    text."""
    from tesserocr import RIL

    out = []
    it = api.GetIterator()
    while it is not None:
        box = it.BoundingBox(RIL.BLOCK)
        if box and it.BlockType() in _IMAGE_BLOCKS:
            x0, y0, x1, y1 = box
            if x1 - x0 >= 40 and y1 - y0 >= 20 and (x1 - x0) * (y1 - y0) < 0.4 * area:
                out.append(tuple(box))
        if not it.Next(RIL.BLOCK):
            break
    del it
    # the largest first (a stamp's frame before the pieces inside it); pieces inside dropped
    out.sort(key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))
    return [b for i, b in enumerate(out)
            if not any(o[0] <= b[0] and o[1] <= b[1] and o[2] >= b[2] and o[3] >= b[3]
                       for o in out[:i])]


def _read_figures(api: Any, image: Any, figures: list[tuple[int, int, int, int]],
                  lines: list[Line]) -> list[Line]:
    """Each picture box read again on its own as one block of text (a stamp's lines), with
    the words the page's reading already has left out. Lines of the page's reading that lie
    inside a framed picture box are marked boxed in *lines* (a stamp read in part)."""
    from tesserocr import PSM

    out: list[Line] = []
    if not figures:
        return out
    ink = _ink(image)
    frames: list[tuple[int, int, int, int]] = []
    api.SetPageSegMode(PSM.SINGLE_BLOCK)
    try:
        for x0, y0, x1, y1 in figures:
            m = 12
            frame = framed(ink, (x0, y0, x1, y1), inside=((y1 - y0) // 5, (x1 - x0) // 5),
                           outside=m, span=0.6)
            if frame:
                frames.append((x0 - m, y0 - m, x1 + m, y1 + m))
            left, top = max(0, x0 - m), max(0, y0 - m)
            crop = image.crop((left, top, min(image.width, x1 + m), min(image.height, y1 + m)))
            api.SetImage(crop)
            for line in lines_of(api.GetTSVText(0)):
                a0, b0, a1, b1 = line.box
                box = (a0 + left, b0 + top, a1 + left, b1 + top)
                if sum(ch.isalnum() for ch in line.text) < 3 or any(
                        _overlap(box, other.box) for other in [*lines, *out]):
                    continue
                out.append(Line(line.text, box, frame or framed(ink, box)))
    finally:
        api.SetPageSegMode(PSM.AUTO)
    lines[:] = [Line(ln.text, ln.box, True) if not ln.boxed and any(
        f[0] <= ln.box[0] and f[1] <= ln.box[1] and ln.box[2] <= f[2] and ln.box[3] <= f[3]
        for f in frames) else ln for ln in lines]
    return out


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two boxes share more than half of the smaller one."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h > 0.5 * max(1, smaller)


def lines_of(tsv: str, image: Any | None = None) -> list[Line]:
    """Tesseract TSV (level, page, block, par, line, word, left, top, width, height, conf,
    text) → lines, cut at wide gaps, marked boxed where the image shows a frame round them."""
    groups: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        try:
            conf = float(cells[10])
            left, top, width, height = (int(c) for c in cells[6:10])
        except ValueError:
            continue
        if not text or (conf < MIN_CONF and not any(ch.isalpha() for ch in text)):
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        groups.setdefault(key, []).append((left, top, left + width, top + height, text))
    ink = _ink(image) if image is not None else None
    out: list[Line] = []
    for words in groups.values():
        words.sort(key=lambda w: w[0])
        height = max(1, sorted(w[3] - w[1] for w in words)[len(words) // 2])
        run = [words[0]]
        for word in words[1:]:
            if word[0] - run[-1][2] > WIDE_GAP * height:
                out.append(_line(run, ink))
                run = []
            run.append(word)
        out.append(_line(run, ink))
    return out


def _line(words: list[tuple[int, int, int, int, str]], ink: Any | None) -> Line:
    box = (min(w[0] for w in words), min(w[1] for w in words),
           max(w[2] for w in words), max(w[3] for w in words))
    return Line(" ".join(w[4] for w in words), box, ink is not None and framed(ink, box))


def _ink(image: Any) -> Any:
    """The image as a boolean array, True where there is ink (a dark pixel): speckles taken out
    (a 3×3 median), then dilated by one pixel so that a frame line broken by blur still reads
    as a line."""
    import numpy as np
    from PIL import ImageFilter

    grey = np.asarray(image.convert("L").filter(ImageFilter.MedianFilter(3)))
    dark = grey < 160
    out = dark.copy()
    out[1:, :] |= dark[:-1, :]
    out[:-1, :] |= dark[1:, :]
    out[:, 1:] |= dark[:, :-1]
    out[:, :-1] |= dark[:, 1:]
    return out


_ANGLES = [math.radians(a) for a in range(-8, 9)]


def framed(ink: Any, box: tuple[int, int, int, int], inside: tuple[int, int] | None = None,
           outside: int | None = None, cover: float = 0.8, span: float = 1.0) -> bool:
    """Whether a frame surrounds *box*: near each of its four sides, a straight line (turned
    up to 8 degrees) that is ink along at least *cover* of its length. A line of text has gaps
    between letters and words; a frame drawn round a stamp has none.

    The frame is looked for from *outside* pixels outside the box (default: two and a half
    line heights) to *inside* pixels inside it (top/bottom, left/right; default: half a line
    height, none): a turned stamp's frame crosses the box of its first line. *span* is the
    middle share of each side looked along (a turned frame's sides are shorter than its
    bounding box)."""
    import numpy as np

    h_img, w_img = ink.shape
    x0, y0, x1, y1 = box
    line_h = max(4, y1 - y0)
    out = outside if outside is not None else int(2.5 * min(line_h, 60)) + 6
    in_v, in_h = inside if inside is not None else (line_h // 2, 0)

    def side(horizontal: bool, edge: int, direction: int) -> bool:
        lo_, hi_ = (x0, x1) if horizontal else (y0, y1)
        trim = int((hi_ - lo_) * (1 - span) / 2)
        along = np.arange(max(0, lo_ + trim), min(w_img if horizontal else h_img, hi_ - trim))
        if len(along) < 8:
            return False
        limit = h_img if horizontal else w_img
        deep = in_v if horizontal else in_h
        lo = max(0, min(edge + direction * deep, edge - direction * out))
        hi = min(limit, max(edge + direction * deep, edge - direction * out) + 1)
        if hi - lo < 1:
            return False
        # quick test: a frame crosses every position along the side somewhere in the band
        band = (ink[lo:hi, along[0]:along[-1] + 1] if horizontal
                else ink[along[0]:along[-1] + 1, lo:hi].T)
        if band.any(axis=0).mean() < cover:
            return False
        positions = np.arange(lo, hi)[:, None]
        offsets = along - (along[0] + along[-1]) / 2
        for angle in _ANGLES:
            across = np.rint(positions + offsets * math.tan(angle)).astype(int)
            np.clip(across, 0, limit - 1, out=across)
            hits = ink[across, along] if horizontal else ink[along, across]
            if hits.mean(axis=1).max() >= cover:
                return True
        return False

    return (side(False, x0, 1) and side(False, x1, -1)
            and side(True, y0, 1) and side(True, y1, -1))


MAX_THREADS = 8  # each thread holds a Tesseract engine with its language data


def threads(jobs: int) -> int:
    """Threads for one file's pages: the cores not taken by the other files of the scan."""
    return max(1, min(MAX_THREADS, (os.cpu_count() or 1) // max(1, jobs)))


def recognise_all(images: Iterable[tuple[int, Any]], workers: int
                  ) -> Iterator[tuple[int, list[Line] | OcrError]]:
    """(page, lines or the error) for each (page, image), in order, *workers* pages at a time.
    Images are asked for one by one (rendering is not thread-safe; each is made in the calling
    thread) and at most two per worker are held at once."""
    run: Callable[[Any], list[Line]] = recognise
    if workers <= 1:
        for page, image in images:
            yield page, _safe(run, image)
        return
    pending: list[tuple[int, Future[list[Line] | OcrError]]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for page, image in images:
            pending.append((page, pool.submit(_safe, run, image)))
            while len(pending) >= 2 * workers:
                first, future = pending.pop(0)
                yield first, future.result()
        for page, future in pending:
            yield page, future.result()


def _safe(run: Callable[[Any], list[Line]], image: Any) -> list[Line] | OcrError:
    try:
        return run(image)
    except OcrError as exc:
        return exc
    except (RuntimeError, ValueError, OSError, MemoryError) as exc:
        return OcrError(f"Tesseract failed: {exc}")


Run = tuple[int, str, tuple[float, float, float, float], float]  # as the PDF reader's runs


def runs_of(page: int, lines: list[Line], dpi: float, height_px: int
            ) -> tuple[list[Run], list[bool]]:
    """Lines of a page image as the PDF reader's runs (page, text, box in points from the
    top-left corner, page height in points), and whether each is boxed."""
    scale = 72.0 / dpi
    height = height_px * scale
    runs: list[Run] = []
    boxed: list[bool] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1], ln.box[0])):
        x0, y0, x1, y1 = line.box
        runs.append((page, line.text, (x0 * scale, y0 * scale, x1 * scale, y1 * scale), height))
        boxed.append(line.boxed)
    return runs, boxed


def page_list(pages: Iterable[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5"."""
    out: list[str] = []
    ordered = sorted(set(pages))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(out)


def reason(pages: list[int], total: int, mode: str, failures: dict[int, str],
           what: str = "no text layer") -> str:
    """The one-line reason a file's pages could not be read."""
    where = (f"on page {pages[0]}" if len(pages) == 1 else
             f"on all {total} pages" if len(pages) == total else f"on pages {page_list(pages)}")
    if failures and len(failures) == len(pages):
        first = next(iter(failures.values()))
        return f"{what} {where} and OCR failed: {first}"
    if mode == "off":
        return f"{what} {where} and OCR is off (--ocr off)"
    return f"{what} {where} and OCR cannot run: {unavailable() or 'unknown reason'}"
