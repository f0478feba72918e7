""".doc, .rtf and LibreOffice-written .odt files, made here by LibreOffice from a DOCX built by
code, read back through qupia's converter: regions, levels, findings, bad files, time limit.

Slow (LibreOffice starts in seconds): run by `make test-slow`.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import olefile
import pytest

from corpus.build import render
from qupia.engine import check_file, check_path
from qupia.extract import ExtractError, Limits, extract, legacy
from qupia.model import Level, Region
from qupia.runner import run_files
from qupia.settings import Settings

pytestmark = pytest.mark.slow
SETTINGS = Settings(reference_date=date(2026, 11, 26))

SOURCE = {
    "id": "plan", "lang": "kk", "genre": "plan", "format": "docx", "split": "test",
    "labels": {"level": None, "families": [], "rules": []},
    "pages": [
        {"header": "ҚҰПИЯ\nДана № 1", "footer": "ӨТЕ ҚҰПИЯ",
         "blocks": [
             "21608 әскери бөлімі 2025 жылғы 3 қарашада Сарыөзек полигонына көшіріледі.",
             {"table": [["Бөлімше", "Саны"], ["1-батальон", "412"]]},
             {"textbox": "ТЕКСТБОКС МӘТІНІ"},
             {"footnote": "Сілтеме мәтіні", "anchor": "21608 әскери бөлімі 2025 жылғы 3 "
                                                     "қарашада Сарыөзек полигонына көшіріледі."},
         ]},
        {"header": "ҚҰПИЯ\nДана № 1", "footer": "ӨТЕ ҚҰПИЯ", "blocks": ["Екінші бет."]},
    ],
}


def _soffice(src: Path, fmt: str, out: Path, profile: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
         "--convert-to", fmt, "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{fmt}"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same document as DOCX (python-docx) and as .doc, .rtf, .odt (LibreOffice)."""
    if not Path("/usr/bin/soffice").exists():
        pytest.fail("LibreOffice is not installed (debian-packages.txt)")
    folder = tmp_path_factory.mktemp("legacy")
    docx = render(SOURCE, folder)
    profile = folder / "profile"
    return {"docx": docx, **{fmt: _soffice(docx, fmt, folder, profile)
                             for fmt in ("doc", "rtf", "odt")}}


@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt"])
def test_regions_survive(made: dict[str, Path], fmt: str) -> None:
    doc = extract(made[fmt])
    assert doc.format == fmt
    found: dict[Region, set[str]] = {}
    for block in doc.blocks:
        found.setdefault(block.region, set()).add(block.text)
    header = " ".join(found[Region.HEADER])
    assert "ҚҰПИЯ" in header and "Дана № 1" in header
    assert "ӨТЕ ҚҰПИЯ" in found[Region.FOOTER]
    assert {"Бөлімше", "Саны", "1-батальон", "412"} <= found[Region.TABLE]
    assert "ТЕКСТБОКС МӘТІНІ" in found[Region.TEXTBOX]
    assert "Сілтеме мәтіні" in found[Region.FOOTNOTE]
    assert any("Сарыөзек" in t for t in found[Region.BODY])
    assert doc.pages == 2


@pytest.mark.parametrize("fmt", ["docx", "doc", "rtf", "odt"])
def test_findings_as_in_docx(made: dict[str, Path], fmt: str) -> None:
    result = check_file(made[fmt], SETTINGS)
    assert result.status == "ok", result.error
    assert result.facts is not None and result.facts.document_level is Level.TOP_SECRET
    assert "QP400" in {f.code for f in result.findings}  # ҚҰПИЯ header, ӨТЕ ҚҰПИЯ footer


def test_bad_legacy_files(made: dict[str, Path], tmp_path: Path) -> None:
    ole = tmp_path / "broken.doc"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4000))
    rtf = tmp_path / "broken.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi " + b"{" * 50)
    with pytest.raises(ExtractError, match=r"^damaged OLE compound file \(not a readable .doc\)$"):
        extract(ole)
    # the Word header's fEncrypted flag set (MS-DOC 2.5.1), in a real .doc
    locked = tmp_path / "locked.doc"
    shutil.copy(made["doc"], locked)
    with olefile.OleFileIO(str(locked), write_mode=True) as ole_file:
        fib = bytearray(ole_file.openstream("WordDocument").read())
        fib[11] |= 0x01  # flags word at offset 10, little-endian: 0x0100 is bit 0 of byte 11
        ole_file.write_stream("WordDocument", bytes(fib))
    result = check_file(locked, SETTINGS)
    assert (result.status, result.error) == ("error",
                                             "encrypted Word file: a password is required")
    # a .doc whose content LibreOffice cannot read as Word is refused, never read as text
    text_in_ole = tmp_path / "mixed.doc"
    with olefile.OleFileIO(str(shutil.copy(made["doc"], text_in_ole)), write_mode=True) as f:
        size = len(f.openstream("WordDocument").read())
        f.write_stream("WordDocument", b"\0" * size)
    result = check_file(text_in_ole, SETTINGS)
    assert result.status == "error" and "\n" not in (result.error or ""), result
    result = check_file(rtf, SETTINGS)  # an unfinished RTF: an error or (LibreOffice) no text
    assert result.status in ("error", "no-text")


def test_hung_converter_is_killed_and_replaced(made: dict[str, Path]) -> None:
    data = made["doc"].read_bytes()
    legacy.read_legacy(data, "warm.doc", "doc", Limits())  # the converter is running
    home = legacy._CONVERTER.home
    assert home is not None and oct(os.stat(home).st_mode & 0o777) == "0o700"
    with pytest.raises(ExtractError, match="did not convert the file within"):
        legacy.read_legacy(data, "slow.doc", "doc", Limits(timeout_seconds=0.0001))
    assert legacy._CONVERTER.proc is None and not Path(home).exists()
    doc = legacy.read_legacy(data, "again.doc", "doc", Limits())
    assert any("ҚҰПИЯ" in b.text for b in doc.blocks)
    legacy.shutdown()
    assert not list(Path("/dev/shm").glob(f"qupia-lo-{os.getpid()}-*"))


def test_no_document_text_on_disk(made: dict[str, Path]) -> None:
    """The converter's only folder holds LibreOffice's profile, never the document's words."""
    legacy.read_legacy(made["rtf"].read_bytes(), "x.rtf", "rtf", Limits())
    home = Path(legacy._CONVERTER.home or "")
    words = ["Сарыөзек".encode(), "ТЕКСТБОКС".encode()]
    for file in home.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert not any(w in data for w in words), file
    legacy.shutdown()


def test_scan_with_workers_zip_member_and_cleanup(made: dict[str, Path], tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("old/plan.doc", made["doc"].read_bytes())
    archive = tmp_path / "archive.zip"
    archive.write_bytes(buf.getvalue())
    before = set(Path("/dev/shm").glob("qupia-lo-*"))
    results = list(run_files([str(made["rtf"]), str(archive), str(made["doc"])],
                             replace(SETTINGS, jobs=1)))
    assert [r.path for r in results] == [str(made["rtf"]), f"{archive}!old/plan.doc",
                                         str(made["doc"])]
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    assert all("QP400" in {f.code for f in r.findings} for r in results)
    assert set(Path("/dev/shm").glob("qupia-lo-*")) <= before  # the worker removed its folder
    assert check_path(archive, SETTINGS)[0].facts.document_level is Level.TOP_SECRET  # type: ignore[union-attr]
    legacy.shutdown()
