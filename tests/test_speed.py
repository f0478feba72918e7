"""Issue 12's machinery: the user cache of compiled packs and model, and a long PDF read on
two cores. Each test checks a property that would fail if the machinery were wrong; the
speed figures themselves are measured by bench/bench.py."""

from __future__ import annotations

import multiprocessing as mp
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from qupia import cache
from qupia.extract import extract, pages

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _pdf(path: Path, count: int) -> Path:
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(count):
        c.setFont("DejaVu", 10)
        c.drawRightString(540, 800, "ҚҰПИЯ")
        for line in range(20):
            c.drawString(60, 740 - 14 * line, f"Бет {page + 1}, жол {line + 1}: әскери бөлім")
        c.drawString(60, 40, f"Экз. № 1   {page + 1}-бет")
        c.showPage()
    c.save()
    return path


def test_a_long_pdf_read_in_two_processes_is_the_same_document(tmp_path: Path) -> None:
    """In a fresh process (see :func:`_fresh`): the pages read by the forked helper, with the
    repeated lines it counted, make the same document as one process reading them all."""
    path = _pdf(tmp_path / "long.pdf", 9)
    code = f"""
from pathlib import Path
from qupia.extract import extract, pages
whole = extract(Path({str(path)!r}))
pages.SPLIT_PAGES = 2
pages.cores = lambda: 2
results = []
real = pages.Helper.result
pages.Helper.result = lambda self: results.append(real(self)) or results[-1]
split = extract(Path({str(path)!r}))
print(len(results), results[0] is not None, split == whole,
      sorted({{b.page for b in split.blocks}}) == list(range(1, 10)),
      sorted({{b.region.value for b in split.blocks}}))
"""
    out = _fresh(code)
    assert out.startswith("1 True True True"), out  # the helper ran; the same document
    assert "header" in out and "footer" in out and "body" in out  # regions were told apart


def _fresh(code: str) -> str:
    """*code* run in a new Python process (single-threaded, as a qupia worker is: the test
    process may hold other threads, and fork_reader then declines to fork); its output."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


def test_no_helper_is_forked_while_another_thread_runs() -> None:
    code = """
import threading
from qupia.extract import pages
alone = pages.fork_reader(lambda: 7)
first = alone.result() if alone else "no helper"
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
second = pages.fork_reader(lambda: 7)
stop.set()
other.join()
print(first, second)
"""
    assert _fresh(code) == "7 None"


def test_a_failed_helper_gives_none_and_the_pages_are_read_all_the_same(
        tmp_path: Path, monkeypatch) -> None:
    code = """
from qupia.extract import pages
helper = pages.fork_reader(lambda: 1 / 0)
print(helper is not None and helper.result() is None)
"""
    assert _fresh(code) == "True"
    path = _pdf(tmp_path / "long.pdf", 5)
    whole = extract(path)
    monkeypatch.setattr(pages, "SPLIT_PAGES", 2)
    monkeypatch.setattr(pages, "cores", lambda: 2)
    real = pages.fork_reader
    monkeypatch.setattr(pages, "fork_reader", lambda work: real(lambda: 1 / 0))
    assert extract(path) == whole


def test_a_cached_pattern_is_ready_and_matches_as_compiled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path))
    source = tmp_path / "source.txt"
    source.write_text("x")
    built = []

    def build() -> dict[str, re.Pattern[str]]:
        built.append(1)
        return {"p": re.compile(r"(?<!\w)(?P<w>ас[аa]\s+маңызды)(?!\w)", re.IGNORECASE)}

    first = cache.cached("t", [source], build)
    second = cache.cached("t", [source], build)
    assert built == [1]  # the second came from the cache
    assert second["p"] is not first["p"]
    for text in ("Аса маңызды", "аса  маңызды", "асамаңызды", "xаса маңызды"):
        assert bool(second["p"].search(text)) == bool(first["p"].search(text))
    assert second["p"].groupindex == first["p"].groupindex


def test_a_corrupt_or_stale_entry_is_rebuilt(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path / "c"))
    source = tmp_path / "source.txt"
    source.write_text("one")
    assert cache.cached("t", [source], lambda: "one") == "one"
    (entry,) = (tmp_path / "c").glob("t-*.pickle")
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0xFF  # a flipped byte: the checksum no longer matches
    entry.write_bytes(bytes(data))
    assert cache.cached("t", [source], lambda: "rebuilt") == "rebuilt"
    entry.write_bytes(entry.read_bytes()[:20])  # truncated
    assert cache.cached("t", [source], lambda: "again") == "again"
    source.write_text("two")  # the source changed: a new entry beside the old one
    assert cache.cached("t", [source], lambda: "two") == "two"
    assert len(list((tmp_path / "c").glob("t-*.pickle"))) == 2
    for n in range(6):  # only the newest four of a name stay
        source.write_text(f"v{n}")
        assert cache.cached("t", [source], lambda n=n: n) == n
    assert len(list((tmp_path / "c").glob("t-*.pickle"))) == 4
    assert cache.cached("t", [source], lambda: "rebuilt") == 5  # the newest is one of them


def _build_in_process(folder: str, source: str, n: int) -> str:
    import os

    os.environ["QUPIA_CACHE_DIR"] = folder
    return cache.cached("t", [Path(source)], lambda: "x" * 200_000 + str(n))[-1:]


def test_concurrent_builds_leave_one_whole_entry(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("s")
    with mp.get_context("fork").Pool(4) as pool:
        pool.starmap(_build_in_process, [(str(tmp_path / "c"), str(source), n)
                                         for n in range(8)])
    (entry,) = (tmp_path / "c").glob("t-*.pickle")
    assert not list((tmp_path / "c").glob("*.tmp"))
    loaded = cache.cached.__globals__["_read"](entry)
    assert isinstance(loaded, str) and len(loaded) == 200_001


def test_the_cache_holds_no_document_text(tmp_path: Path, monkeypatch) -> None:
    from qupia.content.calibration import load_calibration
    from qupia.content.classifier import load_model
    from qupia.content.packs import _load as packs_load
    from qupia.content.signals import _load as signals_load
    from qupia.engine import check_file
    from qupia.markings.patterns import _load as marks_load
    from qupia.settings import Settings

    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path / "c"))
    for loader in (marks_load, packs_load, signals_load, load_model, load_calibration):
        loader.cache_clear()
    try:
        word = "Жыргалбаевтыңзаставасы"
        doc = tmp_path / "doc.txt"
        doc.write_text(f"СЕКРЕТНО\nВойсковая часть 12345, {word}, 40 человек.\n",
                       encoding="utf-8")
        assert check_file(doc, Settings()).status == "ok"
        entries = list((tmp_path / "c").glob("*.pickle"))
        assert {e.name.split("-")[0] for e in entries} >= {"markings", "packs", "textcat"}
        for entry in entries:
            data = entry.read_bytes()
            for form in (word, word.lower(), "12345"):
                assert form.encode("utf-8") not in data
    finally:
        for loader in (marks_load, packs_load, signals_load, load_model, load_calibration):
            loader.cache_clear()


@pytest.mark.parametrize("value", ["1"])
def test_no_cache_when_turned_off(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("QUPIA_NO_CACHE", value)
    source = tmp_path / "s"
    source.write_text("s")
    assert cache.cached("t", [source], lambda: 5) == 5
    assert not (tmp_path / "c").exists()


def test_a_file_queued_behind_one_that_times_out_is_read_all_the_same(tmp_path: Path) -> None:
    from dataclasses import replace

    from qupia import runner
    from qupia.runner import run_files
    from qupia.settings import Settings

    big = tmp_path / "a-big.txt"  # under runner._SMALL, so the next file waits behind it
    big.write_text(("СЕКРЕТНО\n\n" + "Длинный текст документа. " * 40 + "\n\n") * 550,
                   encoding="utf-8")
    assert big.stat().st_size < runner._SMALL
    smalls = []
    for n in range(3):
        small = tmp_path / f"b-small{n}.txt"
        small.write_text("СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024", encoding="utf-8")
        smalls.append(str(small))
    settings = Settings(jobs=1)
    settings = replace(settings, limits=replace(settings.limits, timeout_seconds=0.25))
    results = list(run_files([str(big), *smalls], settings))
    assert [r.path for r in results] == [str(big), *smalls]
    assert results[0].status == "error" and results[0].error == "timed out after 0.25 s"
    assert all(r.status == "ok" and [f.code for f in r.findings] == ["QP303"]
               for r in results[1:])


def test_a_helper_is_stopped_when_the_caller_fails() -> None:
    code = """
import os, time
from qupia.extract import pages
helper = pages.fork_reader(lambda: time.sleep(60))
assert helper is not None
helper.discard()
try:
    os.kill(helper.pid, 0)
    print("alive")
except ProcessLookupError:
    print("gone")
"""
    assert _fresh(code) == "gone"  # killed and reaped


def test_pages_are_all_read_when_no_helper_can_start(tmp_path: Path, monkeypatch) -> None:
    path = _pdf(tmp_path / "long.pdf", 5)
    whole = extract(path)
    monkeypatch.setattr(pages, "SPLIT_PAGES", 2)
    monkeypatch.setattr(pages, "cores", lambda: 2)
    monkeypatch.setattr(pages, "fork_reader", lambda work: None)  # as when fork fails
    assert extract(path) == whole


def test_a_long_document_s_marks_found_on_two_cores_are_the_same(tmp_path: Path) -> None:
    """The streams of a long document are scanned half in a forked helper
    (qupia.markings.facts.scan_all): the facts are the same as when one process scans them
    all, and the helper did run. A fresh process: fork_reader declines to fork beside other
    threads (numpy's, in the test process)."""
    path = _pdf(tmp_path / "long.pdf", 9)
    code = f"""
from pathlib import Path
from qupia.extract import extract, pages
from qupia.markings import detect, load
import qupia.markings.facts as facts
doc = extract(Path({str(path)!r}))
one = detect(doc, load())
facts.SPLIT_CHARS = 1
pages.cores = lambda: 2
results = []
real = pages.Helper.result
pages.Helper.result = lambda self: results.append(real(self)) or results[-1]
two = detect(doc, load())
fork = pages.fork_reader
pages.fork_reader = lambda work: fork(lambda: 1 / 0)  # a helper that fails
failed = detect(doc, load())
print(len(results), results[0] is not None, results[1] is None, two == one, failed == one,
      len(one.markings))
"""
    count, ran, fell, same, same_failed, marks = _fresh(code).split()
    assert (count, ran, fell, same, same_failed) == ("2", "True", "True", "True", "True")
    assert int(marks) == 9  # every page's stamp is a marking


def test_bounded_text_in_one_call_is_the_text_of_two(tmp_path: Path) -> None:
    """pdfium's text within a rectangle, asked for once with a buffer as large as the page
    (where this pdfium ends what it copies with a zero), is what asking for its size and then
    for the text gives, rectangle by rectangle."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from qupia.extract import pdf_text

    pdf = pdfium.PdfDocument(str(_pdf(tmp_path / "p.pdf", 2)))
    try:
        page = pdfium_c.FPDF_LoadPage(pdf.raw, 1)
        raw = pdfium_c.FPDFText_LoadPage(page)
        textpage = pdf_text._TextPage(raw)
        rects = textpage.rects()
        texts = []
        for rect in rects:
            texts.append(textpage.get_text_bounded(*rect))
            left, bottom, right, top = rect
            size = pdfium_c.FPDFText_GetBoundedText(raw, left, top, right, bottom, None, 0)
            buffer = (ctypes.c_ushort * max(1, size))()
            pdfium_c.FPDFText_GetBoundedText(raw, left, top, right, bottom, buffer, size)
            assert texts[-1] == ctypes.string_at(buffer, 2 * size).decode("utf-16-le")
        assert pdf_text._TERMINATED[0] is not None  # learnt from the first answer
        assert "ҚҰПИЯ" in texts and any("жол 20" in t for t in texts)
        pdfium_c.FPDFText_ClosePage(raw)
        pdfium_c.FPDF_ClosePage(page)
    finally:
        pdf.close()
