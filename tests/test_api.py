"""The Python API (qupia.api): the same results as the command line, typed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import qupia
from qupia.model import FileResult, Finding
from tests.conftest import ROOT

SAMPLES = ROOT / "corpus" / "samples"
SETTINGS = qupia.Settings(reference_date=date(2026, 11, 26))


def test_check_file_gives_typed_results_with_the_rule_the_sample_shows() -> None:
    [result] = qupia.check_file(SAMPLES / "sample-ru-flood-qp300.docx", SETTINGS)
    assert isinstance(result, FileResult) and result.status == "ok"
    assert all(isinstance(f, Finding) for f in result.findings)
    assert [f.code for f in result.findings] == ["QP300"]


def test_check_runs_files_in_workers_in_their_order() -> None:
    paths = [SAMPLES / "sample-kk-memo-qp200.pdf", SAMPLES / "sample-mixed-order-ok.docx"]
    results = list(qupia.check(paths, SETTINGS))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [[f.code for f in r.findings] for r in results] == [["QP200"], []]


def test_a_missing_file_is_a_result_not_an_exception(tmp_path) -> None:  # type: ignore[no-untyped-def]
    [result] = qupia.check_file(tmp_path / "gone.pdf", SETTINGS)
    assert result.status == "error" and result.error


def test_import_qupia_stays_light() -> None:
    code = ("import sys, qupia; heavy = {'numpy', 'pydantic', 'regex', 'qupia.engine'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout.strip()
    assert out == "[]"


def test_results_are_finished_as_the_command_line_finishes_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Severity from the settings, the document's own suppression, no words of the document
    without evidence; the message is an id made text in the language asked for."""
    from dataclasses import replace

    from qupia.i18n import render

    memo = tmp_path / "memo.txt"
    memo.write_text("СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024\n", encoding="utf-8")
    settings = replace(SETTINGS, severity={"QP303": "warning"}, evidence=False)
    [result] = qupia.check_file(memo, settings)
    [found] = [f for f in result.findings if f.code == "QP303"]
    assert found.severity == "warning" and found.evidence == ""
    assert "СТРОГО" not in render(found.message, "ru")
    assert render(found.message, "ru").startswith("Штамп «<")
    (tmp_path / "memo.txt.qupia.toml").write_text(
        '[[ignore]]\nrule = "QP303"\nreason = "reviewed"\n', encoding="utf-8")
    [result] = list(qupia.check([memo], settings))
    assert "QP303" not in [f.code for f in result.findings]
    assert [s.finding.code for s in result.suppressed] == ["QP303"]
