"""Messages by id, translated at the edge: every rule's message renders in kk, ru and en.

A rule returns a :class:`~qupia.model.Message` (an English msgid and its values, phrases nested
as messages, the document's words as :class:`~qupia.model.Words`); the text is made when a
report is written. Each rule's docstring example is run (QP401's is a document property, built
here as facts), and its finding's message is rendered in the three languages: every phrase in
it must have its own translation, no field may stay unfilled, and the message without evidence
must not quote the document.
"""

from __future__ import annotations

import re
import string
import textwrap
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from qupia.engine import check_file
from qupia.finish import redacted
from qupia.i18n import LANGUAGES, catalogue, level_name, place, render
from qupia.model import (
    Facts,
    Finding,
    Level,
    Marking,
    MarkingFacts,
    Message,
    Region,
    Words,
)
from qupia.rules import RULES, by_code
from qupia.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_LIST = ROOT / "patterns" / "departmental" / "example-defence.yaml"
REFERENCE = date(2026, 11, 26)
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.I)


def example(rule: ModuleType) -> str:
    section = (rule.__doc__ or "").split("\nExample\n", 1)[1].split("\nHow to fix\n", 1)[0]
    return textwrap.dedent(section.split("::\n", 1)[1]).strip() + "\n"


def qp401_finding() -> Finding:
    """QP401's example: a property says one level, the stamp on the page another."""
    stamp = Marking(Level.SECRET, "СЕКРЕТНО", 1, Region.HEADER, "ru-secret")
    prop = Marking(Level.TOP_SECRET, "Совершенно секретно", 0, Region.METADATA, "ru-top-secret",
                   property="custom:Гриф")
    facts = Facts(MarkingFacts((stamp,), 0, None, False, metadata=(prop,)), (), REFERENCE)
    (found,) = by_code("QP401").check(facts)
    return found


def finding_of(rule: ModuleType, tmp_path: Path) -> Finding:
    if rule.CODE == "QP401":
        return qp401_finding()
    path = tmp_path / "doc.txt"
    path.write_text(example(rule), encoding="utf-8")
    listed = EXAMPLE_LIST if rule.CODE in ("QP102", "QP202") else None
    result = check_file(path, Settings(reference_date=REFERENCE, departmental_list=listed))
    return next(f for f in result.findings if f.code == rule.CODE)


def phrases(message: Message, instead: bool = True) -> list[Message]:
    """*message* and every message nested in it (a place, a level, a reason …), with what
    stands in for the document's words without evidence when *instead*."""
    out = [message]
    for _name, value in message.args:
        if isinstance(value, Message):
            out.extend(phrases(value, instead))
        elif isinstance(value, Words) and instead:
            out.extend(phrases(value.instead))
    return out


def words(msgid: str) -> str:
    """The text of a msgid outside its ``{fields}``: empty for a pure template like
    ``{s0}. {s1}``, which has nothing to translate."""
    return "".join(literal for literal, *_rest in string.Formatter().parse(msgid)).strip(
        " .:<>()\"'")


def translated(message: Message, lang: str) -> str:
    t = catalogue(lang)
    if message.plural is not None:
        return t.ngettext(message.id, message.plural, message.n)
    return t._(message.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_every_rule_message_renders_in_kk_ru_and_en(rule: ModuleType, tmp_path: Path) -> None:
    found = finding_of(rule, tmp_path)
    assert isinstance(found.message, Message)
    quoted = [v.text for p in phrases(found.message) for _n, v in p.args
              if isinstance(v, Words)]
    texts = {lang: render(found.message, lang) for lang in LANGUAGES}
    for lang, text in texts.items():
        assert text and "{" not in text and "}" not in text, (lang, text)
        assert all(q in text for q in quoted), (lang, text)  # the stamp as written
    # Every phrase with words of its own has a translation in kk and ru.
    for phrase in phrases(found.message):
        if words(phrase.id):
            for lang in ("kk", "ru"):
                assert translated(phrase, lang) != phrase.id, (lang, phrase.id)
    # The values (items, dates, a property's name) go in as they are, in every language.
    values = [str(v) for p in phrases(found.message, instead=False) for _n, v in p.args
              if not isinstance(v, Message | Words)]
    assert all(v in text for v in values for text in texts.values()), (values, texts)
    assert CYRILLIC.search(texts["kk"]) and CYRILLIC.search(texts["ru"])
    assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"]
    assert texts["kk"] != texts["ru"]
    assert f"{rule.CODE}" not in texts["en"]  # the code is the emitter's to print


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_a_message_without_evidence_quotes_no_stamp(rule: ModuleType, tmp_path: Path) -> None:
    found = finding_of(rule, tmp_path)
    quoted = [v.text for p in phrases(found.message) for _n, v in p.args
              if isinstance(v, Words)]
    bare = redacted(found.message)
    assert not any(isinstance(v, Words) for p in phrases(bare) for _n, v in p.args)
    for lang in LANGUAGES:
        text = render(bare, lang)
        assert "{" not in text
        for q in quoted:
            assert q not in text and "<" in text, (lang, text)


def test_places_and_levels_are_translated_phrases() -> None:
    for region in Region:
        mark = Marking(Level.SECRET, "СЕКРЕТНО", 3, region, "ru-secret")
        phrase = place(mark)
        assert render(phrase, "en").startswith("in ")
        for lang in ("kk", "ru"):
            assert translated(phrase, lang) != phrase.id, (region, lang)
    for level in Level:
        assert render(level_name(level), "en") == level.value
        for lang in ("kk", "ru"):
            assert render(level_name(level), lang) != level.value, (level, lang)


def test_the_workers_hold_no_language() -> None:
    """A finding made while the process's language is Russian is still a message by id: its
    text depends only on the language it is rendered in."""
    from qupia import i18n

    before = i18n.language()
    try:
        i18n.set_language("ru")
        found = qp401_finding()
    finally:
        i18n.set_language(before)
    assert render(found.message, "en").startswith('Property "custom:Гриф" says')
    assert render(found.message, "kk") != render(found.message, "ru")
