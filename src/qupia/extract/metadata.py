"""Document metadata → blocks of region ``metadata``, one per property, named by its label.

Office suites, labelling tools and records systems write a document's classification into its
properties as well as, or instead of, a stamp on the page. Every reader turns the properties it
finds into ``(name, value)`` pairs and calls :func:`property_blocks`; which of them say a level
is decided later, by :mod:`qupia.markings.metadata`. Names:

* DOCX core properties (OPC, ECMA-376 Part 2 §11): ``title``, ``subject``, ``keywords``,
  ``description``, ``category``, ``contentStatus``;
* custom properties (ECMA-376 Part 1 §22.3, ``docProps/custom.xml``): ``custom:<name>``; among
  them the properties a Microsoft Purview (MIP) sensitivity label writes,
  ``MSIP_Label_<label GUID>_<attribute>`` with the attributes Enabled, SetDate, Method, Name,
  SiteId, ActionId and ContentBits. Only ``_Name`` can say a level; it is kept while the label
  is enabled, the other attributes (dates, GUIDs, bit masks) are left out;
* newer Office files also keep the label in ``docMetadata/LabelInfo.xml``
  (``clbl:labelList``/``clbl:label`` with id, enabled, removed, method, siteId, contentBits,
  namespace ``http://schemas.microsoft.com/office/2020/mipLabelMetadata``). It holds no name:
  it is read to drop a custom ``_Name`` whose label it records as removed or disabled;
* PDF document information (ISO 32000-1 §14.3.3): ``Info:Title``, ``Info:Subject``,
  ``Info:Keywords`` and the custom keys of :data:`PDF_INFO_KEYS`;
* XMP (ISO 16684-1) in a PDF: ``xmp:dc:title``, ``xmp:dc:subject``, ``xmp:dc:description``,
  ``xmp:pdf:Keywords``, and every simple property outside the standard XMP namespaces
  (``xmp:<prefix>:<name>``): that is where tools copy Info keys (``pdfx:``) and label
  properties (``msip:``) to.

XML is parsed without entities, DTDs or network access; a metadata part that cannot be parsed
is passed over (the page text is what the law's marks are on, Article 18), never fatal.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree

from qupia.model import Block, Region

CORE = ("title", "subject", "keywords", "description", "category", "contentStatus")
MIP_NS = "http://schemas.microsoft.com/office/2020/mipLabelMetadata"
LABEL_INFO = "docMetadata/LabelInfo.xml"
_MSIP = re.compile(r"^MSIP_Label_([0-9A-Fa-f-]{36})_(\w+)$")

#: PDF Info keys read besides Title, Subject and Keywords: custom keys records systems write.
PDF_INFO_KEYS = ("Title", "Subject", "Keywords", "Classification", "SecurityClassification",
                 "Sensitivity", "Grif")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
#: Namespaces of XMP's own schemas: dates, ids, tools, image data — no classification.
_STANDARD = {
    "http://ns.adobe.com/xap/1.0/", "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/tiff/1.0/", "http://ns.adobe.com/exif/1.0/",
    "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfua/ns/id/",
    "http://ns.adobe.com/pdf/1.3/", DC, RDF, "adobe:ns:meta/",
}
_READ = {(DC, "title"), (DC, "subject"), (DC, "description"), (PDF_NS, "Keywords")}
MAX_PROPERTIES = 200  # per document: a property list longer than this is not a label
MAX_VALUE = 4000  # characters kept of one value
MAX_XMP = 4 * 1024 * 1024  # bytes of one XMP packet

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, recover=False)


def property_blocks(props: Iterable[tuple[str, str]]) -> list[Block]:
    """Blocks of region metadata (page 1, ``label`` the property's name) from *props*.

    The entry point for every reader (DOCX, PDF, and the .odt/.doc readers): MSIP label
    attributes other than an enabled label's ``_Name`` are dropped, empty values skipped, a
    value cut at :data:`MAX_VALUE` characters and the list at :data:`MAX_PROPERTIES`.
    """
    pairs = [(name, " ".join(str(value).split())) for name, value in props]
    disabled = {m.group(1).lower() for name, value in pairs
                if (m := _MSIP.match(name.removeprefix("custom:")))
                and m.group(2) == "Enabled" and value.lower() in ("false", "0")}
    out: list[Block] = []
    for name, value in pairs:
        msip = _MSIP.match(name.removeprefix("custom:"))
        if msip and (msip.group(2) != "Name" or msip.group(1).lower() in disabled):
            continue
        if value and len(out) < MAX_PROPERTIES:
            out.append(Block(text=value[:MAX_VALUE], page=1, region=Region.METADATA,
                             label=name))
    return out


def parse_xml(data: bytes) -> etree._Element | None:
    """*data* parsed safely, or None when it is malformed or declares a DOCTYPE (found in the
    text before parsing and, in any encoding, in the parsed ``docinfo``, as
    :func:`qupia.extract.safezip.parse_xml` does for a package's parts)."""
    head = data[:4096]
    if b"<!DOCTYPE" in head.upper() or b"<\x00!\x00D\x00O\x00C\x00" in head:
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.LxmlError, ValueError):
        return None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return None
    return root


def docx_properties(part: Callable[[str], etree._Element | None]) -> list[tuple[str, str]]:
    """Core and custom properties of an OOXML package; *part* gives a part's parsed XML."""
    out: list[tuple[str, str]] = []
    core = part("docProps/core.xml")
    if core is not None:
        for el in core:
            if isinstance(el.tag, str) and el.text and etree.QName(el).localname in CORE:
                out.append((etree.QName(el).localname, el.text))
    custom = part("docProps/custom.xml")
    if custom is not None:
        for prop in custom:
            name = prop.get("name")
            value = "".join(prop.itertext()).strip()
            if name and value:
                out.append((f"custom:{name}", value))
    labels = part(LABEL_INFO)
    if labels is not None:
        for label in labels.iter(f"{{{MIP_NS}}}label"):
            ident = label.get("id", "").strip("{}").lower()
            if label.get("removed") == "1" or label.get("enabled") == "0":
                out.append((f"custom:MSIP_Label_{ident}_Enabled", "false"))
    return out


def xmp_properties(packet: bytes) -> list[tuple[str, str]]:
    """The properties of one XMP packet that may say a level (see the module docstring)."""
    root = parse_xml(packet)
    if root is None:
        return []
    out: list[tuple[str, str]] = []
    for desc in root.iter(f"{{{RDF}}}Description"):
        for attr, value in desc.attrib.items():  # simple properties as attributes
            q = etree.QName(attr)
            if _wanted(q.namespace, q.localname) and value.strip():
                out.append((_xmp_name(desc, q), value))
        for el in desc:
            if not isinstance(el.tag, str):
                continue
            q = etree.QName(el)
            if not _wanted(q.namespace, q.localname):
                continue
            items = [li.text for li in el.iter(f"{{{RDF}}}li") if li.text and li.text.strip()]
            text = "; ".join(items) if items else (el.text or "")
            if text.strip():
                out.append((_xmp_name(el, q), text))
    return out


def _wanted(namespace: str | None, local: str) -> bool:
    return (namespace, local) in _READ or (namespace is not None and namespace not in _STANDARD)


def _xmp_name(el: etree._Element, q: etree.QName) -> str:
    prefix = next((p for p, ns in el.nsmap.items() if ns == q.namespace and p), None)
    return f"xmp:{prefix or q.namespace}:{q.localname}"


_XMP = ((b"<x:xmpmeta", b"</x:xmpmeta>"), (b"<rdf:RDF", b"</rdf:RDF>"))
_METADATA_STREAM = re.compile(rb"/Type\s*/Metadata\b")


def pdf_xmp(path: Path | bytes) -> list[bytes]:
    """The XMP packets of a PDF file, or of a PDF's bytes (a member of an archive).

    pdfium has no call for the catalogue's ``/Metadata`` stream, so the file is scanned as XMP
    (ISO 16684-1, packet scanning) allows: an uncompressed packet is found by its
    ``x:xmpmeta`` (or bare ``rdf:RDF``) element; a Flate-compressed metadata stream by its
    ``/Type /Metadata`` dictionary, inflated to at most :data:`MAX_XMP` bytes. The file is
    mapped, not read into memory.
    """
    if isinstance(path, bytes):
        return _packets(path)
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _packets(data)
    except (OSError, ValueError):
        return []


def _packets(data: mmap.mmap | bytes) -> list[bytes]:
    packets: list[bytes] = []
    for opening, closing in _XMP:
        start = data.find(opening)
        end = data.find(closing, start) if start >= 0 else -1
        if start >= 0 and 0 <= end - start <= MAX_XMP:
            packets.append(data[start: end + len(closing)])
            break  # an x:xmpmeta holds its rdf:RDF
    for m in _METADATA_STREAM.finditer(data):  # type: ignore[call-overload]
        head = data[max(0, m.start() - 512): m.start() + 512]
        if b"/FlateDecode" not in head:
            continue
        start = data.find(b"stream", m.end(), m.end() + 1024)
        if start < 0:
            continue
        start += len(b"stream")
        start += 2 if data[start: start + 2] == b"\r\n" else 1
        try:
            inflated = zlib.decompressobj().decompress(data[start: start + MAX_XMP], MAX_XMP)
        except zlib.error:
            continue
        if b"rdf:RDF" in inflated:
            packets.append(inflated)
    return packets
