"""Speed of extraction plus marking detection against poppler's pdftotext, in one run.

Generates a 100-page Kazakh/Russian PDF (reportlab, DejaVu Sans, header and footer on every
page; the body is running text taken in turn from the Kazakh and the Russian text of the law,
so the vocabulary is as varied as a real document's) and the same text as a 100-page DOCX, then
times, as the median of several runs:

* ``pdftotext`` on the PDF (poppler, the yardstick);
* qupia's extraction + marking detection on the PDF and on the DOCX, in one process;
* the full lint of the PDF in one process: extraction, markings, content detection with the
  model, all rules (qupia.engine.check_file);
* the full lint of a second 100-page PDF whose running text is the corpus's documents
  (orders, reports, letters, news: not a legal act, so qupia also reads it in segments,
  ``qupia.content.detect.analyse``), beside pdftotext on that PDF;
* the whole ``qupia check`` command on the PDF (start-up, worker, rules, report).

Run: ``make bench`` (or ``python bench/bench.py [--pages N] [--runs N]``). The ratio to
pdftotext is the figure that counts: absolute times vary from machine to machine. The PDF
ratios are medians of per-round ratios, pdftotext and qupia timed in turn in each round, so a
drift of the machine's speed during the run does not bias them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LAW = Path(__file__).resolve().parents[1] / "corpus" / "law"


def words() -> list[str]:
    """Running text: the Kazakh and the Russian law, paragraph by paragraph in turn."""
    kk = [p for p in (LAW / "law_kk.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
    ru = [p for p in (LAW / "law_ru.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    for a, b in zip(kk, ru, strict=False):
        out += a.split() + b.split()
    return out


def document_words(lang: str | None = None) -> list[str]:
    """Running text that is not a legal act: the paragraphs of the corpus's documents (orders,
    reports, letters, news) in id order, of one language when *lang* is given. A legal act is
    not read in segments; this is."""
    import yaml

    out: list[str] = []
    for path in sorted((LAW.parent / "src").rglob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        if lang and source.get("lang") != lang:
            continue
        for page in source.get("pages", []):
            for block in page.get("blocks", []):
                text = block if isinstance(block, str) else block.get("text", "")
                out += str(text).split()
    return out


def make_pdf(path: Path, pages: int, source=words) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    text = source()
    for page in range(pages):
        c.setFont("DejaVu", 10)
        c.drawString(60, height - 45, "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ ҚОРҒАНЫС МИНИСТРЛІГІ")
        c.drawRightString(width - 60, height - 45, "ӨТЕ ҚҰПИЯ")
        c.drawRightString(width - 60, height - 58, "Дана № 1")
        y = height - 110
        line: list[str] = []
        i = page * 420
        while y > 80:
            word = text[i % len(text)]
            i += 1
            if c.stringWidth(" ".join([*line, word]), "DejaVu", 10) > width - 120:
                c.drawString(60, y, " ".join(line))
                y -= 14
                line = []
            line.append(word)
        c.drawString(60, 40, f"Экз. № 1          {page + 1}-бет")
        c.showPage()
    c.save()


def make_docx(path: Path, pages: int) -> None:
    import docx

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "ӨТЕ ҚҰПИЯ"
    section.footer.paragraphs[0].text = "Дана № 1"
    text = words()
    for page in range(pages):
        for k in range(12):
            start = (page * 12 + k) * 35
            d.add_paragraph(" ".join(text[start % len(text):start % len(text) + 35]))
        if page < pages - 1:
            d.add_page_break()
    d.save(str(path))


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(timed(fn) for _ in range(runs))


def interleaved(yardstick, measured: dict, runs: int  # type: ignore[no-untyped-def]
                ) -> tuple[float, dict[str, float], dict[str, float]]:
    """Each round times the yardstick, then each measured function: the machine's speed drifts
    (a shared virtual machine's does, by 10–20% within a minute), and a ratio taken within a
    round cancels the drift. Returns the yardstick's median time, each function's median time
    and each function's median ratio to the yardstick."""
    base: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in measured}
    ratios: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(runs):
        t0 = timed(yardstick)
        base.append(t0)
        for name, fn in measured.items():
            t = timed(fn)
            times[name].append(t)
            ratios[name].append(t / t0)
    return (statistics.median(base), {k: statistics.median(v) for k, v in times.items()},
            {k: statistics.median(v) for k, v in ratios.items()})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "results.json")
    args = ap.parse_args()
    if not shutil.which("pdftotext"):
        print("pdftotext not found: install Debian's poppler-utils", file=sys.stderr)
        return 2

    from qupia.content import load_resources
    from qupia.engine import check_file
    from qupia.extract import extract
    from qupia.markings import detect, load
    from qupia.settings import Settings

    pack = load()
    load_resources()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        pdf, docx_path = Path(tmp) / "bench.pdf", Path(tmp) / "bench.docx"
        prose = Path(tmp) / "prose.pdf"
        make_pdf(pdf, args.pages)
        make_pdf(prose, args.pages, document_words)
        make_docx(docx_path, args.pages)
        n = args.pages

        def poppler() -> None:
            subprocess.run(["pdftotext", str(pdf), os.devnull], check=True)

        def qupia_pdf() -> None:
            facts = detect(extract(pdf), pack)
            assert facts.document_level is not None

        def qupia_docx() -> None:
            facts = detect(extract(docx_path), pack)
            assert facts.document_level is not None

        def full_pdf() -> None:
            result = check_file(pdf, settings)
            assert result.status == "ok"

        def poppler_prose() -> None:
            subprocess.run(["pdftotext", str(prose), os.devnull], check=True)

        def full_prose() -> None:
            result = check_file(prose, settings)
            assert result.status == "ok"

        qupia_bin = str(Path(sys.executable).with_name("qupia"))

        def cli_pdf() -> None:
            subprocess.run([qupia_bin, "check", str(pdf)], stdout=subprocess.DEVNULL, check=False)

        t_pop, times, ratio = interleaved(poppler, {"pdf": qupia_pdf, "full": full_pdf},
                                          args.runs)
        t_pdf, t_full = times["pdf"], times["full"]
        t_pop_prose, times_prose, ratio_prose = interleaved(
            poppler_prose, {"full": full_prose}, args.runs)
        t_docx = median_time(qupia_docx, args.runs)
        t_cli = median_time(cli_pdf, max(3, args.runs // 2))
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "pages": n,
        "pdftotext_pages_per_s": round(n / t_pop, 1),
        "qupia_pdf_extract_marks_pages_per_s": round(n / t_pdf, 1),
        "qupia_pdf_ratio_to_pdftotext": round(ratio["pdf"], 2),
        "qupia_docx_extract_marks_pages_per_s": round(n / t_docx, 1),
        "qupia_pdf_full_lint_pages_per_s": round(n / t_full, 1),
        "qupia_pdf_full_lint_ratio_to_pdftotext": round(ratio["full"], 2),
        "prose_pdftotext_pages_per_s": round(n / t_pop_prose, 1),
        "prose_qupia_full_lint_pages_per_s": round(n / times_prose["full"], 1),
        "prose_qupia_full_lint_ratio_to_pdftotext": round(ratio_prose["full"], 2),
        "qupia_check_cli_pdf_seconds": round(t_cli, 3),
        "qupia_check_cli_ratio_to_pdftotext": round(t_cli / t_pop, 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"| measure ({n} pages, median of {args.runs}) | value |")
    print("|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
