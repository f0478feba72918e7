"""Suppressions a reviewed document carries: a DOCX custom property or a sidecar file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.build import render
from qupia import review
from qupia.rules import RULES
from tests.conftest import qupia_cli
from tests.test_cli import write

KNOWN = {r.CODE for r in RULES}
MEMO = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024"


def check_json(*paths: Path, args: tuple[str, ...] = ()) -> tuple[int, dict]:
    proc = qupia_cli("check", *map(str, paths), "--format", "json", "--select", "QP3", *args)
    return proc.returncode, json.loads(proc.stdout)


def memo_docx(tmp_path: Path, custom: dict[str, str]) -> Path:
    src = {"id": "memo", "lang": "ru", "genre": "memo", "format": "docx", "split": "test",
           "pages": [{"blocks": ["СТРОГО СЕКРЕТНО", "Служебная записка от 12.03.2024 № 8"]}],
           "labels": {"level": None, "families": [], "rules": []},
           "properties": {"custom": custom}}
    return render(src, tmp_path)


def test_sidecar_suppresses_with_its_reason(tmp_path: Path) -> None:
    doc = write(tmp_path / "memo.txt", MEMO)
    write(tmp_path / "memo.txt.qupia.toml",
          '[[ignore]]\nrule = "QP303"\nreason = "reviewed by the records office 2026-01-10"\n')
    status, report = check_json(doc)
    assert status == 0
    f = report["files"][0]
    assert f["findings"] == []
    assert [(s["code"], s["reason"], s["source"]) for s in f["suppressed"]] == [
        ("QP303", "reviewed by the records office 2026-01-10", "sidecar")]
    assert report["summary"]["suppressed"] == 1
    assert report["summary"]["findings"]["unlawful"] == 0


def test_docx_property_suppresses(tmp_path: Path) -> None:
    doc = memo_docx(tmp_path, {"qupia-ignore": "QP303: reviewed by the records office "
                                               "2026-01-10; QP400: header and footer agreed"})
    status, report = check_json(doc)
    assert status == 0, report
    suppressed = report["files"][0]["suppressed"]
    assert [(s["code"], s["source"]) for s in suppressed] == [("QP303", "docx-property")]
    assert suppressed[0]["reason"] == "reviewed by the records office 2026-01-10"


def test_a_suppression_for_another_rule_leaves_the_finding(tmp_path: Path) -> None:
    doc = memo_docx(tmp_path, {"qupia-ignore": "QP201: period checked"})
    status, report = check_json(doc)
    assert status == 1 and [x["code"] for x in report["files"][0]["findings"]] == ["QP303"]


def test_suppressed_evidence_follows_no_evidence(tmp_path: Path) -> None:
    doc = write(tmp_path / "memo.txt", MEMO)
    write(tmp_path / "memo.txt.qupia.toml", '[[ignore]]\nrule = "QP303"\nreason = "ok"\n')
    _, report = check_json(doc, args=("--no-evidence",))
    assert report["files"][0]["suppressed"][0]["evidence"] == ""


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [('[[ignore]]\nrule = "QP303"\n', "key 'reason' must say why"),
     ('[[ignore]]\nrule = "QP999"\nreason = "x"\n', "unknown rule code 'QP999'"),
     ('ignore = "QP303"\n', "must be [[ignore]] tables"),
     ('[[ignore]]\nrule = "QP303"\nreason = "x"\nuntil = 2027\n', "only the keys"),
     ("[[ignore]\n", "not valid TOML")],
)
def test_a_bad_sidecar_makes_the_file_an_error(tmp_path: Path, sidecar: str, reason: str) -> None:
    doc = write(tmp_path / "memo.txt", MEMO)
    write(tmp_path / "memo.txt.qupia.toml", sidecar)
    status, report = check_json(doc)
    f = report["files"][0]
    assert status == 1 and f["status"] == "error"
    assert f["error"].startswith("suppression: memo.txt.qupia.toml") and reason in f["error"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("QP201: reviewed 2026-01-10", [("QP201", "reviewed 2026-01-10")]),
     ("qp201, QP400: one decision; QP303: see letter № 5; 2026", [
         ("QP201", "one decision"), ("QP400", "one decision"),
         ("QP303", "see letter № 5; 2026")])],
)
def test_property_values(value: str, expected: list[tuple[str, str]]) -> None:
    got = review.parse_property(value, KNOWN)
    assert [(s.code, s.reason) for s in got] == expected


@pytest.mark.parametrize("value", ["reviewed", "QP201:", "QP999: x"])
def test_bad_property_values(value: str) -> None:
    with pytest.raises(review.SuppressionError, match="qupia-ignore"):
        review.parse_property(value, KNOWN)
