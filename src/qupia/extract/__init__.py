"""Files → a :class:`~qupia.model.Document`: pages of text blocks, each tagged with a region.

The format is decided by the file's first bytes, not by its name: a PDF named ``.docx`` is an
error, not a silent guess, because a user who mislabels a secret document should be told.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from qupia.extract.errors import ExtractError, Limits
from qupia.model import Document

__all__ = ["SUFFIXES", "ExtractError", "Limits", "extract", "regular_file", "sniff"]

#: File name endings qupia reads.
SUFFIXES: dict[str, str] = {".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".txt": "txt"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes) -> str | None:
    """The format the bytes are in: pdf, zip, ole, or None (text or unknown)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
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


def extract(path: Path, limits: Limits | None = None) -> Document:
    """Read *path* into a Document or raise :class:`ExtractError` with a one-line reason."""
    limits = limits or Limits()
    claimed = SUFFIXES.get(path.suffix.lower())
    if claimed is None:
        raise ExtractError(f"unsupported file type {path.suffix or '(no extension)'!r}")
    size = regular_file(path).st_size
    if size == 0:
        raise ExtractError("empty file")
    if size > limits.max_file_bytes:
        raise ExtractError(
            f"file is {size} bytes, over the limit of {limits.max_file_bytes} bytes"
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
    actual = sniff(head)
    if claimed == "pdf":
        if actual != "pdf":
            raise ExtractError(_mislabel("PDF", actual))
        from qupia.extract.pdf import read_pdf

        return read_pdf(path, limits)
    if claimed == "docx":
        if actual == "ole":
            raise ExtractError(
                "OLE compound file: an encrypted (password-protected) Word file or a legacy .doc"
            )
        if actual != "zip":
            raise ExtractError(_mislabel("DOCX", actual))
        from qupia.extract.docx import read_docx

        return read_docx(path, limits)
    if actual is not None:
        raise ExtractError(_mislabel("text", actual))
    from qupia.extract.txt import read_txt

    return read_txt(path, limits)


def _mislabel(expected: str, actual: str | None) -> str:
    names = {"pdf": "a PDF", "zip": "a ZIP archive", "ole": "an OLE compound file (.doc/.xls)"}
    found = names.get(actual or "", "not recognisable as that format")
    return f"named as {expected} but the content is {found}"
