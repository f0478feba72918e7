"""Marks as published archival documents lay them out: merged columns, transcribers' labels,
Soviet forms and dates; and what is no mark there (departments, prose, negations)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qupia.engine import check_file
from qupia.markings import load
from qupia.markings.dates import find_dates, line_date
from qupia.model import Level
from qupia.settings import Settings
from qupia.text.fold import fold

BODY_RU = "\n\nДокладываю о ходе работ.\n\n"
BODY_KK = "\n\nЖұмыстың барысы туралы баяндаймын.\n\n"

# (name, text, level of the document, legacy)
MARKED = [
    # two columns merged into one line: place or addressee left, stamp right
    ("ru-place", "Алма-Ата Совершенно секретно\nПредседателю СНК КазАССР" + BODY_RU
     + "12 марта 1933 г.", Level.TOP_SECRET, True),
    ("ru-place-paren", "Объект 10 (в 170 км западнее Сов. секретно\nСемипалатинска) Экз. № 2"
     + BODY_RU + "20 августа 1949 г.", Level.TOP_SECRET, True),
    ("ru-addressee", "Наркому внутренних дел СССР Секретно\nЭкз. № 1" + BODY_RU
     + "5 июня 1936 г.", Level.SECRET, True),
    ("ru-long-addressee", "Уполномоченному Совета по делам религиозных культов при СНК СССР "
     "Секретно" + BODY_RU + "5 июля 1946 г.", Level.SECRET, True),
    ("kk-long-addressee", "Қазақ КСР Министрлер Кеңесі жанындағы комитеттің төрағасына Құпия"
     + BODY_KK + "1975 жылғы 5 мамыр", Level.SECRET, True),
    ("kk-place", "Алматы қаласы Құпия" + BODY_KK + "1965 жылғы 5 мамыр", Level.SECRET, True),
    ("kk-addressee", "Облыстық атқару комитетіне Өте құпия\nДана № 1" + BODY_KK
     + "1975 жылғы 5 мамыр", Level.TOP_SECRET, True),
    ("kk-modern-place", "Астана қаласы ҚҰПИЯ\nДана № 2" + BODY_KK + "2024 жылғы 5 мамыр",
     Level.SECRET, False),
    # a transcriber's label before the stamp
    ("ru-label-stamp", "Штамп: Секретно" + BODY_RU + "5 мая 1946 г.", Level.SECRET, True),
    ("ru-label-grif", "Гриф: Совершенно секретно" + BODY_RU + "5 мая 1961 г.",
     Level.TOP_SECRET, True),
    ("ru-label-bracket", "[Пометка: Сов. секретно]" + BODY_RU + "5 мая 1961 г.",
     Level.TOP_SECRET, True),
    ("kk-label-mor", "Мөр: Құпия" + BODY_KK + "1965 жылғы 5 мамыр", Level.SECRET, True),
    ("kk-label-grif", "Гриф: Өте құпия" + BODY_KK + "1965 жылғы 5 мамыр", Level.TOP_SECRET,
     True),
    ("ru-label-editor-note", "[Гриф «Совершенно секретно»]" + BODY_RU + "5 мая 1961 г.",
     Level.TOP_SECRET, True),
    ("ru-addressee-tov", "Тов. Сталину Сов. секретно" + BODY_RU + "15 мая 1933 г.",
     Level.TOP_SECRET, True),
    ("ru-title-line", "ВЫПИСКА ИЗ ПРОТОКОЛА № 51 ЗАСЕДАНИЯ БЮРО ЦК КП(б)К от 5/VIII-37 г. "
     "Строго секретно" + BODY_RU, Level.TOP_SECRET, True),
    ("kk-special-folder", "Өте құпия. Ерекше папка." + BODY_KK + "1932 жылғы 20 қыркүйек",
     Level.SPECIAL_IMPORTANCE, True),
    ("ru-ocr-zero", "С0В. СЕКРЕТНО\nЭкз. № 1" + BODY_RU + "26 октября 1960 г.",
     Level.TOP_SECRET, True),
    # handling words beside the stamp
    ("ru-only-personally", "Строго секретно. Только лично." + BODY_RU + "15 мая 1933 г.",
     Level.TOP_SECRET, True),
    ("ru-very-urgent", "Весьма срочно. Сов. секретно" + BODY_RU + "15 мая 1933 г.",
     Level.TOP_SECRET, True),
    ("ru-cipher", "Шифровка. Сов. секретно" + BODY_RU + "15 мая 1933 г.", Level.TOP_SECRET,
     True),
    # Soviet forms
    ("ru-c-sekretno", "С. секретно" + BODY_RU + "5 мая 1961 г.", Level.TOP_SECRET, True),
    ("ru-sov-sekr", "Сов. секр.\nЭкз. № 3" + BODY_RU + "5 мая 1961 г.", Level.TOP_SECRET, True),
    ("ru-osobaya-papka", "Особая папка\nСов. секретно" + BODY_RU + "5 мая 1937 г.",
     Level.SPECIAL_IMPORTANCE, True),
    ("ru-strogo-1932", "СТРОГО СЕКРЕТНО\nПротокол № 12 заседания бюро Казкрайкома ВКП(б)"
     + BODY_RU + "5 мая 1932 г.", Level.TOP_SECRET, True),
    ("ru-strogo-roman-date", "Строго секретно" + BODY_RU + "5.V.1932 г.", Level.TOP_SECRET,
     True),
    ("ru-strogo-month-year", "Строго секретно" + BODY_RU + "Декабрь 1931 г.",
     Level.TOP_SECRET, True),
    ("ru-dated-under-signature", "Строго секретно\n\nПротокол № 3 заседания бюро обкома."
     + BODY_RU + "\fПостановили: принять к сведению.\n\nСекретарь обкома\n12 мая 1934 г.",
     Level.TOP_SECRET, True),
    ("ru-editor-dating", "Сов. секретно" + BODY_RU + "[Не ранее 1932 г.]", Level.TOP_SECRET,
     True),
    ("ru-nkvd-00", "Приказ НКВД № 00447" + BODY_RU + "30 июля 1937 г.", Level.TOP_SECRET,
     True),
    ("ru-number-ss", "Постановление № 1428-326сс" + BODY_RU + "21 августа 1937 г.",
     Level.TOP_SECRET, True),
]

UNMARKED = [
    ("ru-negation", "НЕ СЕКРЕТНО" + BODY_RU + "5 мая 2020 г."),
    ("ru-secret-department", "Секретный отдел\nВх. № 345\n15.03.1932" + BODY_RU
     + "10 марта 1932 г."),
    ("ru-secret-part", "СЕКРЕТНАЯ ЧАСТЬ\nВх. № 12" + BODY_RU + "10 марта 1952 г."),
    ("ru-spo", "Секретно-политический отдел ОГПУ\nСводка о настроениях." + BODY_RU
     + "10 марта 1932 г."),
    ("ru-prose-lifted", "Гриф «Секретно» был снят в 1991 году, и документ опубликован."),
    ("ru-prose-lifted-2", "В 1991 году с документа был снят гриф «Совершенно секретно»."),
    ("ru-gazette", "По данным газеты «Совершенно секретно»\nархив открыт для исследователей."),
    ("ru-title-colon", "Рассекреченные документы: Совершенно секретно\n\nВыставка в музее."),
    ("ru-long-line-addressee", "Председатель комиссии рассказал, что многие документы имели "
     "пометку Секретно\n\nСтатья."),
    ("ru-long-line", "В архиве хранятся материалы комиссии, которые историки называют "
     "Совершенно секретно\n\nСтатья."),
    ("ru-became-secret", "Доклад стал Секретно\n\nТекст."),
    ("kk-prose", "Құжаттағы «Құпия» белгісі 1991 жылы алынды."),
    ("kk-negation", "Бұл құжат құпия емес" + BODY_KK),
]


@pytest.mark.parametrize(("name", "text", "level", "legacy"), MARKED,
                         ids=[m[0] for m in MARKED])
def test_archival_layouts_are_marks(txt, name: str, text: str, level: Level,  # type: ignore[no-untyped-def]
                                    legacy: bool) -> None:
    facts = txt(text)
    assert facts.document_level is level, facts.markings
    assert all(m.legacy is legacy for m in facts.markings), facts.markings


@pytest.mark.parametrize(("name", "text"), UNMARKED, ids=[u[0] for u in UNMARKED])
def test_departments_prose_and_negations_are_no_marks(txt, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    facts = txt(text)
    assert facts.document_level is None, facts.markings
    assert not [m for m in facts.markings if m.level is Level.NONSTANDARD]


def codes(path: Path, text: str) -> set[str]:
    """The rule codes of *text* written to *path*, on the reference date of the corpus."""
    path.write_text(text, encoding="utf-8")
    return {f.code for f in check_file(path, Settings(reference_date=date(2026, 11, 26))).findings}


def test_strogo_sekretno_before_the_law_is_legacy_not_qp303(tmp_path: Path) -> None:
    assert "QP303" not in codes(tmp_path / "old.txt", "СТРОГО СЕКРЕТНО\n\nПротокол № 12 "
                                "заседания бюро." + BODY_RU + "5 мая 1932 г.")
    assert "QP303" in codes(tmp_path / "new.txt", "СТРОГО СЕКРЕТНО\n\nПротокол № 12 "
                            "заседания." + BODY_RU + "5 мая 2012 г.")


@pytest.mark.parametrize(("text", "expected"), [
    ("5.V.1932 г.", date(1932, 5, 5)),
    ("17/III-49 г.", date(1949, 3, 17)),
    ("17.ІІІ.1949", date(1949, 3, 17)),  # Cyrillic І typed for Roman I
    ("2.XI.1937", date(1937, 11, 2)),
    ("2.ХІ.1937", date(1937, 11, 2)),  # Cyrillic Х and І
])
def test_roman_month_dates(text: str, expected: date) -> None:
    assert [d for _, d in find_dates(fold(text), load())] == [expected]


def test_an_outgoing_number_above_a_date_is_not_a_year() -> None:
    """"№ 11/4022" over "29 октября 1937 г." once read as the Kazakh order (year, day, month):
    29 October 4022, which made an expired 1937 stamp look in force."""
    text = "№ 11/4022\n29 октября 1937 г.\nг. Алма-Ата Совершенно секретно"
    assert [d for _, d in find_dates(fold(text), load())] == [date(1937, 10, 29)]


@pytest.mark.parametrize(("line", "expected"), [
    ("Декабрь 1931 г.", date(1931, 12, 1)),
    ("г. Алма-Ата, 1932 г.", date(1932, 1, 1)),
    ("1936 жыл", date(1936, 1, 1)),
    ("[Не позднее мая 1933 г.]", date(1933, 5, 1)),
    ("В 1932 г. началась откочевка", None),  # prose, not a date line
    ("2025 г.", None),  # only years before the law read this way
])
def test_partial_date_lines(line: str, expected: date | None) -> None:
    assert line_date(fold(line), load()) == expected


def test_special_folder_beside_top_secret_is_one_stamp(tmp_path: Path) -> None:
    assert "QP400" not in codes(tmp_path / "politburo.txt",
                                "Особая папка\nСов. секретно" + BODY_RU + "5 мая 1937 г.")
    assert "QP400" not in codes(tmp_path / "kazakh.txt",
                                "Өте құпия. Ерекше папка." + BODY_KK + "1932 жылғы 20 қыркүйек")
    assert "QP400" in codes(tmp_path / "mixed.txt",
                            "Секретно" + BODY_RU + "СОВЕРШЕННО СЕКРЕТНО\n\n5 мая 1937 г.")


def test_soviet_top_secret_of_special_importance_is_one_stamp(tmp_path: Path) -> None:
    """"Совершенно секретно / Особой важности" on a Soviet paper is the Soviet top grade, one
    stamp; under the law the same two lines are two levels set against each other (QP400)."""
    stamp = "Совершенно секретно\nОсобой важности\nЭкз. № 1\n\n"
    assert "QP400" not in codes(tmp_path / "1953.txt", stamp + BODY_RU + "28 июля 1953 г.")
    assert "QP400" in codes(tmp_path / "2012.txt", stamp + BODY_RU + "28 июля 2012 г.")
