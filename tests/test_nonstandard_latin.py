"""Real documents: a secrecy-like stamp in Kazakh Latin that is none of the three legal marks
is nonstandard (QP303), not read as the legal "qupıa" it contains (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest

from qupia.engine import check_file
from qupia.settings import Settings

BODY = ("2026 jylǵy 14 qazandaǵy № 5/412 ókim. Oblystyq bıýdjetten 2026 jyly aýdandyq "
        "aýrýhanany jóndeýge 412 mln teńge bólindi; merdiger 96 mln teńgeni merziminen "
        "buryn aldy.")


@pytest.mark.parametrize("stamp", [
    "QATAŃ QUPIA", "QATAŃ QUPIIA", "QATAÑ QŪPIIA", "QATANG QUPIYA", "ASA QUPIA", "ASA QŪPIIA",
    "EREKSHE QUPIA", "KONFIDENTSIALDY", "ҚАТАҢ КОНФИДЕНЦИАЛДЫ",
])
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_kazakh_latin_nonstandard_stamp_is_qp303(tmp_path: Path, stamp: str, fmt: str) -> None:
    lines = [stamp, "Dana № 1", BODY, "Basqarma bastyǵy A. Serikov"]
    path = tmp_path / f"order.{fmt}"
    if fmt == "docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    else:
        path.write_text("\n\n".join(lines), encoding="utf-8")
    result = check_file(path, Settings(reference_date=date(2026, 11, 26)))
    assert result.status == "ok", result.error
    assert "QP303" in [f.code for f in result.findings]
    assert result.facts is not None and result.facts.document_level is None  # not a legal mark


@pytest.mark.parametrize("stamp", ["ÓTE QUPIA", "QUPIA", "ASA MAŃYZDY"])
def test_the_legal_kazakh_latin_marks_stay_legal(tmp_path: Path, stamp: str) -> None:
    path = tmp_path / "order.txt"
    path.write_text("\n\n".join([stamp, "Dana № 1", BODY]), encoding="utf-8")
    result = check_file(path, Settings(reference_date=date(2026, 11, 26)))
    assert "QP303" not in [f.code for f in result.findings]
    assert result.facts is not None and result.facts.document_level is not None
