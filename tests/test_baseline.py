"""Baselines: known findings hidden, new ones shown, an edited document shown again, and no
document words in the baseline file."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest

from qupia import baseline
from qupia.config import ConfigError
from qupia.engine import digests
from tests.conftest import Ran, qupia_cli
from tests.test_cli import write

MEMO = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024 о ремонте котельной"
ORDER = "КОНФИДЕНЦИАЛЬНО\n\nПриказ от 05.10.2023 № 17 об отпусках сотрудников"


def qupia(*args: str, cwd: Path) -> Ran:
    return qupia_cli(*args, "--select", "QP3", cwd=cwd)


def codes(proc: Ran) -> dict[str, list[str]]:
    report = json.loads(proc.stdout)
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in report["files"]}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs" / "memo.txt", MEMO)
    return tmp_path


def test_known_findings_are_hidden_and_new_ones_shown(docs: Path) -> None:
    proc = qupia("baseline", "docs", cwd=docs)
    assert proc.returncode == 0, proc.stderr
    assert (docs / ".qupia-baseline.json").is_file()
    proc = qupia("check", "docs", "--baseline", ".qupia-baseline.json", cwd=docs)
    assert proc.returncode == 0 and "QP303" not in proc.stdout
    assert "1 in the baseline" in proc.stdout
    write(docs / "docs" / "order.txt", ORDER)
    proc = qupia("check", "docs", "--baseline", ".qupia-baseline.json", "--format", "json",
                 cwd=docs)
    assert proc.returncode == 1
    assert codes(proc) == {"memo.txt": [], "order.txt": ["QP303"]}
    report = json.loads(proc.stdout)
    assert report["summary"]["baselined"] == 1
    assert [f["baselined"] for f in report["files"]] == [1, 0]


def test_an_edited_document_shows_its_findings_again(docs: Path) -> None:
    qupia("baseline", "docs", cwd=docs)
    write(docs / "docs" / "memo.txt", MEMO + "\nДополнение: срок ремонта — апрель.")
    proc = qupia("check", "docs", "--baseline", ".qupia-baseline.json", "--format", "json",
                 cwd=docs)
    assert proc.returncode == 1 and codes(proc) == {"memo.txt": ["QP303"]}


def test_identity_leaves_out_the_path_and_the_evidence_shown(docs: Path) -> None:
    qupia("baseline", "docs", cwd=docs)
    (docs / "docs" / "memo.txt").rename(docs / "docs" / "moved.txt")
    for extra in ((), ("--no-evidence",)):
        proc = qupia("check", "docs", "--baseline", ".qupia-baseline.json", *extra, cwd=docs)
        assert proc.returncode == 0 and "QP303" not in proc.stdout


def test_two_copies_need_two_entries(docs: Path) -> None:
    qupia("baseline", "docs", cwd=docs)
    write(docs / "docs" / "copy.txt", MEMO)
    proc = qupia("check", "docs", "--baseline", ".qupia-baseline.json", "--format", "json",
                 cwd=docs)
    assert sorted(map(len, codes(proc).values())) == [0, 1]


def test_the_baseline_holds_no_document_words(docs: Path) -> None:
    write(docs / "docs" / "order.txt", ORDER)
    proc = qupia("baseline", "docs", "--output", "known.json", cwd=docs)
    assert proc.returncode == 0
    text = (docs / "known.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["schema"] == baseline.SCHEMA and len(data["findings"]) == 2
    assert {entry["code"] for entry in data["findings"]} == {"QP303"}
    for word in re.findall(r"\w{3,}", MEMO + ORDER):
        assert word.lower() not in text.lower(), word
    for name in ("memo", "order", "docs"):
        assert name not in text
    assert re.fullmatch(r'[\s{}\[\]":,a-z0-9./_\-]*', text.replace("QP303", "")), text


def test_the_configured_baseline_is_written_and_used(docs: Path) -> None:
    write(docs / ".qupia.toml", 'baseline = "review/known.json"\n')
    (docs / "review").mkdir()
    assert qupia("baseline", ".", cwd=docs / "docs").returncode == 0
    assert json.loads((docs / "review" / "known.json").read_text())["findings"]
    proc = qupia("check", "memo.txt", cwd=docs / "docs")
    assert proc.returncode == 0 and "QP303" not in proc.stdout


@pytest.mark.parametrize("content", ["not json", "{}", '{"schema": "qupia-baseline/1"}',
                                     '{"schema": "qupia-baseline/1", "findings": [{"code": 1}]}'])
def test_a_bad_baseline_exits_2_naming_it(docs: Path, content: str) -> None:
    bad = write(docs / "bad.json", content)
    proc = qupia("check", "docs", "--baseline", str(bad), cwd=docs)
    assert proc.returncode == 2 and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr
    with pytest.raises(ConfigError):
        baseline.read(bad)


def test_evidence_hashes_cannot_be_checked_without_the_document(docs: Path) -> None:
    """A plain sha256 of a short evidence ("СТРОГО СЕКРЕТНО") could be confirmed by anyone who
    guesses it; the baseline's evidence hash is keyed by the document's content."""
    assert qupia("baseline", "docs", "--output", "known.json", cwd=docs).returncode == 0
    entry = json.loads((docs / "known.json").read_text(encoding="utf-8"))["findings"][0]
    guess = hashlib.sha256("СТРОГО СЕКРЕТНО".encode()).hexdigest()
    assert entry["evidence_sha256"] != guess
    sha, key = digests(docs / "docs" / "memo.txt")
    assert key not in (docs / "known.json").read_text(encoding="utf-8")
    keyed = hmac.new(bytes.fromhex(key), "СТРОГО СЕКРЕТНО".encode(), hashlib.sha256).hexdigest()
    assert entry["file_sha256"] == sha and entry["evidence_sha256"] == keyed


def test_an_old_unkeyed_baseline_asks_to_be_written_again(docs: Path) -> None:
    (docs / "old.json").write_text('{"schema": "qupia-baseline/1", "findings": []}',
                                   encoding="utf-8")
    proc = qupia("check", "docs", "--baseline", "old.json", cwd=docs)
    assert proc.returncode == 2 and "write it again" in proc.stderr
