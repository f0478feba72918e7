"""OCR speed and fidelity: qupia's OCR path beside bare ``tesseract`` on the same page images.

Draws A4 pages of Kazakh and Russian text with a header stamp and a framed, turned stamp
(corpus/scanlib.py), roughens them (turned, blurred, speckled, faint) and times:

* bare ``tesseract PAGE - -l kaz+rus tsv`` per page, with ``OMP_THREAD_LIMIT=1`` (what
  pytesseract runs for each page: the program, loading the language data every time);
* qupia's reading of the same pages as a multi-page TIFF (tesserocr, one engine kept loaded,
  plus the second look at picture blocks that finds framed stamps, plus regions), one thread;
* the same pages as an image-only PDF (adds pypdfium2 rendering at 200 dpi), one thread;
* the same TIFF with one thread per core.

Fidelity: the share of the words drawn on the page that were read exactly, at 200 and 300 dpi,
for tesserocr and the program.

CPU time (user + system, children included) is the figure to compare on a shared machine;
pages/s per core is pages / CPU seconds. Run: ``make bench`` or ``python bench/bench_ocr.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from corpus.scanlib import ROUGH, degrade, draw_page, save  # noqa: E402

KK = ["Қазақстан Республикасы Қорғаныс министрлігінің 21608 әскери бөлімі",
      "2025 жылғы 3 қарашадағы № 14/227 бұйрығы бойынша жаттығу өткізілді.",
      "Бөлімнің жауынгерлік құрамы: 1-батальон 420 адам, 12 танк Т-72.",
      "Байланыс торабының шақыру белгісі «Беркут-3», жиілігі 142,5 МГц.",
      "Жаттығу ауданы Сарыозек кентінен 40 шақырым солтүстікте орналасқан."]
RU = ["Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность",
      "1 240 человек, на вооружении 36 танков Т-72Б3. Позывной штаба «Беркут-3».",
      "Командиру части обеспечить охрану района учений до 15 декабря 2025 года.",
      "Начальнику связи проверить ключевые документы узла связи и доложить."]


def pages(count: int, dpi: int) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    images, truths = [], []
    for i in range(count):
        body = (KK if i % 2 == 0 else RU) * 5
        header = ("ҚР ҚОРҒАНЫС МИНИСТРЛІГІ", "ӨТЕ ҚҰПИЯ\nДана № 1") if i % 2 == 0 else (
            "МИНИСТЕРСТВО ОБОРОНЫ", "СЕКРЕТНО\nЭкз. № 2")
        stamp = "СОВЕРШЕННО СЕКРЕТНО\nЭкз. № 2" if i % 2 else "ӨТЕ ҚҰПИЯ\nДана № 1"
        page = draw_page(body, header_left=header[0], header_right=header[1],
                         footer=f"{i + 1}", boxed_stamp=stamp, stamp_angle=4 - 7 * (i % 2),
                         dpi=dpi)
        images.append(degrade(page, ROUGH))
        truths.append(" ".join([header[0], header[1], *body, stamp]))
    return images, truths


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def accuracy(truth: str, read: str) -> float:
    """The share of the words drawn that were read exactly (as a multiset: reading order,
    which differs between the two readers for stamps and columns, does not count)."""
    want, got = Counter(truth.split()), Counter(read.split())
    return sum((want & got).values()) / max(1, sum(want.values()))


def tsv_text(tsv: str) -> str:
    return " ".join(r.split("\t")[11] for r in tsv.splitlines()[1:]
                    if r.count("\t") >= 11 and r.split("\t")[0] == "5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    from qupia.extract import extract, ocr

    if ocr.unavailable() or not shutil.which("tesseract"):
        print(f"OCR bench skipped: {ocr.unavailable() or 'no tesseract program'}")
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; CPU seconds are user+system")
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    import tesserocr

    print(f"tesseract program: {version.stdout.splitlines()[0]}; tesserocr "
          f"{tesserocr.__version__} with {tesserocr.tesseract_version().splitlines()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results: dict[str, tuple[float, float]] = {}
        reads: dict[str, list[str]] = {}
        for dpi in (200, 300):
            images, truths = pages(args.pages, dpi)
            files = [save([im], folder / f"p{dpi}-{i}.png", dpi=dpi)
                     for i, im in enumerate(images)]
            tif = save(images, folder / f"all{dpi}.tif", dpi=dpi)
            c0, w0 = cpu(), time.perf_counter()
            texts = []
            for f in files:
                out = subprocess.run(["tesseract", str(f), "-", "-l", ocr.LANGS, "tsv"],
                                     capture_output=True, text=True, check=True)
                texts.append(tsv_text(out.stdout))
            results[f"tesseract program, {dpi} dpi"] = (cpu() - c0, time.perf_counter() - w0)
            reads[f"tesseract program, {dpi} dpi"] = texts
            ocr.recognise(images[0])  # load the engine once, as a scan's first page does
            c0, w0 = cpu(), time.perf_counter()
            doc = extract(tif, ocr_workers=1)
            results[f"qupia, TIFF, {dpi} dpi, 1 thread"] = (cpu() - c0, time.perf_counter() - w0)
            reads[f"qupia, TIFF, {dpi} dpi, 1 thread"] = [
                " ".join(b.text for b in doc.blocks if b.page == p + 1)
                for p in range(args.pages)]
            if dpi == 200:
                pdf = save(images, folder / "all.pdf", dpi=dpi)
                c0, w0 = cpu(), time.perf_counter()
                extract(pdf, ocr_workers=1)
                results["qupia, image-only PDF, 1 thread"] = (cpu() - c0,
                                                              time.perf_counter() - w0)
                n = os.cpu_count() or 1
                c0, w0 = cpu(), time.perf_counter()
                extract(tif, ocr_workers=n)
                results[f"qupia, TIFF, 200 dpi, {n} threads"] = (cpu() - c0,
                                                                  time.perf_counter() - w0)
        print(f"{args.pages} rough A4 pages (Kazakh and Russian, header and framed stamps)")
        print(f"{'':38}{'CPU s/page':>11}{'wall s/page':>12}{'pages/s/core':>13}"
              f"{'words right':>12}")
        for name, (c, w) in results.items():
            dpi = 300 if "300" in name else 200
            _, truths = pages(args.pages, dpi) if name in reads else (None, [])
            acc = (sum(accuracy(t, r) for t, r in zip(truths, reads[name], strict=True))
                   / len(truths)) if name in reads else None
            print(f"{name:38}{c / args.pages:>11.2f}{w / args.pages:>12.2f}"
                  f"{args.pages / c:>13.2f}{'' if acc is None else f'{acc:.1%}':>12}")
        base = results["tesseract program, 200 dpi"][0]
        mine = results["qupia, TIFF, 200 dpi, 1 thread"][0]
        print(f"qupia / bare tesseract, CPU per page at 200 dpi: {mine / base:.2f}x "
              "(goal: at most 1.3x)")


if __name__ == "__main__":
    main()
