"""The emitters in-process against golden files: the same finished results as text, JSON and
SARIF, with and without evidence, in English and Russian.

The results are built here from fixed facts (not read from documents), so a change in what the
detection finds does not move these files; a change in how a report is written does. The JSON
is checked against qupia-report/1's schema and the SARIF against the official schema too.
After an intended change of format, write them again with ``QUPIA_UPDATE_GOLDEN=1 pytest
tests/test_emitters.py`` and read the diff.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from qupia import __version__, baseline
from qupia.finish import finish
from qupia.i18n import level_name, msg, msg_n, place
from qupia.model import (
    CategoryMatch,
    Evidence,
    FileResult,
    Finding,
    Level,
    Marking,
    MarkingFacts,
    Region,
    Requisites,
    Review,
    Suppression,
    Words,
)
from qupia.report import EMITTERS
from qupia.settings import Settings

GOLDEN = Path(__file__).parent / "data" / "golden"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json")
                          .read_text(encoding="utf-8"))
REFERENCE = date(2026, 11, 26)
KEY = "ab" * 32  # a file's evidence key (engine.digests), fixed here

STAMP = Marking(Level.SECRET, "СЕКРЕТНО", 1, Region.HEADER, "ru-secret",
                Requisites(copy="1", date=date(2015, 5, 12), period_years=5))
NONSTANDARD = Marking(Level.NONSTANDARD, "СТРОГО СЕКРЕТНО", 1, Region.BODY, "ru-strogo-secret")


def quoted(mark: Marking) -> Words:
    return Words(mark.text, msg("<{level}: {form}>", level=level_name(mark.level),
                                form=mark.form))


def expired() -> Finding:
    why = msg_n("its {years}-year period from {start} ended {end}",
                "its {years}-year period from {start} ended {end}", 5, years=5,
                start=date(2015, 5, 12), end=date(2020, 5, 12))
    return Finding("QP201", "expired-marking", "excessive", "warning", "22",
                   msg('Mark "{mark}" {place} has expired: {why}, and no declassification is '
                       "noted", mark=quoted(STAMP), place=place(STAMP), why=why),
                   1, "header", "СЕКРЕТНО")


def stamp_finding(mark: Marking) -> Finding:
    return Finding("QP303", "nonstandard-marking", "unlawful", "error", "18",
                   msg('Stamp "{mark}" {place} is not one of the three secrecy marks of '
                       "Article 18", mark=quoted(mark), place=place(mark)),
                   mark.page, mark.region.value, mark.text)


def results() -> list[FileResult]:
    """Unfinished results, as the workers return them: an order with an expired mark and
    content, a memo with an invented stamp that its sidecar suppresses, a file whose
    suppression cannot be read, a scan without a text layer, and a broken file."""
    facts = MarkingFacts((STAMP,), 0, date(2015, 5, 12), False)
    category = CategoryMatch("11", "11.3", 0.91234, (Evidence(1, "войсковой части 12345",
                                                              "body"),),
                             "cue 11.3-unit-location; model 0.88", ("дислокац",), 2.0, 0.9)
    order = FileResult("docs/order-12.txt", "1" * 64, "ok", None, pages=1, language="ru",
                       facts=facts, categories=(category,), findings=(expired(),),
                       evidence_key=KEY)
    memo_facts = MarkingFacts((NONSTANDARD,), 0, date(2024, 3, 12), False)
    memo = FileResult("docs/записка.txt", "2" * 64, "ok", None, pages=1, language="ru",
                      facts=memo_facts, findings=(stamp_finding(NONSTANDARD),),
                      evidence_key=KEY,
                      review=Review((Suppression("QP303", "reviewed by the records office",
                                                 "sidecar"),)))
    bad_review = replace(memo, path="docs/reviewed.docx", sha256="3" * 64, review=Review(
        problem="suppression: custom property 'qupia-ignore': cannot read; write 'QP201: "
                "reason; QP400: reason'",
        quoting="suppression: custom property 'qupia-ignore': cannot read 'Жаворонок'; "
                "write 'QP201: reason; QP400: reason'"))
    scan = FileResult("docs/scan.pdf", "4" * 64, "no-text", "page 2 has no text layer (OCR off)",
                      pages=2, unreadable_pages=(2,), language="ru", facts=facts,
                      findings=(expired(),), evidence_key=KEY)
    broken = FileResult("docs/broken.pdf", None, "error", "not a PDF: no cross-reference table")
    return [order, memo, bad_review, scan, broken]


@dataclass(frozen=True)
class OnlyRun:
    """What an emitter may know of the run, and nothing else: an emitter that read a setting
    (evidence, severity …) would fail on it."""

    reference_date: date
    lang: str


def emitted(fmt: str, evidence: bool, lang: str) -> str:
    settings = Settings(reference_date=REFERENCE, evidence=evidence, lang=lang,
                        severity={"QP201": "error"})
    known = Counter([baseline.Identity("4" * 64, "QP201", baseline.evidence_hash(
        "СЕКРЕТНО", KEY))])  # the scan's finding is in the baseline
    finished = [finish(r, settings, known) for r in results()]
    out = io.StringIO()
    EMITTERS[fmt](finished, OnlyRun(REFERENCE, lang), out)
    return out.getvalue()


def normalised(fmt: str, text: str) -> str:
    """The SARIF log without what depends on the machine or the rule docstrings: the current
    folder's URI, qupia's version, and the rules' texts (their ids stay)."""
    if fmt != "sarif":
        return text.replace(f'"version": "{__version__}"', '"version": "VERSION"')
    log = json.loads(text)
    run = log["runs"][0]
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///CWD/"
    driver = run["tool"]["driver"]
    driver["version"] = driver["semanticVersion"] = "VERSION"
    driver["rules"] = [r["id"] for r in driver["rules"]]
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


CASES = [(fmt, evidence, lang) for fmt in ("text", "json", "sarif")
         for evidence in (True, False) for lang in ("en", "ru")]


@pytest.mark.parametrize(("fmt", "evidence", "lang"), CASES,
                         ids=[f"{f}-{'evidence' if e else 'no-evidence'}-{lang}"
                              for f, e, lang in CASES])
def test_emitter_output_matches_its_golden_file(fmt: str, evidence: bool, lang: str,
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # SARIF paths are relative to the current folder
    text = emitted(fmt, evidence, lang)
    if fmt == "json":
        schema = json.loads(resources.files("qupia").joinpath(
            "schemas/qupia-report-1.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(text), schema, cls=jsonschema.Draft202012Validator)
    if fmt == "sarif":
        validator = jsonschema.validators.validator_for(SARIF_SCHEMA)
        validator(SARIF_SCHEMA, format_checker=validator.FORMAT_CHECKER).validate(
            json.loads(text))
    name = f"{'evidence' if evidence else 'no-evidence'}-{lang}.{fmt}"
    golden = GOLDEN / name
    got = normalised(fmt, text)
    if os.environ.get("QUPIA_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"{golden} missing: QUPIA_UPDATE_GOLDEN=1 writes it"
    assert got == golden.read_text(encoding="utf-8")


def test_without_evidence_no_document_word_is_written() -> None:
    words = ("СЕКРЕТНО", "СТРОГО", "войсковой", "дислокац", "Жаворонок")
    for fmt in ("text", "json", "sarif"):
        for lang in ("en", "ru"):
            text = emitted(fmt, False, lang)
            if fmt == "sarif":  # the rules' own texts quote their examples: not the document's
                run = json.loads(text)["runs"][0]
                text = json.dumps([run["results"], run["invocations"]], ensure_ascii=False)
            found = [w for w in words if w in text]
            assert not found, (fmt, lang, found)
            if fmt != "text":
                assert "ru-secret" in text  # the form's id says what the mark was


def test_the_fixed_order_of_finishing(tmp_path: Path) -> None:
    """Severity from the configuration, the document's suppression, the baseline, then the
    evidence: a baselined finding is matched by its words even when the report has none."""
    settings = Settings(reference_date=REFERENCE, evidence=False, severity={"QP201": "error"})
    known = Counter([baseline.Identity("4" * 64, "QP201", baseline.evidence_hash(
        "СЕКРЕТНО", KEY))])
    order, memo, bad_review, scan, broken = (finish(r, settings, known) for r in results())
    assert order.findings[0].severity == "error" and order.findings[0].evidence == ""
    assert memo.findings == () and memo.suppressed[0].reason.startswith("reviewed")
    assert bad_review.status == "error" and "Жаворонок" not in (bad_review.error or "")
    assert scan.findings == () and scan.baselined == 1
    assert broken.status == "error" and broken.findings == ()
    assert order.facts is not None and order.facts.markings[0].text == ""
    assert order.categories[0].evidence == () and order.categories[0].cues == ()
    quoting = finish(results()[2], replace(settings, evidence=True))
    assert "Жаворонок" in (quoting.error or "")
