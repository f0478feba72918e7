"""Plain text: UTF-8, UTF-16 (with or without BOM) or cp1251; a form feed starts a new page.

Lines are grouped into blocks at blank lines, so a stamp on its own line stays its own block.
Plain text has no header zone; the first and last lines of a page are tagged body like the rest.
"""

from __future__ import annotations

from pathlib import Path

from qupia.extract.errors import ExtractError, Limits
from qupia.model import Block, Document, Region


def decode(data: bytes) -> str:
    """Decode text bytes; raise ExtractError for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if b"\x00" in sample:
        # UTF-16 without a byte order mark: take the byte order whose text reads as text.
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            head = text[:2000]
            if sum(ch.isalnum() or ch.isspace() or ch in ".,:;-№()«»\"'" for ch in head) > (
                0.9 * len(head)
            ):
                return text
        raise ExtractError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def read_txt(path: Path, limits: Limits, data: bytes | None = None) -> Document:
    """Read the text file at *path*, or its content *data* (a member of an archive)."""
    text = decode(path.read_bytes() if data is None else data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > limits.max_pages:
        raise ExtractError(f"{len(pages)} pages, over the limit of {limits.max_pages}")
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        for chunk in page.split("\n\n"):
            chunk = chunk.strip("\n")
            if chunk.strip():
                blocks.append(Block(text=chunk, page=number, region=Region.BODY))
    return Document(path=str(path), format="txt", pages=len(pages), blocks=tuple(blocks))
