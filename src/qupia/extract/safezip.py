"""Zip-packaged documents (DOCX, ODT, …) and their XML parts, read hardened.

The archive's member count, total unpacked size and compression ratio are bounded before
anything is inflated; damaged compressed data is a "corrupt file", whatever the inflater raises;
and XML carrying a DOCTYPE (entity declarations: "billion laughs", external entities) is refused
by the parser itself — no DTD loaded, no entity resolved, no network — and by a check of the
parsed document's ``docinfo``, for every part and in every encoding (a DOCTYPE after 5 KB of
comments or in UTF-32 is found as surely as one on the first line).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from qupia.extract.errors import ExtractError, Limits

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, recover=False,
)
#: What zipfile and its inflaters raise on damaged data: a bad CRC or header (BadZipFile),
#: corrupt deflate data (zlib.error), an entry of an unknown zip version or compression method
#: (NotImplementedError), a truncated stream (EOFError), bz2/lzma errors (OSError, ValueError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
               EOFError, OSError, RuntimeError, ValueError, KeyError)
try:
    import lzma

    ZIP_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover - Python built without lzma
    pass


class SafeZip:
    """A size-checked view of a DOCX (or other zip-packaged document: *kind*) archive."""

    def __init__(self, path: Path | BinaryIO, limits: Limits, kind: str = "DOCX") -> None:
        try:
            self.zf = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            raise ExtractError(f"corrupt file: not a readable {kind} (bad ZIP archive: "
                               f"{one_line(exc)})") from None
        infos = self.zf.infolist()
        if len(infos) > limits.max_zip_members:
            raise ExtractError(f"ZIP archive has {len(infos)} members, over the limit")
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped_bytes:
            raise ExtractError(f"ZIP archive unpacks to {total} bytes, over the limit")
        for info in infos:
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > 1024 * 1024 and ratio > limits.max_zip_ratio:
                raise ExtractError(
                    f"ZIP member {info.filename} is compressed {ratio:.0f}:1, a likely zip bomb"
                )
        self.names = {i.filename for i in infos}

    def xml(self, name: str) -> etree._Element | None:
        if name not in self.names:
            return None
        try:
            data = self.zf.read(name)
        except ZIP_ERRORS as exc:
            raise ExtractError(f"corrupt file: damaged ZIP member {name}: "
                               f"{one_line(exc)}") from None
        return parse_xml(data, name)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one XML part, refusing any DOCTYPE: the parser loads no DTD, resolves no entity and
    opens no network; a DOCTYPE it met anyway (any encoding, anywhere before the root) is found
    in the parsed ``docinfo`` and the part refused. Other readers of XML parts (ODF, …) can use
    this too."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if exc.code == etree.ErrorTypes.ERR_NO_MEMORY or "memory" in (exc.msg or "").lower():
            raise MemoryError from None  # libxml2 ran out under the worker's memory limit
        raise ExtractError(f"malformed XML in {name}: {one_line(exc.msg)}") from None
    except (etree.LxmlError, ValueError) as exc:
        raise ExtractError(f"malformed XML in {name}: {one_line(exc)}") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise ExtractError(f"{name} declares a DOCTYPE (XML entities are refused)")
    return root


def one_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
