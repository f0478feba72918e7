"""ZIP archives: the documents inside, read in memory, nested archives too.

Each member is named ``archive.zip!folder/order.docx`` (nested: ``a.zip!b.zip!c.pdf``) and
read by the reader of its type from its bytes: nothing is extracted to disk. The bounds of a
DOCX archive hold for the whole walk, nested levels included
(:class:`~qupia.extract.errors.Limits`): the number of members, the total unpacked size and
the compression ratio of each member; archives nest at most :data:`MAX_DEPTH` deep. A member that
breaks a bound, is encrypted or damaged gets its own one-line reason; an archive that cannot be
opened at all gets one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from qupia.extract.errors import ExtractError, Limits
from qupia.extract.safezip import ZIP_ERRORS as _ZIP_ERRORS
from qupia.extract.safezip import one_line as _one_line

#: Archives inside archives are opened down to this depth (the outer archive is depth 1).
MAX_DEPTH = 3
_ZIP_SUFFIXES = (".zip",)
#: A member's sidecar file of suppressions: the member's name and this (qupia.review).
SIDECAR_SUFFIX = ".qupia.toml"
MAX_SIDECAR = 64 * 1024  # bytes: a few suppressions with their reasons


@dataclass
class _Budget:
    members: int = 0
    unpacked: int = 0


@dataclass(frozen=True)
class Member:
    """One file in an archive: its report name and its bytes, or why it cannot be read."""

    name: str
    data: bytes | None
    error: str | None = None
    #: the member's sidecar of suppressions beside it in the archive (``order.docx`` →
    #: ``order.docx.qupia.toml``, :mod:`qupia.review`), its bytes, when there is one
    sidecar: bytes | None = None
    sidecar_error: str | None = None  # why a sidecar that is there could not be read


_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it. Without the UTF-8 flag, ZIP names are read as
    code page 437; archives made on Russian and Kazakh Windows hold code page 866 there, which
    reads back as box-drawing characters ("╨Я╤А…"). Such a name is decoded again as 866 when
    that gives Cyrillic letters."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    try:
        again = raw.decode("cp866")
    except UnicodeDecodeError:
        return info.filename
    return again if any(ch.lower() in _CYRILLIC for ch in again) else info.filename


def is_archive(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in _ZIP_SUFFIXES


def walk(source: str | bytes, name: str, limits: Limits, wanted: frozenset[str] | set[str]
         ) -> Iterator[Member]:
    """The members of the archive at path *source* (or its bytes) whose suffix is in *wanted*,
    archives inside it walked in turn. Raises ExtractError when the outer archive itself
    cannot be read or breaks a bound before any member is read."""
    yield from _walk(source, name, limits, wanted, 1, _Budget())


def _open(source: str | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except _ZIP_ERRORS as exc:
        raise ExtractError(f"corrupt file: not a readable ZIP archive ({_one_line(exc)})"
                           ) from None


def _walk(source: str | bytes, name: str, limits: Limits, wanted: frozenset[str] | set[str],
          depth: int, budget: _Budget) -> Iterator[Member]:
    with _open(source) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        budget.members += len(infos)
        if budget.members > limits.max_zip_members:
            raise ExtractError(f"ZIP archive has {budget.members} members, over the limit of "
                               f"{limits.max_zip_members}")
        declared = sum(i.file_size for i in infos)
        if budget.unpacked + declared > limits.max_unzipped_bytes:
            raise ExtractError(f"ZIP archive unpacks to {budget.unpacked + declared} bytes, "
                               f"over the limit of {limits.max_unzipped_bytes}")
        by_name = {i.filename: i for i in infos}
        for info in infos:
            inner = f"{name}!{_member_name(info)}"
            nested = is_archive(info.filename)
            if not nested and PurePosixPath(info.filename).suffix.lower() not in wanted:
                continue
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > 1024 * 1024 and ratio > limits.max_zip_ratio:
                yield Member(inner, None, f"compressed {ratio:.0f}:1 in the archive, a likely "
                                          "zip bomb")
                continue
            if info.file_size > limits.max_file_bytes:
                yield Member(inner, None, f"file is {info.file_size} bytes, over the limit of "
                                          f"{limits.max_file_bytes} bytes")
                continue
            if info.flag_bits & 0x1:
                yield Member(inner, None, "encrypted ZIP member: a password is required")
                continue
            try:
                data = zf.read(info)
            except _ZIP_ERRORS as exc:
                yield Member(inner, None, f"corrupt file: damaged ZIP member ({_one_line(exc)})")
                continue
            budget.unpacked += len(data)
            if not nested:
                side = by_name.get(info.filename + SIDECAR_SUFFIX)
                got, why = _sidecar(zf, side) if side is not None else (None, None)
                yield Member(inner, data, sidecar=got, sidecar_error=why)
            elif depth >= MAX_DEPTH:
                yield Member(inner, None, f"archive nested more than {MAX_DEPTH} deep")
            else:
                try:
                    yield from _walk(data, inner, limits, wanted, depth + 1, budget)
                except ExtractError as exc:
                    yield Member(inner, None, str(exc))



def _sidecar(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """A sidecar member's bytes, or why they cannot be read (the member is then an error:
    a suppression that cannot be read is never ignored, :mod:`qupia.review`)."""
    if info.file_size > MAX_SIDECAR:
        return None, f"sidecar {info.filename!r} is over {MAX_SIDECAR} bytes"
    if info.flag_bits & 0x1:
        return None, f"sidecar {info.filename!r} is encrypted"
    try:
        return zf.read(info), None
    except _ZIP_ERRORS as exc:
        return None, f"sidecar {info.filename!r} is damaged ({_one_line(exc)})"
