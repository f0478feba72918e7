"""Messages in Kazakh, Russian and English: every rule module, every help text, both catalogues.

Rule modules are discovered (qupia.rules.RULES, which the registry test ties to the files), so a
rule module added later is covered the day it is added: its messages must be literal msgids
under ``_()`` / ``ngettext()`` with a translation in each catalogue, and its docstring must have
a translation under msgctxt "rule-doc".
"""

from __future__ import annotations

import ast
import gettext
import hashlib
import os
import re
import string
from pathlib import Path
from types import ModuleType

import click
import pytest

from qupia import cli, i18n
from qupia.rules import RULES, by_code
from tests.conftest import qupia_cli
from tests.test_cli import run, write

CATALOGUES = ("kk", "ru")
SECTIONS = ("What it checks", "Why", "Example", "How to fix")


def catalogue(lang: str) -> gettext.GNUTranslations:
    path = i18n.LOCALEDIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with path.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def msgids(path: Path) -> list[tuple[str, ...]]:
    """The literal msgids of ``_("…")``, ``i18n._("…")``, ``msg("…", …)`` and
    ``ngettext("…", "…", n)`` / ``msg_n("…", "…", n, …)`` calls."""
    out: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = node.args
        if name in ("_", "msg") and args and isinstance(args[0], ast.Constant):
            out.append((args[0].value,))
        elif name in ("ngettext", "msg_n") and len(args) >= 2 and all(
                isinstance(a, ast.Constant) for a in args[:2]):
            out.append((args[0].value, args[1].value))
    return out


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def translated(cat: gettext.GNUTranslations, ids: tuple[str, ...]) -> list[str]:
    """Every form of the translation of *ids*; [] when the catalogue lacks it."""
    if len(ids) == 1:
        text = cat._catalog.get(ids[0])  # type: ignore[attr-defined]
        return [text] if text else []
    forms = [v for k, v in cat._catalog.items()  # type: ignore[attr-defined]
             if isinstance(k, tuple) and k[0] == ids[0]]
    return forms if all(forms) else []


def check_translated(where: str, ids: list[tuple[str, ...]]) -> None:
    for lang in CATALOGUES:
        cat = catalogue(lang)
        for entry in ids:
            forms = translated(cat, entry)
            assert forms, f"{where}: {entry[0]!r} has no {lang} translation"
            for form in forms:
                extra = fields(form) - fields(entry[0])
                assert not extra, f"{where}: {lang} translation of {entry[0]!r} uses {extra}"


def example_block(doc: str, heading: str, next_heading: str) -> str:
    section = doc.split(f"\n{heading}\n", 1)[1].split(f"\n{next_heading}\n", 1)[0]
    return section.split("::\n", 1)[1].strip("\n")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_messages_are_translatable_and_translated(rule: ModuleType) -> None:
    path = Path(rule.__file__ or "")
    ids = msgids(path)
    assert ids, f"{rule.CODE}: messages must be built with msg('…', …) (qupia.i18n)"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "finding":
            message = node.args[1] if len(node.args) > 1 else None
            assert not isinstance(message, ast.JoinedStr | ast.Constant), (
                f"{rule.CODE}: line {node.lineno}: a finding's message must be a msg()")
    check_translated(rule.CODE, ids)


@pytest.mark.parametrize("lang", CATALOGUES)
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_explanations_exist_in_every_language(rule: ModuleType, lang: str) -> None:
    english = (rule.__doc__ or "").strip()
    text = catalogue(lang).pgettext(i18n.RULE_DOC, rule.CODE)
    assert text != rule.CODE, f"{rule.CODE}: no {lang} explanation (msgctxt 'rule-doc')"
    assert text.startswith(f"{rule.CODE} {rule.NAME}: ")
    headings = [line for line in text.splitlines() if line and not line[0].isspace()][1:]
    assert len(headings) == len(SECTIONS), f"{rule.CODE} {lang}: sections {headings}"
    assert not set(headings) & set(SECTIONS), f"{rule.CODE} {lang}: headings not translated"
    # The example is a document: it stays as written, so the docstring test covers it too.
    assert example_block(english, SECTIONS[2], SECTIONS[3]) == example_block(
        text, headings[2], headings[3])
    # The translation records which English docstring it translates; a changed docstring needs
    # its translations looked at again (and the recorded sha256 updated).
    po = (i18n.LOCALEDIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").read_text(encoding="utf-8")
    recorded = re.search(rf'#\. docstring-sha256: ([0-9a-f]{{64}})\nmsgctxt "{i18n.RULE_DOC}"\n'
                         rf'msgid "{rule.CODE}"', po)
    assert recorded, f"{rule.CODE} {lang}: no '#. docstring-sha256:' line above the entry"
    assert recorded.group(1) == hashlib.sha256(english.encode()).hexdigest(), (
        f"{rule.CODE}: the docstring changed since its {lang} translation; update both")


def test_explanation_follows_the_language() -> None:
    rule = by_code("QP201")
    try:
        i18n.set_language("en")
        assert i18n.explanation(rule) == (rule.__doc__ or "").strip()
        i18n.set_language("ru")
        assert "Что проверяется" in i18n.explanation(rule)
    finally:
        i18n.set_language("en")


def test_shared_messages_are_translated() -> None:
    package = Path(i18n.__file__).parent
    modules = ["i18n.py", "report/sarif.py", "report/text_report.py", "report/html.py",
               "rules/content_facts.py",
               "content/deplist.py", *(f"cli/{p.name}" for p in (package / "cli").glob("*.py"))]
    for module in modules:
        check_translated(module, msgids(package / module))


def _helps(command: click.Command) -> list[tuple[str, ...]]:
    params = command.get_params(click.Context(command))
    return [(text,) for text in [command.help, *(getattr(p, "help", None) for p in params)]
            if text]


def test_help_texts_are_translated() -> None:
    ids = _helps(cli.main)
    commands = [c for c in cli.main.commands.values() if isinstance(c, cli._Translated)]
    assert {"check", "baseline", "rules", "explain"} <= {c.name for c in commands}
    for command in commands:
        ids += _helps(command)
    check_translated("help", ids)


def compile_po(po: Path, tmp: Path) -> bytes:
    """The .mo that `make locale` (Babel's `pybabel compile`) makes of *po*."""
    import subprocess
    import sys

    mo = tmp / po.parent.parent.name / "qupia.mo"
    mo.parent.mkdir(parents=True)
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "compile",
                    "--domain", "qupia", "--input-file", str(po), "--output-file", str(mo)],
                   check=True, timeout=60)
    return mo.read_bytes()


def test_compiled_catalogues_match_their_sources(tmp_path: Path) -> None:
    pos = sorted(Path(i18n.__file__).parent.glob("locale/*/LC_MESSAGES/qupia.po"))
    assert {p.parent.parent.name for p in pos} == set(CATALOGUES)
    for po in pos:
        assert po.with_suffix(".mo").read_bytes() == compile_po(po, tmp_path), (
            f"{po} changed: run `make locale`")


def test_plural_forms_follow_the_language() -> None:
    ru = catalogue("ru")
    one, few, many = (ru.ngettext("a period of {years} year", "a period of {years} years", n)
                      for n in (31, 32, 35))
    assert (one, few, many) == ("срок {years} год", "срок {years} года", "срок {years} лет")


QP303_DOC = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "is not one of the three secrecy marks of Article 18"),
     ("ru", "не относится к трём грифам секретности статьи 18"),
     ("kk", "18-баптағы үш құпиялылық грифінің бірі емес")],
)
def test_check_speaks_the_language_and_keeps_the_article(tmp_path: Path, lang: str,
                                                         words: str) -> None:
    doc = write(tmp_path / "memo.txt", QP303_DOC)
    proc = run("check", str(doc), "--lang", lang, "--select", "QP303")
    assert proc.returncode == 1
    assert words in proc.stdout
    assert "QP303 [unlawful] error:" in proc.stdout and "(Art. 18)" in proc.stdout


def test_language_reaches_every_worker(tmp_path: Path) -> None:
    for n in range(4):
        write(tmp_path / f"memo{n}.txt", QP303_DOC)
    proc = run("check", str(tmp_path), "--lang", "kk", "--jobs", "3", "--select", "QP303")
    lines = [line for line in proc.stdout.splitlines() if "QP303" in line]
    assert len(lines) == 4 and all("мөртабаны" in line for line in lines)


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return {**env, **values}


def test_language_from_configuration_then_locale(tmp_path: Path) -> None:


    write(tmp_path / "memo.txt", QP303_DOC)
    (tmp_path / ".git").mkdir()  # the search for a configuration stops here

    def message(*args: str, **env: str) -> str:
        proc = qupia_cli("check", "memo.txt", "--select", "QP303", *args, cwd=tmp_path,
                         env=_env(**env))
        return proc.stdout.splitlines()[0]

    assert "Stamp" in message()
    assert "Штамп" in message(LANG="ru_RU.UTF-8")
    assert "мөртабаны" in message(LANGUAGE="kk:ru", LANG="ru_RU.UTF-8")
    assert "Stamp" in message(LANG="de_DE.UTF-8")
    write(tmp_path / ".qupia.toml", 'lang = "kk"\n')
    assert "мөртабаны" in message(LANG="ru_RU.UTF-8")
    assert "Штамп" in message("--lang", "ru")
    assert "Stamp" in message("--lang", "en")  # the option wins over the file


def test_explain_and_help_in_kazakh() -> None:
    text = run("explain", "qp201", "--lang", "kk").stdout
    assert text.startswith("QP201 expired-marking (excessive, warning, Art. 20(3))")
    assert "Неліктен" in text and "Срок засекречивания 5 лет" in text
    assert "Мерзім ережелері есептелетін күн" in run("check", "--lang", "kk", "--help").stdout
    assert "Проверить файлы PDF, DOCX и TXT" in run("check", "--lang", "ru", "--help").stdout


def test_help_before_lang_is_translated_too() -> None:
    """click handles an eager --help as soon as it meets it; --lang after it still counts."""
    assert "Проверить файлы PDF, DOCX и TXT" in run("check", "--help", "--lang", "ru").stdout
    assert "Мерзім ережелері есептелетін күн" in run("check", "--help", "--lang=kk").stdout
    assert "Lint PDF, DOCX and TXT" in run("check", "--help", "--lang", "en").stdout
