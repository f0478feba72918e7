"""Extraction from real PDF, DOCX and TXT files built here: regions, pages, every hidden place."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import docx.shared
import pytest
from docx.enum.section import WD_SECTION
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from corpus.build import render
from qupia.extract import ExtractError, Limits, extract
from qupia.model import Region

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def source(fmt: str, pages: list[dict], **extra: object) -> dict:
    return {"id": f"fixture-{fmt}", "lang": "ru", "genre": "order", "format": fmt,
            "split": "test", "pages": pages,
            "labels": {"level": None, "families": [], "rules": []}, **extra}


def regions(path: Path) -> dict[str, set[str]]:
    """Region → texts of the blocks in it."""
    out: dict[str, set[str]] = {}
    for block in extract(path).blocks:
        out.setdefault(block.region.value, set()).add(block.text)
    return out


def where(path: Path, needle: str) -> set[tuple[int, str]]:
    return {(b.page, b.region.value) for b in extract(path).blocks if needle in b.text}


def test_pdf_header_footer_body_table_and_rotated_stamp(tmp_path: Path) -> None:
    path = render(source("pdf", [
        {"header": "СЕКРЕТНО\nЭкз. № 1", "footer": "Страница один",
         "blocks": ["Войсковая часть 12345 дислоцируется в г. Сарыозек.",
                    {"table": [["Подразделение", "Численность"], ["1-й батальон", "412"]]},
                    {"textbox": "ОСОБОЙ ВАЖНОСТИ", "rotate": 15}]},
        {"header": "СЕКРЕТНО\nЭкз. № 1", "footer": "Страница два",
         "blocks": ["Вторая страница приказа."]},
    ]), tmp_path)
    doc = extract(path)
    assert doc.format == "pdf" and doc.pages == 2
    assert where(path, "СЕКРЕТНО") == {(1, "header"), (2, "header")}
    assert where(path, "Страница один") == {(1, "footer")}
    assert where(path, "дислоцируется") == {(1, "body")}
    assert where(path, "Вторая страница") == {(2, "body")}
    text = " ".join(b.text for b in doc.blocks)
    for word in ("Подразделение", "Численность", "1-й батальон", "412", "ОСОБОЙ ВАЖНОСТИ"):
        assert word in text
    assert all(b.bbox is not None for b in doc.blocks)


def test_pdf_running_text_from_the_top_margin_is_body(tmp_path: Path) -> None:
    """Text that starts high on the page with no gap below it is not a header."""
    path = tmp_path / "dense.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c.setFont("DejaVu", 10)
    y = A4[1] - 45
    for i in range(60):
        c.drawString(50, y, f"Строка сплошного текста номер {i} без колонтитулов.")
        y -= 12.5
    c.save()
    assert {b.region for b in extract(path).blocks} - {Region.METADATA} == {Region.BODY}


def test_docx_every_place_a_word_can_hide(tmp_path: Path) -> None:
    path = render(source("docx", [
        {"header": "ҚҰПИЯ", "footer": "Дана № 1",
         "blocks": [
             {"align": "right", "text": "Бекітемін"},
             "Бірінші бет.",
             {"table": [["Бөлімше", "Саны"], ["1-батальон", "412"]]},
             {"textbox": "ТЕКСТБОКС МӘТІНІ"},
             {"footnote": "Сілтеме мәтіні", "anchor": "Бірінші бет."},
             {"comment": "Пікір мәтіні", "anchor": "Бірінші бет."},
             {"hidden": "Жасырын мәтін"},
             {"deleted": "Өшірілген мәтін"},
             {"inserted": "Қосылған мәтін"},
         ]},
        {"header": "ҚҰПИЯ", "footer": "Дана № 1", "blocks": ["Екінші бет."]},
    ], first_page_header="БІРІНШІ БЕТ ТАҚЫРЫБЫ",
        properties={"title": "Бұйрық", "custom": {"Classification": "Құпия"}}), tmp_path)
    found = regions(path)
    assert "ҚҰПИЯ" in found["header"]
    assert "БІРІНШІ БЕТ ТАҚЫРЫБЫ" in found["header"]
    assert "Дана № 1" in found["footer"]
    assert {"Бөлімше", "Саны", "1-батальон", "412"} <= found["table"]
    assert "ТЕКСТБОКС МӘТІНІ" in found["textbox"]
    assert "Сілтеме мәтіні" in found["footnote"]
    assert "Пікір мәтіні" in found["comment"]
    assert {"Жасырын мәтін", "Өшірілген мәтін"} <= found["hidden"]
    assert any("Қосылған мәтін" in t for t in found["body"])
    assert {"Бұйрық", "Құпия"} <= found["metadata"]
    assert where(path, "Екінші бет.") == {(2, "body")}
    labels = {b.label for b in extract(path).blocks if b.region is Region.METADATA}
    assert {"title", "custom:Classification"} <= labels


def test_docx_nested_table_even_page_header_and_sections(tmp_path: Path) -> None:
    d = docx.Document()
    d.settings.odd_and_even_pages_header_footer = True
    d.sections[0].header.paragraphs[0].text = "ТАҚ БЕТ"
    d.sections[0].even_page_header.paragraphs[0].text = "ЖҰП БЕТ"
    head = d.sections[0].header.add_table(rows=1, cols=2, width=docx.shared.Cm(16))
    head.cell(0, 0).text = "МИНИСТРЛІК"
    head.cell(0, 1).text = "ҚҰПИЯ"
    outer = d.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "ІШКІ КЕСТЕ"
    section = d.add_section(WD_SECTION.NEW_PAGE)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "ЕКІНШІ БӨЛІМ"
    d.add_paragraph("Екінші бөлімнің мәтіні")
    path = tmp_path / "nested.docx"
    d.save(str(path))
    found = regions(path)
    assert "ІШКІ КЕСТЕ" in found["table"]
    assert {"ТАҚ БЕТ", "ЖҰП БЕТ", "ЕКІНШІ БӨЛІМ", "ҚҰПИЯ"} <= found["header"]
    assert where(path, "Екінші бөлімнің мәтіні") == {(2, "body")}


def test_txt_form_feed_starts_a_page(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_text("СЕКРЕТНО\n\nПервая страница\fВторая страница\fТретья", encoding="utf-8")
    doc = extract(path)
    assert doc.pages == 3
    assert where(path, "Третья") == {(3, "body")}


# --- bad input: a one-line reason, never a traceback -----------------------------------------

def _encrypted_pdf(path: Path) -> None:
    c = canvas.Canvas(str(path), encrypt="пароль")
    c.drawString(100, 700, "secret")
    c.save()


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")


def _entity_docx(path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
              'main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", laughs)


def _no_document_part(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word file")


def _truncated_docx(path: Path, tmp_path: Path) -> None:
    good = render(source("docx", [{"blocks": ["Мәтін"]}]), tmp_path / "good")
    path.write_bytes(good.read_bytes()[:400])


def _truncated_pdf(path: Path, tmp_path: Path) -> None:
    good = render(source("pdf", [{"blocks": ["Текст"]}]), tmp_path / "good")
    path.write_bytes(good.read_bytes()[:300])


BAD = [
    ("empty.pdf", lambda p, t: p.write_bytes(b""), "empty file"),
    ("garbage.pdf", lambda p, t: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4),
     "not a readable PDF"),
    ("truncated.pdf", _truncated_pdf, "not a readable PDF"),
    ("locked.pdf", lambda p, t: _encrypted_pdf(p), "encrypted PDF"),
    ("pdf-named.docx", lambda p, t: p.write_bytes(b"%PDF-1.4\n%%EOF\n"),
     "named as DOCX but the content is a PDF"),
    ("zip-named.pdf", lambda p, t: _no_document_part(p), "named as PDF but the content is a ZIP"),
    ("bomb.docx", lambda p, t: _zip_bomb(p), "zip bomb"),
    ("entities.docx", lambda p, t: _entity_docx(p), "DOCTYPE"),
    ("nodoc.docx", lambda p, t: _no_document_part(p), "not a DOCX"),
    ("truncated.docx", _truncated_docx, "bad ZIP archive"),
    ("legacy.docx", lambda p, t: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
     "OLE compound file"),
    ("binary.txt", lambda p, t: p.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 300), "binary data"),
    ("notes.pages", lambda p, t: p.write_bytes(b"PK\x03\x04"), "unsupported file type"),
    ("notes.odt", lambda p, t: p.write_bytes(b"PK\x03\x04"), "not a readable ODT (bad ZIP archive"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_one_line_reason(tmp_path: Path, name: str, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    make(path, tmp_path)
    with pytest.raises(ExtractError) as err:
        extract(path)
    message = str(err.value)
    assert reason in message
    assert "\n" not in message


def test_page_and_size_limits(tmp_path: Path) -> None:
    path = render(source("pdf", [{"blocks": ["один"]}, {"blocks": ["два"]},
                                 {"blocks": ["три"]}]), tmp_path)
    with pytest.raises(ExtractError, match="over the limit of 2"):
        extract(path, Limits(max_pages=2))
    with pytest.raises(ExtractError, match="over the limit of 100 bytes"):
        extract(path, Limits(max_file_bytes=100))


def test_table_listing_marks_is_no_stamp(tmp_path: Path) -> None:
    """Regression: a glossary table of marks set the document's level."""
    from qupia.markings import detect, load

    path = render(source("docx", [{"blocks": [
        "Сопоставление грифов секретности:",
        {"table": [["Top Secret", "Совершенно секретно"], ["Secret", "Секретно"]]},
    ]}]), tmp_path)
    assert detect(extract(path), load()).document_level is None
    stamp = render(dict(source("docx", [{"blocks": [
        {"table": [["МИНИСТЕРСТВО ОБОРОНЫ", "ҚҰПИЯ"], ["", "СЕКРЕТНО\nЭкз. № 1"]]},
        "Текст приказа."]}]), id="fixture-stamp"), tmp_path)
    assert detect(extract(stamp), load()).document_level is not None


def test_pdf_line_whose_second_run_starts_with_a_quote(tmp_path: Path) -> None:
    """Regression: pdfium finds no character at the left edge of a run that starts with a
    quote mark, and the reader crashed on such a line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    path = tmp_path / "quote.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 10)
    c.drawString(72, 400, "Кімге:")
    c.drawString(300, 400, '"Qazgidromet" RMK')
    c.save()
    texts = [b.text for b in extract(path).blocks]
    assert "Кімге:" in " ".join(texts) and '"Qazgidromet" RMK' in " ".join(texts)


def test_pdf_header_drawn_as_one_padded_string_is_cut_at_its_gap(tmp_path: Path) -> None:
    """Regression: "МИНИСТЕРСТВО ОБОРОНЫ" and "СЕКРЕТНО" drawn as one string padded with spaces
    came out of pdfium as one run with one space, and the stamp read as prose."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from qupia.markings import detect, load

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    path = tmp_path / "padded.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 10)
    c.drawString(60, 800, "МИНИСТЕРСТВО ОБОРОНЫ" + " " * 40 + "СЕКРЕТНО")
    c.drawString(60, 700, "Войсковая часть 12345 дислоцируется в г. Сарыозек.")
    c.save()
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.region is Region.HEADER] == [
        "МИНИСТЕРСТВО ОБОРОНЫ", "СЕКРЕТНО"]
    facts = detect(doc, load())
    assert facts.document_level is not None and facts.document_level.value == "secret"


def test_pdf_without_a_text_layer_is_no_text(tmp_path: Path) -> None:
    """A scan (here: a page with only drawing on it) has nothing to read: status no-text, with
    the reason; with OCR off the reason says so and names the page."""
    from qupia.engine import check_file
    from qupia.settings import Settings

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)
    c.save()
    result = check_file(path, Settings(ocr="off"))
    assert (result.status, result.pages, result.unreadable_pages) == ("no-text", 1, (1,))
    assert result.error == "no text layer on page 1 and OCR is off (--ocr off)"
    result = check_file(path, Settings())  # OCR finds no words in a black box
    assert (result.status, result.pages, result.error) == ("no-text", 1, "no readable text")
