"""Marking forms of docs/law.md: each stamp found with its level, each prose mention left alone."""

from __future__ import annotations

from datetime import date

import pytest

BODY = "\n\nБригаданың жеке құрамы 1 240 адам, штаб Сарыөзек кентінде орналасқан.\n"

STAMPS = [
    ("ӨТЕ ҚҰПИЯ\nДана № 1", "top-secret"),
    ("Өте құпия", "top-secret"),
    ("ҚҰПИЯ", "secret"),
    ("АСА МАҢЫЗДЫ", "special-importance"),
    ("СОВЕРШЕННО СЕКРЕТНО\nЭкз. № 2", "top-secret"),
    ("Совершенно секретно", "top-secret"),
    ("СЕКРЕТНО", "secret"),
    ("«СЕКРЕТНО»", "secret"),
    ("ОСОБОЙ ВАЖНОСТИ", "special-importance"),
    ("Сов. секретно", "top-secret"),
    ("Сов.секретно", "top-secret"),
    ("СОВЕРШЕННО\nСЕКРЕТНО", "top-secret"),
    ("С Е К Р Е Т Н О", "secret"),
    ("CEKPETHO", "secret"),  # typed with Latin look-alikes
    ("СЕКРЕ\u00adТНО", "secret"),  # soft hyphen
    ("СЕКРЕТН0", "secret"),  # OCR: a zero for the letter О
    ("ÓTE QUPIA", "top-secret"),
    ("ÖTE QŪPIA", "top-secret"),
    ("öte qūpiia", "top-secret"),
    ("O'TE QUPI'A", "top-secret"),
    ("OTE QUPIA", "top-secret"),
    ("QUPIA", "secret"),
    ("QŪPIA", "secret"),
    ("ASA MAŃYZDY", "special-importance"),
    ("ASA MAÑYZDY", "special-importance"),
    ("ОТЕ КУПИЯ", "top-secret"),  # Kazakh typed without a Kazakh layout / OCR'd with rus
    ("ҚҰПИЯ / СЕКРЕТНО", "secret"),
    ("Гриф: Секретно", "secret"),
    ("Секретно\n(после заполнения)", "secret"),
    ("Секретно (после заполнения)", "secret"),
    ("Құпия (толтырылғаннан кейін)", "secret"),
    ("Құпиялылық грифі: Өте құпия", "top-secret"),
    ("МИНИСТЕРСТВО ОБОРОНЫ                    СЕКРЕТНО", "secret"),
    ("ҚР ҚОРҒАНЫС МИНИСТРЛІГІ\tӨТЕ ҚҰПИЯ", "top-secret"),
]


@pytest.mark.parametrize(("stamp", "level"), STAMPS)
def test_stamp_sets_document_level(txt, stamp: str, level: str) -> None:
    facts = txt(stamp + BODY)
    assert facts.document_level is not None, stamp
    assert facts.document_level.value == level


MENTIONS = [
    "Документ с грифом «Совершенно секретно» был рассекречен в 2019 году.",
    "Құжатқа «құпия» белгісі қойылған.",
    "Гриф «Секретно» был снят в 1991 году.",
    "Бұл аса маңызды мәселе, оны кейінге қалдыруға болмайды.",
    "Құпия дауыс беру нәтижесінде төраға сайланды.",
    "Устанавливаются грифы «особой важности», «совершенно секретно» и «секретно».",
    "Мемлекеттік құпия болып табылатын мәліметтерге \"аса маңызды\", \"өте құпия\"\n"
    "белгілері беріледі.",
    "Сведения, отнесенные к степени\n«совершенно секретно», охраняются.",
    "Вакансия: требуется допуск к сведениям под грифом\n«Секретно».",
    "Действовать следует секретно и быстро.",
    "НЕ СЕКРЕТНО",
    "ҚҰПИЯ ЕМЕС",
    "Қызметкерлер аса маңызды азаматтық өнімдерді шығарады.",
    "Приказ НКВД № 00447 от 30 июля 1937 года упоминается во многих исследованиях историков.",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_mention_in_prose_is_no_marking(txt, text: str) -> None:
    facts = txt(text + "\n")
    assert facts.markings == (), [m.text for m in facts.markings]
    assert facts.mentions >= 1


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("ДСП", True),
        ("Для служебного пользования", True),
        ("ҚБП", True),
        ("Қызмет бабында пайдалану үшін", True),
        ("Qyzmet babynda paidalanu úshin", True),  # 2018 Latin: acute ú, i for й
        ("QYZMET BABYNDA PAYDALANU ÜŞIN", True),
        ("Мебель из ДСП закупается ежегодно по плану.", False),
    ],
)
def test_limited(txt, stamp: str, expected: bool) -> None:
    facts = txt(stamp + BODY)
    assert facts.limited is expected
    assert facts.document_level is None


@pytest.mark.parametrize(
    "stamp",
    [
        "СЕКРЕТНО\nГриф снят. Акт № 12 от 03.05.2010",
        "Совершенно секретно\nРассекречено 12.01.2005",
        "ӨТЕ ҚҰПИЯ\nҚұпиясыздандырылды 2019 жылғы 14 наурыз",
        "СЕКРЕТНО\nГриф «Секретно» снят. Решение комиссии от 10.10.2010",
    ],
)
def test_declassification_takes_marks_out_of_effect(txt, stamp: str) -> None:
    facts = txt(stamp + BODY)
    assert facts.declassified
    assert facts.document_level is None
    assert any(not m.in_effect for m in facts.markings)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("СЕКРЕТНО\nЭкз. № 3", "copy", "3"),
        ("СЕКРЕТНО\nЭкз. единственный", "copy", "единственный"),
        ("ҚҰПИЯ\nДана № 2", "copy", "2"),
        ("СЕКРЕТНО\nп. 14 Перечня", "list_item", "14"),
        ("ҚҰПИЯ\nТізбенің 7-тармағы", "list_item", "7"),
        ("СЕКРЕТНО\nСрок засекречивания 10 лет", "period_years", 10),
        ("СЕКРЕТНО\nСрок засекречивания: 35 лет", "period_years", 35),
        ("ҚҰПИЯ\nМерзімі 10 жыл", "period_years", 10),
        ("QUPIA\nMerzimi 5 jyl", "period_years", 5),
        ("СЕКРЕТНО\nдо 2031 года", "until", date(2031, 1, 1)),
        ("СЕКРЕТНО\nдо 31.12.2031", "until", date(2031, 12, 31)),
        ("ҚҰПИЯ\n2031 жылға дейін", "until", date(2031, 1, 1)),
        ("СЕКРЕТНО\nСрок продлен до 2040 года", "extended_until", date(2040, 1, 1)),
        ("ҚҰПИЯ\nМерзімі 2040 жылға дейін ұзартылды", "extended_until", date(2040, 1, 1)),
        ("СЕКРЕТНО\n14.03.2025", "date", date(2025, 3, 14)),
        ("СЕКРЕТНО\nот 14 марта 2025 г.", "date", date(2025, 3, 14)),
        ("ҚҰПИЯ\n2025 жылғы 14 наурыз", "date", date(2025, 3, 14)),
        ("ҚҰПИЯ\n14 наурыз 2025 ж.", "date", date(2025, 3, 14)),
        ("QUPIA\n2025 jylğy 14 nauryz", "date", date(2025, 3, 14)),
    ],
)
def test_requisites(txt, text: str, field: str, value: object) -> None:
    facts = txt(text + BODY)
    assert facts.markings, text
    assert getattr(facts.markings[0].requisites, field) == value


def test_until_is_not_the_document_date(txt) -> None:
    facts = txt("СЕКРЕТНО\nдо 31.12.2031\n\nПриказ от 05.02.2021 № 14" + BODY)
    assert facts.markings[0].requisites.until == date(2031, 12, 31)
    assert facts.document_date == date(2021, 2, 5)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("ОСОБАЯ ПАПКА\nПротокол заседания Политбюро от 14.05.1937", "special-importance"),
        ("Сов. секретно\nПриказ от 02.08.1937 № 1428-326сс", "top-secret"),
        ("СТРОГО СЕКРЕТНО\nСправка от 12.03.1938", "top-secret"),
        ("Приказ НКВД СССР № 00447\n30.07.1937", "top-secret"),
        ("№ 245с\nот 12.04.1951", "secret"),
    ],
)
def test_soviet_marks_are_legacy_on_old_documents(txt, text: str, level: str) -> None:
    facts = txt(text + BODY)
    assert facts.predates_law
    assert facts.document_level is not None and facts.document_level.value == level
    assert all(m.legacy for m in facts.in_effect)


def test_strictly_secret_on_a_new_document_is_nonstandard(txt) -> None:
    facts = txt("СТРОГО СЕКРЕТНО\nСлужебная записка от 12.03.2024" + BODY)
    assert not facts.predates_law
    assert facts.document_level is None
    assert [m.level.value for m in facts.markings] == ["nonstandard"]


@pytest.mark.parametrize("stamp", ["ҚАТАҢ ҚҰПИЯ", "КОНФИДЕНЦИАЛЬНО", "TOP SECRET"])
def test_nonstandard_stamps(txt, stamp: str) -> None:
    facts = txt(stamp + BODY)
    assert [m.level.value for m in facts.markings] == ["nonstandard"]


def test_highest_mark_wins(txt) -> None:
    facts = txt("СЕКРЕТНО\n\nтекст\n\nОСОБОЙ ВАЖНОСТИ" + BODY)
    assert facts.document_level is not None
    assert facts.document_level.value == "special-importance"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251"])
def test_text_encodings(txt, encoding: str) -> None:
    text = "СЕКРЕТНО\nЭкз. № 1\n\nДокумент о дислокации войсковой части 12345."
    facts = txt(text, encoding=encoding)
    assert facts.document_level is not None and facts.document_level.value == "secret"


def test_footer_stamp_with_page_numbering(txt) -> None:
    facts = txt("Текст плана." + BODY + "\nСекретно · Экз. № 1 · стр. 1 из 2")
    assert facts.document_level is not None and facts.document_level.value == "secret"


def test_plan_year_is_not_a_period(txt) -> None:
    """Regression: "на 2026 год" was read as a 2026-year period (QP302 on a plain plan)."""
    facts = txt("СЕКРЕТНО\nЭкз. № 1\nЗадание на 2026 год" + BODY)
    assert facts.markings[0].requisites.period_years is None


def test_modern_article_citing_a_soviet_order_is_not_a_soviet_document(txt) -> None:
    """Regression (LibreOffice PDFs of the corpus): a wrapped line of a 2024 article read
    "приказа НКВД СССР № 00447 от 30 июля 1937 года, по" as a legacy top-secret mark."""
    facts = txt(
        "Большой террор в Казахстане: обзор исследований\n\n"
        "Исследователи архивов Казахстана, начиная с событий 05.08.1937 в Алма-Ате и области, "
        "подробно\n"
        "описали, как в республике исполнялся печально известный оперативный\n"
        "приказа НКВД СССР № 00447 от 30 июля 1937 года, по которому были созданы тройки.\n"
    )
    assert facts.markings == ()
    assert not facts.predates_law


def test_pdf_table_row_listing_marks_is_no_stamp(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression (LibreOffice PDFs of the corpus): a PDF keeps no table, so a glossary row
    "аса маңызды | особой важности | өте құпия" came out as three body stamps."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.conftest import facts_of

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    path = tmp_path / "glossary.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 10)
    c.drawString(60, 700, "Грифы секретности на двух языках приведены в таблице.")
    for y, row in ((660, ("Аса маңызды", "Особой важности")), (640, ("Өте құпия",
                                                                     "Совершенно секретно"))):
        c.drawString(60, y, row[0])
        c.drawString(300, y, row[1])
    c.save()
    assert facts_of(path).document_level is None
