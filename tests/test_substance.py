"""Real documents: a law excerpt is discussion, a marked document's substance decides between
QP300 and QP301, and a topic word is no basis for a mark (issue 13)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from qupia import i18n
from qupia.engine import check_file
from qupia.markings import MarkingFacts
from qupia.model import CategoryMatch, Evidence, Level, Marking, Region
from qupia.rules import Facts
from qupia.rules import qp200_unjustified_marking as qp200
from qupia.rules import qp300_forbidden_content_marked as qp300
from qupia.rules import qp301_art17_content_classified as qp301
from qupia.rules.content_facts import substance
from qupia.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = date(2026, 11, 26)


def article(lang: str, number: int, heading: bool = True) -> str:
    """One article of the Law on State Secrets (corpus/law), with its amendment note."""
    text = (ROOT / "corpus" / "law" / f"law_{lang}.txt").read_text(encoding="utf-8")
    head = rf"^Статья {number}\." if lang == "ru" else rf"^{number}-бап\."
    nxt = rf"^Статья {number + 1}\." if lang == "ru" else rf"^{number + 1}-бап\."
    start = re.search(head, text, re.MULTILINE)
    end = re.search(nxt, text, re.MULTILINE)
    assert start and end
    part = text[start.start():end.start()]
    return part if heading else part.split("\n", 1)[1]


def check(path: Path):  # type: ignore[no-untyped-def]
    result = check_file(path, Settings(reference_date=REFERENCE))
    assert result.status == "ok", result.error
    return result


@pytest.mark.parametrize(("lang", "number", "heading", "fmt"), [
    ("ru", 11, True, "txt"), ("ru", 14, False, "txt"), ("kk", 11, True, "docx"),
    ("kk", 14, True, "txt"), ("ru", 17, True, "docx"),
])
def test_an_excerpt_of_a_law_is_discussion(tmp_path: Path, lang: str, number: int,
                                           heading: bool, fmt: str) -> None:
    """Articles 11 and 14 name every military and intelligence category; pasted alone, with
    their amendment notes and with or without the heading, they were read as disclosures
    (QP100) before the legal-excerpt signal."""
    text = article(lang, number, heading)
    path = tmp_path / f"excerpt.{fmt}"
    if fmt == "docx":
        document = docx.Document()
        for para in text.split("\n\n"):
            if para.strip():
                document.add_paragraph(" ".join(para.split()))
        document.save(str(path))
    else:
        path.write_text(text, encoding="utf-8")
    result = check(path)
    assert not result.findings
    assert not [c for c in result.categories if c.article != "17"]


ORDER = """ПРИКАЗ
командующего войсками регионального командования «Восток»
от 14.03.2025 № 112
В соответствии с Законом Республики Казахстан «О государственных секретах» (с изменениями,
внесенными Законом РК от 23.12.2023 № 51-VIII) и планом боевой подготовки ПРИКАЗЫВАЮ:
1. Войсковой части 12345 (г. Сарыозек), штатная численность 1 240 человек, на вооружении
36 танков Т-72Б3 и 18 гаубиц Д-30, к 01.04.2025 передислоцироваться в район н.п. Матай;
2. Командиру войсковой части 54321 обеспечить прикрытие марша силами 2-го зенитного
дивизиона (6 комплексов «Оса-АКМ»), позывной штаба «Беркут-3»;
3. Начальнику штаба организовать связь на частотах 142,500 МГц и 148,750 МГц;
4. Контроль за исполнением приказа оставляю за собой.
"""


AGREEMENT = """О ратификации Соглашения о совместной подготовке войск
Статья 1
Для целей настоящего Соглашения применяемые термины означают:
"совместная группировка" - войска и средства, выделенные Сторонами для совместных действий;
"объединенное командование" - орган военного управления совместной группировкой;
"угрожаемый период" - период обострения военно-политической обстановки в регионе;
"оперативное оборудование территории" - мероприятия, создающие условия для применения войск.
"""


def test_an_excerpt_with_a_bare_article_heading_is_discussion(tmp_path: Path) -> None:
    """Agreements head their articles "Статья 1" with no period: such an excerpt of
    definitions of troops and command was read as a disclosure (QP100)."""
    from qupia.content.signals import load_signals
    from qupia.text.fold import fold

    assert load_signals().is_legal_excerpt(fold(AGREEMENT), AGREEMENT)
    path = tmp_path / "agreement.txt"
    path.write_text(AGREEMENT, encoding="utf-8")
    result = check(path)
    assert not result.findings and not result.categories


def test_an_order_that_cites_a_law_is_still_read(tmp_path: Path) -> None:
    """Numbered paragraphs and an amendment note inside the preamble do not make an order a
    law excerpt: the note does not start a line."""
    path = tmp_path / "order.txt"
    path.write_text(ORDER, encoding="utf-8")
    assert "QP100" in [f.code for f in check(path).findings]


TOP = Marking(level=Level.TOP_SECRET, text="ӨТЕ ҚҰПИЯ", page=1, region=Region.HEADER,
              form="kk-top-secret")
POLLUTION = CategoryMatch("17", "17.1.4", 0.94, (Evidence(1, "мырыш ШЖК-дан 12,4 есе"),),
                          weight=6.0)
REPAIR = CategoryMatch("12", "12.14", 0.32, (Evidence(1, "жөндеу құны 46 млн теңге"),),
                       weight=1.5)
GARRISON = CategoryMatch("11", "11.3", 0.95, (Evidence(1, "дислоцируется в г. Сарыозек"),),
                         weight=8.0)
SPILL = CategoryMatch("17", "17.1.4", 0.67, (Evidence(1, "разлив 12 тонн топлива"),),
                      weight=3.0)
TOPIC = CategoryMatch("17", "17.1.1", 0.41, (Evidence(1, "өрт қауіпсіздігі туралы"),),
                      weight=1.0)


def codes(*categories: CategoryMatch) -> list[str]:
    facts = Facts(MarkingFacts((TOP,), 0, None, False), categories, REFERENCE)
    return [f.code for rule in (qp200, qp300, qp301) for f in rule.check(facts)]


def test_substance_of_article_17_with_an_incidental_article_12_cue_is_qp300() -> None:
    """A pollution report whose repair and its cost match Article 12 weakly (item score 0.32,
    a topic word, weighs nothing): its substance is Article 17, and the finding says so."""
    assert codes(POLLUTION, REPAIR) == ["QP300"]
    facts = Facts(MarkingFacts((TOP,), 0, None, False), (POLLUTION, REPAIR), REFERENCE)
    message = qp300.check(facts)[0].message
    assert "Substance: Article 17.1.4, 100% of the weight; Article 12.14 incidental." in \
        i18n.render(message, "en")
    assert "Мәні: 17.1.4-тармақ, салмақтың 100%-ы; 12.14-тармақ кездейсоқ." in \
        i18n.render(message, "kk")


def test_a_weak_article_11_to_14_match_is_no_basis_for_a_mark() -> None:
    """A school's plan of methodical meetings under ОСОБОЙ ВАЖНОСТИ: "тема" matches an
    Article 12 item at 0.18, a topic word, not a basis (QP200); a match at 0.38 still is one."""
    plan = CategoryMatch("12", "12.31", 0.18, (Evidence(1, "тема заседания"),), weight=1.0)
    assert codes(plan) == ["QP200"]
    assert codes(replace(plan, score=0.38)) == []
    # an Article 11 item that weak is a military setting (a unit's number): it needs the
    # classifier to read a disclosure (group score 0.6), or an item score of 0.7
    unit = CategoryMatch("11", "11.11", 0.38, (Evidence(1, "войсковой части 71524"),),
                         weight=1.5, group_score=0.4)
    assert codes(unit) == ["QP200"]
    assert codes(replace(unit, group_score=0.6)) == []
    assert codes(replace(unit, score=0.75)) == []


UNIT_ORDER = [
    "СЕКРЕТНО", "Экз. № 1", "ПРИКАЗ командира войсковой части 71524", "12 января 2026 г. № 9",
    "О проведении конкурса строевой песни",
    "В целях укрепления воинского духа ПРИКАЗЫВАЮ:",
    "1. 30 января 2026 года в клубе провести конкурс строевой песни среди подразделений, в "
    "жюри включить представителей совета ветеранов и родительского комитета.",
    "Расходы на призы и грамоты — в пределах 120 тыс. тенге из внебюджетного фонда.",
    "2. Командирам подразделений до 20 января представить в клуб списки участников и "
    "названия песен.",
    "3. Начальнику клуба подготовить сцену, звукоусиление и грамоты победителям.",
    "Командир войсковой части 71524 полковник А. Бекетов",
]


def test_a_routine_order_of_a_military_unit_has_no_basis_for_its_mark(tmp_path: Path) -> None:
    """A unit's order for a song contest under СЕКРЕТНО (issue 13): the unit's number in the
    heading and the signature matches Article 11.11 at about 0.33, with a group score under
    0.3: the setting, not a disclosure, so the mark has no basis (QP200); it was passed."""
    path = tmp_path / "order.docx"
    document = docx.Document()
    for line in UNIT_ORDER:
        document.add_paragraph(line)
    document.save(str(path))
    result = check(path)
    assert [f.code for f in result.findings] == ["QP200"]
    assert [c.item for c in result.categories] == ["11.11"]  # read, yet no basis


def test_article_17_matter_under_a_limited_mark_is_no_qp101() -> None:
    """A ДСП note of a river's pollution: Article 17 matter is no state secret, so its ДСП mark
    is not "a state secret under ДСП only" (QP101 looks at Article 11–14 content)."""
    from qupia.rules import qp101_limited_mark_on_secret as qp101

    dsp = Marking(level=Level.LIMITED, text="ДСП", page=1, region=Region.HEADER,
                  form="ru-limited")
    facts = Facts(MarkingFacts((dsp,), 0, None, False), (POLLUTION,), REFERENCE)
    assert qp101.check(facts) == []
    secret = Facts(MarkingFacts((dsp,), 0, None, False), (POLLUTION, GARRISON), REFERENCE)
    assert [f.article for f in qp101.check(secret)] == ["11.3"]


def test_article_17_facts_beside_a_real_secret_stay_qp301() -> None:
    assert codes(GARRISON, SPILL) == ["QP301"]
    found = substance(Facts(MarkingFacts((TOP,), 0, None, False), (GARRISON, SPILL), REFERENCE))
    assert found is not None and not found.art17 and round(found.share, 2) == 0.21


def test_a_topic_word_is_no_basis_and_no_article_17_fact() -> None:
    """A department's schedule that names fire safety: the mark has no basis (QP200), it does
    not classify Article 17 facts (no QP300)."""
    assert codes(TOPIC) == ["QP200"]
    assert codes(TOPIC, GARRISON) == []


MEMO = """Служебная записка
Начальнику управления кадров
Для подготовки занятий по режиму секретности направляю текст статьи закона, с которой
сотрудники должны ознакомиться до 1 апреля.

"""

DISCLOSURE = """Донесение от 14.03.2025 № 112. Войсковая часть 12345 дислоцируется в г. Сарыозек,
штатная численность 1 240 человек, на вооружении 36 танков Т-72Б3 и 18 гаубиц Д-30.
Позывной штаба «Беркут-3», резервная частота 148,750 МГц."""


def test_law_quoted_in_a_memo_is_blanked_and_the_rest_is_read(tmp_path: Path) -> None:
    """An article pasted into a memo is discussion (no QP100); a disclosure beside the
    pasted article is still found."""
    quoted = tmp_path / "memo.txt"
    quoted.write_text(MEMO + article("ru", 11), encoding="utf-8")
    assert not check(quoted).findings
    both = tmp_path / "memo-and-report.txt"
    both.write_text(MEMO + article("ru", 11) + "\n\n" + DISCLOSURE, encoding="utf-8")
    assert "QP100" in [f.code for f in check(both).findings]


FILLER = [
    "Областной драматический театр открыл новый сезон премьерой спектакля по пьесе Мухтара "
    "Ауэзова. Зрители тепло встретили постановку, а критики отметили работу художника.",
    "В городской библиотеке прошла встреча с молодыми поэтами, которые прочли стихи о родном "
    "крае. Организаторы планируют сделать такие вечера ежемесячными.",
    "Синоптики обещают на выходных переменную облачность и небольшой дождь в горных районах; "
    "ветер северо-западный, порывы до умеренных значений.",
    "Школьники района приняли участие в конкурсе рисунков о бережном отношении к природе. "
    "Лучшие работы будут представлены на выставке в доме культуры.",
    "Фермеры начали весенний сев: погода благоприятствует полевым работам, а семена и "
    "удобрения завезены заранее, рассказали в районном отделе сельского хозяйства.",
]


def test_a_short_disclosure_in_a_long_file_is_found(tmp_path: Path) -> None:
    """About 300 characters of disclosure in a file of some 60,000 characters (paragraphs
    between blank lines, as a long TXT report has them)."""
    paragraphs = [FILLER[k % len(FILLER)] + f" ({k + 1})" for k in range(300)]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([*paragraphs[:170], DISCLOSURE, *paragraphs[170:]]),
                    encoding="utf-8")
    assert "QP100" in [f.code for f in check(path).findings]
    clean = tmp_path / "long-clean.txt"
    clean.write_text("\n\n".join(paragraphs), encoding="utf-8")
    assert not check(clean).findings


def test_a_disclosure_between_pasted_articles_of_a_law_is_found(tmp_path: Path) -> None:
    """A long file laid out as law by its headings (four articles pasted whole) with news
    and one disclosure between them: read outside the law, the disclosure is found; the
    same file without it, and the articles alone, stay clean."""
    laws = [article("ru", n) for n in (11, 12, 13, 14)]
    news = [" ".join(FILLER[k:] + FILLER[:k]) for k in range(4)]
    report = DISCLOSURE + " Выход на связь каждые 4 часа, с 06:00."  # about 260 characters
    parts = [laws[0], news[0], laws[1], news[1], report, laws[2], news[2], laws[3], news[3]]
    path = tmp_path / "pasted.txt"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    result = check(path)
    assert "QP100" in [f.code for f in result.findings]
    found = [c for c in result.categories if c.article != "17"]
    assert found and found[0].explanation.startswith("discloses, not discussion: document score")
    assert "quoted law set aside" in found[0].explanation
    clean = tmp_path / "pasted-clean.txt"
    clean.write_text("\n\n".join(p for p in parts if p != report), encoding="utf-8")
    assert not check(clean).findings
    only = tmp_path / "articles.txt"
    only.write_text("\n\n".join(laws), encoding="utf-8")
    assert not check(only).findings and not check(only).categories


def test_a_law_whose_layout_is_broken_stays_clean(tmp_path: Path) -> None:
    """The Kazakh and the Russian text of the law, paragraph by paragraph in turn (as the
    bench's law PDF has it): the layout leaves fragments of amendment notes between the law's
    lines; read in segments cut across them, they read as a disclosure (a QP100), read in
    blocks they do not."""
    kk, ru = ((ROOT / "corpus" / "law" / f"law_{lang}.txt").read_text(encoding="utf-8")
              .split("\n") for lang in ("kk", "ru"))
    lines = [line for pair in zip(kk, ru, strict=False) for line in pair if line.strip()]
    path = tmp_path / "law-kk-ru.txt"
    path.write_text("\n".join(lines * 3), encoding="utf-8")
    result = check(path)
    assert not result.findings and not result.categories


def test_substance_is_read_by_paragraphs_not_by_summed_cue_weight(tmp_path: Path) -> None:
    """A border outpost's note (strength, patrols, an unwatched section, a frequency and a
    call sign) with one paragraph on an earthquake's casualties: the earthquake names more
    Article 17 cue weight than the note names Article 11 weight, but it holds one paragraph
    of four: the note's substance is Article 11 (QP301), not Article 17 (QP300)."""
    import yaml

    source = yaml.safe_load((ROOT / "corpus" / "src" / "quality-mixed" / "qm-kk-02.yaml")
                            .read_text(encoding="utf-8"))
    page = source["pages"][0]
    path = tmp_path / "outpost.txt"
    path.write_text(page["header"] + "\n\n" + "\n\n".join(page["blocks"]), encoding="utf-8")
    result = check(path)
    assert [f.code for f in result.findings if f.code in ("QP300", "QP301")] == ["QP301"]
    chars = {c.article == "17": c.chars for c in result.categories}
    assert 0 < chars[True] < chars[False]
    by_weight = substance(Facts(MarkingFacts((TOP,), 0, None, False),
                                tuple(replace(c, chars=0) for c in result.categories),
                                REFERENCE))
    assert by_weight is not None and by_weight.art17  # what summed cue weights said


# From corpus/src/art11-13/latn-11-18-b.yaml (a border outpost's strength, patrols and gaps).
LATIN_YAML = ROOT / "corpus" / "src" / "art11-13" / "latn-11-18-b.yaml"


def test_a_kazakh_latin_section_of_a_cyrillic_file_is_read_in_cyrillic(tmp_path: Path) -> None:
    """The file is mostly Cyrillic (under a tenth of its letters Latin): its Latin section
    is still read as a Latin document is."""
    import yaml

    latin = "\n".join(yaml.safe_load(LATIN_YAML.read_text(encoding="utf-8"))["pages"][0]
                      ["blocks"][2:5])
    paragraphs = [FILLER[k % len(FILLER)] for k in range(60)]
    path = tmp_path / "mixed.txt"
    path.write_text("\n\n".join([*paragraphs[:30], latin, *paragraphs[30:]]), encoding="utf-8")
    result = check(path)
    assert [c for c in result.categories if c.article != "17"], result.categories


def test_under_a_soviet_era_mark_a_weak_article_17_match_still_counts() -> None:
    """An archival record of a deportation stamped «Сов. секретно»: its Article 17 matter is
    read weakly, and the mark still classifies it (QP300, not QP200)."""
    soviet = Marking(level=Level.NONSTANDARD, text="Сов. секретно", page=1,
                     region=Region.HEADER, form="ru-legacy-top-secret", legacy=True,
                     maps_to=Level.TOP_SECRET)
    repressions = CategoryMatch("17", "17.1.11", 0.32, (Evidence(1, "выселению подлежат"),),
                                weight=2.0)
    facts = Facts(MarkingFacts((soviet,), 0, None, False), (repressions,), REFERENCE)
    assert facts.markings.document_level is not None
    assert [f.code for rule in (qp200, qp300, qp301) for f in rule.check(facts)] == ["QP300"]


def test_under_a_soviet_era_mark_a_weak_article_11_to_14_match_is_still_a_basis() -> None:
    """An archival order stamped «Сов. секретно» whose unit strength is read weakly (0.4, group
    0.3): archival text reads weakly, so the weak match is a basis (no QP200); under a mark of
    today the same reading is the setting of a routine order (QP200)."""
    soviet = Marking(level=Level.NONSTANDARD, text="Сов. секретно", page=1,
                     region=Region.HEADER, form="ru-legacy-top-secret", legacy=True,
                     maps_to=Level.TOP_SECRET)
    unit = CategoryMatch("11", "11.11", 0.4, (Evidence(1, "в/ч 20180"),), weight=1.5,
                         group_score=0.3)
    old = Facts(MarkingFacts((soviet,), 0, None, False), (unit,), REFERENCE)
    assert [f.code for f in qp200.check(old)] == []
    assert codes(unit) == ["QP200"]


# A weak Article 17 match (few cues, item score under FACTS_SCORE) with a paragraph of its own
# (chars) in a document the classifier reads as holding Article 17 facts (group score).
OUTBREAK = CategoryMatch("17", "17.1.4", 0.38, (Evidence(1, "заболели 27 военнослужащих"),),
                         weight=1.5, group_score=0.72, chars=300)


def test_a_weak_article_17_paragraph_beside_a_real_secret_is_qp301() -> None:
    """Beside a garrison's strength (a basis), an outbreak paragraph with few cues still
    states Article 17 facts; with no paragraph of its own (a passing word) or a group score
    under FACTS_GROUP (the classifier does not read Article 17 facts) it does not."""
    garrison = replace(GARRISON, group_score=0.97, chars=550)
    assert codes(garrison, OUTBREAK) == ["QP301"]
    assert codes(garrison, replace(OUTBREAK, chars=0)) == []
    assert codes(garrison, replace(OUTBREAK, group_score=0.45)) == []
    # a routine marked document's topic word has no basis beside it: QP200 as before
    assert codes(replace(OUTBREAK, chars=0)) == ["QP200"]


def test_a_weak_cued_disclosure_read_clearly_by_the_classifier_is_a_basis() -> None:
    """A Kazakh Latin outpost report whose strength and patrols match Article 12 at 0.39 but
    whose Article 11–14 group score is 0.88 is a basis: its dysentery paragraph is QP301 (the
    substance by paragraphs is the report); a fire-safety instruction's weak match in a
    document the classifier barely reads as a disclosure (0.32) is none (no finding)."""
    outpost = CategoryMatch("12", "12.14", 0.39, (Evidence(1, "manevrlik top (14 adam)"),),
                            weight=2.0, group_score=0.88, chars=375)
    facts = Facts(MarkingFacts((TOP,), 0, None, False), (outpost, replace(OUTBREAK, chars=366)),
                  REFERENCE)
    assert [f.code for rule in (qp200, qp300, qp301) for f in rule.check(facts)] == ["QP301"]
    depot = replace(outpost, item="11.3", group_score=0.32, chars=121)
    assert codes(depot, replace(OUTBREAK, score=0.47, chars=243)) == []


@pytest.mark.parametrize(("name", "text", "item"), [
    ("outbreak-ru.txt", """СЕКРЕТНО
Экз. № 1

Начальнику штаба регионального командования «Восток»

ДОНЕСЕНИЕ
о состоянии 36-й отдельной мотострелковой бригады

Бригада (войсковая часть 31457) дислоцируется в г. Аягоз; списочная численность 2 140 человек \
при штатной 2 480. На вооружении 41 танк Т-72Б3, 96 БМП-2 и 18 гаубиц Д-30; исправны 37 танков \
и 88 БМП. Резервный пункт управления развёрнут в урочище Кызылжар, позывной «Сункар-2».

Дополнительно: с 3 по 11 августа 2026 г. в 2-м мотострелковом батальоне острой кишечной \
инфекцией (дизентерией) заболели 27 военнослужащих, 9 из них госпитализированы в районную \
больницу. При проверке в воде из скважины гарнизона обнаружена кишечная палочка; водоочистная \
установка не работает с мая.

Командир бригады полковник С. Ермеков
""", "17.1.4"),
    ("hazing-kk.docx", """ҚҰПИЯ
Дана № 1

Әуе қорғанысы күштері қолбасшысының орынбасарына

БАЯНДАМА
№ 71342 әскери бөлімнің (зениттік-зымыран дивизионы) жауынгерлік дайындығы туралы

Дивизион Шымкент қаласының солтүстік-шығысында 12 шақырым жерде орналасқан; құрамында 6 іске \
қосу қондырғысы, оның 5-еуі жарамды, жеке құрамы 214 адам. Тәулік бойы 1 батарея 3 минуттық \
дайындықта кезекшілік атқарады; резервтік командалық пункт «Бүркіт-4» шартты атауымен Бадам \
өзенінің бойында.

Қосымша: 2026 жылғы 9 қыркүйекте 2-батареяда ескі шақырылымдағы 4 сарбаз жаңа шақырылған \
жауынгер Н. Әбдірахмановты түнде ұрып-соғып, телефонын тартып алды; жәбірленуші қабырғасы \
сынып, гарнизондық госпитальға жатқызылды. Батарея командирі оқиғаны «жаттығу кезіндегі \
жарақат» деп тіркеді.

Дивизион командирі подполковник Е. Сәрсенов
""", "17.1.1|17.1.6"),  # the injury and the hospital (17.1.1) or the beating (17.1.6)
    ("leak-ru.txt", """СОВЕРШЕННО СЕКРЕТНО
Экз. № 1

Начальнику управления вооружения

ОТЧЁТ
о заводских испытаниях зенитного ракетного комплекса «Тулпар-2»

Испытания на полигоне Сарышаган подтвердили: дальность поражения воздушных целей — 42 км, \
высота — до 18 км, время развёртывания — 4 минуты; канал наведения работает на частоте 9,4 \
ГГц. Опытная партия — 4 пусковые установки, стоимость этапа — 3,1 млрд тенге.

Нештатная ситуация. 9 сентября при заправке ракеты окислителем на стартовой позиции произошла \
разгерметизация магистрали; трое техников отравлены парами азотной кислоты, один из них в \
тяжёлом состоянии доставлен в больницу. Сообщение в санитарную службу не направлялось.

Главный конструктор В. Жаксыбеков
""", "17.1.1"),
])
def test_an_article_17_paragraph_appended_to_a_secret_report_is_qp301(
        tmp_path: Path, name: str, text: str, item: str) -> None:
    """A brigade's report with a dysentery outbreak (Russian, TXT), an air-defence
    battalion's report with a beating in the barracks (Kazakh, DOCX) and a missile test report
    with staff poisoned by a propellant leak (Russian, TXT): each secret report
    also holds Article 17 facts in a paragraph of their own — QP301, naming the item, with
    the substance decision in its message (the report, and the facts beside it)."""
    path = tmp_path / name
    if name.endswith(".docx"):
        document = docx.Document()
        for paragraph in text.split("\n\n"):
            document.add_paragraph(paragraph)
        document.save(str(path))
    else:
        path.write_text(text, encoding="utf-8")
    result = check(path)
    found = [f for f in result.findings if f.code in ("QP200", "QP300", "QP301")]
    assert [f.code for f in found] == ["QP301"] and re.fullmatch(item, found[0].article or "")
    message = i18n.render(found[0].message, "en")
    assert re.search(rf"Substance: Article 11\.\d+, \d+% of the weight; Article ({item}) "
                     r"facts beside it \(\d+%\)\.", message), message


ORM_PLAN = """СЕКРЕТНО
Экз. № 2

Департамент полиции Карагандинской области
Управление по противодействию организованной преступности

ПЛАН
оперативно-розыскных мероприятий по делу оперативного учёта «Шахтёр» на декабрь 2026 года

1. Объект разработки — организованная группа (8 участников, лидер — К., 1979 г.р.), \
занимающаяся вымогательством у владельцев автомоек и шиномонтажных мастерских в Майкудуке. \
Установлены 2 автомашины группы и съёмная квартира на ул. Ермекова.

2. Мероприятия: негласное прослушивание 3 абонентских номеров лидера (санкция прокурора от \
28.11.2026 № 4/877), наружное наблюдение 1–15 декабря силами 2 экипажей, внедрение сотрудника \
под прикрытием (легенда — покупатель бизнеса). Исполнитель — отдел ОТМ, позывной группы \
наблюдения «Сокол».

Начальник управления полковник полиции Д. Нуржанов
"""


def test_an_operative_search_plan_against_a_criminal_group_is_not_the_state_of_crime(
        tmp_path: Path) -> None:
    """An operative-search plan (Article 14) against a group that extorts, from a department
    "по противодействию организованной преступности": the crime words are the case, not the
    state of crime (17.1.2's exceptions), so the plan is lawfully classified with no QP301."""
    path = tmp_path / "plan.txt"
    path.write_text(ORM_PLAN, encoding="utf-8")
    result = check(path)
    assert [c.item for c in result.categories if c.article == "14"]
    assert not [f.code for f in result.findings if f.code in ("QP200", "QP300", "QP301")]
    assert "17.1.2" not in [c.item for c in result.categories]


MOBILISATION_LATN = """ÓTE QUPIA
Dana № 2

Qorǵanys ister jónindegi Pavlodar oblystyq departamenti

ANYQTAMA

Mobılızatsııa jarııalanǵan jaǵdaıda oblysta 2 jańa bólim jasaqtalady: 1 motoatqyshtar \
batalony jáne 1 jóndeý-qalpyna keltirý batalony, barlyǵy 1 340 adam. Tirkelgen avtokólik — \
410 birlik, 9 kásiporynnan alynady; jınaý pýnkti Ekibastuz qalasyndaǵy № 4 mektepte \
ornalasady.

Departament bastyǵy polkovnık E. Tólegenov
"""


def test_a_kazakh_latin_mobilisation_note_discloses_article_11_5(tmp_path: Path) -> None:
    """Units formed on mobilisation ("bólim jasaqtalady") and vehicles assigned from
    enterprises are Article 11.5 cues in Kazakh Latin too: the note is a disclosure that
    justifies its mark (a basis: item score FACTS_SCORE or more), with no finding."""
    from qupia.rules.content_facts import FACTS_SCORE

    path = tmp_path / "mobilisation.txt"
    path.write_text(MOBILISATION_LATN, encoding="utf-8")
    result = check(path)
    found = {c.item: c for c in result.categories}
    assert "11.5" in found and "bólim jasaqtalady" in found["11.5"].cues
    assert found["11.5"].score >= FACTS_SCORE
    assert not result.findings
