"""Archive members are documents of their own: each under its own time limit, each with the
suppressions it carries (a DOCX ``qupia-ignore`` property, a sidecar beside it in the archive).
Real archives built here, read in process and through real worker processes."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from corpus.build import render
from qupia.engine import check_path
from qupia.extract import Limits
from qupia.finish import finish
from qupia.runner import run_files
from qupia.settings import Settings
from tests.conftest import zip_bytes

SETTINGS = Settings(reference_date=date(2026, 11, 26))
MEMO = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024 № 8".encode()  # QP303
SIDECAR = b'[[ignore]]\nrule = "QP303"\nreason = "reviewed by the records office 2026-01-10"\n'
LINE = ("Войсковая часть 12345 передислоцируется в г. Сарыозек 15 марта 2025 г. в составе "
        "двух батальонов численностью 812 человек.\n")



def _memo_docx(tmp_path: Path, custom: dict[str, str]) -> bytes:
    src = {"id": "memo", "lang": "ru", "genre": "memo", "format": "docx", "split": "test",
           "pages": [{"blocks": ["СТРОГО СЕКРЕТНО", "Служебная записка от 12.03.2024 № 8"]}],
           "labels": {"level": None, "families": [], "rules": []},
           "properties": {"custom": custom}}
    return render(src, tmp_path).read_bytes()


def _codes(result: object) -> tuple[list[str], list[tuple[str, str]]]:
    return ([f.code for f in result.findings],  # type: ignore[attr-defined]
            [(s.finding.code, s.source) for s in result.suppressed])  # type: ignore[attr-defined]


def test_suppressions_inside_archive_members_are_read(tmp_path: Path) -> None:
    archive = tmp_path / "reviewed.zip"
    archive.write_bytes(zip_bytes({
        "a/memo.txt": MEMO, "a/memo.txt.qupia.toml": SIDECAR,  # a sidecar beside it
        "b/memo.docx": _memo_docx(tmp_path, {"qupia-ignore": "QP303: records office"}),
        "c/memo.txt": MEMO,  # no sidecar: its finding stays
        "d/memo.txt": MEMO, "d/memo.txt.qupia.toml": b'[[ignore]]\nrule = "QP303"\n',
    }))
    # read in the worker with each member, applied when the result is finished
    results = {r.path.split("!", 1)[1]: finish(r, SETTINGS)
               for r in check_path(archive, SETTINGS)}
    assert sorted(results) == ["a/memo.txt", "b/memo.docx", "c/memo.txt", "d/memo.txt"]
    assert _codes(results["a/memo.txt"]) == ([], [("QP303", "sidecar")])
    assert results["a/memo.txt"].suppressed[0].reason == (
        "reviewed by the records office 2026-01-10")
    assert _codes(results["b/memo.docx"]) == ([], [("QP303", "docx-property")])
    assert _codes(results["c/memo.txt"]) == (["QP303"], [])
    # a suppression that cannot be read is never ignored
    assert results["d/memo.txt"].status == "error"
    assert "key 'reason' must say why" in (results["d/memo.txt"].error or "")


def test_suppressions_in_members_hold_through_workers(tmp_path: Path) -> None:
    archive = tmp_path / "reviewed.zip"
    archive.write_bytes(zip_bytes({"memo.txt": MEMO, "memo.txt.qupia.toml": SIDECAR}))
    [result] = run_files([str(archive)], SETTINGS)
    assert _codes(finish(result, SETTINGS)) == ([], [("QP303", "sidecar")])


def test_a_member_over_its_time_limit_is_an_error_and_the_next_is_read(tmp_path: Path
                                                                      ) -> None:
    """A member that takes longer than the limit (a long text, about 1 s of CPU here) is
    ended and reported; the member after it is read (before: the whole archive timed out as
    one file)."""
    archive = tmp_path / "slow.zip"
    archive.write_bytes(zip_bytes({"big.txt": ("СЕКРЕТНО\n" + LINE * 10_000).encode(),
                              "memo.txt": MEMO}, zipfile.ZIP_STORED))  # not a likely bomb
    settings = replace(SETTINGS, limits=Limits(timeout_seconds=0.3))
    results = list(run_files([str(archive)], settings))
    assert [r.path for r in results] == [f"{archive}!big.txt", f"{archive}!memo.txt"]
    assert results[0].status == "error" and results[0].error == "timed out after 0.3 s"
    assert results[1].status == "ok" and [f.code for f in results[1].findings] == ["QP303"]


@pytest.mark.slow
def test_each_member_has_its_own_time_limit(tmp_path: Path) -> None:
    """Twenty members, each read well within the limit, together well over it: every one is
    read (before: one time limit for the whole archive, which then timed out)."""
    member = ("СЕКРЕТНО\n" + LINE * 1_500).encode()  # about 0.15 s of CPU to check
    archive = tmp_path / "many.zip"
    archive.write_bytes(zip_bytes({f"m{i:02}.txt": member for i in range(20)}, zipfile.ZIP_STORED))
    settings = replace(SETTINGS, limits=Limits(timeout_seconds=1.5))
    results = list(run_files([str(archive)], settings))
    assert len(results) == 20
    assert all(r.status == "ok" for r in results), [(r.path, r.error) for r in results][:3]
