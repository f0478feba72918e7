"""ODT files and ZIP archives built here: regions, levels, findings, bombs and bad members.

(.doc and .rtf go through LibreOffice: tests/test_legacy.py, marked slow.)
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from qupia.engine import check_path
from qupia.extract import ExtractError, Limits, extract
from qupia.extract.zipped import MAX_DEPTH
from qupia.markings import detect, load
from qupia.model import Level, Region
from qupia.report import json_report, sarif, text_report
from qupia.runner import run_files
from qupia.settings import Settings
from tests.conftest import zip_bytes

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def odt_bytes(body: str, *, header: str = "", footer: str = "", meta: str = "",
              auto_styles: str = "", manifest_extra: str = "", doctype: str = "",
              mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    """An ODT package as LibreOffice lays it out (mimetype first, stored)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {XMLNS}>'
               f"<office:automatic-styles>{auto_styles}</office:automatic-styles>"
               f"<office:body><office:text>{body}</office:text></office:body>"
               "</office:document-content>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {XMLNS}>'
              '<office:master-styles><style:master-page style:name="Standard">'
              f"{header}{footer}</style:master-page></office:master-styles>"
              "</office:document-styles>")
    metaxml = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {XMLNS}>'
               f"<office:meta>{meta}</office:meta></office:document-meta>")
    manifest = (f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {XMLNS}>'
                '<manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                f'manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry>'
                "</manifest:manifest>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        for name, text in (("content.xml", content), ("styles.xml", styles),
                           ("meta.xml", metaxml), ("META-INF/manifest.xml", manifest)):
            zf.writestr(name, text.encode(), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def p(text: str, style: str = "P1") -> str:
    return f'<text:p text:style-name="{style}">{text}</text:p>'


FULL_ODT = dict(
    body=(
        p('Әскери бөлім<text:s text:c="2"/>21608<text:tab/>бұйрығы')
        + '<table:table table:name="T1"><table:table-column/>'
        '<table:table-row><table:table-cell>' + p("Бөлімше") + "</table:table-cell>"
        "<table:table-cell>" + p("412") + "</table:table-cell></table:table-row>"
        "</table:table>"
        + p('Мәтін<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            "<text:note-body>" + p("Сілтеме мәтіні") + "</text:note-body></text:note>"
            '<draw:frame draw:name="F1"><draw:text-box>' + p("ТЕКСТБОКС МӘТІНІ")
            + "</draw:text-box></draw:frame>"
            "<office:annotation><dc:creator>A</dc:creator>" + p("Пікір мәтіні")
            + "</office:annotation>")
        + '<text:list><text:list-item>' + p("Тізім тармағы") + "</text:list-item></text:list>"
        + p("Екінші бет.", style="Break")
    ),
    header=("<style:header>" + p("ҚҰПИЯ") + "</style:header>"
            "<style:header-first>" + p("БІРІНШІ БЕТ ТАҚЫРЫБЫ") + "</style:header-first>"),
    footer="<style:footer>" + p("Дана № 1") + "</style:footer>",
    meta=('<dc:title>Бұйрық</dc:title>'
          '<meta:user-defined meta:name="Classification">Құпия</meta:user-defined>'),
    auto_styles=('<style:style style:name="Break" style:family="paragraph">'
                 '<style:paragraph-properties fo:break-before="page"/></style:style>'),
)


def regions(path: Path, data: bytes | None = None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for block in extract(path, data=data).blocks:
        out.setdefault(block.region.value, set()).add(block.text)
    return out


def test_odt_every_region(tmp_path: Path) -> None:
    path = tmp_path / "order.odt"
    path.write_bytes(odt_bytes(**FULL_ODT))
    doc = extract(path)
    assert doc.format == "odt" and doc.pages == 2
    found = regions(path)
    assert "Әскери бөлім  21608\tбұйрығы" in found["body"]
    assert {"ҚҰПИЯ", "БІРІНШІ БЕТ ТАҚЫРЫБЫ"} <= found["header"]
    assert "Дана № 1" in found["footer"]
    assert {"Бөлімше", "412"} <= found["table"]
    assert "ТЕКСТБОКС МӘТІНІ" in found["textbox"]
    assert "Сілтеме мәтіні" in found["footnote"]
    assert "Пікір мәтіні" in found["comment"]
    assert "Мәтін" in found["body"] and "Тізім тармағы" in found["body"]
    assert {"Бұйрық", "Құпия"} <= found["metadata"]
    assert {(b.page, b.region) for b in doc.blocks if b.text == "Екінші бет."} == {
        (2, Region.BODY)}
    facts = detect(doc, load())
    header = [m for m in facts.markings if m.region is Region.HEADER]
    assert header and header[0].level is Level.SECRET


def test_odt_drawn_shapes_and_page_anchored_frames_are_textboxes(tmp_path: Path) -> None:
    path = tmp_path / "shapes.odt"
    path.write_bytes(odt_bytes(
        '<draw:frame draw:name="page"><draw:text-box>' + p("ӨТЕ ҚҰПИЯ") + "</draw:text-box>"
        "</draw:frame>"
        + p('Мәтін<draw:g><draw:custom-shape draw:name="stamp">' + p("СЕКРЕТНО")
            + '</draw:custom-shape><draw:rect draw:name="r">' + p("Экз. № 1")
            + "</draw:rect></draw:g> соңы")))
    found = regions(path)
    assert found["textbox"] == {"ӨТЕ ҚҰПИЯ", "СЕКРЕТНО", "Экз. № 1"}
    assert found["body"] == {"Мәтін соңы"}


def test_odt_soft_page_breaks_count_pages(tmp_path: Path) -> None:
    path = tmp_path / "soft.odt"
    path.write_bytes(odt_bytes(p("Бір") + "<text:soft-page-break/>" + p("Екі")
                               + p('Үш<text:soft-page-break/>төрт')))
    doc = extract(path)
    assert doc.pages == 3
    assert [(b.text, b.page) for b in doc.blocks] == [("Бір", 1), ("Екі", 2), ("Үштөрт", 3)]


def test_odt_tracked_deletion_is_hidden(tmp_path: Path) -> None:
    path = tmp_path / "tracked.odt"
    path.write_bytes(odt_bytes(
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        "<office:change-info><dc:creator>A</dc:creator></office:change-info>"
        + p("СОВЕРШЕННО СЕКРЕТНО") + "</text:deletion></text:changed-region>"
        "</text:tracked-changes>" + p('Текст<text:change text:change-id="c1"/>')))
    assert regions(path)["hidden"] == {"СОВЕРШЕННО СЕКРЕТНО"}


def _pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "hello")
    c.save()
    return buf.getvalue()


def _docx_bytes(*paragraphs: str, header: str = "") -> bytes:
    d = docx.Document()
    if header:
        d.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


BAD_ODT = [
    ("encrypted", lambda: odt_bytes(p("x"), manifest_extra=(
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AA==">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="AA=="/></manifest:encryption-data>')),
     "encrypted ODT: a password is required"),
    ("doctype", lambda: odt_bytes(p("&x;"), doctype='<!DOCTYPE x [<!ENTITY x "boom">]>'),
     "content.xml declares a DOCTYPE (XML entities are refused)"),
    ("spreadsheet", lambda: odt_bytes(p("x"),
                                      mimetype="application/vnd.oasis.opendocument.spreadsheet"),
     "named as ODT but the content is an OpenDocument file of type "
     "'application/vnd.oasis.opendocument.spreadsheet'"),
    ("docx", lambda: _docx_bytes("x"),
     "named as ODT but the content is an Office Open XML (DOCX) file"),
    ("pdf", _pdf_bytes, "named as ODT but the content is a PDF"),
    ("truncated", lambda: odt_bytes(p("x"))[:300],
     "corrupt file: not a readable ODT (bad ZIP archive"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_ODT, ids=[b[0] for b in BAD_ODT])
def test_bad_odt_gives_one_line_reason(tmp_path: Path, name: str, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.odt"
    path.write_bytes(make())
    with pytest.raises(ExtractError) as err:
        extract(path)
    assert str(err.value).startswith(reason)
    assert "\n" not in str(err.value)


def test_mislabelled_legacy_files_are_refused_before_conversion(tmp_path: Path) -> None:
    (tmp_path / "a.doc").write_bytes(b"{\\rtf1\\ansi hello}")
    (tmp_path / "b.rtf").write_bytes(_docx_bytes("x"))
    (tmp_path / "c.doc").write_bytes(b"plain text in a .doc")
    with pytest.raises(ExtractError, match="named as DOC but the content is RTF"):
        extract(tmp_path / "a.doc")
    with pytest.raises(ExtractError, match="named as RTF but the content is a ZIP archive"):
        extract(tmp_path / "b.rtf")
    with pytest.raises(ExtractError, match="named as DOC but the content is not recognisable"):
        extract(tmp_path / "c.doc")


# --- ZIP archives ---------------------------------------------------------------------------

SETTINGS = Settings(reference_date=date(2026, 11, 26))



MEMO_RU = ("СЕКРЕТНО\nЭкз. № 1\n\nВойсковая часть 12345 передислоцируется в г. Сарыозек "
           "15 марта 2025 г. в составе двух батальонов численностью 812 человек.").encode()


def test_zip_members_nested_and_in_order(tmp_path: Path) -> None:
    inner = zip_bytes({"c.pdf": _pdf_bytes(), "d.txt": "Жай мәтін.".encode()})
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_bytes({
        "docs/memo.txt": MEMO_RU,
        "docs/order.docx": _docx_bytes("Бұйрық мәтіні.", header="ӨТЕ ҚҰПИЯ"),
        "docs/plan.odt": odt_bytes(**FULL_ODT),
        "b.zip": inner,
        "picture.xyz": b"skipped: not a type qupia reads",
        "folder/": b"",
    }))
    results = check_path(archive, SETTINGS)
    names = [r.path for r in results]
    assert names == [f"{archive}!docs/memo.txt", f"{archive}!docs/order.docx",
                     f"{archive}!docs/plan.odt", f"{archive}!b.zip!c.pdf",
                     f"{archive}!b.zip!d.txt"]
    assert all(r.status == "ok" for r in results), [(r.path, r.error) for r in results]
    by_name = {r.path.rsplit("!", 1)[1]: r for r in results}
    assert by_name["docs/order.docx"].facts.document_level is Level.TOP_SECRET  # type: ignore[union-attr]
    assert by_name["docs/plan.odt"].facts.document_level is Level.SECRET  # type: ignore[union-attr]
    assert by_name["docs/memo.txt"].facts.document_level is Level.SECRET  # type: ignore[union-attr]
    assert by_name["d.txt"].facts.document_level is None  # type: ignore[union-attr]
    # each member is hashed on its own bytes, as a file on disk would be
    assert by_name["docs/memo.txt"].sha256 == check_path(_write(tmp_path, "m.txt", MEMO_RU),
                                                         SETTINGS)[0].sha256


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_zip_bombs_and_bad_members(tmp_path: Path) -> None:
    bomb = b"\0" * (4 * 1024 * 1024)  # compresses about 1000:1
    deep = zip_bytes({"x.txt": b"deep"})
    for _ in range(MAX_DEPTH):
        deep = zip_bytes({"n.zip": deep})
    damaged = bytearray(zip_bytes({"bad.txt": "Мәтін ".encode() * 400}))
    damaged[60:80] = b"\xff" * 20  # inside the compressed data: fails its CRC or inflate
    archive = _write(tmp_path, "mixed.zip", zip_bytes({
        "bomb.txt": bomb, "ok.txt": MEMO_RU, "deep.zip": deep, "damaged.zip": bytes(damaged),
    }))
    results = {r.path.split("!", 1)[1]: r for r in check_path(archive, SETTINGS)}
    assert results["bomb.txt"].status == "error"
    assert "likely zip bomb" in (results["bomb.txt"].error or "")
    assert results["ok.txt"].status == "ok"
    nested = [r for k, r in results.items() if k.startswith("deep.zip")]
    assert len(nested) == 1 and nested[0].status == "error"
    assert f"nested more than {MAX_DEPTH} deep" in (nested[0].error or "")
    bad = [r for k, r in results.items() if k.startswith("damaged.zip")]
    assert len(bad) == 1 and bad[0].status == "error"
    assert "damaged ZIP member" in (bad[0].error or "") or "not a readable ZIP" in (
        bad[0].error or "")
    for r in results.values():
        assert r.error is None or "\n" not in r.error


def test_zip_limits_on_count_and_size(tmp_path: Path) -> None:
    many = _write(tmp_path, "many.zip", zip_bytes({f"{i}.txt": b"x" for i in range(6)}))
    small = replace(SETTINGS, limits=Limits(max_zip_members=5))
    [result] = check_path(many, small)
    assert result.path == str(many) and result.status == "error"
    assert "6 members, over the limit of 5" in (result.error or "")
    # the count and the size hold across nested archives too
    nested = _write(tmp_path, "nested.zip", zip_bytes({"a.zip": zip_bytes({f"{i}.txt": b"x"
                                                                 for i in range(5)})}))
    results = check_path(nested, small)
    assert [r.status for r in results] == ["error"]
    assert results[0].path == f"{nested}!a.zip"
    big = _write(tmp_path, "big.zip", zip_bytes({"a.txt": b"a" * 5000, "b.txt": b"b" * 5000}))
    [result] = check_path(big, replace(SETTINGS, limits=Limits(max_unzipped_bytes=8000)))
    assert "over the limit of 8000" in (result.error or "")


def test_not_a_zip_and_empty_zip(tmp_path: Path) -> None:
    [fake] = check_path(_write(tmp_path, "fake.zip", b"not an archive"), SETTINGS)
    assert fake.status == "error" and "not a readable ZIP archive" in (fake.error or "")
    [empty] = check_path(_write(tmp_path, "empty.zip", zip_bytes({"a.xyz": b"1"})), SETTINGS)
    assert empty.status == "error" and "holds no file of a type qupia reads" in (
        empty.error or "")


def test_zip_through_workers_and_reports(tmp_path: Path) -> None:
    archive = _write(tmp_path, "a.zip", zip_bytes({"memo.txt": MEMO_RU,
                                              "note.txt": "Жай мәтін.".encode()}))
    after = _write(tmp_path, "z.txt", "Жай мәтін.".encode())
    results = list(run_files([str(archive), str(after)], replace(SETTINGS, jobs=2)))
    assert [r.path for r in results] == [f"{archive}!memo.txt", f"{archive}!note.txt",
                                         str(after)]
    out = io.StringIO()
    text_report.emit(results, SETTINGS, out)
    assert f"{archive}!memo.txt:1:" in out.getvalue()
    report = json_report.report(results, SETTINGS)
    assert [f["path"] for f in report["files"]] == [r.path for r in results]
    log = sarif.report(results, SETTINGS)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in log["runs"][0]["results"] for loc in res["locations"]}
    assert any(u.endswith("a.zip!memo.txt") for u in uris), uris
    json.dumps(log)


def test_zip_member_names_from_russian_windows(tmp_path: Path) -> None:
    """A name stored in code page 866 without the UTF-8 flag reads as its author wrote it."""
    cyrillic = "Приказ.txt".encode("cp866")  # 10 bytes, as the placeholder below
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("abcdef.txt"), MEMO_RU)
    archive = _write(tmp_path, "win.zip", buf.getvalue().replace(b"abcdef.txt", cyrillic))
    [result] = check_path(archive, SETTINGS)
    assert result.path == f"{archive}!Приказ.txt" and result.status == "ok"
