"""Content detection: the category packs, cue matching, departmental lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qupia.content.packs import load_packs
from qupia.engine import check_file
from qupia.settings import Settings
from qupia.text.fold import fold
from qupia.text.literals import literal_prefixes, required_literals
from qupia.text.patterns import PatternError
from tests.conftest import ROOT, cue_items
from tests.test_corpus import ITEMS_11_14, ITEMS_17

EXAMPLE_LIST = ROOT / "patterns" / "departmental" / "example-defence.yaml"


def test_every_item_of_articles_11_to_14_and_17_has_cues() -> None:
    packs = load_packs()
    assert sorted(packs.items) == sorted(ITEMS_11_14 + ITEMS_17)
    for item, spec in packs.items.items():
        assert len(spec.cues) >= 3, item


def test_a_bad_pack_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "art11.yaml").write_text(
        'schema: qupia-categories/1\narticle: "11"\nitems:\n'
        '  - item: "11.1"\n    title: "x"\n    cues:\n      - {stems: ["ab"]}\n',
        encoding="utf-8")
    with pytest.raises(PatternError, match=r"art11\.yaml:4: items\.0\.cues\.0"):
        load_packs(tmp_path)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("Бригада дислоцируется в г. Сарыозек", "11.3"),
        ("бригаданың әскерлерінің орналасқан жері", "11.3"),  # Kazakh suffixes
        ("штатной численностью 1 240 человек", "11.3"),
        ("Войсковая часть 12345", "11.3"),
    ],
)
def test_cues_match_every_word_form(text: str, item: str) -> None:
    assert item in cue_items(text)


def test_a_russian_stem_with_ts_matches_kazakh_latin_read_in_cyrillic() -> None:
    """Kazakh Latin writes "ц" as "ts" (mobilizatsiia); read letter by letter in Cyrillic it
    is "мобилизатсииа", which the stem "мобилизац" alone would miss."""
    from qupia.text.fold import latin_to_cyrillic

    packs = load_packs()
    latin = fold(latin_to_cyrillic("mobilizatsiia jariialanğan jağdaida"))
    assert "мобилизатс" in {packs.cues[i].label for i in packs.hits(latin)}
    assert "мобилизац" in {packs.cues[i].label for i in packs.hits(fold("мобилизация"))}
    epidemic = fold(latin_to_cyrillic("Epıdemıologııalyq tekserý"))  # the 2017 letters
    assert "17.1.4" in {packs.cues[i].item for i in packs.hits(epidemic)}


def test_kazakh_latin_digraphs_read_as_one_cyrillic_letter() -> None:
    """ "sh"/"ch" (2018) and "s'"/"n'" (2017) are one letter each: "shekara" is шекара, not
    "схекара"; every word still starts where it started, and the length is kept."""
    from qupia.text.fold import latin_to_cyrillic

    text = "Shekara boıynsha úshin, S'ekara men ǵarysh. AQSH"
    read = latin_to_cyrillic(text)
    assert len(read) == len(text)
    words = ["Шекара", "боіынша", "үшін", "Шекара", "мен", "ғарыш", "АҚШ"]
    assert re.findall(r"\w+", read) == words
    assert [m.start() for m in re.finditer(r"\w+", read)] == [
        m.start() for m in re.finditer(r"\w+(?:'\w+)?", text)]
    packs = load_packs()
    border = fold(latin_to_cyrillic("Memlekettik shekara kúzetiniń bólimsheleri"))
    assert any("шекара" in packs.cues[i].label for i in packs.hits(border))


def test_overlapping_cues_all_count() -> None:
    packs = load_packs()
    hits = packs.hits(fold("Войсковая часть 12345 дислоцируется в пос. Сарыозек"))
    labels = {packs.cues[i].label for i in hits}
    assert len(labels) >= 2


def test_cue_found_however_far_into_the_document() -> None:
    text = "Обычный текст. " * 20_000 + "Войсковая часть 12345 дислоцируется в г. Сарыозек."
    assert "11.3" in cue_items(text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [(r"(?<!\w)(?:дислоц[\w-]*)", {"дислоц"}),
     (r"(?<!\w)(?:(?:в/ч|войсков\w*)\s*\d)", {"в/ч", "войсков"}),
     (r"(?<!\w)(?:\d+\s*мгц)", None)],
)
def test_literal_prefixes(pattern: str, expected: set[str] | None) -> None:
    assert literal_prefixes(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [(r"\d+\s*мгц", {"мгц"}), (r"\d{1,3}\s?°\s?\d", {"°"}), (r"\d+\s*\w+", None)],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    assert required_literals(pattern) == expected


def _codes(tmp_path: Path, text: str, departmental: Path | None = None) -> set[str]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    settings = Settings(departmental_list=departmental)
    result = check_file(path, settings)
    assert result.status == "ok"
    return {f.code for f in result.findings}


DISCLOSURE = (
    "Служебная записка от 14.03.2025 № 112\n\n"
    "Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность 1 240 человек, "
    "на вооружении 36 танков Т-72Б3 и 18 гаубиц Д-30. Позывной штаба «Беркут-3». "
    "Командир части полковник А. Ибраев."
)


def test_list_item_named_by_the_stamp_sets_the_level(tmp_path: Path) -> None:
    low = "СЕКРЕТНО\nп. 14 Перечня\n\n" + DISCLOSURE
    assert "QP102" in _codes(tmp_path, low, EXAMPLE_LIST)
    high = "ОСОБОЙ ВАЖНОСТИ\nп. 7 Перечня\n\n" + DISCLOSURE.replace("дислоцируется", "стоит")
    assert "QP202" in _codes(tmp_path, high, EXAMPLE_LIST)
    right = "СОВЕРШЕННО СЕКРЕТНО\nп. 14 Перечня\n\n" + DISCLOSURE
    assert not {"QP102", "QP202"} & _codes(tmp_path, right, EXAMPLE_LIST)


def test_without_a_list_no_level_rule_fires(tmp_path: Path) -> None:
    assert not {"QP102", "QP202"} & _codes(tmp_path, "СЕКРЕТНО\nп. 14 Перечня\n\n" + DISCLOSURE)


def test_a_bad_departmental_list_is_a_clear_error(tmp_path: Path) -> None:
    from qupia.content.deplist import load_list

    bad = tmp_path / "list.yaml"
    bad.write_text("schema: qupia-departmental-list/1\norganisation: x\nitems:\n"
                   "  - {id: '1', title: t, level: very-secret}\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"list\.yaml: items\.0\.level"):
        load_list(bad)


def test_content_threshold_is_the_users_to_change(tmp_path: Path) -> None:
    """A threshold near 1 asks for more certainty: the same disclosure no longer counts."""
    path = tmp_path / "doc.txt"
    path.write_text(DISCLOSURE, encoding="utf-8")
    assert check_file(path, Settings()).categories
    assert not check_file(path, Settings(content_threshold=0.9999)).categories
    conf = tmp_path / ".qupia.toml"
    conf.write_text("content-threshold = 1.5\n", encoding="utf-8")
    from tests.conftest import qupia_cli

    proc = qupia_cli("check", str(path), "--config", str(conf))
    assert proc.returncode == 2 and "content-threshold" in proc.stderr
    proc = qupia_cli("check", str(path), "--content-threshold", "0.9999")
    assert proc.returncode == 0, proc.stdout


def test_level_rule_says_why_in_the_users_language(tmp_path: Path) -> None:
    """The departmental-list reason ("named by the stamp", "cues: …") is translated too."""
    from qupia import i18n

    path = tmp_path / "doc.txt"
    path.write_text("СЕКРЕТНО\nп. 14 Перечня\n\n" + DISCLOSURE, encoding="utf-8")
    result = check_file(path, Settings(departmental_list=EXAMPLE_LIST))
    message = i18n.render(next(f.message for f in result.findings if f.code == "QP102"), "ru")
    assert "указан в штампе" in message and "named by the stamp" not in message


LONG_SECTION = (
    "Служебная записка от 14.03.2025 № 112 о дислокации и боевом составе\n"
    "Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность 1 240 человек, "
    "на вооружении 36 танков Т-72Б3 и 18 гаубиц Д-30. Позывной штаба «Беркут-3». "
    "Командир части полковник А. Ибраев.\n"
    "Второй мотострелковый батальон (в/ч 12345-2, 410 человек, 31 БМП-2) размещён на "
    "полигоне «Жаркум», координаты 44°05' с.ш. 77°12' в.д.; резервный командный пункт — "
    "в 12 км северо-восточнее станции Отар, позывной «Сокол-7». Зенитный дивизион "
    "(6 установок ЗРК «Оса») прикрывает аэродром Талдыкорган, дежурство круглосуточное, "
    "рабочая частота радиосети 142,350 МГц.\n"
    "Запасы ГСМ на складе части: 820 т дизельного топлива, боеприпасы — 2,3 боекомплекта.\n"
)
CANTEEN = ("В столовой административного здания с понедельника меняется меню: на обед будут "
           "подаваться супы, вторые блюда и салаты, а по пятницам — выпечка. Просим сотрудников "
           "сдавать посуду на мойку и соблюдать чистоту в зале. Время работы столовой — с 12:00 "
           "до 15:00, в субботу столовая закрыта.\n")


def test_a_disclosing_section_of_a_long_document_is_found_in_its_segment(tmp_path: Path) -> None:
    """Read as a whole, the canteen notices drown the section; read in segments, one of them
    is the section, and it is judged like a document of its own."""
    from qupia.content import load_resources
    from qupia.content.classifier import predict
    from qupia.content.detect import decide, features, prepare, segments
    from qupia.extract import extract
    from qupia.markings import load

    path = tmp_path / "long.txt"
    path.write_text(CANTEEN * 20 + "\n" + LONG_SECTION + "\n" + CANTEEN * 20, encoding="utf-8")
    resources = load_resources()
    text = prepare(extract(path), load())
    whole = decide(resources.calibration,
                   features(resources.packs, resources.signals, text,
                            predict(resources.nlp, text.for_model)))[0]["1114"]
    assert segments(text.folded) and whole < resources.calibration.doc_threshold["1114"]
    result = check_file(path, Settings())
    found = [c for c in result.categories if c.article == "11"]
    assert found and "read in the segment" in found[0].explanation
    assert "QP100" in {f.code for f in result.findings}
    assert "дислоцируется" in found[0].evidence[0].text or found[0].cues


def test_a_long_document_without_a_disclosure_stays_clean(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(CANTEEN * 50, encoding="utf-8")
    result = check_file(path, Settings())
    assert not result.categories and not result.findings


def test_rest_counted_up_to_a_limit_agrees_with_the_full_count() -> None:
    import random

    from qupia.content.prepared import rest, rest_at_most

    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("аб 1.\n") for _ in range(rng.randrange(0, 120)))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randrange(3))))
        spans = tuple(zip(cuts[::2], cuts[1::2], strict=True))
        for limit in (0, 5, 30, 200):
            assert rest_at_most(text, spans, limit) == (rest(text, spans) <= limit)
