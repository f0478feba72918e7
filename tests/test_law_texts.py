"""Both texts of the law name every mark and every category, and carry no marking."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from qupia.engine import check_file
from qupia.settings import Settings
from tests.conftest import LAW

LAWS = sorted(LAW.glob("*.txt"))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def as_pdf(text: str, path: Path, width: int) -> Path:
    """The law set as a PDF with lines wrapped at *width* characters (sentences break)."""
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 50
    c.setFont("DejaVu", 9)
    for para in text.split("\n"):
        for line in textwrap.wrap(para, width) or [""]:
            if y < 50:
                c.showPage()
                c.setFont("DejaVu", 9)
                y = A4[1] - 50
            c.drawString(50, y, line)
            y -= 12
    c.save()
    return path


def test_both_law_texts_are_present() -> None:
    assert [p.name for p in LAWS] == ["law_kk.txt", "law_ru.txt"]


@pytest.mark.parametrize("law", LAWS, ids=lambda p: p.name)
def test_law_text_has_no_marking(law: Path) -> None:
    result = check_file(law, Settings())
    assert result.status == "ok"
    assert result.facts is not None
    assert result.facts.markings == ()
    assert result.facts.mentions > 0  # it does name the marks
    assert result.findings == ()


@pytest.mark.parametrize("width", [55, 80, 110])
@pytest.mark.parametrize("law", LAWS, ids=lambda p: p.name)
def test_law_as_wrapped_pdf_has_no_marking(tmp_path: Path, law: Path, width: int) -> None:
    pdf = as_pdf(law.read_text(encoding="utf-8"), tmp_path / "law.pdf", width)
    result = check_file(pdf, Settings())
    assert result.status == "ok"
    assert result.facts is not None and result.facts.markings == ()
    assert result.findings == ()
