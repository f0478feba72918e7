"""OCR'd lines put right: the number sign, words hyphenated at a line end, and Kazakh Latin
pages read again with Latin-script data (src/qupia/extract/ocr_text.py, ocr.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.scanlib import ROUGH, degrade, draw_page, save
from qupia.extract import extract, ocr
from qupia.extract.ocr_text import join_broken, normalise
from tests.conftest import TSV_HEAD

needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None,
                               reason=f"OCR cannot run: {ocr.unavailable()}")


@pytest.mark.parametrize(("read", "meant"), [
    # the number sign
    ("Dana Ne 1", "Dana № 1"),  # English or Latin data: no "№"
    ("Экз. No 2", "Экз. № 2"),
    ("Акт Ме 12 от 03.05.2010", "Акт № 12 от 03.05.2010"),  # kaz+rus on a turned stamp
    ("Nо5", "№5"),
    ("No smoking", "No smoking"),  # not before a number
    ("Мое 12", "Мое 12"),  # a word
    ("Экз. № 3", "Экз. № 3"),
    # Roman months of Soviet dates
    ("17.Х1.43 г.", "17.XI.43 г."),  # a Cyrillic Х and a one
    ("ЦК КП(б)К от 5//Ш-37 г. Строго", "ЦК КП(б)К от 5/VIII-37 г. Строго"),
    ("на 3/VП-31 г.", "на 3/VII-31 г."),
    ("14.11.55", "14.11.55"),  # an Arabic date stays
    ("файл 2/П/3", "файл 2/П/3"),  # not a date
    # specks in dates
    ("11. марта 1955 г.", "11 марта 1955 г."),
    ("17 июня 1988.г. № 312", "17 июня 1988 г. № 312"),
    ("пункт 3. Марта нет", "пункт 3. Марта нет"),
    # an editor's bracket read as a letter
    ("ІМөр: Купия]", "[Мөр: Купия]"),
    ("Итоги]", "Итоги]"),
    # Latin look-alikes inside Cyrillic words
    ("КЕҢЕСIНIҢ ҚАУЛЫСЫ", "КЕҢЕСІНІҢ ҚАУЛЫСЫ"),
    ("нoмер", "номер"),
    ("ISO 9706 стандарты", "ISO 9706 стандарты"),
])
def test_ocr_lines_are_put_right(read: str, meant: str) -> None:
    assert normalise(read) == meant


def test_hyphenated_words_are_joined_and_numbers_are_not() -> None:
    assert join_broken("В период передисло-", "цировать полк в г. Аягуз") == (
        "В период передислоцировать", "полк в г. Аягуз")
    assert join_broken("құпия-", "лылық, грифі") == ("құпиялылық,", "грифі")
    assert join_broken("в составе 1-", "батальона") is None  # "1-батальона" is no word
    assert join_broken("Алма-Ата", "Совершенно секретно") is None


def test_tesseract_lines_of_one_paragraph_are_mended() -> None:
    rows = [TSV_HEAD,
            "5\t1\t1\t1\t1\t1\t100\t50\t300\t30\t95\tпередисло-",
            "5\t1\t1\t1\t2\t1\t100\t90\t200\t30\t95\tцировать",
            "5\t1\t1\t1\t2\t2\t320\t90\t100\t30\t95\tполк",
            "5\t1\t1\t1\t3\t1\t100\t130\t100\t30\t95\tЭкз.",
            "5\t1\t1\t1\t3\t2\t210\t130\t60\t30\t95\tNe",
            "5\t1\t1\t1\t3\t3\t280\t130\t30\t30\t95\t2"]
    assert [ln.text for ln in ocr.lines_of("\n".join(rows))] == [
        "передислоцировать", "полк", "Экз. № 2"]


@pytest.mark.slow
@needs_ocr
def test_a_kazakh_latin_scan_keeps_its_letters_and_copy_number(tmp_path: Path) -> None:
    """A Kazakh Latin page (2018 alphabet) read again in Latin script: the copy number keeps
    its "№", and, with the Latin-script data, "aýasynyń" keeps its ý and ń (English data read
    "ayasynyn", which is another word once turned to Cyrillic)."""
    body = ["Temirtaý qalasynyń atmosferalyq aýasynyń lastanýy týraly anyqtama",
            "2025 jylǵy 10-16 qańtarda qalanyń 5 baqylaý beketinde kúkirtti",
            "ańgıdrıdtiń konsentrasııasy 3,4 ese asty."] * 3
    page = degrade(draw_page(body, header_left="EKOLOGIIA DEPARTAMENTI",
                             header_right="ÓTE QUPIA\nDana № 1"), ROUGH)
    doc = extract(save([page], tmp_path / "latn.png"))
    text = "\n".join(b.text for b in doc.blocks)
    assert "Dana № 1" in text
    if ocr.latin() in ("Latin", "script/Latin"):
        assert "aýasynyń" in text
