"""The SARIF 2.1.0 report: valid against the official schema (tests/data, OASIS), and shaped as
GitHub code scanning needs it (a region with startLine, rules from the rule modules)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from qupia import baseline
from qupia.engine import digests
from qupia.rules import RULES
from tests.conftest import qupia_cli
from tests.test_cli import write

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))
MEMO = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024"


def sarif(*args: str, cwd: Path) -> tuple[int, dict]:
    proc = qupia_cli("check", *args, "--format", "sarif", cwd=cwd)
    assert proc.stdout, proc.stderr
    log = json.loads(proc.stdout)
    validator = jsonschema.validators.validator_for(SCHEMA)
    validator.check_schema(SCHEMA)
    validator(SCHEMA, format_checker=validator.FORMAT_CHECKER).validate(log)
    return proc.returncode, log


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs" / "записка.txt", MEMO)
    write(tmp_path / "docs" / "plan.txt", "ҚҰПИЯ\n\nМәтін\f\nӨТЕ ҚҰПИЯ\n\nМәтін")
    (tmp_path / "docs" / "broken.pdf").write_bytes(b"%PDF-1.7\ngarbage")
    write(tmp_path / "docs" / "reviewed.txt", MEMO)
    write(tmp_path / "docs" / "reviewed.txt.qupia.toml",
          '[[ignore]]\nrule = "QP303"\nreason = "reviewed by the records office"\n')
    return tmp_path


def test_sarif_validates_and_describes_every_rule(folder: Path) -> None:
    status, log = sarif("docs", "--reference-date", "2026-11-26", cwd=folder)
    assert status == 1
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "qupia" and driver["version"] == "0.1.0"
    assert [r["id"] for r in driver["rules"]] == [r.CODE for r in RULES]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(driver["rules"], RULES, strict=True):
        assert descriptor["name"] == rule.NAME
        assert descriptor["help"]["text"] == (rule.__doc__ or "").strip()
        assert descriptor["shortDescription"]["text"] in (rule.__doc__ or "").splitlines()[0]
        assert "What it checks" in descriptor["fullDescription"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.SEVERITY]
        assert descriptor["properties"]["family"] == rule.FAMILY
        assert descriptor["properties"]["article"] == rule.ARTICLE


def test_results_point_at_page_and_region(folder: Path) -> None:
    _, log = sarif("docs", "--reference-date", "2026-11-26", "--select", "QP3", "--select",
                   "QP4", cwd=folder)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = {(r["ruleId"], unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]
                                      ["uri"])): r for r in run["results"]}
    assert set(results) == {("QP303", "docs/записка.txt"), ("QP400", "docs/plan.txt"),
                            ("QP303", "docs/reviewed.txt")}
    memo = results[("QP303", "docs/записка.txt")]
    assert rules[memo["ruleIndex"]]["id"] == "QP303"
    assert memo["level"] == "error" and "(Art. 18)" in memo["message"]["text"]
    location = memo["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"]["startLine"] == 1
    assert location["region"]["properties"] == {"page": 1, "region": "body"}
    assert location["region"]["snippet"]["text"] == "СТРОГО СЕКРЕТНО"
    file_sha, key = digests(folder / "docs" / "записка.txt")
    expected = baseline.identity(file_sha, _finding("СТРОГО СЕКРЕТНО"), key).fingerprint()
    assert memo["partialFingerprints"] == {"qupiaIdentity/v2": expected}
    assert "suppressions" not in memo
    plan = results[("QP400", "docs/plan.txt")]
    assert plan["level"] == "warning"
    reviewed = results[("QP303", "docs/reviewed.txt")]
    assert reviewed["suppressions"] == [{"kind": "external", "status": "accepted",
                                         "justification": "reviewed by the records office"}]


def _finding(evidence: str):  # type: ignore[no-untyped-def]
    from qupia.model import Finding

    return Finding("QP303", "nonstandard-marking", "unlawful", "error", "18", "", 1, "body",
                   evidence)


def test_unreadable_files_are_tool_notifications(folder: Path) -> None:
    _, log = sarif("docs", cwd=folder)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and notes[0]["level"] == "error"
    assert "broken.pdf" in notes[0]["message"]["text"]
    uri = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/broken.pdf"


def test_severity_settings_and_info_level(folder: Path) -> None:
    write(folder / ".qupia.toml", 'severity = {QP303 = "info"}\n')
    (folder / ".git").mkdir()
    _, log = sarif("docs/записка.txt", "--select", "QP303", cwd=folder)
    assert [r["level"] for r in log["runs"][0]["results"]] == ["note"]


def test_no_evidence_leaves_out_the_snippet_and_a_clean_run_is_valid(tmp_path: Path) -> None:
    write(tmp_path / "memo.txt", MEMO)
    _, log = sarif("memo.txt", "--no-evidence", cwd=tmp_path)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert "snippet" not in region
    write(tmp_path / "clean.txt", "Протокол собрания жильцов дома.")
    status, log = sarif("clean.txt", cwd=tmp_path)
    assert status == 0 and log["runs"][0]["results"] == []


def test_files_outside_the_current_folder_get_file_uris(tmp_path: Path) -> None:
    doc = write(tmp_path / "memo.txt", MEMO)
    (tmp_path / "elsewhere").mkdir()
    _, log = sarif(str(doc), cwd=tmp_path / "elsewhere")
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": doc.resolve().as_uri()}


def test_rule_texts_follow_the_language(tmp_path: Path) -> None:
    write(tmp_path / "memo.txt", MEMO)
    _, log = sarif("memo.txt", "--lang", "ru", "--select", "QP303", cwd=tmp_path)
    run = log["runs"][0]
    qp303 = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "QP303")
    assert "Что проверяется" in qp303["help"]["text"]
    assert run["results"][0]["message"]["text"].startswith("Штамп")
