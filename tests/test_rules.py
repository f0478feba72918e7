"""Rules: the registry, each rule's docstring example, and good/bad cases per rule."""

from __future__ import annotations

import textwrap
import types
from datetime import date
from pathlib import Path

import pytest

import qupia.rules
from qupia.engine import check_file
from qupia.markings import MarkingFacts
from qupia.model import CategoryMatch, Evidence, Level, Marking, Region
from qupia.rules import RULES, Facts, validate
from qupia.settings import Settings

REFERENCE = date(2026, 11, 26)


EXAMPLE_LIST = Path(__file__).resolve().parents[1] / "patterns" / "departmental" / \
    "example-defence.yaml"


def codes_for(tmp_path: Path, text: str, reference: date = REFERENCE,
              departmental: Path | None = None) -> list[str]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    result = check_file(path, Settings(reference_date=reference,
                                       departmental_list=departmental))
    assert result.status == "ok", result.error
    return [f.code for f in result.findings]


def test_every_rule_file_is_registered() -> None:
    # Files on disk, not pkgutil's view that the registry itself uses: a rule file whose name
    # the registry's pattern misses (qp_500_x.py, QP499.py) shows up here.
    folder = Path(qupia.rules.__file__).parent
    files = {p.stem for p in folder.glob("*.py")} - {"__init__", "base", "content_facts"}
    assert files == {r.__name__.rsplit(".", 1)[1] for r in RULES}


def _rule_module(name: str, doc: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(f"qupia.rules.{name}", doc)
    defaults = {"CODE": "QP499", "NAME": "made-up", "FAMILY": "missing", "SEVERITY": "error",
                "ARTICLE": "11", "check": lambda facts: []}
    for key, value in {**defaults, **attrs}.items():
        setattr(module, key, value)
    return module


GOOD_DOC = "x\n\nWhat it checks\n  a\nWhy\n  b\nExample\n  c\nHow to fix\n  d\n"


@pytest.mark.parametrize(("name", "doc", "attrs", "complaint"), [
    ("qp499_made_up", GOOD_DOC, {"FAMILY": "weird"}, "bad family"),
    ("qp499_made_up", GOOD_DOC, {"SEVERITY": "fatal"}, "bad family or severity"),
    ("qp499_other_name", GOOD_DOC, {}, "mismatch"),
    ("qp499_made_up", GOOD_DOC, {"CODE": "QP4990"}, "mismatch"),
    ("qp499_made_up", GOOD_DOC.replace("Why", "Because"), {}, "lacks section 'Why'"),
])
def test_the_registry_refuses_a_rule_that_breaks_the_conventions(
        name: str, doc: str, attrs: dict[str, object], complaint: str) -> None:
    assert validate([_rule_module("qp499_made_up", GOOD_DOC)])  # the well-made one passes
    with pytest.raises(RuntimeError, match=complaint):
        validate([_rule_module(name, doc, **attrs)])


def test_the_registry_refuses_a_code_twice() -> None:
    with pytest.raises(RuntimeError, match="registered twice"):
        validate([_rule_module("qp499_made_up", GOOD_DOC)] * 2)


def example(rule) -> str:  # type: ignore[no-untyped-def]
    doc = rule.__doc__
    section = doc.split("\nExample\n", 1)[1].split("\nHow to fix\n", 1)[0]
    block = section.split("::\n", 1)[1]
    return textwrap.dedent(block).strip() + "\n"


# QP401's example is a document property against the page: tests/test_metadata.py runs it.
@pytest.mark.parametrize("rule", [r for r in RULES if r.CODE != "QP401"], ids=lambda r: r.CODE)
def test_docstring_example_fires(tmp_path: Path, rule) -> None:  # type: ignore[no-untyped-def]
    # The level rules compare with a departmental list: their examples use the example list.
    departmental = EXAMPLE_LIST if rule.CODE in ("QP102", "QP202") else None
    assert rule.CODE in codes_for(tmp_path, example(rule), departmental=departmental)


CASES = [
    # (rule, fires?, text, reference date)
    ("QP201", True, "СЕКРЕТНО\nдо 2020 года\n\nПриказ от 01.02.2015", REFERENCE),
    ("QP201", True, "ҚҰПИЯ\nМерзімі 2021 жылға дейін\n\n2016 жылғы 3 мамыр", REFERENCE),
    ("QP201", True, "СОВЕРШЕННО СЕКРЕТНО\n\nДиректива от 17.06.1988 № 312", REFERENCE),
    ("QP201", False, "СЕКРЕТНО\nСрок засекречивания 10 лет\n\nПриказ от 12.05.2020", REFERENCE),
    ("QP201", False, "СЕКРЕТНО\nСрок засекречивания 5 лет\nПродлен до 2030 года\n\n"
                     "Приказ от 12.05.2015", REFERENCE),
    ("QP201", False, "СЕКРЕТНО\nСрок засекречивания 5 лет\nГриф снят. Акт № 4 от 01.06.2020\n\n"
                     "Приказ от 12.05.2015", REFERENCE),
    ("QP201", False, "СЕКРЕТНО\nСрок засекречивания 5 лет\n\nПриказ от 12.05.2015",
     date(2019, 1, 1)),
    ("QP201", False, "СЕКРЕТНО\n\nПриказ без даты", REFERENCE),
    ("QP302", True, "СЕКРЕТНО\nСрок засекречивания 35 лет\n\nПриказ от 12.05.2020", REFERENCE),
    ("QP302", True, "СЕКРЕТНО\nдо 31.12.2060\n\nПриказ от 12.05.2020", REFERENCE),
    ("QP302", False, "СЕКРЕТНО\nСрок засекречивания 30 лет\n\nПриказ от 12.05.2020", REFERENCE),
    ("QP303", True, "ҚАТАҢ ҚҰПИЯ\n\n2023 жылғы 5 қазан", REFERENCE),
    ("QP303", True, "КОНФИДЕНЦИАЛЬНО\n\nПисьмо от 05.10.2023", REFERENCE),
    ("QP303", False, "СТРОГО СЕКРЕТНО\n\nСправка от 12.03.1938", REFERENCE),
    ("QP303", False, "Материалы с пометкой «Строго секретно» хранились в архиве.", REFERENCE),
    ("QP400", True, "СЕКРЕТНО\n\nТекст\f\nСОВЕРШЕННО СЕКРЕТНО\n\nТекст", REFERENCE),
    ("QP400", False, "ҚҰПИЯ / СЕКРЕТНО\n\nТекст\f\nСЕКРЕТНО\n\nТекст", REFERENCE),
]


@pytest.mark.parametrize(("code", "fires", "text", "reference"), CASES)
def test_rule_cases(tmp_path: Path, code: str, fires: bool, text: str, reference: date) -> None:
    assert (code in codes_for(tmp_path, text, reference)) is fires


def _facts(*marks: Marking, categories: tuple[CategoryMatch, ...] = ()) -> Facts:
    return Facts(MarkingFacts(marks, 0, None, False), categories, REFERENCE)


DSP = Marking(level=Level.LIMITED, text="ДСП", page=1, region=Region.HEADER, form="ru-limited")
SECRET = Marking(level=Level.SECRET, text="СЕКРЕТНО", page=1, region=Region.HEADER,
                 form="ru-secret")
GARRISON = CategoryMatch("11", "11.3", 0.9, (Evidence(1, "дислоцируется в г. Сарыозек"),))


@pytest.mark.parametrize(
    ("marks", "categories", "fires"),
    [
        ((DSP,), (GARRISON,), True),
        ((DSP,), (), False),
        ((DSP, SECRET), (GARRISON,), False),
        ((SECRET,), (GARRISON,), False),
    ],
)
def test_qp101_limited_mark_on_secret(marks, categories, fires: bool) -> None:  # type: ignore[no-untyped-def]
    findings = qupia.rules.by_code("QP101").check(_facts(*marks, categories=categories))  # type: ignore[union-attr]
    assert bool(findings) is fires
    if fires:
        assert findings[0].article == "11.3"
        assert "Сарыозек" in findings[0].evidence
