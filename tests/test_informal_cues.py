"""Unmarked disclosures in informal genres (family chats, forums, private mail) are found by the
Article 11 and 14 cues of ``patterns/categories``: a unit's move with its armour and new site
(11.11), a border post's gaps by marker posts and patrol hours (11.18), a depot's guard gaps
(11.13), and the Kazakh wording of the state of protection of secrets (14.16). Kazakh Latin text
reaches the Cyrillic cues through ``text.fold.latin_to_cyrillic``. Each disclosure has a matched
negative of the same genre and topic that stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from qupia.content.packs import load_packs
from qupia.engine import check_file
from qupia.settings import Settings
from qupia.text.fold import fold, latin_to_cyrillic
from tests.conftest import cue_items

MOVE_KK = (
    "WhatsApp «Ата-аналар тобы — көктем»\n"
    "[12.03, 20:10] Мадина: Ұлым айтты, 5 сәуірде бүкіл батальон Аягөзден Үшаралға көшеді, "
    "420 жігіт, 36 БТР-82, 8 миномет, эшелонмен апарады.\n"
    "[12.03, 20:12] Айжан: Жаңа орны қай жерде?\n"
    "[12.03, 20:13] Мадина: Бұрынғы әскери қалашық, станциядан 5 км.\n"
)
MOVE_KK_CLEAN = (
    "WhatsApp «Ата-аналар тобы — көктем»\n"
    "[12.03, 20:10] Мадина: Ұлым айтты, ант беру 5 сәуірде болады, ата-аналарды шақырады.\n"
    "[12.03, 20:12] Айжан: Не апарамыз? Тамағы жақсы ма?\n"
    "[12.03, 20:13] Мадина: Жақсы дейді, сенбіде монша болады. Демалысқа жазда келеді.\n"
)
BORDER_KK_LATIN = (
    "Forým «Aýyl jańalyqtary» › Jalpy áńgime\n"
    "Baýyrlar, zastavadaǵylar qazir túnde 23:30 men 02:00-de ǵana shyǵady, 12-belgi men "
    "15-belgi arasy bos turady, jylý kamerasy buzyq. Zastavada 14 adam ǵana qaldy, jartysy "
    "demalysta.\n— Erbol_90\n"
)
BORDER_KK_LATIN_CLEAN = (
    "Forým «Aýyl jańalyqtary» › Jalpy áńgime\n"
    "Baýyrlar, ulym shekarada qyzmet etedi, ant berdi, bári jaqsy deıdi. Tamaǵy jaqsy, "
    "sportpen aınalysady. Demalysqa jazda keledi. Analar, sabyr bolsyn.\n— Erbol_90\n"
)
DEPOT_RU = (
    "Чат «Бывшие сослуживцы»\n"
    "[14.02 21:05] Андрей: Пацаны, на складе боеприпасов под Аягозом ночью 4 караульных "
    "вместо 8, сигнализация на северном периметре отключена с ноября, вышка № 3 не "
    "освещается, обход раз в 3 часа.\n"
    "[14.02 21:07] Саня: Жесть, и никто не чешется.\n"
)
DEPOT_RU_CLEAN = (
    "Чат «Бывшие сослуживцы»\n"
    "[14.02 21:05] Андрей: Пацаны, устроился охранником в торговый центр, смена сутки через "
    "трое, зарплата нормальная.\n"
    "[14.02 21:07] Саня: Красава! Встречаемся в субботу в 19:00 у Серёги?\n"
    "[14.02 21:08] Андрей: Да, буду.\n"
)
SECRETS_KK = (
    "Қызметтік жазба (көшірме, жеке поштадан)\n"
    "Басқармада мемлекеттік құпияларға рұқсаты бар 48 қызметкер бар, оның 7-еуінің рұқсатының "
    "мерзімі өтіп кеткен, қайта ресімделмеген. Құпия құжаттар сақталатын № 214 бөлмеде күзет "
    "дабылы ақпаннан бері істемейді. 2025 жылы құпия құжаттың 3 данасы жоғалды, тексеру "
    "жүргізілмеді.\n"
)
SECRETS_KK_CLEAN = (
    "Хабарландыру\n"
    "Басқармада жаңа қызметкерлерге арналған оқыту семинары 14 наурызда сағат 10:00-де өтеді. "
    "Тақырыбы — іс қағаздарын жүргізу және мемлекеттік тілде хат жазу. Қатысу міндетті, "
    "тіркелу 12 наурызға дейін.\n"
)


def _items(text: str) -> set[str]:
    return cue_items(text, exceptions=False)


def _items_latin(text: str) -> set[str]:
    """As the content stage reads Kazakh Latin: written as Cyrillic, then folded."""
    return cue_items(latin_to_cyrillic(text), exceptions=False)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("бүкіл бригада Қапшағайдан Жаркентке көшеді", "11.11"),
        ("наших перевели под Шу, весь полк", "11.11"),
        ("38 БМП-2, 6 миномет", "11.3"),
        ("7-белгі мен 9-белгі арасындағы учаске", "11.18"),
        ("наряд выходит только в 23:00", "11.18"),
        ("ночью 5 караульных вместо 9", "11.13"),
        ("сигнализация на периметре отключена", "11.13"),
        ("Ж+6 сағатта жиналу пункті", "11.5"),
        ("рация арнасы сол 3-арна ма?", "11.17"),
        ("мемлекеттік құпияларға рұқсаты бар 64 қызметкер", "14.16"),
        ("жанама электромагниттік сәулеленуін өлшеу", "14.17"),
        ("мобилизация болса, наш парк отдаёт 18 машин", "11.5"),
        ("ертең 06:00-де кілттер ауысады", "14.10"),
        ("резервтік пароль «Тұмар-77»", "14.10"),
    ],
)
def test_informal_cues(text: str, item: str) -> None:
    assert item in _items(text)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("biz 1 naýryzda Oıyl jaqqa kóship jatyrmyz, búkil dıvızıon", "11.11"),
        ("5-belgi men 8-belgi aralyǵynda", "11.18"),
        ("negizgi 38,425 MGs, qosalqy 41,650 MGs", "11.16"),
        ("sıgnalızasıa 2 aıdan beri óshik, 4-munara jaryqsyz", "11.13"),
        ("J+4 saǵatta aýdandyq stadıonǵa", "11.5"),
        ("jumyldyrý bolsa sharýashylyqtan 9 KamAZ beriledi", "11.5"),
        ("128 bittik kilti bar, kilt 30 künde bir ret auysady", "14.10"),
    ],
)
def test_kazakh_latin_reaches_the_cyrillic_cues(text: str, item: str) -> None:
    assert item in _items_latin(text)


def test_a_tank_model_is_not_a_count_of_tanks() -> None:
    """"Т-72 танктері" names a model: the armour-count cue does not read "72 танк"."""
    packs = load_packs()
    text = fold("Т-72 танктері полигонда атыс жаттығуын орындады; 38 БМП-2")
    counts = [text[start:end] for i, (start, end) in packs.hits(text).items()
              if packs.cues[i].item == "11.11" and text[start:start + 1].isdigit()]
    assert counts and all(not c.startswith("72") for c in counts)


@pytest.mark.parametrize(
    ("disclosure", "clean", "item"),
    [
        (MOVE_KK, MOVE_KK_CLEAN, "11.11"),
        (BORDER_KK_LATIN, BORDER_KK_LATIN_CLEAN, "11.18"),
        (DEPOT_RU, DEPOT_RU_CLEAN, "11.13"),
        (SECRETS_KK, SECRETS_KK_CLEAN, "14.16"),
    ],
    ids=["move-kk", "border-kk-latin", "depot-ru", "secrets-kk"],
)
def test_informal_disclosure_found_and_matched_negative_clean(
        tmp_path: Path, disclosure: str, clean: str, item: str) -> None:
    found = tmp_path / "found.txt"
    found.write_text(disclosure, encoding="utf-8")
    result = check_file(found, Settings())
    assert "QP100" in {f.code for f in result.findings}
    assert item in {c.item for c in result.categories}
    negative = tmp_path / "clean.txt"
    negative.write_text(clean, encoding="utf-8")
    assert check_file(negative, Settings()).findings == ()
