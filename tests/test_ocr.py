"""Scans and images: fail closed when a page cannot be read, OCR with regions, marks through
OCR noise. The scans are made here by code (corpus/scanlib.py): pages drawn with the DejaVu
fonts or rendered from a PDF, with a header stamp, a framed and turned stamp, blur, speckles.

Real Tesseract runs where it is installed; the tests that need it are skipped with the reason
where it is not (the project's set-up installs it: debian-packages.txt)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from corpus.scanlib import ROUGH, Noise, degrade, draw_page, save
from qupia.engine import check_file
from qupia.extract import extract, ocr, sniff
from qupia.extract.textlayer import garbled
from qupia.markings import detect, load
from qupia.model import Block, Document, Region
from qupia.report import json_report, sarif, text_report
from qupia.settings import Settings
from tests.conftest import TSV_HEAD

QUPIA = str(Path(sys.executable).with_name("qupia"))
needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None,
                               reason=f"OCR cannot run: {ocr.unavailable()}")

KK_BODY = [
    "Қазақстан Республикасы Қорғаныс министрлігінің 21608 әскери бөлімі",
    "2025 жылғы 3 қарашадағы № 14/227 бұйрығы бойынша жаттығу өткізілді.",
    "Бөлімнің жауынгерлік құрамы: 1-батальон 420 адам, 12 танк Т-72.",
    "Байланыс торабының шақыру белгісі «Беркут-3», жиілігі 142,5 МГц.",
]
RU_BODY = [
    "Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность",
    "1 240 человек, на вооружении 36 танков Т-72Б3. Позывной штаба «Беркут-3».",
    "Командиру части обеспечить охрану района учений до 15 декабря 2025 года.",
]


def kk_page(noise: Noise | None = None, dpi: int = 200) -> Image.Image:
    page = draw_page(KK_BODY, header_left="ҚР ҚОРҒАНЫС МИНИСТРЛІГІ",
                     header_right="ӨТЕ ҚҰПИЯ\nДана № 1", footer="1-бет",
                     boxed_stamp="ӨТЕ ҚҰПИЯ\nДана № 1", stamp_angle=4, dpi=dpi)
    return degrade(page, noise) if noise else page


def ru_page(noise: Noise | None = None) -> Image.Image:
    page = draw_page(RU_BODY, header_left="МИНИСТЕРСТВО ОБОРОНЫ",
                     header_right="СЕКРЕТНО\nЭкз. № 2", footer="Лист 2",
                     boxed_stamp="СОВЕРШЕННО СЕКРЕТНО\nЭкз. № 2", stamp_angle=-3)
    return degrade(page, noise) if noise else page


def marks(doc: Document) -> list[tuple[str, str, int]]:
    return [(m.level.value, m.region.value, m.page) for m in detect(doc, load()).markings]


# --- fail closed (no OCR needed) --------------------------------------------------------


def test_image_files_are_sniffed_and_a_mislabelled_one_is_an_error(tmp_path: Path) -> None:
    png = save([kk_page()], tmp_path / "page.png")
    assert sniff(png.read_bytes()[:16]) == "png"
    wrong = tmp_path / "page.tif"
    wrong.write_text("СЕКРЕТНО", encoding="utf-8")
    result = check_file(wrong, Settings(ocr="off"))
    assert result.status == "error" and "named as image" in (result.error or "")


def test_scanned_pdf_with_ocr_off_is_no_text_and_fails_the_run(tmp_path: Path) -> None:
    """The law-level rule: a page that could not be read never passes. JSON, text and SARIF
    all say so; the command exits 1 even with --fail-on error (the default)."""
    pdf = save([kk_page(), ru_page()], tmp_path / "scan.pdf")
    run = subprocess.run([QUPIA, "check", str(pdf), "--ocr", "off", "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    (file,) = report["files"]
    assert (file["status"], file["unreadable_pages"]) == ("no-text", [1, 2])
    assert file["error"] == "no text layer on all 2 pages and OCR is off (--ocr off)"
    assert (report["summary"]["errors"], report["summary"]["no_text"]) == (1, 1)

    result = check_file(pdf, Settings(ocr="off"))
    out = io.StringIO()
    text_report.emit([result], Settings(), out)
    assert out.getvalue().splitlines() == [
        f"{pdf}: no-text: no text layer on all 2 pages and OCR is off (--ocr off)",
        "1 file checked, 0 findings, 1 unreadable"]
    log = sarif.report([result], Settings())
    import jsonschema

    from tests.test_sarif import SCHEMA

    jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate(log)
    (note,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and "OCR is off" in note["message"]["text"]


def test_missing_tesseract_names_the_debian_packages(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr(ocr, "_TESSDATA_DIRS", ())
    ocr.unavailable.cache_clear()
    try:
        png = save([kk_page()], tmp_path / "page.png")
        result = check_file(png, Settings())
    finally:
        ocr.unavailable.cache_clear()
    assert result.status == "no-text"
    assert result.error == ("image without a text layer on page 1 and OCR cannot run: "
                            "Tesseract's kaz and rus language data are not installed (Debian: "
                            "tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus)")


def mixed_pdf(tmp_path: Path) -> Path:
    """Page 1: a text layer with a header mark; page 2: a rough scan drawn as one image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    scan = save([ru_page(ROUGH)], tmp_path / "scan.png")
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 11)
    c.drawRightString(535, 800, "СЕКРЕТНО")
    for i, line in enumerate(RU_BODY):
        c.drawString(60, 700 - 16 * i, line)
    c.showPage()
    c.drawImage(str(scan), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def test_partly_scanned_pdf_is_checked_on_its_text_pages_and_still_fails(tmp_path: Path
                                                                       ) -> None:
    """With OCR off the mark of page 1 is found, page 2 is listed as unreadable and the file
    is no-text: checked on what was read, never passed."""
    off = check_file(mixed_pdf(tmp_path), Settings(ocr="off"))
    assert (off.status, off.unreadable_pages) == ("no-text", (2,))
    assert off.error == "no text layer on page 2 and OCR is off (--ocr off)"
    assert off.facts is not None and off.facts.document_level is not None
    assert off.facts.document_level.value == "secret"
    out = json_report.report([off], Settings())
    assert out["files"][0]["unreadable_pages"] == [2]
    assert out["summary"]["errors"] == 1
    import jsonschema

    from tests.test_report_schema import schema

    jsonschema.Draft202012Validator(schema()).validate(out)


def test_garbled_text_layers_are_told_from_real_text() -> None:
    assert not garbled(" ".join(KK_BODY + RU_BODY))
    assert not garbled("Войсковая часть 12345. Т-72Б3, 142,5 МГц, ДСП, № 14/227")
    assert garbled("Ñåêðåòíî Ïðèêàç êîìàíäèðà âîéñêîâîé ÷àñòè î ïåðåäèñëîêàöèè "
                   "ïîäðàçäåëåíèé ñâÿçè â ðàéîí ó÷åíèé")
    assert garbled("\ue000\ue001\ue002 \ue003\ue004 \ufffd\ufffd\ufffd")
    assert garbled("xkcd qwrt zxcvb plmnk trwq hjkl bnmz sdfg wrtp")


# --- marks through OCR noise: only on OCR'd blocks ------------------------------------


def _doc(lines: list[str], ocr_read: bool) -> Document:
    return Document("x.png", "image", 1, tuple(
        Block(t, 1, Region.BODY, (60.0, 100.0 + 20 * i, 400.0, 112.0 + 20 * i), ocr=ocr_read)
        for i, t in enumerate(lines)))


@pytest.mark.parametrize(("line", "level"), [
    ("СЕКРЕЕТНО", "secret"),  # a doubled letter
    ("СЕКРТНО", "secret"),  # a missing letter
    ("С Е К Р Е Т Н О", "secret"),  # letter-spaced
    ("COBEPШEHHO CEKPETHO", "top-secret"),  # Latin look-alikes
    ("СОВЕРШЕНН0 СЕКРЕТНО", "top-secret"),  # a digit for a letter
    ("СОВЕРШЕНН СЕКРЕТНО", "top-secret"),  # not "secret": the near longer mark wins
    ("ОТЕ КУПИЯ", "top-secret"),  # Ө/О, Қ/К, Ұ/У
    ("ӨТЕЕ ҚҰПИЯ", "top-secret"),
    ("ОСОБОЙ ВАЖНОСИ", "special-importance"),
])
def test_noisy_stamps_read_by_ocr_are_marks(line: str, level: str) -> None:
    facts = detect(_doc([line], ocr_read=True), load())
    assert [m.level.value for m in facts.markings] == [level]


@pytest.mark.parametrize(("line", "level"), [
    ("СЕКРЕЕТНО", "secret"), ("СЕКРТНО", "secret"), ("ӨТЕЕ ҚҰПИЯ", "top-secret"),
    ("ОСОБОЙ ВАЖНОСИ", "special-importance")])
def test_near_marks_are_not_guessed_in_text_documents(line: str, level: str) -> None:
    """Text documents are read exactly as before: tolerance is for OCR'd text only. (In a text
    document "ӨТЕЕ ҚҰПИЯ" may still hold the exact "ҚҰПИЯ", a stamp beside a merged column:
    never the near top-secret mark.)"""
    found = detect(_doc([line], ocr_read=False), load()).markings
    assert all(m.level.value != level for m in found)
    assert all(m.text != line for m in found)


@pytest.mark.parametrize("lines", [
    ["СЕКРЕТНОЙ"],  # an ending is not noise
    ["Документ с грифом СЕКРЕЕТНО был передан в архив в 1991 году."],
    ["Секретной информации в отчёте нет."],
    ["Сообщение под грифом", "СОВЕРШЕНН СЕКРЕТНО было снято с контроля."],
])
def test_noisy_mentions_in_running_text_stay_mentions(lines: list[str]) -> None:
    facts = detect(_doc(lines, ocr_read=True), load())
    assert facts.markings == ()


# --- frames and Tesseract's words (no OCR run) --------------------------------------------


def test_a_turned_framed_stamp_is_framed_and_a_text_line_is_not() -> None:
    page = draw_page(["Обычная строка текста без рамки, набранная как тело документа."],
                     boxed_stamp="СЕКРЕТНО", stamp_angle=5)
    ink = ocr._ink(page)
    scale = 200 / 72
    text_line = (int(60 * scale), int(130 * scale), int(480 * scale), int(143 * scale))
    assert not ocr.framed(ink, text_line)
    # the stamp's frame, as Tesseract's layout gives a picture: its own bounding box
    import numpy as np

    ys, xs = np.nonzero(ink[int(400 * scale):, int(300 * scale):])
    box = (int(xs.min() + 300 * scale), int(ys.min() + 400 * scale),
           int(xs.max() + 300 * scale), int(ys.max() + 400 * scale))
    h, w = box[3] - box[1], box[2] - box[0]
    assert ocr.framed(ink, box, inside=(h // 5, w // 5), outside=12)


def test_tesseract_words_become_lines_cut_at_wide_gaps() -> None:
    rows = [TSV_HEAD,
            "5\t1\t1\t1\t1\t1\t100\t50\t200\t30\t95\tМИНИСТЕРСТВО",
            "5\t1\t1\t1\t1\t2\t310\t50\t150\t30\t95\tОБОРОНЫ",
            "5\t1\t1\t1\t1\t3\t1300\t50\t200\t30\t91\tСЕКРЕТНО",
            "5\t1\t1\t1\t1\t4\t1600\t50\t9\t9\t3\t.",  # a speckle
            "5\t1\t2\t1\t1\t1\t100\t300\t120\t30\t90\tТекст"]
    lines = ocr.lines_of("\n".join(rows))
    assert [(ln.text, ln.box) for ln in lines] == [
        ("МИНИСТЕРСТВО ОБОРОНЫ", (100, 50, 460, 80)),
        ("СЕКРЕТНО", (1300, 50, 1500, 80)),
        ("Текст", (100, 300, 220, 330)),
    ]


def test_page_lists_are_short() -> None:
    assert ocr.page_list([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"


# --- real OCR ------------------------------------------------------------------------------


@needs_ocr
def test_png_scan_keeps_header_textbox_and_marks(tmp_path: Path) -> None:
    """One clean PNG page through Tesseract (about 2 s): the header stamp is in the header,
    the framed, turned stamp is a text box, both read as top-secret."""
    doc = extract(save([kk_page()], tmp_path / "page.png"))
    assert doc.format == "image" and doc.unreadable_pages == ()
    assert all(b.ocr for b in doc.blocks)
    assert ("top-secret", "header", 1) in marks(doc)
    assert ("top-secret", "textbox", 1) in marks(doc)
    boxed = [b.text for b in doc.blocks if b.region is Region.TEXTBOX]
    assert any("Дана" in t for t in boxed), boxed  # the stamp's second line is in the box too
    body = " ".join(b.text for b in doc.blocks if b.region is Region.BODY)
    assert "21608" in body and "Беркут-3" in body


@pytest.mark.slow
@needs_ocr
@pytest.mark.parametrize("suffix", [".jpg", ".tif", ".pdf"])
def test_rough_scans_in_every_format(tmp_path: Path, suffix: str) -> None:
    """Skewed, blurred, speckled, faint: a Kazakh page and a Russian page as JPEG (first page
    only), a two-page TIFF and an image-only PDF."""
    path = save([kk_page(ROUGH), ru_page(ROUGH)], tmp_path / f"scan{suffix}")
    doc = extract(path)
    found = marks(doc)
    assert ("top-secret", "header", 1) in found
    assert ("top-secret", "textbox", 1) in found
    if suffix != ".jpg":
        assert doc.pages == 2
        assert ("secret", "header", 2) in found
        assert ("top-secret", "textbox", 2) in found
    result = check_file(path, Settings(reference_date=__import__("datetime").date(2026, 11, 26)))
    assert result.status == "ok" and result.facts is not None
    assert result.facts.document_level is not None
    assert result.facts.document_level.value == "top-secret"


@pytest.mark.slow
@needs_ocr
def test_ocr_force_reads_a_text_pdf_from_its_image_and_mixed_pdfs_ocr_only_the_scans(
        tmp_path: Path) -> None:
    path = mixed_pdf(tmp_path)
    auto = extract(path)
    assert auto.unreadable_pages == ()
    assert {b.page for b in auto.blocks if b.ocr} == {2}
    assert ("top-secret", "textbox", 2) in marks(auto)
    forced = extract(path, ocr="force")
    assert all(b.ocr for b in forced.blocks if b.region is not Region.METADATA)
    assert ("secret", "header", 1) in marks(forced)


def test_ocr_is_a_configuration_key(tmp_path: Path) -> None:
    from qupia.config import ConfigError, read_config

    conf = tmp_path / ".qupia.toml"
    conf.write_text('ocr = "off"\n', encoding="utf-8")
    assert read_config(conf, set())["ocr"] == "off"
    conf.write_text('ocr = "sometimes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ocr.*off, auto, force"):
        read_config(conf, set())


@pytest.mark.slow
@needs_ocr
def test_a_kazakh_latin_scan_is_read_again_with_latin_letters(tmp_path: Path) -> None:
    """kaz+rus makes garbage of Kazakh in Latin script (it knows no Latin letters); the page is
    read again with eng and its stamp is found."""
    body = ["Qazaqstan Respublikasy Qorğanys ministrliginiñ 21608 äskerï bölimi",
            "2025 jylğy 3 qarașadağy № 14/227 buiryğy boiynşa jattyğu ötkizildi.",
            "Bölimniñ jauyngerlik qūramy: 1-batalon 420 adam, 12 tank T-72."] * 3
    page = degrade(draw_page(body, header_left="QR QORĞANYS MINISTRLIGI",
                             header_right="ÓTE QUPIA\nDana № 1"), ROUGH)
    doc = extract(save([page], tmp_path / "latn.png"))
    assert ("top-secret", "header", 1) in marks(doc)
    assert "Respublikasy" in " ".join(b.text for b in doc.blocks)
