"""Marks in document metadata: DOCX core and custom properties, sensitivity labels (MSIP), PDF
document information and XMP — read, cross-checked with the stamp (QP401), counted or not."""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from qupia.config import ConfigError, read_config
from qupia.engine import check_file
from qupia.extract import extract
from qupia.extract.metadata import pdf_xmp, property_blocks, xmp_properties
from qupia.i18n import render
from qupia.markings.metadata import detect_metadata
from qupia.model import Level, Region
from qupia.report.json_report import file_dict
from qupia.rules import by_code
from qupia.settings import Settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
REFERENCE = date(2026, 11, 26)
LABEL = "2096f6a2-d2f7-48be-b329-b73aaa526e5d"
SITE = "cb46c030-1825-4e81-a295-151c039dbf02"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

RU_TEXT = ("Войсковая часть 25630 передислоцируется в район г. Сарыозек до 1 июня 2026 года, "
           "штатная численность 840 человек.")
KK_TEXT = ("25630 әскери бөлімі 2026 жылғы 1 маусымға дейін Сарыөзек ауданына қайта "
           "орналастырылады, жеке құрамы 840 адам.")


# --- building the files ----------------------------------------------------------------------

def msip(name: str, enabled: bool = True, guid: str = LABEL) -> dict[str, str]:
    """The custom properties a Purview sensitivity label writes (MIP SDK metadata)."""
    p = f"MSIP_Label_{guid}_"
    return {p + "Enabled": "true" if enabled else "false", p + "SetDate": "2026-03-02T08:15:00Z",
            p + "Method": "Privileged", p + "Name": name, p + "SiteId": SITE,
            p + "ActionId": "6f1d3d0a-0000-4000-8000-000000000001", p + "ContentBits": "0"}


def make_docx(path: Path, stamp: str | None, text: str, core: dict[str, str] | None = None,
              custom: dict[str, str] | None = None, label_info: str | None = None) -> Path:
    """A DOCX with *stamp* in the header, *text* in the body, the given core properties
    (python-docx) and custom properties and LabelInfo.xml (written into the package here:
    python-docx has no API for them)."""
    d = docx.Document()
    if stamp:
        d.sections[0].header.paragraphs[0].text = stamp
    d.add_paragraph(text)
    for key, value in (core or {}).items():
        setattr(d.core_properties, key, value)
    buf = io.BytesIO()
    d.save(buf)
    if not custom and not label_info:
        path.write_bytes(buf.getvalue())
        return path
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'))
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>'))
            zout.writestr(item, data)
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
        for pid, (name, value) in enumerate((custom or {}).items(), start=2):
            prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID,
                                    pid=str(pid), name=name)
            etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
        zout.writestr("docProps/custom.xml", etree.tostring(root, xml_declaration=True,
                                                            encoding="UTF-8"))
        if label_info:
            zout.writestr("docMetadata/LabelInfo.xml", label_info)
    return path


def xmp_packet(dc_title: str | None = None, keywords: str | None = None,
               extra: dict[str, tuple[str, str]] | None = None) -> bytes:
    """An XMP packet: dc:title, pdf:Keywords and properties in other namespaces
    (name → (namespace, value))."""
    ns = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/"}
    extra = extra or {}
    prefixes = {name.split(":")[0]: uri for name, (uri, _) in extra.items()}
    meta = etree.Element(f"{{{ns['x']}}}xmpmeta", nsmap={"x": ns["x"]})
    rdf = etree.SubElement(meta, f"{{{ns['rdf']}}}RDF", nsmap={"rdf": ns["rdf"]})
    desc = etree.SubElement(rdf, f"{{{ns['rdf']}}}Description",
                            nsmap={"dc": ns["dc"], "pdf": ns["pdf"], **prefixes})
    desc.set(f"{{{ns['rdf']}}}about", "")
    if keywords:
        desc.set(f"{{{ns['pdf']}}}Keywords", keywords)
    if dc_title:
        alt = etree.SubElement(etree.SubElement(desc, f"{{{ns['dc']}}}title"),
                               f"{{{ns['rdf']}}}Alt")
        li = etree.SubElement(alt, f"{{{ns['rdf']}}}li")
        li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
        li.text = dc_title
    for name, (uri, value) in extra.items():
        etree.SubElement(desc, f"{{{uri}}}{name.split(':', 1)[1]}").text = value
    body = etree.tostring(meta, encoding="UTF-8")
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body
            + b'\n<?xpacket end="w"?>')


def make_pdf(path: Path, stamp: str | None, text: str, info: dict[str, str] | None = None,
             xmp: bytes | None = None) -> Path:
    """A PDF with *stamp* at the top right, *text* below, Title/Subject/Keywords in its
    document information (reportlab) and *xmp* as the catalogue's /Metadata stream."""
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    info = info or {}
    c.setTitle(info.get("Title", ""))
    c.setSubject(info.get("Subject", ""))
    c.setKeywords(info.get("Keywords", ""))
    if xmp:
        c._doc.Catalog.Metadata = XMP(creator=lambda doc: xmp)
    c.setFont("DejaVu", 11)
    if stamp:
        c.drawRightString(A4[0] - 50, A4[1] - 50, stamp)
    c.drawString(50, A4[1] - 150, text[:90])
    c.drawString(50, A4[1] - 165, text[90:])
    c.save()
    return path


def codes(path: Path, **settings: Any) -> list[str]:
    result = check_file(path, Settings(reference_date=REFERENCE, **settings))
    assert result.status == "ok", result.error
    return [f.code for f in result.findings]


# --- reading ---------------------------------------------------------------------------------

def test_docx_core_custom_and_label_properties_are_metadata_blocks(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx", "СЕКРЕТНО", RU_TEXT,
                     core={"title": "План", "subject": "Секретно", "keywords": "охрана",
                           "category": "Приказ", "comments": "Проект",
                           "content_status": "Окончательный"},
                     custom={"Гриф": "Секретно", **msip("Secret")})
    blocks = {b.label: b.text for b in extract(path).blocks if b.region is Region.METADATA}
    assert blocks["title"] == "План" and blocks["subject"] == "Секретно"
    assert blocks["description"] == "Проект" and blocks["contentStatus"] == "Окончательный"
    assert blocks["custom:Гриф"] == "Секретно"
    assert blocks[f"custom:MSIP_Label_{LABEL}_Name"] == "Secret"
    # the label's dates, GUIDs and bit masks say no level and are left out
    assert not any(k.endswith(("_SiteId", "_Enabled", "_ContentBits")) for k in blocks)


def test_property_blocks_is_the_readers_entry_point() -> None:
    """Other readers (.odt, .doc) hand a list of (name, value) pairs to property_blocks."""
    blocks = property_blocks([("title", "  Құпия  "), ("subject", ""),
                              *((f"custom:{k}", v) for k, v in msip("Secret", False).items())])
    assert [(b.label, b.text, b.region) for b in blocks] == [("title", "Құпия",
                                                              Region.METADATA)]


def test_pdf_info_and_xmp_are_metadata_blocks(tmp_path: Path) -> None:
    xmp = xmp_packet("Өте құпия", "құпия; жоспар", {
        "msip:MSIP_Label_" + LABEL + "_Name": ("http://schemas.microsoft.com/msip/1.0/",
                                              "Top Secret"),
        "pdfx:Classification": ("http://ns.adobe.com/pdfx/1.3/", "Өте құпия")})
    path = make_pdf(tmp_path / "a.pdf", "ӨТЕ ҚҰПИЯ", KK_TEXT,
                    {"Title": "Жоспар", "Subject": "Өте құпия", "Keywords": "күзет"}, xmp)
    blocks = {b.label: b.text for b in extract(path).blocks if b.region is Region.METADATA}
    assert blocks["Info:Subject"] == "Өте құпия" and blocks["Info:Keywords"] == "күзет"
    assert blocks["xmp:dc:title"] == "Өте құпия"
    assert blocks["xmp:pdf:Keywords"] == "құпия; жоспар"
    assert blocks[f"xmp:msip:MSIP_Label_{LABEL}_Name"] == "Top Secret"
    assert blocks["xmp:pdfx:Classification"] == "Өте құпия"


def test_compressed_xmp_stream_is_found(tmp_path: Path) -> None:
    packet = xmp_packet("Совершенно секретно")
    stream = zlib.compress(packet)
    path = tmp_path / "flate.pdf"
    path.write_bytes(b"%PDF-1.7\n5 0 obj\n<< /Type /Metadata /Subtype /XML /Filter /FlateDecode "
                     b"/Length " + str(len(stream)).encode() + b" >>\nstream\r\n" + stream
                     + b"\nendstream\nendobj\n%%EOF\n")
    (found,) = pdf_xmp(path)
    assert ("xmp:dc:title", "Совершенно секретно") in xmp_properties(found)


def test_xmp_with_an_entity_declaration_is_passed_over(tmp_path: Path) -> None:
    """No entities in XML: such a packet gives no properties; the file still reads."""
    evil = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "SECRET">]>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
            b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b"<dc:title>&e;</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>")
    assert xmp_properties(evil) == []
    path = make_pdf(tmp_path / "e.pdf", None, RU_TEXT, xmp=evil)
    assert [b for b in extract(path).blocks if (b.label or "").startswith("xmp:")] == []
    assert check_file(path, Settings(reference_date=REFERENCE)).status == "ok"


@pytest.mark.parametrize(("label", "value", "level"), [
    ("custom:Classification", "Совершенно секретно", Level.TOP_SECRET),
    ("custom:Гриф", "Гриф: Секретно", Level.SECRET),
    ("custom:Құпиялылық", "Өте құпия", Level.TOP_SECRET),
    ("custom:Grif", "ÖTE QŪPIA", Level.TOP_SECRET),
    ("custom:Classification", "СС", Level.TOP_SECRET),
    (f"custom:MSIP_Label_{LABEL}_Name", "Secret", Level.SECRET),
    (f"custom:MSIP_Label_{LABEL}_Name", "Top Secret", Level.TOP_SECRET),
    (f"custom:MSIP_Label_{LABEL}_Name", "Public", Level.PUBLIC),
    (f"custom:MSIP_Label_{LABEL}_Name", "General", Level.PUBLIC),
    (f"custom:MSIP_Label_{LABEL}_Name", "Confidential\\Finance", Level.LIMITED),
    ("Info:Classification", "ДСП", Level.LIMITED),
    ("title", "СЕКРЕТНО. План охраны объекта", Level.SECRET),
    ("keywords", "охрана; құпия; жоспар", Level.SECRET),
    ("subject", "Аса маңызды (дана № 1)", Level.SPECIAL_IMPORTANCE),
    ("xmp:dc:title", "TOP SECRET - Operation plan", Level.TOP_SECRET),
])
def test_metadata_levels(label: str, value: str, level: Level) -> None:
    (mark,) = detect_metadata(property_blocks([(label, value)]))
    assert (mark.level, mark.property, mark.region) == (level, label, Region.METADATA)


@pytest.mark.parametrize(("label", "value"), [
    ("title", "Порядок снятия грифа «Секретно»"),
    ("title", "Құпия ақпаратты қорғау туралы лекция"),
    ("subject", "Secret Santa 2026"),                 # English words count only in labels
    ("category", "General"),
    ("keywords", "құпия емес; ашық деректер"),
    ("custom:Исполнитель", "Секретная часть"),
    ("custom:qupia-ignore", "QP200: гриф «Секретно» согласован с владельцем"),
])
def test_metadata_mentions_are_not_levels(label: str, value: str) -> None:
    assert detect_metadata(property_blocks([(label, value)])) == ()


# --- QP401 and the pages ---------------------------------------------------------------------

def docx_case(core: dict[str, str] | None = None, custom: dict[str, str] | None = None,
              label_info: str | None = None) -> dict[str, Any]:
    return {"format": "docx", "core": core, "custom": custom, "label_info": label_info}


def pdf_case(info: dict[str, str] | None = None, xmp: bytes | None = None) -> dict[str, Any]:
    return {"format": "pdf", "info": info, "xmp": xmp}


REMOVED = (f'<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList '
           f'xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
           f'<clbl:label id="{{{LABEL}}}" enabled="1" method="Privileged" siteId="{{{SITE}}}" '
           f'contentBits="0" removed="1"/></clbl:labelList>')

# (id, stamp on the page, language, metadata, QP401 expected)
CASES = [
    ("ru-core-agree", "СЕКРЕТНО", "ru", docx_case(core={"subject": "Секретно"}), False),
    ("ru-core-higher", "СЕКРЕТНО", "ru", docx_case(core={"subject": "Совершенно секретно"}),
     True),
    ("kk-title-agree", "ӨТЕ ҚҰПИЯ", "kk", docx_case(core={"title": "ӨТЕ ҚҰПИЯ. Жоспар"}), False),
    ("kk-keywords-lower", "ӨТЕ ҚҰПИЯ", "kk", docx_case(core={"keywords": "жоспар; құпия"}),
     True),
    ("kk-custom-agree", "ҚҰПИЯ", "kk", docx_case(custom={"Құпиялылық": "Құпия"}), False),
    ("ru-custom-higher", "СЕКРЕТНО", "ru", docx_case(custom={"Гриф": "Особой важности"}), True),
    ("ru-msip-agree", "СЕКРЕТНО", "ru", docx_case(custom=msip("Secret")), False),
    ("kk-msip-public", "ҚҰПИЯ", "kk", docx_case(custom=msip("Public")), True),
    ("ru-msip-general", "СОВЕРШЕННО СЕКРЕТНО", "ru", docx_case(custom=msip("General")), True),
    ("ru-msip-disabled", "СЕКРЕТНО", "ru", docx_case(custom=msip("General", enabled=False)),
     False),
    ("kk-msip-removed", "ҚҰПИЯ", "kk", docx_case(custom=msip("Top Secret"), label_info=REMOVED),
     False),
    ("ru-metadata-only", None, "ru", docx_case(custom={"Classification": "Секретно"}), True),
    ("kk-msip-only", None, "kk", docx_case(custom=msip("Secret")), True),
    ("ru-title-mention", None, "ru",
     docx_case(core={"title": "Порядок снятия грифа «Секретно»"}), False),
    ("ru-info-agree", "СОВЕРШЕННО СЕКРЕТНО", "ru",
     pdf_case({"Subject": "Совершенно секретно"}), False),
    ("ru-info-higher", "СЕКРЕТНО", "ru", pdf_case({"Subject": "Совершенно секретно"}), True),
    ("kk-info-only", None, "kk", pdf_case({"Keywords": "құпия; күзет"}), True),
    ("kk-xmp-agree", "ӨТЕ ҚҰПИЯ", "kk", pdf_case(xmp=xmp_packet("Өте құпия")), False),
    ("ru-xmp-label-lower", "СЕКРЕТНО", "ru", pdf_case(xmp=xmp_packet(extra={
        f"msip:MSIP_Label_{LABEL}_Name": ("http://schemas.microsoft.com/msip/1.0/",
                                         "Confidential")})), True),
    ("ru-xmp-pdfx-lower", "СОВЕРШЕННО СЕКРЕТНО", "ru", pdf_case(xmp=xmp_packet(extra={
        "pdfx:Classification": ("http://ns.adobe.com/pdfx/1.3/", "Секретно")})), True),
    ("kk-xmp-keywords-only", None, "kk", pdf_case(xmp=xmp_packet(keywords="ӨТЕ ҚҰПИЯ")), True),
]


def build(tmp_path: Path, stamp: str | None, lang: str, case: dict[str, Any]) -> Path:
    text = RU_TEXT if lang == "ru" else KK_TEXT
    if case["format"] == "docx":
        return make_docx(tmp_path / "doc.docx", stamp, text, case["core"], case["custom"],
                         case["label_info"])
    return make_pdf(tmp_path / "doc.pdf", stamp, text, case["info"], case["xmp"])


@pytest.mark.parametrize(("stamp", "lang", "case", "fires"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_qp401(tmp_path: Path, stamp: str | None, lang: str, case: dict[str, Any],
               fires: bool) -> None:
    path = build(tmp_path, stamp, lang, case)
    found = codes(path)
    assert ("QP401" in found) is fires, found
    assert "QP400" not in found  # stamps against stamps only


def test_qp401_message_names_the_property_and_the_stamp(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "m.docx", "СЕКРЕТНО", RU_TEXT,
                     custom={"Гриф": "Особой важности"})
    result = check_file(path, Settings(reference_date=REFERENCE))
    (f,) = [f for f in result.findings if f.code == "QP401"]
    message = render(f.message)
    assert "custom:Гриф" in message and "СЕКРЕТНО" in message
    assert (f.family, f.severity, f.region, f.article) == ("inconsistent", "warning",
                                                           "metadata", "18")
    assert result.facts is not None
    assert result.facts.document_level is Level.SECRET  # what the page says
    assert result.facts.metadata_level is Level.SPECIAL_IMPORTANCE


def test_docstring_example_fires(tmp_path: Path) -> None:
    """QP401's docstring example: the property it names, and its page text, in a DOCX."""
    rule = by_code("QP401")
    assert rule is not None and rule.__doc__
    section = rule.__doc__.split("\nExample\n", 1)[1].split("\nHow to fix\n", 1)[0]
    intro, block = section.split("::\n", 1)
    prop, value = re.search(r"(\w+) property reads \"([^\"]+)\"", intro).groups()  # type: ignore[union-attr]
    lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    setattr(d.core_properties, prop.lower(), value)
    path = tmp_path / "example.docx"
    d.save(str(path))
    assert "QP401" in codes(path)


def test_metadata_only_mark_is_compared_not_counted_by_default(tmp_path: Path) -> None:
    """Article 18: the law's marks are the visible ones. A DOCX whose only mark is its
    properties gets QP401, not QP200 on the properties; counted, it is treated as marked."""
    path = make_docx(tmp_path / "only.docx", None,
                     "Хабарландыру. 2026 жылғы 20 мамырда қызметкерлер арасында волейбол "
                     "турнирі өтеді.", custom={"Classification": "Құпия"})
    default = codes(path)
    assert "QP401" in default and "QP200" not in default
    counted = check_file(path, Settings(reference_date=REFERENCE, metadata_marks="count"))
    assert "QP200" in [f.code for f in counted.findings]
    assert counted.facts is not None and counted.facts.document_level is Level.SECRET
    plain = check_file(path, Settings(reference_date=REFERENCE))
    assert plain.facts is not None and plain.facts.document_level is None


def test_metadata_marks_setting_is_validated(tmp_path: Path) -> None:
    conf = tmp_path / ".qupia.toml"
    conf.write_text('metadata-marks = "count"\n', encoding="utf-8")
    assert read_config(conf, {"QP401"})["metadata-marks"] == "count"
    conf.write_text('metadata-marks = "always"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="metadata-marks"):
        read_config(conf, {"QP401"})


def test_json_report_lists_metadata_level_and_property(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "j.docx", "ҚҰПИЯ", KK_TEXT, custom=msip("Top Secret"))
    settings = Settings(reference_date=REFERENCE)
    out = file_dict(check_file(path, settings), settings)
    json.dumps(out)
    assert out["document_level"] == "secret" and out["metadata_level"] == "top-secret"
    meta = [m for m in out["markings"] if m["region"] == "metadata"]
    assert [(m["level"], m["property"]) for m in meta] == [
        ("top-secret", f"custom:MSIP_Label_{LABEL}_Name")]


def test_eval_scores_each_rule(tmp_path: Path) -> None:
    """qupia eval reports precision and recall per rule code, QP401 among them."""
    from qupia.evaluate import Report, render, score

    path = make_docx(tmp_path / "e.docx", None, RU_TEXT, custom={"Classification": "Секретно"})
    result = check_file(path, Settings(reference_date=REFERENCE))
    report = Report(split="dev")
    score(report, {"id": "a", "labels": {"level": None, "families": ["missing", "inconsistent"],
                                         "rules": ["QP100", "QP401"]}}, result)
    score(report, {"id": "b", "labels": {"level": None, "families": ["missing"],
                                         "rules": ["QP100"]}}, result)
    figures = report.as_dict()["rules"]
    assert (figures["QP401"]["tp"], figures["QP401"]["fp"], figures["QP401"]["fn"]) == (1, 1, 0)
    assert figures["QP100"]["recall"] == 1.0
    assert "QP401" in render(report.as_dict())
