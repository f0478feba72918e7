"""The unlawful family on real documents (issue 13): Article 17 facts in a closing paragraph
of a marked report of secrets (QP301), Article 17 matter in a military setting (QP300), and
the substance decision's bars (``rules/content_facts.py``, ``content/article17.py``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from qupia import i18n
from qupia.engine import check_file
from qupia.markings import MarkingFacts
from qupia.model import CategoryMatch, Evidence, Level, Marking, Region
from qupia.rules import Facts
from qupia.rules import qp200_unjustified_marking as qp200
from qupia.rules import qp300_forbidden_content_marked as qp300
from qupia.rules import qp301_art17_content_classified as qp301
from qupia.settings import Settings

REFERENCE = date(2026, 11, 26)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# A guard's note on an ammunition depot (Article 12.35: its physical protection, a gap in it)
# whose third paragraph records a blast that killed a contractor's worker, unreported.
DEPOT_RU = [
    "СЕКРЕТНО", "Экз. № 1",
    "Командование Национальной гвардии Республики Казахстан",
    "СПРАВКА о состоянии охраны склада боеприпасов войсковой части 6655",
    "1. Склад (г. Арыс, 3 хранилища, 46 000 артиллерийских выстрелов калибра 122 и 152 мм) "
    "охраняется караулом из 18 человек; периметр 2,8 км, 22 камеры видеонаблюдения, тревожная "
    "группа прибывает за 6 минут.",
    "2. На северном участке ограждения (около 300 м) сигнализация не работает с сентября 2026 "
    "года; замена запланирована на январь 2027 года. Резервный пункт управления — в здании "
    "штаба, позывной дежурного «Сункар-2».",
    "3. Дополнительно: 14 октября при погрузке ящиков со списанными взрывателями произошел "
    "подрыв; двое рабочих подрядной организации получили ожоги и осколочные ранения, один из "
    "них скончался в больнице. О случае в инспекцию по труду не сообщили.",
    "Начальник штаба полковник Т. Оспанов",
]

# A state reserve branch's inspection (Article 12.29: stocks at named bases) whose third
# paragraph records the base chief's theft of fuel through false acts, not passed on.
RESERVE_KK = [
    "ҚҰПИЯ", "Дана № 1",
    "Мемлекеттік материалдық резерв комитетінің Павлодар облысы бойынша филиалы",
    "Мемлекеттік материалдық резерв қорларын тексеру нәтижелері туралы АНЫҚТАМА",
    "1. № 4 базада 2026 жылғы 1 қазандағы жағдай бойынша: дизель отыны — 18 400 т (норма "
    "20 000 т), бидай ұны — 6 200 т, тұз — 900 т, жылжымалы электр станциялары — 46 дана. "
    "Базаның күзеті — 2 пост, 9 адам.",
    "2. № 7 базада авиакеросин қоры 3 100 т, резервуарлардың 2-еуі жөндеуде; толықтыру 2027 "
    "жылғы І тоқсанда жоспарланған.",
    "3. Сонымен бірге анықталды: № 4 база бастығы 2025–2026 жылдары жалған актілер арқылы "
    "1 600 т дизель отынын жымқырып, оны жеке жанармай құю бекеттеріне сатқан; залал 512 млн "
    "теңге. Материалдар экономикалық тергеп-тексеру қызметіне берілмеді.",
    "Филиал директоры А. Бекмұхамедов",
]

# A border outpost's note (Article 11: strength, patrols, frequency, call sign) with a closing
# paragraph on soldiers poisoned by carbon monoxide, one of whom died, not reported.
OUTPOST_KK = [
    "ӨТЕ ҚҰПИЯ", "Дана № 2",
    "Шекара қызметінің «Алакөл» бөлімшесі туралы АНЫҚТАМА",
    "1. Бөлімше 2026 жылғы 1 қарашадағы жағдай бойынша 64 адамнан тұрады: 6 БТР-80, 2 "
    "жылжымалы радиолокациялық станция; күзет учаскесінің ұзындығы 42 км.",
    "2. Түнгі патрульдер сағат 22:00-ден 06:00-ге дейін әр 3 сағат сайын шығады; байланыс "
    "жиілігі 152,350 МГц, шақыру белгісі «Тұлпар-7». Учаскенің оңтүстік бөлігінде 4 км "
    "сигнализациясыз.",
    "3. Қосымша: 2026 жылғы 9 қазанда казармадағы пеш ақаулы болғандықтан 3 сарбаз көміртегі "
    "тотығынан уланды, біреуі ауруханада қайтыс болды; оқиға туралы прокуратураға хабарланбады.",
    "Бөлімше бастығы подполковник Е. Сейітов",
]

# A military prosecutor's information on a cold barracks and sick soldiers: Article 17
# matter (health, violations of law) whose unit number and garrison are its setting.
BARRACKS_RU = [
    "СЕКРЕТНО", "Экз. № 2",
    "ВОЕННАЯ ПРОКУРАТУРА ШЫМКЕНТСКОГО ГАРНИЗОНА",
    "ИНФОРМАЦИЯ о проверке условий содержания военнослужащих в войсковой части 40218 "
    "(гарнизон Сарыагаш)",
    "Проверка проведена по обращениям родителей. Установлено, что в казарме второй роты с "
    "декабря 2025 года не работало отопление, температура ночью опускалась до +8 °С; 23 "
    "военнослужащих заболели пневмонией и бронхитом, 6 госпитализированы. Командир роты "
    "запрещал обращаться в медицинский пункт, жалобы не регистрировались.",
    "Внесено представление об устранении нарушений законности командиру части; в отношении "
    "командира роты начато служебное расследование, он отстранен от должности.",
    "Военный прокурор гарнизона подполковник юстиции Е. Туребаев",
]

# The same kind in Kazakh: beatings in a unit's company, told by the garrison's prosecutor.
HAZING_KK = [
    "ҚҰПИЯ", "Дана № 2",
    "ҚАРАҒАНДЫ ГАРНИЗОНЫНЫҢ ӘСКЕРИ ПРОКУРАТУРАСЫ",
    "35117 әскери бөлімінде әскери қызметшілердің құқықтарының сақталуын тексеру нәтижелері "
    "туралы АҚПАРАТ",
    "Тексеру қатардағы жауынгер Н.-ның анасының шағымы бойынша жүргізілді: ол 2026 жылғы 12 "
    "наурызда қабырғасы сынған күйінде госпитальға жатқызылған. Екінші ротада қаңтар–наурыз "
    "айларында екі сержант күзгі шақырылымның сарбаздарын жүйелі түрде ұрып-соққан, олардың "
    "телефондары мен ақшасын тартып алған (21 жағдай, 710 мың теңге).",
    "Рота командирі бұл фактілерді білген, жәбірленушілердің баянаттарын тіркемеген. Бөлімнің "
    "медициналық пункті жарақаттарды тұрмыстық деп жазған.",
    "Шаралар қабылданды: ҚК-нің 440 және 451-баптары бойынша сотқа дейінгі тергеп-тексеру "
    "басталды; рота командирі қызметтен шеттетілді.",
    "Гарнизонның әскери прокуроры әділет полковнигі Д. Ахметов",
]

# An air-defence plan's extract (batteries, gap, readiness) whose closing line records the
# unit's boiler polluting the air near a school: a sulphur dioxide figure over its limit.
AIR_DEFENCE_KK = [
    "ҚҰПИЯ", "Дана № 1", "№ 20436 әскери бөлім", "2026 жылғы 14 қараша № 6/318", "Шымкент қ.",
    "Шымкент қаласын әуе шабуылынан қорғау жоспарынан үзінді",
    "1. Қаланы үш зениттік батарея жабады: 1-батарея — мұнай өңдеу зауытының солтүстігінде, "
    "2-батарея — әуежайдың батысында, 3-батарея — Бадам өзенінің жағасында. Батареялар "
    "арасындағы «өлі аймақ» — оңтүстік-шығыс сектор, 40–95°.",
    "2. Әр батареяда 4 зениттік-зымыран кешені «Бук-М1» және 2 радиолокациялық станция бар, "
    "жеке құрамы — 86 адам. Дабыл бойынша әзірлік уақыты — 12 минут, басқару пункті — "
    "бөлімнің № 3 паркі, шақыру белгісі «Қыран-4».",
    "3. Қосымша: бөлімнің қазандығы 2026 жылғы қазанда мазутты сүзгісіз жағып, көршілес "
    "мектептің маңында күкірт диоксиді ШРК-дан 4 есе асқаны тіркелді.",
    "Бөлім командирі подполковник Т. Әбдіков",
]


def write(path: Path, paragraphs: list[str]) -> Path:
    """*paragraphs* as a real file of the format *path* names (DOCX, PDF or TXT)."""
    if path.suffix == ".docx":
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(path))
    elif path.suffix == ".pdf":
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", FONT))
        style = ParagraphStyle("body", fontName="DejaVu", fontSize=10, leading=13,
                               spaceAfter=8)
        SimpleDocTemplate(str(path), pagesize=A4).build(
            [Paragraph(text, style) for text in paragraphs])
    else:
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def check(path: Path):  # type: ignore[no-untyped-def]
    result = check_file(path, Settings(reference_date=REFERENCE))
    assert result.status == "ok", result.error
    return result


def unlawful(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in result.findings if f.code in ("QP300", "QP301")]


def test_an_accident_paragraph_closing_a_secret_report_is_qp301(tmp_path: Path) -> None:
    """Read as a whole, the depot note's blast paragraph drowned in its protection details: no
    Article 17 item was reported and the mark looked lawful. Read alone, the paragraph states
    Article 17.1.1 facts; the finding weighs the two groups by their paragraphs."""
    result = check(write(tmp_path / "depot.docx", DEPOT_RU))
    assert unlawful(result) == ["QP301"]
    blast = next(c for c in result.categories if c.item == "17.1.1")
    assert "read alone" in blast.explanation
    text = i18n.render(next(f for f in result.findings if f.code == "QP301").message, "en")
    assert "Substance: Article 12.35" in text and "Article 17.1.1 facts beside it" in text
    # the note without its third paragraph holds no Article 17 fact
    assert unlawful(check(write(tmp_path / "depot-only.docx", DEPOT_RU[:6] + DEPOT_RU[7:]))) \
        == []


def test_a_kazakh_theft_paragraph_closing_a_reserve_inspection_is_qp301(tmp_path: Path) -> None:
    """Kazakh wording of officials' theft ("жалған актілер арқылы … жымқырып") was no Article
    17.1.10 cue: the damage's sum was read as an emergency's (17.1.1) instead."""
    result = check(write(tmp_path / "reserve.pdf", RESERVE_KK))
    finding = next(f for f in result.findings if f.code == "QP301")
    assert finding.article == "17.1.10"
    assert unlawful(check(write(tmp_path / "reserve-only.pdf", RESERVE_KK[:6] + RESERVE_KK[7:]))
                    ) == []


def test_a_kazakh_poisoning_paragraph_closing_an_outpost_note_is_read_alone(
        tmp_path: Path) -> None:
    result = check(write(tmp_path / "outpost.txt", OUTPOST_KK))
    assert unlawful(result) == ["QP301"]
    poisoning = next(c for c in result.categories if c.item == "17.1.1")
    assert "read alone" in poisoning.explanation and poisoning.score >= 0.6

def test_a_kazakh_pollution_line_closing_an_air_defence_plan_is_qp301(tmp_path: Path) -> None:
    """"күкірт диоксиді ШРК-дан 4 есе асқаны" had one Article 17 cue (ШРК): read alone and
    with the pollutant's name, the line states Article 17.1.4 facts."""
    result = check(write(tmp_path / "air-defence.pdf", AIR_DEFENCE_KK))
    assert [f.article for f in result.findings if f.code == "QP301"] == ["17.1.4"]
    assert unlawful(check(write(tmp_path / "plan-only.pdf", AIR_DEFENCE_KK[:8]
                                + AIR_DEFENCE_KK[9:]))) == []



def test_article_17_matter_in_a_military_setting_is_qp300(tmp_path: Path) -> None:
    """The prosecutor's information names a unit's number and its garrison (Article 11.11 read
    at about 0.6, with an Article 11–14 document score under 0.4): the setting of its Article
    17 matter, not a secret beside it (QP300, not QP301)."""
    result = check(write(tmp_path / "barracks.docx", BARRACKS_RU))
    assert unlawful(result) == ["QP300"]
    text = i18n.render(next(f for f in result.findings if f.code == "QP300").message, "en")
    assert "Substance: Article 17.1.10" in text and "Article 11.11 incidental" in text
    assert unlawful(check(write(tmp_path / "hazing.txt", HAZING_KK))) == ["QP300"]


def test_paragraphs_are_read_alone_only_beside_secrets_or_under_a_soviet_mark(
        tmp_path: Path) -> None:
    """A marked document of today with nothing classifiable is what its whole text is about:
    its paragraphs are not read alone (a routine order's budget line is not its substance);
    beside Article 11–14 matches, or under a Soviet-era mark, they are."""
    from qupia.content import analyse, load_resources, prepare
    from qupia.content.article17 import with_paragraphs
    from qupia.extract import extract
    from qupia.markings import detect, load
    from qupia.text.fold import fold_blocks

    path = write(tmp_path / "depot.txt", DEPOT_RU)
    doc = extract(path, Settings().limits)
    folded = fold_blocks(doc)
    text = prepare(doc, None, folded, detect(doc, load(), folded).spans)
    resources = load_resources()
    matches, scores = analyse(text, resources)
    assert "17.1.1" in [c.item for c in with_paragraphs(matches, scores, text, resources)]
    alone = tuple(c for c in matches if c.article == "17")  # as if nothing were classifiable
    assert with_paragraphs(alone, scores, text, resources) == alone
    assert "17.1.1" in [c.item for c in with_paragraphs(alone, scores, text, resources,
                                                         soviet=True)]


TOP = Marking(level=Level.TOP_SECRET, text="ӨТЕ ҚҰПИЯ", page=1, region=Region.HEADER,
              form="kk-top-secret")


def codes(*categories: CategoryMatch) -> list[str]:
    facts = Facts(MarkingFacts((TOP,), 0, None, False), categories, REFERENCE)
    return [f.code for rule in (qp200, qp300, qp301) for f in rule.check(facts)]


ABUSE = CategoryMatch("17", "17.1.10", 0.79, (Evidence(1, "отстранен от должности"),),
                      weight=4.0, group_score=0.92, chars=444)
UNIT = CategoryMatch("11", "11.11", 0.57, (Evidence(1, "войсковой части 70914"),),
                     weight=3.3, group_score=0.40, chars=793)


def test_an_article_11_setting_weighs_nothing_in_the_substance() -> None:
    """An Article 11 item under 0.7 with a document score of 0.40, where Article 17 reads at
    0.92, is the setting: QP300. Read as a disclosure (0.6), or with Article 17 read less
    clearly (0.8), it is a secret beside the facts: QP301."""
    assert codes(UNIT, ABUSE) == ["QP300"]
    assert codes(replace(UNIT, group_score=0.6), ABUSE) == ["QP301"]
    assert codes(UNIT, replace(ABUSE, group_score=0.8)) == ["QP301"]


SHORE = CategoryMatch("11", "11.3", 0.45, (Evidence(1, "жауынгерлік құрамы"),), weight=2.0,
                      group_score=0.62, chars=337)
SPILL = CategoryMatch("17", "17.1.4", 0.72, (Evidence(1, "мазут төгілді"),), weight=3.0,
                      group_score=0.56, chars=265)


def test_a_weak_secret_with_a_paragraph_of_its_own_weighs_in_the_substance() -> None:
    """A brigade's combat strength read at 0.45 (no basis by item score) holds more of the
    text than the fuel spill beside it: the substance is Article 11 (QP301). As a passing
    word (no paragraph), or where the classifier reads Article 17 far more clearly, it
    weighs nothing: QP300."""
    assert codes(SHORE, SPILL) == ["QP301"]
    assert codes(replace(SHORE, chars=0), SPILL) == ["QP300"]
    assert codes(replace(SHORE, group_score=0.2), replace(SPILL, group_score=0.9)) == ["QP300"]


def test_one_generic_word_beside_secrets_is_no_article_17_fact() -> None:
    """A calibration report's "as a result" (салдарынан, one generic 17.1.1 cue of weight 1.0)
    in a paragraph of its own is no Article 17 fact beside the secrets; two cues are, and so
    is one where the classifier reads Article 17 facts clearly (group score 0.7)."""
    secret = replace(SHORE, item="12.8", article="12", score=0.82, group_score=0.85, chars=650)
    word = CategoryMatch("17", "17.1.1", 0.30, (Evidence(1, "салдарынан"),), weight=1.0,
                         group_score=0.56, chars=140)
    assert codes(secret, word) == []
    assert codes(secret, replace(word, weight=2.5)) == ["QP301"]
    assert codes(secret, replace(word, group_score=0.7)) == ["QP301"]
