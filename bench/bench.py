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
from typing import Any

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


def run_process(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run a command to its end: (wall seconds, CPU seconds (user + system, with the
    processes it waited for: workers, helpers), peak RSS in kB of the largest of them). It
    is started from a small process of its own (``--measure``), so that the figures are the
    command's, not this process's."""
    done = subprocess.run([sys.executable, __file__, "--measure", *args], env=env, check=True,
                          stdout=subprocess.PIPE, text=True)
    wall, cpu, rss = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu, rss


def measure(args: list[str]) -> int:
    """``--measure CMD …``: run CMD and print [wall s, CPU s, peak RSS kB] of it and the
    processes it waited for."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps([wall, cpu, after.ru_maxrss]))
    return 0


def rounds(commands: dict[str, list[str]], runs: int, reference: str | None = None,
           env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """Each round runs every command in turn; per command the median wall and CPU time and
    the largest peak RSS, and with a *reference*, the median of the per-round ratios of wall
    time and of CPU time to it."""
    got: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            got[name].append(run_process(args, env))
    out: dict[str, dict[str, float]] = {}
    for name, values in got.items():
        out[name] = {"wall_s": round(statistics.median(v[0] for v in values), 3),
                     "cpu_s": round(statistics.median(v[1] for v in values), 3),
                     "peak_rss_mb": round(max(v[2] for v in values) / 1024, 1)}
        if reference and name != reference:
            ref = got[reference]
            out[name]["ratio_wall"] = round(statistics.median(
                v[0] / r[0] for v, r in zip(values, ref, strict=True)), 2)
            out[name]["ratio_cpu"] = round(statistics.median(
                v[1] / r[1] for v, r in zip(values, ref, strict=True)), 2)
    return out


def one_page_text(path: Path) -> None:
    """About one page (3,000 characters) of Russian prose with a mark, as a text file."""
    text, words_ = "", document_words("ru")
    for word in words_:
        if len(text) > 3000:
            break
        text += word + " "
    path.write_text("СЕКРЕТНО\nЭкз. № 1\n\n" + text + "\n", encoding="utf-8")


def small_files(folder: Path, count: int) -> None:
    """The first *count* corpus documents, rendered in their own formats (PDF, DOCX, TXT)."""
    sys.path.insert(0, str(LAW.parents[1]))
    from corpus.build import build, load_sources

    build(load_sources(LAW.parent / "src")[:count], folder)
    (folder / "labels.jsonl").unlink(missing_ok=True)


def issue12(args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    """Issue 12's figures, each beside its goal: start-up, the 1,000-page lint, many files."""
    qupia = str(Path(sys.executable).with_name("qupia"))
    samples = LAW.parent / "samples"
    page = tmp / "one-page.txt"
    one_page_text(page)
    # As installed: Python may write qupia's bytecode (.pyc), which an installed package has;
    # the warm-up run writes it and builds the user cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run_process([qupia, "check", str(page)], env)
    startup = rounds({"version": [qupia, "--version"], "help": [qupia, "--help"],
                      "check_one_page": [qupia, "check", str(page)],
                      "check_samples": [qupia, "check", str(samples)]}, args.runs, env=env)
    cold_env = {**env, "QUPIA_CACHE_DIR": str(tmp / "cold-cache")}
    startup["check_one_page_cold_cache"] = {
        "wall_s": round(run_process([qupia, "check", str(page)], cold_env)[0], 3)}

    big = tmp / "big.pdf"
    make_pdf(big, args.big_pages, lambda: document_words("ru"))
    lint = rounds({"pdftotext": ["pdftotext", str(big), os.devnull],
                   "qupia_check": [qupia, "check", str(big)],
                   "qupia_extract_marks": [sys.executable, "-c", EXTRACT_MARKS, str(big)]},
                  max(3, args.runs // 2), reference="pdftotext", env=env)

    many = tmp / "many"
    small_files(many, args.files)
    # the start-up alone: the whole run on one empty file (the parent loads everything and
    # forks its worker, which reports the file empty at once)
    empty = tmp / "empty"
    empty.mkdir()
    (empty / "empty.txt").write_bytes(b"")
    jobs = rounds({"jobs_1": [qupia, "check", str(many), "--jobs", "1"],
                   "jobs_2": [qupia, "check", str(many), "--jobs", "2"],
                   "start_up": [qupia, "check", str(empty), "--jobs", "1"]},
                  max(3, args.runs // 2), reference="jobs_1", env=env)
    j1, j2 = jobs["jobs_1"], jobs["jobs_2"]
    speedup = round(1 / j2["ratio_wall"], 2)
    # What two idle cores could give at most, from CPU times (which a shared machine disturbs
    # far less than wall times): the start-up runs on one core, the files' work split evenly
    # over two, the parent's own work per file taken as free.
    start_cpu = jobs["start_up"]["cpu_s"]
    per_file = max(0.0, j1["cpu_s"] - start_cpu) / args.files
    ceiling = round(j1["cpu_s"] / (start_cpu + per_file * args.files / 2), 2)
    tests = make_test(args.runs_make_test) if args.runs_make_test else None
    return {
        "startup": startup,
        "goals_startup_s": {"version": 0.15, "help": 0.15, "check_one_page": 0.5,
                            "check_samples": 0.8},
        "big_pdf": {"pages": args.big_pages, "text": "Russian prose of the corpus's documents",
                    **lint},
        "goals_big_pdf": {"qupia_check_ratio_wall": 2.5, "qupia_extract_marks_ratio_wall": 1.5,
                          "peak_rss_mb": 250},
        "many_files": {"files": args.files, **jobs, "jobs_2_speedup_wall": speedup,
                       "jobs_2_cpu_over_jobs_1": round(j2["cpu_s"] / j1["cpu_s"], 2),
                       "start_up_cpu_s": start_cpu, "per_file_cpu_ms": round(per_file * 1000, 2),
                       "two_core_ceiling_from_cpu": ceiling},
        "goals_many_files": {"jobs_2_speedup_wall": 1.8},
        **({"make_test": tests, "goals_make_test": {"wall_s": 180}} if tests else {}),
    }


def make_test(runs: int) -> dict[str, float]:
    """``make test`` (ruff and the fast suite) in this checkout: median wall and CPU seconds."""
    root = str(LAW.parents[1])
    got = [run_process(["make", "-C", root, "test"]) for _ in range(runs)]
    return {"runs": runs, "wall_s": round(statistics.median(g[0] for g in got), 1),
            "cpu_s": round(statistics.median(g[1] for g in got), 1)}


def goal_rows(issue: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Each goal of issue 12 beside its measured figure and reference, from :func:`issue12`:
    (what, measured (wall), CPU, goal, met)."""
    rows = []
    startup = issue["startup"]
    names = {"version": "`qupia --version`", "help": "`qupia --help`",
             "check_one_page": "`qupia check` of a one-page text file",
             "check_samples": "`qupia check` of the twelve samples"}
    for name, goal in issue["goals_startup_s"].items():
        got = startup[name]
        rows.append((names[name], f"{got['wall_s']:.3f} s", f"{got['cpu_s']:.3f} s",
                     f"≤ {goal} s", _met(got["wall_s"] <= goal)))
    big = issue["big_pdf"]
    ref = big["pdftotext"]
    rows.append((f"{big['pages']}-page PDF: `pdftotext` (the reference)", f"{ref['wall_s']:.3f} s",
                 f"{ref['cpu_s']:.3f} s", "", ""))
    for key, what in (("qupia_check", "full lint (`qupia check`), × pdftotext"),
                      ("qupia_extract_marks", "extraction + marks, × pdftotext")):
        goal = issue["goals_big_pdf"][f"{key}_ratio_wall"]
        got = big[key]
        rows.append((f"… {what}", f"{got['ratio_wall']}×", f"{got['ratio_cpu']}×", f"≤ {goal}×",
                     _met(got["ratio_wall"] <= goal)))
    rss, goal = big["qupia_check"]["peak_rss_mb"], issue["goals_big_pdf"]["peak_rss_mb"]
    rows.append(("… peak RSS of the full lint", f"{rss} MB", "", f"≤ {goal} MB",
                 _met(rss <= goal)))
    many = issue["many_files"]
    goal = issue["goals_many_files"]["jobs_2_speedup_wall"]
    rows.append((f"{many['files']} corpus files, `--jobs 1` (the reference)",
                 f"{many['jobs_1']['wall_s']:.3f} s", f"{many['jobs_1']['cpu_s']:.3f} s", "", ""))
    rows.append(("… `--jobs 2`, times as fast as `--jobs 1`", f"{many['jobs_2_speedup_wall']}×",
                 f"{many['jobs_2_cpu_over_jobs_1']}× the CPU", f"≥ {goal}×",
                 _met(many["jobs_2_speedup_wall"] >= goal)))
    if "two_core_ceiling_from_cpu" in many:
        rows.append(("… start-up (one empty file) and CPU per file; at most, on two idle cores",
                     f"{many['two_core_ceiling_from_cpu']}×",
                     f"{many['start_up_cpu_s']:.3f} s + {many['per_file_cpu_ms']:.1f} ms/file",
                     "", ""))
    if "make_test" in issue:
        got, goal = issue["make_test"], issue["goals_make_test"]["wall_s"]
        rows.append(("`make test` (ruff and the fast suite)", f"{got['wall_s']} s",
                     f"{got['cpu_s']} s", f"≤ {goal} s", _met(got["wall_s"] <= goal)))
    return rows


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


#: Extraction plus marking detection of one file as a process of its own, importing only
#: qupia (this script's own imports, argparse, statistics, subprocess …, are not qupia's time)
EXTRACT_MARKS = """import sys
from pathlib import Path
from qupia.extract import extract
from qupia.markings import detect, load
sys.exit(0 if detect(extract(Path(sys.argv[1])), load()) is not None else 1)
"""


def extract_marks(path: Path) -> int:
    """Extraction plus marking detection of one file, as a process of its own (the bench runs
    it beside pdftotext)."""
    from qupia.extract import extract
    from qupia.markings import detect, load

    facts = detect(extract(path), load())
    return 0 if facts is not None else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None,
                    help="where the figures go as JSON (default bench/out/results.json, or "
                         "bench/out/issue12.json with --only-issue12)")
    ap.add_argument("--big-pages", type=int, default=1000)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--only-issue12", action="store_true",
                    help="only the start-up, 1,000-page and many-files figures")
    ap.add_argument("--runs-make-test", type=int, default=0, metavar="N",
                    help="also time `make test` N times (about a minute each)")
    ap.add_argument("--extract-marks", type=Path, help=argparse.SUPPRESS)
    if sys.argv[1:2] == ["--measure"]:
        return measure(sys.argv[2:])
    args = ap.parse_args()
    if args.out is None:
        name = "issue12.json" if args.only_issue12 else "results.json"
        args.out = Path(__file__).parent / "out" / name
    if args.extract_marks:
        return extract_marks(args.extract_marks)
    if not shutil.which("pdftotext"):
        print("pdftotext not found: install Debian's poppler-utils", file=sys.stderr)
        return 2

    from qupia.content import load_resources
    from qupia.engine import check_file
    from qupia.extract import extract
    from qupia.markings import detect, load
    from qupia.settings import Settings

    machine = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as tmp:
        issue = issue12(args, Path(tmp))
    issue["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.only_issue12:
        return report({**machine, "issue12": issue}, args.out)

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
        **machine,
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
        "issue12": issue,
    }
    return report(results, args.out)


def report(results: dict[str, object], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print("| measure | value |")
    print("|---|---|")

    def rows(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                rows(f"{prefix}.{key}" if prefix else key, inner)
        else:
            print(f"| {prefix} | {value} |")

    rows("", results)
    issue = results.get("issue12")
    if isinstance(issue, dict):
        print(f"\nIssue 12's goals, {results['date']}, {results['machine']}, load average "
              f"{results['load_average_before']} before, {issue['load_average_after']} after:\n")
        print("| | measured (wall) | CPU | goal (wall) | |")
        print("|---|---|---|---|---|")
        for row in goal_rows(issue):
            print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
