"""The command line as a user runs it: real files, exit status. Most tests run it in this
process (click's CliRunner, :func:`tests.conftest.qupia_cli`); the tests marked slow run the
installed `qupia` program as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Ran, qupia_cli

QUPIA = str(Path(sys.executable).with_name("qupia"))
SAMPLES = ROOT / "corpus" / "samples"


def run(*args: str, cwd: Path | None = None) -> Ran:
    """``qupia ARGS``, in this process (:func:`tests.conftest.qupia_cli`)."""
    return qupia_cli(*args, cwd=cwd)


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``qupia ARGS`` as a real process (the tests marked slow)."""
    return subprocess.run([QUPIA, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


# Real Article 11 content, so that a marked test document is justified (no QP200).
CONTENT = ("\n\nВойсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность 1 240 "
           "человек, на вооружении 36 танков Т-72Б3. Позывной штаба «Беркут-3».")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    doc = write(tmp_path / "ok.txt",
                "СЕКРЕТНО\nСрок засекречивания 10 лет\n\nПриказ от 01.02.2024" + CONTENT)
    proc = run("check", str(doc), "--reference-date", "2026-11-26")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 file checked, 0 findings" in proc.stdout


def test_error_finding_exits_1_and_names_the_rule(tmp_path: Path) -> None:
    doc = write(tmp_path / "bad.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    proc = run("check", str(doc))
    assert proc.returncode == 1
    assert f"{doc}:1:body: QP303 [unlawful] error:" in proc.stdout
    assert "(Art. 18)" in proc.stdout


def test_fail_on_decides_which_severity_fails(tmp_path: Path) -> None:
    doc = write(tmp_path / "old.txt",
                "СЕКРЕТНО\nСрок засекречивания 5 лет\n\nПриказ от 12.05.2015" + CONTENT)
    assert run("check", str(doc), "--reference-date", "2026-11-26").returncode == 0
    proc = run("check", str(doc), "--reference-date", "2026-11-26", "--fail-on", "warning")
    assert proc.returncode == 1 and "QP201" in proc.stdout
    assert run("check", str(doc), "--reference-date", "2019-01-01",
               "--fail-on", "warning").returncode == 0


def test_unreadable_file_is_reported_and_the_scan_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a-good.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    (tmp_path / "b-broken.pdf").write_bytes(b"%PDF-1.7\ngarbage")
    write(tmp_path / "c-good.txt", "Обычный текст без грифа.")
    proc = run("check", str(tmp_path), "--format", "json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    status = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert status == {"a-good.txt": "ok", "b-broken.pdf": "error", "c-good.txt": "ok"}
    broken = next(f for f in report["files"] if f["status"] == "error")
    assert broken["error"].startswith("not a readable PDF")
    assert report["summary"]["errors"] == 1


def test_json_report_follows_the_schema(tmp_path: Path) -> None:
    doc = write(tmp_path / "order.txt",
                "ӨТЕ ҚҰПИЯ\nДана № 1\nТізбенің 14-тармағы\nМерзімі 10 жыл\n\n"
                "2025 жылғы 14 наурыздағы № 5 бұйрық")
    out = tmp_path / "report.json"
    proc = run("check", str(doc), "--format", "json", "--output", str(out),
               "--reference-date", "2026-11-26")
    assert proc.returncode == 0 and proc.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema"] == "qupia-report/1"
    assert report["tool"] == {"name": "qupia", "version": "0.1.0"}
    assert report["reference_date"] == "2026-11-26"
    f = report["files"][0]
    for key in ("path", "sha256", "status", "error", "pages", "language", "document_level",
                "limited", "declassified", "markings", "categories", "findings"):
        assert key in f
    assert f["document_level"] == "top-secret" and f["language"] == "kk"
    assert f["markings"][0]["requisites"] == {
        "copy": "1", "list_item": "14", "date": "2025-03-14", "period_years": 10,
        "until": None, "extended_until": None}
    assert set(report["summary"]["findings"]) == {"missing", "excessive", "unlawful",
                                                  "inconsistent"}


def test_no_evidence_leaves_document_words_out(tmp_path: Path) -> None:
    doc = write(tmp_path / "x.txt", "ҚҰПИЯ\n\nМәтін\f\nӨТЕ ҚҰПИЯ\n\nМәтін" + CONTENT)
    proc = run("check", str(doc), "--format", "json", "--no-evidence")
    report = json.loads(proc.stdout)["files"][0]
    assert "QP400" in {f["code"] for f in report["findings"]}
    assert all(f["evidence"] == "" for f in report["findings"])
    assert report["categories"]
    assert all(c["evidence"] == [] and c["cues"] == [] for c in report["categories"])
    words = set(CONTENT.split())
    assert not any(w in words for c in report["categories"] for w in c["explanation"].split()
                   if len(w) > 3 and w.isalpha())


def test_category_evidence_has_page_region_and_the_matched_words(tmp_path: Path) -> None:
    doc = write(tmp_path / "x.txt", "ӨТЕ ҚҰПИЯ\n\n" + CONTENT)
    report = json.loads(run("check", str(doc), "--format", "json").stdout)["files"][0]
    category = report["categories"][0]
    assert category["evidence"][0]["page"] == 1 and category["evidence"][0]["region"] == "body"
    assert category["cues"] and all(cue in CONTENT for cue in category["cues"])
    assert "model P(" in category["explanation"]


def test_select_and_ignore(tmp_path: Path) -> None:
    doc = write(tmp_path / "x.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    assert run("check", str(doc), "--ignore", "QP303").returncode == 0
    assert run("check", str(doc), "--select", "QP3").returncode == 1
    assert run("check", str(doc), "--select", "QP2").returncode == 0


@pytest.mark.parametrize(
    "args",
    [("check", "/nonexistent/file.pdf"), ("check", "--format", "xml", "."),
     ("check", "--select", "QP999", "."), ("explain", "QP999"), ("frobnicate",)],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [('frobnicate = 1\n', "unknown setting"), ('fail-on = "never"\n', "'fail-on'"),
     ('severity = {QP999 = "error"}\n', "unknown rule code"), ("jobs = 0\n", "'jobs'"),
     ("[broken\n", "not valid TOML")],
)
def test_bad_configuration_exits_2_naming_key_and_file(tmp_path: Path, content: str,
                                                       message: str) -> None:
    conf = write(tmp_path / ".qupia.toml", content)
    doc = write(tmp_path / "x.txt", "Текст")
    proc = run("check", str(doc), "--config", str(conf))
    assert proc.returncode == 2
    assert message in proc.stderr and str(conf) in proc.stderr


def test_configuration_changes_severity_and_rules(tmp_path: Path) -> None:
    doc = write(tmp_path / "x.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    conf = write(tmp_path / "pyproject.toml", '[tool.qupia]\nseverity = {QP303 = "warning"}\n')
    proc = run("check", str(doc), "--config", str(conf))
    assert proc.returncode == 0 and "QP303 [unlawful] warning" in proc.stdout


def test_time_limit_per_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(("СЕКРЕТНО\n\n" + "Длинный текст документа. " * 40 + "\n\n") * 40000,
                   encoding="utf-8")
    write(tmp_path / "small.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    proc = run("check", str(tmp_path), "--timeout", "0.5", "--format", "json", "--jobs", "2")
    report = json.loads(proc.stdout)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    assert by_name["big.txt"]["status"] == "error"
    assert by_name["big.txt"]["error"] == "timed out after 0.5 s"
    assert by_name["small.txt"]["findings"][0]["code"] == "QP303"
    assert proc.returncode == 1


def test_rules_and_explain() -> None:
    listing = run("rules").stdout
    for code in ("QP101", "QP201", "QP302", "QP303", "QP400"):
        assert code in listing
    text = run("explain", "qp201").stdout
    assert text.startswith("QP201 expired-marking (excessive, warning, Art. 20(3))")
    for section in ("What it checks", "Why", "Example", "How to fix"):
        assert section in text


def test_samples_give_each_rule_they_show() -> None:
    proc = run("check", str(SAMPLES), "--format", "json", "--reference-date", "2026-11-26")
    report = json.loads(proc.stdout)
    labels = {json.loads(line)["path"]: json.loads(line)["labels"]
              for line in (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines()}
    assert len(report["files"]) == len(labels) == 12
    for f in report["files"]:
        gold = labels[Path(f["path"]).name]
        assert f["status"] == "ok"
        assert f["document_level"] == gold["level"], f["path"]
        assert f["declassified"] == gold["declassified"], f["path"]
        assert f["limited"] == gold["limited"], f["path"]
        found = {x["code"] for x in f["findings"]}
        marking_rules = {"QP201", "QP302", "QP303", "QP400"}
        assert found & marking_rules == set(gold["rules"]) & marking_rules, f["path"]


@pytest.mark.slow
def test_the_installed_program_as_a_real_process(tmp_path: Path) -> None:
    """The real program: findings with exit status 1, a usage error with 2, the JSON report."""
    proc = run_process("check", str(SAMPLES), "--reference-date", "2026-11-26")
    assert proc.returncode == 1 and "12 files checked, 9 findings" in proc.stdout
    assert "Traceback" not in proc.stderr
    proc = run_process("check", str(SAMPLES), "--fail-on", "nonsense")
    assert proc.returncode == 2
    proc = run_process("check", str(SAMPLES / "sample-ru-memo-dsp-qp101.txt"), "--format", "json")
    assert json.loads(proc.stdout)["files"][0]["findings"][0]["code"] == "QP101"
