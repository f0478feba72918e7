"""Short unmarked disclosures (an operational message, a field report) are found by their cues:
a signal's code word after a dash or in Kazakh ("шабуыл белгісі — «…»"), tomorrow's hour of
action, a blocking position ("тосқауыл"), a gravimetric survey (Article 12, item 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qupia.engine import check_file
from qupia.settings import Settings
from tests.conftest import cue_items

OPERATION_KK = (
    "Жедел хабарлама\n"
    "Ертең 04:15-те «Бүркіт» тобы (18 адам) Талғар ауданындағы Алмалық ауылындағы қоймаға "
    "кіреді. Снайпер — су мұнарасында; шабуыл белгісі — «Тау». Резерв: 2 БТР көпір жанында, "
    "байланыс 148,250 МГц.\n"
)
SURVEY_RU = (
    "Отчёт о полевых работах",
    "ТОО выполнило гравиметрическую съёмку масштаба 1:50 000 участка у полигона «Сарышаган» "
    "по заказу Минобороны; аномалии силы тяжести до 9 мГал и координаты 610 пунктов переданы "
    "заказчику для поправок к стрельбе ракетами.",
)
FAIR_KK = (
    "Хабарландыру\n"
    "Ертең 10:00-де аудандық мәдениет үйінде ауыл шаруашылығы жәрмеңкесі ашылады. Сауда "
    "белгісі «Алтын дән» тауарлары сатылады. Байланыс телефоны 8 727 123 45 67.\n"
)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("сигнал — «Жел»", "11.1"),
        ("шабуыл белгісі — «Боран»", "11.1"),
        ("шабуыл белгісі", "14.18-1"),
        ("Ертең 03:00 дабыл", "11.1"),
        ("завтра в 05:40 выход", "11.1"),
        ("тас жолында тосқауыл қояды", "11.1"),
        ("гравиметрическая съемка", "12.22"),
        ("ауырлық күшінің аномалиялары", "12.22"),
        ("тыңдау жабдықтарын сатып алу", "14.1"),
    ],
)
def test_short_disclosure_cues(text: str, item: str) -> None:
    assert item in cue_items(text)


def test_a_trademark_is_not_a_signal() -> None:
    """"Сауда белгісі «…»" (a trademark) is no signal's code word."""
    assert "11.1" not in cue_items("Сауда белгісі «Алтын дән»")


def test_a_short_operational_message_is_an_unmarked_disclosure(tmp_path: Path) -> None:
    path = tmp_path / "sms.txt"
    path.write_text(OPERATION_KK, encoding="utf-8")
    result = check_file(path, Settings())
    assert "QP100" in {f.code for f in result.findings}
    assert {"11", "14"} & {c.article for c in result.categories}


def test_a_gravimetric_survey_for_a_range_is_an_unmarked_disclosure(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "report.docx"
    doc = Document()
    for paragraph in SURVEY_RU:
        doc.add_paragraph(paragraph)
    doc.save(str(path))
    result = check_file(path, Settings())
    assert "QP100" in {f.code for f in result.findings}
    assert "12.22" in {c.item for c in result.categories}


def test_an_announcement_with_tomorrows_hour_stays_clean(tmp_path: Path) -> None:
    path = tmp_path / "fair.txt"
    path.write_text(FAIR_KK, encoding="utf-8")
    result = check_file(path, Settings())
    assert not result.findings
