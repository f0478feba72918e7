"""DOCX (Office Open XML, ECMA-376) read with zipfile and lxml, hardened.

Everything a reader might see and everything a reader does not see but a publisher ships:

* body paragraphs and tables, nested tables too, in reading order (ECMA-376 Part 1, §17.3–17.4);
* text boxes and shapes (``w:txbxContent``; of ``mc:AlternateContent`` only the Choice is read,
  since the Fallback repeats the same text for old readers);
* headers and footers of every section with their first-page and even-page variants (§17.10);
* footnotes, endnotes and comments;
* tracked insertions (read as body text) and deletions (``w:delText``, region hidden);
* hidden runs (``w:vanish``, region hidden);
* core and custom document properties and sensitivity labels (region metadata;
  :mod:`qupia.extract.metadata`).

Pages: a DOCX has no fixed pages. Where Word recorded where its pages began
(``w:lastRenderedPageBreak``) those are used; otherwise explicit page breaks and section breaks.

Hardening: the archive and every XML part are read through :mod:`qupia.extract.safezip`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import BinaryIO

from lxml import etree

from qupia.extract.errors import ExtractError, Limits
from qupia.extract.metadata import docx_properties, property_blocks
from qupia.extract.safezip import SafeZip
from qupia.model import Block, Document, Region

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _R, _T, _TBL, _TR, _TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_TXBX = _w("txbxContent")
_CONTAINERS = {
    _w(t)
    for t in ("ins", "hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml",
              "moveTo", "dir", "bdo")
}
def _rels(zf: SafeZip, part: str) -> dict[str, str]:
    """Relationship id → target part name for *part*."""
    p = PurePosixPath(part)
    root = zf.xml(str(p.parent / "_rels" / f"{p.name}.rels"))
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            parts: list[str] = []
            for seg in (str(p.parent) + "/" + target).split("/"):
                if seg == "..":
                    if parts:
                        parts.pop()
                elif seg and seg != ".":
                    parts.append(seg)
            name = "/".join(parts)
        out[rel.get("Id", "")] = name
    return out


class _Walker:
    """Turns WordprocessingML into blocks, keeping the page count as it goes."""

    def __init__(self, use_rendered_breaks: bool) -> None:
        self.page = 1
        self.rendered = use_rendered_breaks
        self.blocks: list[Block] = []

    def _emit(self, text: str, region: Region, align: str | None = None) -> None:
        text = text.strip()
        if text:
            self.blocks.append(Block(text=text, page=self.page, region=region, align=align))

    def container(self, node: etree._Element, region: Region) -> None:
        """A body, cell, header, footer, note, comment or text box: paragraphs and tables."""
        for child in node:
            tag = child.tag
            if tag == _P:
                self.paragraph(child, region)
            elif tag == _TBL:
                # A table in a header or footer (org name left, stamp right) stays header.
                self.table(child, Region.TABLE if region is Region.BODY else region)
            elif tag in _CONTAINERS:
                self.container(child, region)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self.container(choice, region)

    def table(self, tbl: etree._Element, region: Region) -> None:
        for row in tbl.iter(_TR):
            if _nearest(row, _TBL) is not tbl:
                continue
            for cell in row:
                if cell.tag == _TC:
                    self.container(cell, region)
                elif cell.tag in _CONTAINERS:  # sdt around a cell
                    for tc in cell.iter(_TC):
                        if _nearest(tc, _TBL) is tbl:
                            self.container(tc, region)

    def paragraph(self, p: etree._Element, region: Region) -> None:
        ppr = p.find(_w("pPr"))
        align = None
        if ppr is not None:
            jc = ppr.find(_w("jc"))
            if jc is not None:
                align = {"end": "right", "both": "justify"}.get(jc.get(_w("val"), ""),
                                                               jc.get(_w("val")))
            if not self.rendered and ppr.find(_w("pageBreakBefore")) is not None:
                self.page += 1
        parts: list[str] = []
        hidden: list[str] = []
        boxes: list[etree._Element] = []
        self._inline(p, parts, hidden, boxes, deleted=False)
        self._emit("".join(parts), region, align)
        if hidden:
            self._emit("".join(hidden), Region.HIDDEN)
        for box in boxes:
            self.container(box, Region.TEXTBOX)
        if not self.rendered and ppr is not None:
            sect = ppr.find(_w("sectPr"))
            if sect is not None:
                kind = sect.find(_w("type"))
                if kind is None or kind.get(_w("val")) in (None, "nextPage", "oddPage",
                                                            "evenPage"):
                    self.page += 1

    def _inline(
        self,
        node: etree._Element,
        parts: list[str],
        hidden: list[str],
        boxes: list[etree._Element],
        deleted: bool,
    ) -> None:
        for child in node:
            tag = child.tag
            if tag == _R:
                rpr = child.find(_w("rPr"))
                vanish = rpr is not None and _on(rpr.find(_w("vanish")))
                sink = hidden if (vanish or deleted) else parts
                for rc in child:
                    rtag = rc.tag
                    if rtag == _T or rtag == _w("delText"):
                        sink.append(rc.text or "")
                    elif rtag == _w("tab"):
                        sink.append("\t")
                    elif rtag in (_w("br"), _w("cr")):
                        if rc.get(_w("type")) == "page" and not self.rendered:
                            self._emit("".join(parts), Region.BODY)
                            parts.clear()
                            self.page += 1
                        else:
                            sink.append("\n")
                    elif rtag == _w("lastRenderedPageBreak") and self.rendered and (
                        parts or self.blocks
                    ):
                        self.page += 1
                    elif rtag == _w("noBreakHyphen"):
                        sink.append("-")
                    else:
                        boxes.extend(_boxes(rc))
            elif tag == _w("del") or tag == _w("moveFrom"):
                self._inline(child, parts, hidden, boxes, deleted=True)
            elif tag in _CONTAINERS:
                self._inline(child, parts, hidden, boxes, deleted)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self._inline(choice, parts, hidden, boxes, deleted)


def _on(el: etree._Element | None) -> bool:
    """A WordprocessingML on/off property (§17.17.4): present and not false."""
    return el is not None and el.get(_w("val"), "true") not in ("false", "0", "off")


def _nearest(el: etree._Element, tag: str) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _boxes(node: etree._Element) -> list[etree._Element]:
    """Outermost text boxes inside a drawing/pict, Choice only for AlternateContent."""
    found: list[etree._Element] = []
    stack = [node]
    while stack:
        el = stack.pop()
        for child in el:
            if child.tag == _TXBX:
                found.append(child)
            elif child.tag == f"{{{MC}}}Fallback":
                continue
            else:
                stack.append(child)
    return found


def read_docx(path: Path | BinaryIO, limits: Limits, name: str | None = None) -> Document:
    """Read a DOCX file, or its bytes in a file object (a zip member, a converted .doc) named
    *name* in the report."""
    zf = SafeZip(path, limits)
    try:
        return _read(zf, name if name is not None else str(path), limits)
    finally:
        zf.zf.close()


def custom_properties(path: Path, limits: Limits | None = None) -> dict[str, str]:
    """The custom document properties (``docProps/custom.xml``) of a DOCX: name → text.

    Read with the same hardened archive view as the document, for callers that need only the
    properties (a reviewer's ``qupia-ignore`` decision, :mod:`qupia.review`).
    """
    zf = SafeZip(path, limits or Limits())
    try:
        # every custom property, whole: not the capped list the metadata blocks are made of
        return {name.removeprefix("custom:"): value for name, value in docx_properties(zf.xml)
                if name.startswith("custom:")}
    finally:
        zf.zf.close()


def _main_part(zf: SafeZip) -> str:
    root = zf.xml("_rels/.rels")
    if root is not None:
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _read(zf: SafeZip, path: str, limits: Limits) -> Document:
    main = _main_part(zf)
    doc = zf.xml(main)
    if doc is None:
        raise ExtractError("ZIP archive without a Word document part (not a DOCX)")
    body = doc.find(_w("body"))
    if body is None:
        raise ExtractError("Word document without a body")
    rendered = doc.find(f".//{_w('lastRenderedPageBreak')}") is not None
    walker = _Walker(rendered)
    walker.container(body, Region.BODY)
    pages = walker.page
    if pages > limits.max_pages:
        raise ExtractError(f"{pages} pages, over the limit of {limits.max_pages}")
    blocks = walker.blocks
    rels = _rels(zf, main)

    # Headers and footers of every section, each variant once (§17.10.5).
    seen: set[str] = set()
    side = _Walker(rendered)
    for kind, region in (("headerReference", Region.HEADER), ("footerReference", Region.FOOTER)):
        for ref in doc.iter(_w(kind)):
            part = rels.get(ref.get(f"{{{R}}}id", ""))
            if not part or part in seen:
                continue
            seen.add(part)
            root = zf.xml(part)
            if root is not None:
                side.page = 2 if ref.get(_w("type")) == "even" else 1
                side.container(root, region)

    # Notes and comments.
    for part, child, region in (
        ("word/footnotes.xml", "footnote", Region.FOOTNOTE),
        ("word/endnotes.xml", "endnote", Region.FOOTNOTE),
        ("word/comments.xml", "comment", Region.COMMENT),
    ):
        named = next((v for v in rels.values() if v.endswith(part.split("/")[-1])), part)
        root = zf.xml(named)
        if root is None:
            continue
        for note in root.iter(_w(child)):
            if note.get(_w("type")) in ("separator", "continuationSeparator",
                                        "continuationNotice"):
                continue
            side.page = 1
            side.container(note, region)
    blocks.extend(side.blocks)
    blocks.extend(_properties(zf))
    return Document(path=path, format="docx", pages=pages, blocks=tuple(blocks))


def _properties(zf: SafeZip) -> list[Block]:
    """Core, custom and sensitivity-label properties (:mod:`qupia.extract.metadata`)."""
    return property_blocks(docx_properties(zf.xml))
