"""Writes that are never half done, and a check that a write can succeed before work starts.

A report or baseline is written to a temporary file in the target's own folder, flushed to
disk (``fsync``) and renamed over the target. ``rename`` within one file system is atomic
(POSIX ``rename(2)``): a run killed at any moment — SIGKILL, SIGTERM, Ctrl-C, a full disk —
leaves either yesterday's file or today's, never a truncated one. The folder is synced too, so
that the rename itself survives a power cut.

:func:`check_writable` is called before a scan, so that a mistyped ``--output`` is a usage error
in the first second, not a traceback after an hour's scan.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


class WriteError(Exception):
    """A target that cannot be written; the message is one line naming the path."""


def _show(path: Path | str) -> str:
    """The path for a message, printable whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_writable(path: Path | str) -> None:
    """Raise :class:`WriteError` unless a file can be created or replaced at *path*.

    What :func:`atomic_writer` needs: the folder exists, is a folder, and lets us create a file
    (tried for real: permission bits say nothing about read-only mounts or /proc), and the
    target, if it exists, is a regular file.
    """
    target = Path(path)
    shown = _show(target)
    try:
        os.fsencode(target)
    except UnicodeError:
        raise WriteError(f"{shown}: the file name cannot be encoded") from None
    if target.name in ("", ".", ".."):
        raise WriteError(f"{shown}: not a file name")
    folder = target.parent
    if not folder.exists():
        raise WriteError(f"{shown}: no such folder {_show(folder)!r}")
    if not folder.is_dir():
        raise WriteError(f"{shown}: {_show(folder)!r} is not a folder")
    if target.exists() and not target.is_file():
        raise WriteError(f"{shown}: exists and is not a regular file")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".probe",
                                     dir=folder)
    except OSError as exc:
        raise WriteError(f"{shown}: cannot create a file in {_show(folder)!r}: "
                         f"{exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)
    if target.exists() and not os.access(target, os.W_OK):
        # rename() would replace it all the same; a read-only report is a statement of intent.
        raise WriteError(f"{shown}: the file is read-only")


@contextlib.contextmanager
def atomic_writer(path: Path | str, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream whose content replaces *path* when the ``with`` block ends without an
    exception; on an exception (or a kill) *path* is untouched and the temporary file removed
    (after a SIGKILL a ``.name.*.tmp`` file may remain beside it; never the target half written).
    """
    target = Path(path)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{_show(target)}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if target.exists():  # keep the old file's permission bits (mkstemp makes 0600)
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself, on disk (not every FS allows it)
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


#: Ceiling for a file qupia reads as settings (configuration, baseline, sidecar, departmental
#: list): far above any real one, and bounded so that /dev/zero given as --config cannot fill
#: the memory.
MAX_SETTINGS_BYTES = 64 * 1024 * 1024


def read_regular(path: Path | str, max_bytes: int = MAX_SETTINGS_BYTES) -> bytes:
    """The bytes of *path*, a regular file of at most *max_bytes*; :class:`OSError` (with a
    one-line ``strerror``) otherwise. Opened non-blocking, so a FIFO does not hang the caller."""
    import errno
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if st.st_size > max_bytes:
            raise OSError(errno.EFBIG, f"larger than {max_bytes // (1024 * 1024)} MiB")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise OSError(errno.EFBIG, f"larger than {max_bytes // (1024 * 1024)} MiB")
    return data
