"""Declassification stamps through OCR noise, and stamps turned more than a page's skew.

A faint or turned "ГРИФ СНЯТ" stamp read as "тРМФ смят" left a scan's older mark standing: a
false QP201 that the same document as text did not get. The near readings are taken on OCR'd
text only, where a stamp would be (patterns/ocr-noise.yaml); the slow tests render degraded
scans and run Tesseract (corpus/scanlib.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from corpus.scanlib import ROUGH, Noise, degrade, draw_page, rasterise, save
from qupia.engine import check_file
from qupia.extract import extract, ocr
from qupia.extract.ocr_stamps import slope
from qupia.markings import detect, load
from qupia.markings.ocrnoise import load as load_noise
from qupia.model import Block, Document, Level, Region
from qupia.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None,
                               reason=f"OCR cannot run: {ocr.unavailable()}")
BODY = ["ШТАБ КРАСНОЗНАМЕННОГО СРЕДНЕАЗИАТСКОГО ВОЕННОГO ОКРУГА",
        "17 июня 1988 г. № 312",
        "Командиру 69-й танковой дивизии",
        "1. В период с 1 по 25 августа 1988 года передислоцировать полк в г. Аягуз."]


def _doc(lines: list[tuple[str, Region]], ocr_read: bool) -> Document:
    return Document("x.png", "image", 1, tuple(
        Block(t, 1, region, (60.0, 60.0 + 20 * i, 400.0, 72.0 + 20 * i), ocr=ocr_read)
        for i, (t, region) in enumerate(lines)))


def _levels(doc: Document) -> list[str]:
    return [m.level.value for m in detect(doc, load()).markings]


STAMP_MISREAD = [("Сов. секретно", Region.HEADER), ("тРМФ смят", Region.BODY),
                 ("Акт Ме 12 от 03.05.2010", Region.BODY)] + [(t, Region.BODY) for t in BODY]


def test_a_misread_declassification_stamp_with_its_basis_is_read_on_ocr_text() -> None:
    assert "declassified" in _levels(_doc(STAMP_MISREAD, ocr_read=True))


def test_the_same_misreading_in_a_text_document_is_not_a_stamp() -> None:
    assert "declassified" not in _levels(_doc(STAMP_MISREAD, ocr_read=False))


@pytest.mark.parametrize(("lines", "declassified"), [
    # in a frame (the stamp's box), no basis needed
    ([("ГРИФ СНЯТ", Region.HEADER), ("тРИФ снпт", Region.TEXTBOX)], True),
    # in the body without a basis: not a stamp
    ([("СЕКРЕТНО", Region.HEADER), ("тРМФ смят", Region.BODY)], False),
    # inside a sentence: not a stamp, basis or not
    ([("СЕКРЕТНО", Region.HEADER),
      ("Лист был смят, тРИФ смят по акту комиссии и не восстановлен в описи дела.",
       Region.BODY)], False),
    # another word near it is not the stamp: "сеуФ саят" is too far from "гриф снят"
    ([("СЕКРЕТНО", Region.HEADER), ("сеуФ саят", Region.TEXTBOX),
      ("Акт № 12 от 03.05.2010", Region.TEXTBOX)], False),
    # Kazakh: құпиясыздандырылды with three letters wrong, in a box
    ([("ҚҰПИЯ", Region.HEADER), ("КУПИЯСЫЗДАНДЫРЫПДЫ", Region.TEXTBOX)], True),
])
def test_near_declassification_stamps_only_where_a_stamp_stands(
        lines: list[tuple[str, Region]], declassified: bool) -> None:
    assert ("declassified" in _levels(_doc(lines, ocr_read=True))) is declassified


def test_the_noise_file_names_forms_of_the_marking_pack() -> None:
    ids = {form.id for form in load().forms}
    noise = load_noise()
    assert noise.stamps and all(form in ids for form, _ in noise.stamps)


def test_slope_of_a_turned_stamp() -> None:
    """The slope is found on the stamp's ink, whichever way it is turned."""
    from qupia.extract.ocr_lines import _ink

    for angle in (-12, -5, 0, 9, 14):
        page = draw_page([], boxed_stamp="ГРИФ СНЯТ\nАкт № 12 от 03.05.2010",
                         stamp_angle=angle)
        ink = _ink(page)
        ys, xs = ink.nonzero()
        crop = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        assert abs(slope(crop) + angle) <= 1, angle


def _declassified_page(noise: Noise) -> object:
    page = draw_page(BODY, header_left="ШТАБ САВО", header_right="СОВ. СЕКРЕТНО\nЭкз. № 3",
                     boxed_stamp="ГРИФ СНЯТ\nАкт № 12 от 03.05.2010", stamp_angle=13)
    return degrade(page, noise)


@pytest.mark.slow
@needs_ocr
@pytest.mark.parametrize("noise", [ROUGH, Noise(skew=0.8, blur=0.8, speckle=0.004, faint=0.35,
                                                seed=3)])
def test_a_turned_faint_declassification_stamp_survives_a_degraded_scan(
        tmp_path: Path, noise: Noise) -> None:
    """A page drawn with a top-secret header and a "ГРИФ СНЯТ" stamp turned 13 degrees, made
    faint, blurred and speckled: the stamp is read (turned level), in its box, and covers the
    mark; the scan gets no QP201."""
    path = save([_declassified_page(noise)], tmp_path / "declassified.png")
    doc = extract(path)
    facts = detect(doc, load())
    stamps = [m for m in facts.markings if m.level is Level.DECLASSIFIED]
    assert stamps and stamps[0].region is Region.TEXTBOX
    settings = Settings(reference_date=datetime.date(2026, 11, 26))
    codes = {f.code for f in check_file(path, settings).findings}
    assert "QP201" not in codes


@pytest.mark.slow
@needs_ocr
def test_the_declassified_sample_as_a_rough_scan_reads_as_its_text(tmp_path: Path) -> None:
    """The bundled declassified archive sample, rendered and degraded: the scan's findings are
    the text PDF's (before: a false QP201, its stamp read "сеуФ саят")."""
    pdf = ROOT / "corpus" / "samples" / "sample-ru-archive-declassified.pdf"
    scan = save([degrade(p, ROUGH) for p in rasterise(pdf)], tmp_path / "scan.pdf")
    settings = Settings(reference_date=datetime.date(2026, 11, 26))
    text_codes = {f.code for f in check_file(pdf, settings).findings}
    scan_result = check_file(scan, settings)
    assert {f.code for f in scan_result.findings} == text_codes
    assert "QP201" not in text_codes


@pytest.mark.parametrize("lines", [
    ["СЕКРЕТНЫЙ ОТДЕЛ", "Вх. № 412", "17.III.1953"],
    ["СЕКРЕТНЬІЙ ОТДЕЛ УНКВД", "Вх. № 1123"],  # OCR's Ь and І for Ы
    ["СЕКРЕТНАЯ ЧАСТЬ", "Bx. № 0912 16.IV.44"],
    ["СЕКРЕТН. ОТДЕЛ", "Вх. № 5"],
])
def test_a_secret_departments_receipt_stamp_read_by_ocr_is_not_a_mark(lines: list[str]
                                                                      ) -> None:
    """A receipt stamp names a department; the tolerance for noisy marks does not make one of
    it, however OCR reads its letters."""
    assert _levels(_doc([(t, Region.BODY) for t in lines], ocr_read=True)) == []
