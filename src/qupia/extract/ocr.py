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
into blocks with regions, as the text-layer reader does (the geometry: :mod:`.ocr_lines`;
the second look at stamps Tesseract took for pictures: :mod:`.ocr_stamps`).

Each page is independent: pages are recognised in a small thread pool (tesserocr releases the
interpreter lock while Tesseract works), one engine per thread.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

# words → lines and frames (ocr_lines), the second look at stamps (ocr_stamps); the names are
# kept here too for the readers and tests that use them
from qupia.extract.ocr_lines import Line, _ink, framed, lines_of, mean_confidence  # noqa: F401
from qupia.extract.ocr_stamps import _figures, _read_figures

LANGS = "kaz+rus"
#: Resolution PDF pages are rendered at: a rough 300-dpi scan rendered at 300 dpi read 97.2% of
#: its words against 96.3% at 200 dpi, for 1.5 times the CPU (docs/speed.md, "OCR").
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
#: Kazakh in Latin script (the 2017–2021 alphabets) is read again in Latin script when kaz+rus
#: makes garbage of a page (kaz and rus know no Latin letters): with Tesseract's data for the
#: whole Latin script when it is installed (Debian tesseract-ocr-script-latn), else its English
#: data. English knows none of the 2018 alphabet's ý ń ǵ ú ı: "aýasynyń" came back "ayasynyn",
#: which reads "айасынын" where the text reads "ауасының", and a Kazakh Latin scan lost its
#: Article 17 finding (corpus/scans.py); the Latin data read it "aýasynyń".
LATIN_CHOICES = ("Latin", "script/Latin", "eng")


def _api(lang: str = LANGS) -> Any:
    apis: dict[str, Any] = getattr(_local, "apis", None) or {}
    _local.apis = apis
    if lang not in apis:
        import tesserocr

        apis[lang] = tesserocr.PyTessBaseAPI(path=str(tessdata()) + "/", lang=lang,
                                             psm=tesserocr.PSM.AUTO)
    return apis[lang]


@functools.cache
def latin() -> str | None:
    """The Tesseract language a Latin-script page is read again with, or None."""
    folder = tessdata()
    if folder is None:
        return None
    return next((lang for lang in LATIN_CHOICES
                 if (folder / f"{lang}.traineddata").is_file()), None)


def recognise(image: Any) -> list[Line]:
    """The text lines of one page image (a Pillow image, grey or colour)."""
    if unavailable():
        raise OcrError(unavailable())
    grey = image.convert("L") if image.mode != "L" else image
    lines, confidence = _recognise(grey, LANGS)
    second = latin() if confidence < LATIN_BELOW else None
    if second:
        again, again_confidence = _recognise(grey, second)
        if again_confidence > confidence:
            return again
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
