"""Short disclosures in long files: a PDF's lines read as paragraphs, quoted law that stops
where a pasted document starts, and a 300-character disclosure in a 40-page PDF.

The long PDFs are rendered by the corpus builder (reportlab, A4, DejaVu Sans): the Law on
State Secrets (corpus/law, Kazakh then Russian) and a news digest of the dev split's public
news stories; the disclosures are written here and are invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corpus.build import load_sources, render_pdf
from qupia.engine import check_file
from qupia.extract import extract
from qupia.settings import Settings
from tests.conftest import LAW, ROOT

# about 300 characters each: a battalion's move, strength, positions and radio data
DISCLOSURE_RU = (
    "Справка о передислокации. 2-й мотострелковый батальон войсковой части 45812 (410 "
    "человек, 31 ед. БТР-82А, 6 минометов 2Б11) с 14.03.2026 переведен в район н. п. Жалтыр "
    "Астраханского района, позиции батальона в квадрате 42-17, КП батальона у высоты 412,6; "
    "позывной КП — «Берег-3», основная частота 41,250 МГц.")
DISCLOSURE_KK = (
    "Анықтама. № 45812 әскери бөлімнің 2-ші мотоатқыштар батальоны (410 адам, 31 бірлік "
    "БТР-82А, 6 миномет 2Б11) 2026 жылғы 14 наурыздан бастап Жалтыр ауылының маңына "
    "көшірілді; батальон позициялары 42-17 шаршысында, командалық пункті 412,6 биіктігінде; "
    "КП шақыру белгісі — «Жаға-3», негізгі жиілік 41,250 МГц.")


def _pdf(paragraphs: list[str], path: Path) -> Path:
    render_pdf({"id": path.stem, "lang": "mixed", "genre": "other", "format": "pdf",
                "split": "dev", "pages": [{"blocks": paragraphs}], "labels": {}}, path)
    return path


def _flagged(path: Path) -> list[Any]:
    """The Article 11–14 matches of the file (what makes an unmarked file QP100)."""
    return [c for c in check_file(path, Settings()).categories if c.article != "17"]


def test_a_pdfs_lines_are_read_as_its_paragraphs(tmp_path: Path) -> None:
    from qupia.content.parts import paragraphs
    from qupia.content.prepared import prepare
    from qupia.markings import load

    first = "Бірінші абзац. " + "Жол бойы жазылған ұзын сөйлем, келесі жолға ауысады. " * 12
    second = "Второй абзац, тоже длинный: " + "строка за строкой переносится дальше. " * 12
    third = "Үшінші абзац қысқа."
    text = prepare(extract(_pdf([first, second, third], tmp_path / "p.pdf")), load())
    assert len(text.doc.blocks) > 6  # the PDF's blocks are its lines
    spans = paragraphs(text)
    assert [" ".join(text.original[a:b].split()) for a, b in spans] == \
        [" ".join(p.split()) for p in (first, second, third)]


ARTICLE = ("Статья 5. Полномочия уполномоченного органа\n"
           "1. Уполномоченный орган в пределах своей компетенции:\n"
           "1) разрабатывает и утверждает нормативные правовые акты;\n"
           "2) осуществляет контроль за соблюдением законодательства.")
ORDER = ("№ 318 от 2 октября 2026 г. Командир войсковой части 32363\nПРИКАЗ\n"
         "Об организации связи на период учений\nПРИКАЗЫВАЮ:\n"
         "1. Радиосеть командира бригады: основная частота 38,450 МГц, запасная 44,125 МГц. "
         "Позывной КП — «Сункар», 1 мсб — «Жебе-1», 2 мсб — «Жебе-2».\n"
         "2. Радиорелейная линия КП бригады — КП дивизиона: станции Р-419 на позициях "
         "«Шокы» (высота 812,4) и «Булак», ключевые документы серии «Ак-26» до 31 октября.\n"
         "3. Контроль возложить на начальника связи бригады майора Д. Омарова.")


def test_quoted_law_stops_where_a_pasted_document_starts(tmp_path: Path) -> None:
    """After a blank line, an order's title lines do not go on the article's last sentence,
    and its numbered points are not more of the law."""
    from qupia.content import load_resources
    from qupia.content.prepared import prepare
    from qupia.markings import load

    path = tmp_path / "memo.txt"
    path.write_text(ARTICLE + "\n\n" + ORDER, encoding="utf-8")
    text = prepare(extract(path), load())
    law = load_resources().signals
    blocks = law.law_blocks(text.folded, text.original, frozenset(text.starts))
    assert blocks == [(0, len(ARTICLE))]
    # the same lines without the file's paragraph break read on as one run of law
    assert law.law_blocks(text.folded, text.original)[0][1] > len(ARTICLE)


@pytest.mark.slow
def test_two_articles_of_the_law_as_a_pdf_stay_clean(tmp_path: Path) -> None:
    """Every excerpt of two articles of the Law (Kazakh, Russian) long enough to be read in
    parts, rendered as a PDF: an article's opening sentence, wrapped after its heading and
    after a paragraph gap, is still the article's (not a document pasted after it)."""
    import re

    head = re.compile(r"^(?:Статья \d+|\d+-бап)")
    checked = 0
    for name in ("law_kk.txt", "law_ru.txt"):
        paragraphs = [p.strip() for p in (LAW / name).read_text(encoding="utf-8").split("\n\n")
                      if p.strip()]
        heads = [i for i, p in enumerate(paragraphs) if head.match(p)]
        for n in range(len(heads) - 2):
            chunk = paragraphs[heads[n]:heads[n + 2]]
            if sum(map(len, chunk)) > 4_200:
                path = _pdf(chunk, tmp_path / f"{name}-{n}.pdf")
                assert _flagged(path) == [], path.name
                checked += 1
    assert checked >= 20


def _law_paragraphs() -> list[str]:
    out = []
    for name in ("law_kk.txt", "law_ru.txt"):
        out += [p.strip() for p in (LAW / name).read_text(encoding="utf-8").split("\n\n")
                if p.strip()]
    return out


def _digest_stories() -> list[list[str]]:
    """The dev split's public news stories (hard negatives) that are clean read alone."""
    stories = []
    for source in sorted(load_sources(ROOT / "corpus" / "src"), key=lambda s: s["id"]):
        labels = source["labels"]
        if source["split"] != "dev" or source["genre"] != "news" or \
                not labels.get("hard_negative") or labels["families"]:
            continue
        stories.append([b for page in source["pages"] for b in page["blocks"]
                        if isinstance(b, str)])
    return stories


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["law", "digest"])
def test_a_300_character_disclosure_in_a_40_page_pdf_is_found(tmp_path: Path,
                                                              kind: str) -> None:
    """The Law on State Secrets (Kazakh and Russian) and a news digest, each 40 pages or
    more, stay clean; with a disclosure of about 300 characters in the middle, it is found."""
    if kind == "law":
        paragraphs = _law_paragraphs()
        disclosure = DISCLOSURE_KK
    else:
        stories = []
        for k, story in enumerate(_digest_stories()):
            alone = tmp_path / f"story-{k}.txt"
            alone.write_text("\n\n".join(story), encoding="utf-8")
            if not _flagged(alone):  # a story flagged alone says nothing of long files
                stories.append(story)
        assert len(stories) >= 90
        paragraphs = [p for story in stories for p in story]
        disclosure = DISCLOSURE_RU
    assert 280 <= len(disclosure) <= 320
    clean = _pdf(paragraphs, tmp_path / f"{kind}.pdf")
    pages = extract(clean).pages
    assert pages is not None and pages >= 40
    assert _flagged(clean) == []
    half = len(paragraphs) // 2
    with_one = _pdf([*paragraphs[:half], disclosure, *paragraphs[half:]],
                    tmp_path / f"{kind}-disclosure.pdf")
    found = _flagged(with_one)
    assert found and found[0].article == "11"
    result = check_file(with_one, Settings())
    assert "QP100" in {f.code for f in result.findings}
    evidence = found[0].evidence[0]
    assert evidence.text[:20] in " ".join(disclosure.split())
    assert pages // 3 < evidence.page < pages * 2 // 3 + 2


# A signals table of about 200 characters: a heading and three rows, each a paragraph of its
# own in a DOCX (shorter than a section: read as a short run). Invented.
SIGNALS_HEADING = "Байланыс жиіліктерінің кестесі (қаңтар–наурыз)"
SIGNALS_ROWS = [["Желі", "Жиілік", "Шақыру белгісі"],
                ["Батальон басқару желісі", "5,315 МГц", "«Бүркіт»"],
                ["Артиллерия желісі", "6,270 МГц", "«Қылыш»"]]
# the Kazakh disclosure above as a Kazakh Latin text (2021 alphabet), about 300 characters
DISCLOSURE_KK_LATN = (
    "Anyqtama. № 45812 äskeri bölimniñ 2-şi motoatqyştar batalony (410 adam, 31 birlik "
    "BTR-82A, 6 minomet 2B11) 2026 jylğy 14 nauryzdan bastap Jaltyr auylynyñ mañyna "
    "köşirildi; batalon pozitsialary 42-17 şarşysynda, komandalyq punkti 412,6 biiktiginde; "
    "KP şaqyru belgisi — «Jağa-3», negizgi jiilik 41,250 MGts.")


def test_short_paragraphs_are_read_as_runs_and_segments_only_where_nothing_else_reads(
        tmp_path: Path) -> None:
    """A heading and three short lines between long paragraphs are one short run (read when
    it holds a disclosure signal); a segment that only joins paragraphs read on their own is
    not read, one over a paragraph too long for a section is."""
    from qupia.content import load_resources
    from qupia.content.parts import SECTION_MIN, best_segments, sections, short_runs
    from qupia.content.prepared import prepare
    from qupia.markings import load

    long_para = "Жалпы ақпарат туралы ұзын абзац, жаңалықтар мен түсініктемелер. " * 20
    rows = ["Желі: батальон, жиілік 5,315 МГц", "Шақыру белгісі: «Бүркіт»",
            "Артиллерия желісі: 6,270 МГц"]
    quiet = ["Бірінші тармақ: жалпы ереже мен міндеттер.", "Екінші тармақ: жалпы ереже.",
             "Үшінші тармақ: жалпы ереже бойынша атқарылатын жұмыстар."]
    paragraphs = [long_para, SIGNALS_HEADING, *rows, long_para, *quiet, long_para,
                  long_para * 4]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    text = prepare(extract(path), load())
    runs = [" ".join(text.original[a:b].split()) for a, b in short_runs(text)]
    table = " ".join([SIGNALS_HEADING, *rows])
    assert table in runs
    assert " ".join(quiet) in runs
    resources = load_resources()
    chosen = best_segments(text, resources.packs, resources.packs.scan(text.folded),
                           resources.signals)
    read = [" ".join(text.original[a:b].split()) for a, b in chosen]
    assert table in read  # a disclosure signal of its own (frequencies)
    assert " ".join(quiet) not in read  # no signal: a few lines of topic words
    long_end = len(text.folded) - len(long_para * 4)
    assert all(b - a >= SECTION_MIN for a, b in sections(text))
    # the segments read all reach into the last paragraph (too long for a section)
    segments_read = [(a, b) for a, b in chosen if b - a > 2 * SECTION_MIN
                     and " ".join(text.original[a:b].split()) not in
                     {" ".join(p.split()) for p in paragraphs}]
    assert segments_read and all(b > long_end + 200 for _, b in segments_read)


def _dev_sources(genres: set[str]) -> list[dict[str, Any]]:
    """The dev split's hard negatives of *genres* (clean by their labels)."""
    return [s for s in sorted(load_sources(ROOT / "corpus" / "src"), key=lambda s: s["id"])
            if s["split"] == "dev" and s["genre"] in genres and s["labels"].get("hard_negative")
            and not s["labels"]["families"]]


@pytest.mark.slow
def test_a_short_table_disclosure_in_a_long_docx_is_found(tmp_path: Path) -> None:
    """A news digest as a DOCX of 100,000 characters or more (about 40 pages) stays clean;
    with a heading and a three-row table of radio frequencies and call signs (about 200
    characters, each row a paragraph) in the middle, it is found."""
    from corpus.build import render_docx

    stories = []
    for k, story in enumerate(_digest_stories()):
        alone = tmp_path / f"story-{k}.txt"
        alone.write_text("\n\n".join(story), encoding="utf-8")
        if not _flagged(alone):
            stories.append(story)
    paragraphs: list[Any] = [p for story in stories for p in story]
    assert sum(map(len, paragraphs)) >= 100_000

    def docx(blocks: list[Any], name: str) -> Path:
        path = tmp_path / name
        render_docx({"id": path.stem, "lang": "mixed", "genre": "other", "format": "docx",
                     "split": "dev", "pages": [{"blocks": blocks}], "labels": {}}, path)
        return path

    assert _flagged(docx(paragraphs, "digest.docx")) == []
    half = len(paragraphs) // 2
    table = [SIGNALS_HEADING, {"table": SIGNALS_ROWS}]
    assert sum(len(c) for row in SIGNALS_ROWS for c in row) + len(SIGNALS_HEADING) < 250
    found = _flagged(docx([*paragraphs[:half], *table, *paragraphs[half:]], "with.docx"))
    assert found and found[0].article == "11" and found[0].item in {"11.16", "11.17"}


@pytest.mark.slow
def test_a_kazakh_latin_disclosure_in_a_long_cyrillic_pdf_is_found(tmp_path: Path) -> None:
    """The Law on State Secrets (Kazakh and Russian, Cyrillic, 40 pages or more) with the
    battalion's disclosure written in Kazakh Latin in the middle: the Latin part reaches the
    same cues and signals as the Cyrillic one, and is found."""
    paragraphs = _law_paragraphs()
    half = len(paragraphs) // 2
    assert 280 <= len(DISCLOSURE_KK_LATN) <= 320
    path = _pdf([*paragraphs[:half], DISCLOSURE_KK_LATN, *paragraphs[half:]],
                tmp_path / "law-latin.pdf")
    found = _flagged(path)
    assert found and found[0].article == "11"
    assert found[0].evidence[0].text[:15] in DISCLOSURE_KK_LATN


@pytest.mark.slow
def test_a_long_file_of_public_figures_stays_clean(tmp_path: Path) -> None:
    """The dev split's public statistics releases, research abstracts and reports that are
    clean read alone, laid out one after another as a PDF with their tables: figures,
    percentages, tonnes and tenge all through, and no disclosure."""
    sources = _dev_sources({"statistics", "academic", "report"})
    blocks: list[Any] = []
    kept = 0
    for source in sources:
        alone = tmp_path / f"{source['id']}.pdf"
        render_pdf(source, alone)
        if _flagged(alone):  # flagged alone: a classifier's error, not a long file's
            continue
        kept += 1
        blocks += [b for page in source["pages"] for b in page["blocks"]]
    assert kept >= 25
    path = _pdf(blocks, tmp_path / "figures.pdf")
    pages = extract(path).pages
    assert pages is not None and pages >= 10
    assert _flagged(path) == []


def test_a_kazakh_latin_run_is_chosen_by_its_signals(tmp_path: Path) -> None:
    """A short Kazakh Latin message between long Cyrillic paragraphs: its frequency
    ("MGts") and call sign ("şaqyru belgisi", Cyrillic after the Latin reading) are
    operational signals, so its run is read; the same lines without them are not."""
    from qupia.content import load_resources
    from qupia.content.parts import best_segments
    from qupia.content.prepared import prepare
    from qupia.markings import load

    long_para = "Жалпы ақпарат туралы ұзын абзац, жаңалықтар мен түсініктемелер. " * 20
    message = ["Erteñ 05:00 dabyl. 2-rota tas jolynyñ 14-şaqyrymynda tosqauyl qoiady.",
               "Bailanys 4,115 MGts, şaqyru belgisi «Arystan-2»."]
    quiet = ["Erteñ jinalys bolady. Barlyq qyzmetkerler uaqytynda keluge tiis.",
             "Jinalys taqyryby: jyl qorytyndysy jäne kelesi jylğy josparlar."]
    resources = load_resources()
    for lines, read in ((message, True), (quiet, False)):
        path = tmp_path / "mixed.txt"
        path.write_text("\n\n".join([long_para, *lines, long_para, long_para, long_para]),
                        encoding="utf-8")
        text = prepare(extract(path), load())
        chosen = best_segments(text, resources.packs, resources.packs.scan(text.folded),
                               resources.signals)
        run = " ".join(lines)
        assert (run in [" ".join(text.original[a:b].split()) for a, b in chosen]) is read
