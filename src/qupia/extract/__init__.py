"""Files → a :class:`~qupia.model.Document`: pages of text blocks, each tagged with a region.

The format is decided by the file's first bytes, not by its name: a PDF named ``.docx`` is an
error, not a silent guess, because a user who mislabels a secret document should be told.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from qupia.extract.errors import ExtractError, Limits
from qupia.model import Document

__all__ = ["SUFFIXES", "ExtractError", "Limits", "extract", "regular_file", "sniff"]

#: File name endings qupia reads (a .zip is walked for these: :mod:`qupia.extract.zipped`).
SUFFIXES: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".txt": "txt",
    ".odt": "odt", ".doc": "doc", ".rtf": "rtf", ".zip": "zip",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}
_IMAGES = ("png", "jpeg", "tiff")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes) -> str | None:
    """The format the bytes are in: pdf, zip, ole, rtf, png, jpeg, tiff, or None (text or
    unknown)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return None


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def regular_file(path: Path) -> os.stat_result:
    """Its ``stat`` (through symbolic links) when *path* is a regular file; otherwise
    :class:`ExtractError` ("not a regular file"). Only ``stat``: a FIFO or a device is never
    opened, since opening or reading one can block for ever (a FIFO) or never end (/dev/zero)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "special")
        raise ExtractError(f"not a regular file ({kind})")
    return st


def extract(path: Path, limits: Limits | None = None, data: bytes | None = None,
            ocr: str = "auto", ocr_workers: int = 1) -> Document:
    """Read *path* into a Document or raise :class:`ExtractError` with a one-line reason.

    *data*, when given, is the file's content (a member of an archive, read in memory) and
    *path* only its name. *ocr* (off, auto, force) says when pages are read from their image
    (:mod:`.ocr`), *ocr_workers* how many pages of one file are recognised at once."""
    limits = limits or Limits()
    claimed = SUFFIXES.get(path.suffix.lower())
    if claimed is None:
        raise ExtractError(f"unsupported file type {path.suffix or '(no extension)'!r}")
    if data is None:
        size = regular_file(path).st_size
    else:
        size = len(data)
    if size == 0:
        raise ExtractError("empty file")
    if size > limits.max_file_bytes:
        raise ExtractError(
            f"file is {size} bytes, over the limit of {limits.max_file_bytes} bytes"
        )
    if data is None:
        try:
            with path.open("rb") as fh:
                head = fh.read(1024)
        except OSError as exc:
            raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
    else:
        head = data[:1024]
    actual = sniff(head)
    if claimed == "zip":  # its members are read one by one: qupia.engine.check_path
        raise ExtractError("a ZIP archive is not one document; its members are read in turn")
    source = io.BytesIO(data) if data is not None else path
    if claimed == "pdf":
        if actual != "pdf":
            raise ExtractError(_mislabel("PDF", actual))
        from qupia.extract.pdf import read_pdf

        return read_pdf(data if data is not None else path, limits, name=str(path), ocr=ocr,
                        workers=ocr_workers)
    if claimed == "image":
        if actual not in _IMAGES:
            raise ExtractError(_mislabel("image", actual))
        from qupia.extract.image import read_image

        return read_image(source, limits, ocr, ocr_workers, name=str(path))
    if claimed == "docx":
        if actual == "ole":
            raise ExtractError(
                "OLE compound file: an encrypted (password-protected) Word file or a legacy .doc"
            )
        if actual != "zip":
            raise ExtractError(_mislabel("DOCX", actual))
        from qupia.extract.docx import read_docx

        return read_docx(source, limits, name=str(path))
    if claimed == "odt":
        if actual != "zip":
            raise ExtractError(_mislabel("ODT", actual))
        from qupia.extract.odt import read_odt

        return read_odt(source, limits, name=str(path))
    if claimed in ("doc", "rtf"):
        if actual != {"doc": "ole", "rtf": "rtf"}[claimed]:
            raise ExtractError(_mislabel(claimed.upper(), actual))
        from qupia.extract.legacy import read_legacy

        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
        return read_legacy(data, str(path), claimed, limits)
    if actual is not None:
        raise ExtractError(_mislabel("text", actual))
    from qupia.extract.txt import read_txt

    return read_txt(path, limits, data=data)


def _mislabel(expected: str, actual: str | None) -> str:
    names = {"pdf": "a PDF", "zip": "a ZIP archive", "ole": "an OLE compound file (.doc/.xls)",
             "rtf": "RTF", "png": "a PNG image", "jpeg": "a JPEG image",
             "tiff": "a TIFF image"}
    found = names.get(actual or "", "not recognisable as that format")
    return f"named as {expected} but the content is {found}"
