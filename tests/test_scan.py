"""``qupia scan`` into a results store and ``qupia report`` out of it, on real files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qupia.cli import main
from tests.conftest import ROOT, qupia_cli

SAMPLES = ROOT / "corpus" / "samples"
REF = ("--reference-date", "2026-11-26")
#: Words of a document's body: they must never reach a store made without --evidence.
BODY_WORDS = "Тексты приказов хранятся в архиве".encode()


def scan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", *args], catch_exceptions=False)
    return result.exit_code, result.output


def rows(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("src", "*.jsonl"))
    (folder / "body.txt").write_text(
        "СЕКРЕТНО\nЭкз. № 1\n\nПриказ от 01.02.2024\n"
        + BODY_WORDS.decode() + " и не выдаются.\n", encoding="utf-8")
    return folder


def test_a_second_run_reads_nothing_and_a_changed_file_is_read_again(
        archive: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    code, out = scan(str(archive), "--db", str(db), "-j", "2", *REF)
    assert code == 0, out
    assert "13 files (13 read, 0 known contents, 0 unchanged)" in out
    first = dict(rows(db, "SELECT path, recorded FROM files"))
    assert len(first) == 13
    code, out = scan(str(archive), "--db", str(db), "-j", "2")  # the store's reference date
    assert code == 0 and "(0 read, 0 known contents, 13 unchanged)" in out
    changed = archive / "body.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nСТРОГО СЕКРЕТНО\n",
                       encoding="utf-8")
    code, out = scan(str(archive), "--db", str(db), "-j", "2")
    assert "(1 read, 0 known contents, 12 unchanged)" in out
    after = dict(rows(db, "SELECT path, recorded FROM files"))
    assert {p for p in after if after[p] != first[p]} == {str(changed)}
    assert ("QP303",) in rows(db, f"SELECT f.code FROM findings f JOIN files p "
                                  f"ON p.sha256 = f.sha256 WHERE p.path = '{changed}'")
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]


def test_a_renamed_copy_is_recorded_under_both_paths_and_analysed_once(
        archive: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    assert scan(str(archive), "--db", str(db), "-j", "2", *REF)[0] == 0
    analysed = rows(db, "SELECT sha256, finished FROM contents")
    shutil.copy(archive / "sample-ru-flood-qp300.docx", archive / "renamed-copy.docx")
    _code, out = scan(str(archive), "--db", str(db), "-j", "2")
    assert "(0 read, 1 known contents, 13 unchanged)" in out
    assert rows(db, "SELECT sha256, finished FROM contents") == analysed  # nothing re-analysed
    both = rows(db, "SELECT path, status FROM files WHERE sha256 = (SELECT sha256 FROM files "
                    "WHERE path LIKE '%renamed-copy.docx')")
    assert sorted(Path(p).name for p, _ in both) == ["renamed-copy.docx",
                                                     "sample-ru-flood-qp300.docx"]
    assert {s for _, s in both} == {"ok"}


def test_the_store_holds_no_document_words_unless_asked(archive: Path, tmp_path: Path) -> None:
    plain, kept = tmp_path / "plain.sqlite", tmp_path / "kept.sqlite"
    assert scan(str(archive), "--db", str(plain), *REF)[0] == 0
    assert scan(str(archive), "--db", str(kept), "--evidence", *REF)[0] == 0
    with sqlite3.connect(plain) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert BODY_WORDS not in plain.read_bytes()
    assert rows(plain, "SELECT count(*) FROM findings WHERE evidence != ''") == [(0,)]
    assert rows(plain, "SELECT count(*) FROM markings WHERE text != ''") == [(0,)]
    assert rows(kept, "SELECT count(*) FROM findings WHERE evidence != ''")[0][0] > 0
    assert rows(kept, "SELECT count(*) FROM markings WHERE text != ''")[0][0] > 0


def test_other_settings_on_the_same_store_is_a_usage_error(archive: Path,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    assert scan(str(archive), "--db", str(db), *REF)[0] == 0
    code, out = scan(str(archive), "--db", str(db), "--reference-date", "2030-01-01")
    assert code == 2 and "reference_date" in out
    code, out = scan(str(archive), "--db", str(db), "--ignore", "QP2")
    assert code == 2 and "enabled" in out
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("hello " * 1000)
    code, out = scan(str(archive), "--db", str(not_a_store))
    assert code == 2 and "not a qupia results store" in out


def test_scan_and_check_agree_and_report_exports_the_files(archive: Path,
                                                           tmp_path: Path) -> None:
    """One engine: the store's files are those `qupia check --format json` reports."""
    db = tmp_path / "r.sqlite"
    assert scan(str(archive), "--db", str(db), "-j", "2", "--evidence", *REF)[0] == 0
    checked = qupia_cli("check", str(archive), "--format", "json", *REF)
    expected = {Path(f["path"]).name: f for f in json.loads(checked.stdout)["files"]}
    out = {k: tmp_path / f"out.{k}" for k in ("html", "csv", "json")}
    result = CliRunner().invoke(main, ["report", str(db), "--html", str(out["html"]),
                                       "--csv", str(out["csv"]), "--json", str(out["json"])])
    assert result.exit_code == 0, result.output
    findings = sum(len(f["findings"]) for f in expected.values())
    assert f"13 files, {findings} findings" in result.output
    report = json.loads(out["json"].read_text(encoding="utf-8"))
    assert report["schema"] == "qupia-report/1" and report["reference_date"] == "2026-11-26"
    got = {Path(f["path"]).name: f for f in report["files"]}
    assert got.keys() == expected.keys()
    for name, f in got.items():
        assert {k: v for k, v in f.items() if k != "path"} == \
            {k: v for k, v in expected[name].items() if k != "path"}, name
    assert report["summary"]["findings"] == json.loads(checked.stdout)["summary"]["findings"]
    lines = out["csv"].read_text(encoding="utf-8").splitlines()
    # the header, a row per finding, a row per file without findings
    assert len(lines) == 1 + findings + sum(1 for f in expected.values() if not f["findings"])
    assert out["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_bad_output_path_is_a_usage_error(archive: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    assert scan(str(archive / "body.txt"), "--db", str(db), *REF)[0] == 0
    for option in ("--html", "--csv", "--json"):
        result = CliRunner().invoke(main, ["report", str(db), option,
                                           str(tmp_path / "missing" / "out")])
        assert result.exit_code == 2, result.output
        result = CliRunner().invoke(main, ["report", str(db), option, str(tmp_path)])
        assert result.exit_code == 2, result.output
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*tmp")) == []


def test_report_of_another_sqlite_file_is_a_usage_error(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    result = CliRunner().invoke(main, ["report", str(other)])
    assert result.exit_code == 2 and "not a qupia results store" in result.output
    assert rows(other, "SELECT name FROM sqlite_master") == [("t",)]  # left as it was


def test_a_fifo_among_the_files_is_recorded_unreadable_and_not_retried(
        archive: Path, tmp_path: Path) -> None:
    """The scan process never opens a document: a FIFO named like a text file costs only
    itself, and the next run knows it from its stat."""
    fifo = archive / "pipe.txt"
    os.mkfifo(fifo)
    db = tmp_path / "r.sqlite"
    code, out = scan(str(archive), "--db", str(db), "-j", "2", "--timeout", "5", *REF)
    assert code == 0, out
    assert "14 files (14 read" in out and "1 unreadable" in out
    [(status, error, sha)] = rows(db, f"SELECT status, error, sha256 FROM files "
                                      f"WHERE path = '{fifo}'")
    assert status == "error" and error and sha is None
    code, out = scan(str(archive), "--db", str(db), "-j", "2")
    assert "(0 read, 0 known contents, 14 unchanged)" in out


def test_dask_executor_needs_a_scheduler(archive: Path, tmp_path: Path) -> None:
    code, out = scan(str(archive), "--db", str(tmp_path / "r.sqlite"), "--executor", "dask")
    assert code == 2 and "--scheduler" in out


def test_progress_is_quiet_off_a_terminal(archive: Path, tmp_path: Path) -> None:
    proc = qupia_cli("scan", str(archive), "--db", str(tmp_path / "r.sqlite"), "-j", "2", *REF)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("qupia scan: 13 files")
    assert "\r" not in proc.stderr  # no bar


def test_an_archive_is_recorded_member_by_member_and_not_read_again(tmp_path: Path) -> None:
    # Regression: members came back as archive.zip!inner paths, so the archive itself was never
    # recorded as finished and every resumed scan read it again.
    import zipfile

    folder = tmp_path / "docs"
    folder.mkdir()
    with zipfile.ZipFile(folder / "box.zip", "w") as box:
        box.writestr("in/order.txt", "СЕКРЕТНО\n\nПриказ от 12.05.2015 о графике отпусков.\n")
        box.writestr("in/note.txt", "Просто записка без грифа.\n")
    db = tmp_path / "r.sqlite"
    code, out = scan(str(folder), "--db", str(db), *REF)
    assert code == 0, out
    assert "(2 read, 0 known contents, 0 unchanged)" in out
    paths = sorted(p for (p,) in rows(db, "SELECT path FROM files"))
    assert paths == [f"{folder / 'box.zip'}!in/note.txt", f"{folder / 'box.zip'}!in/order.txt"]
    code, out = scan(str(folder), "--db", str(db))
    assert "(0 read, 0 known contents, 1 unchanged)" in out
    os.utime(folder / "box.zip", ns=(1, 1))  # a changed archive is read again, whole
    code, out = scan(str(folder), "--db", str(db))
    assert "(2 read, 0 known contents, 0 unchanged)" in out
    assert len(rows(db, "SELECT path FROM files")) == 2


def test_retry_errors_reads_again_what_an_earlier_run_could_not_read(tmp_path: Path) -> None:
    """A scan read with OCR off is "no-text"; the next run leaves it (unchanged), a run with
    --retry-errors and OCR on reads it, replaces its content's result and keeps the rest."""
    from corpus.scanlib import save
    from qupia.extract import ocr
    from tests.test_ocr import kk_page

    if ocr.unavailable() is not None:  # the project installs Tesseract (debian-packages.txt)
        pytest.fail(f"OCR cannot run here: {ocr.unavailable()}")
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLES / "sample-ru-flood-qp300.docx", folder)
    scanned = save([kk_page()], folder / "scan.pdf")
    db = tmp_path / "r.sqlite"
    code, out = scan(str(folder), "--db", str(db), "--ocr", "off", *REF)
    assert code == 0 and "2 files (2 read" in out and "1 unreadable" in out, out
    assert rows(db, f"SELECT status FROM files WHERE path = '{scanned}'") == [("no-text",)]
    _code, out = scan(str(folder), "--db", str(db), "--ocr", "off")
    assert "(0 read, 0 known contents, 2 unchanged)" in out
    code, out = scan(str(folder), "--db", str(db), "--retry-errors")
    assert code == 0 and "(1 read, 0 known contents, 1 unchanged)" in out, out
    assert "0 unreadable" in out
    [(status, sha)] = rows(db, f"SELECT status, sha256 FROM files WHERE path = '{scanned}'")
    assert status == "ok"
    assert rows(db, f"SELECT status FROM contents WHERE sha256 = '{sha}'") == [("ok",)]
    levels = rows(db, f"SELECT level FROM markings WHERE sha256 = '{sha}'")
    assert levels and set(levels) == {("top-secret",)}  # ӨТЕ ҚҰПИЯ, read by OCR this time
    _code, out = scan(str(folder), "--db", str(db), "--retry-errors")
    assert "(0 read, 0 known contents, 2 unchanged)" in out


def test_a_new_file_is_hashed_once_the_seen_check_s_digests_go_on_to_the_engine(
        archive: Path) -> None:
    """The worker of ``qupia scan`` hashes a file for the seen check; the engine takes those
    digests rather than reading the file again for them: its result carries exactly the
    digests it was given, and the same ones it would have worked out itself."""
    from datetime import date

    from qupia.engine import check_path, digests
    from qupia.settings import Settings

    path = archive / "body.txt"
    settings = Settings(reference_date=date(2026, 11, 26))
    hashed = digests(path)
    assert hashed[0] is not None and hashed[1] is not None
    own = check_path(path, settings)[0]
    given = check_path(path, settings, (hashed[0], hashed[1]))[0]
    assert given.sha256 == own.sha256 == hashed[0]
    assert [f.code for f in given.findings] == [f.code for f in own.findings]
    other = check_path(path, settings, ("0" * 64, hashed[1]))[0]
    assert other.sha256 == "0" * 64  # taken as given, not worked out again
