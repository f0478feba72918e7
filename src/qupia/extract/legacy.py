"""Legacy Word files (.doc, .rtf): converted to DOCX by LibreOffice, read by the DOCX reader.

Why LibreOffice: the binary .doc format (MS-DOC) keeps headers, footers, text boxes and
footnotes in separate character ranges of one stream, and no maintained pure-Python reader
gives them back as regions (antiword and catdoc flatten them, and lose text boxes); LibreOffice
reads both formats as Word does and writes DOCX whose parts keep each region, so the hardened
DOCX reader (:mod:`qupia.extract.docx`) reads the result like any other DOCX. Measured on this
machine (``make bench``): about 0.1 s a file once the converter is running, against 1.5 s for
a fresh ``soffice --convert-to`` per file, so one converter is started per worker process on
the first legacy file and kept for the rest of the scan.

The converter (:mod:`qupia.extract.uno_convert`) runs under a Python that has LibreOffice's
UNO bridge (Debian: python3-uno, with libreoffice-writer-nogui), talks to one headless
``soffice`` over a private pipe, and passes documents in and out as streams: no copy of a
document's text is written to disk. LibreOffice's profile and its own temporary files go to a
private (0700) folder under /dev/shm (memory), removed when the converter stops. A conversion
gets the same time limit as any reader; a converter that does not answer in time is killed
(and restarted for the next file), and it dies with the worker that started it.
"""

from __future__ import annotations

import atexit
import io
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from qupia.extract.errors import ExtractError, Limits
from qupia.model import Document

_HELPER = Path(__file__).with_name("uno_convert.py")
_INSTALL = ("reading .doc and .rtf files needs LibreOffice and its Python bridge "
            "(Debian: apt-get install libreoffice-writer-nogui python3-uno)")
_START_SECONDS = 60.0


def _pythons() -> list[str]:
    named = os.environ.get("QUPIA_UNO_PYTHON")
    if named:
        return [named]
    return [p for p in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python",
                        "/opt/libreoffice/program/python") if os.path.exists(p)]


class Converter:
    """One LibreOffice converter process, started on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.home: str | None = None
        self.owner = os.getpid()
        self.started = 0.0

    def _start(self) -> None:
        if not any(os.path.exists(p) for p in ("/usr/lib/libreoffice/program/soffice.bin",
                                               "/opt/libreoffice/program/soffice.bin")) and \
                not os.environ.get("QUPIA_SOFFICE_BIN"):
            raise ExtractError(_INSTALL)
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        for python in _pythons():
            # mode 0700; named by this process, so that whoever kills it can remove the folder
            self.home = tempfile.mkdtemp(prefix=f"qupia-lo-{os.getpid()}-", dir=shm)
            self.proc = subprocess.Popen(
                [python, "-I", str(_HELPER), self.home],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                start_new_session=False,
            )
            self.started = time.monotonic()
            if self._read(1, _START_SECONDS) == b"R":
                return
            self.close()
        raise ExtractError(_INSTALL)

    def _read(self, n: int, timeout: float) -> bytes | None:
        """*n* bytes from the converter, or None if it died or did not answer in time."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        buf = b""
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def convert(self, data: bytes, kind: str, timeout: float) -> bytes:
        """The document *data* (*kind* doc or rtf) as DOCX bytes, or ExtractError with
        LibreOffice's reason."""
        if self.owner != os.getpid():  # inherited through fork: the pipes are the parent's
            self.proc, self.home, self.owner = None, None, os.getpid()
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(struct.pack(">cI", kind[:1].encode(), len(data)) + data)
            self.proc.stdin.flush()
        except OSError:
            self.close()
            raise ExtractError("the LibreOffice converter stopped") from None
        head = self._read(5, timeout)
        if head is None:
            self.close()
            raise ExtractError(f"LibreOffice did not convert the file within {timeout:g} s")
        (size,) = struct.unpack(">I", head[1:])
        payload = self._read(size, timeout)
        if payload is None:
            self.close()
            raise ExtractError("the LibreOffice converter stopped")
        if head[:1] != b"K":
            raise ExtractError(payload.decode("utf-8", "replace"))
        return payload

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and self.owner == os.getpid():
            try:
                if proc.stdin is not None:
                    proc.stdin.close()
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self.home is not None and self.owner == os.getpid():
            shutil.rmtree(self.home, ignore_errors=True)
        self.home = None


_CONVERTER = Converter()
atexit.register(_CONVERTER.close)


def shutdown() -> None:
    """Stop this process's converter, if it started one, and remove its folder."""
    _CONVERTER.close()


def remove_leftovers(pid: int) -> None:
    """Remove the converter folder of process *pid*, killed before it could (its converter
    died with it; the folder holds LibreOffice's profile, never a document)."""
    for folder in ("/dev/shm", tempfile.gettempdir()):
        for home in Path(folder).glob(f"qupia-lo-{pid}-*"):
            shutil.rmtree(home, ignore_errors=True)


def ole_problem(data: bytes) -> str | None:
    """Why an OLE compound file is no readable Word document, or None: read with olefile
    before LibreOffice sees it, since LibreOffice reports an encrypted or foreign file only as
    one it could not open. The Word FIB's flag word (MS-DOC 2.5.1) says whether it is
    encrypted; OOXML encryption puts the DOCX in an ``EncryptedPackage`` stream."""
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, IndexError, struct.error):
        return "damaged OLE compound file (not a readable .doc)"
    try:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            return "encrypted Office file: a password is required"
        if not ole.exists("WordDocument"):
            return "OLE compound file without a Word document (an Excel or PowerPoint file?)"
        fib = ole.openstream("WordDocument").read(12)
    except (OSError, ValueError, IndexError, struct.error):
        return "damaged OLE compound file (not a readable .doc)"
    finally:
        ole.close()
    if len(fib) < 12:
        return "damaged Word document (its header is cut short)"
    if int.from_bytes(fib[10:12], "little") & 0x0100:
        return "encrypted Word file: a password is required"
    return None


def read_legacy(data: bytes, name: str, kind: str, limits: Limits) -> Document:
    """A .doc or .rtf file's bytes → Document (format *kind*), through LibreOffice and DOCX."""
    from qupia.extract.docx import read_docx

    if kind == "doc":
        problem = ole_problem(data)
        if problem:
            raise ExtractError(problem)
    docx = _CONVERTER.convert(data, kind, limits.timeout_seconds)
    doc = read_docx(io.BytesIO(docx), limits, name=name)
    return Document(path=doc.path, format=kind, pages=doc.pages, blocks=doc.blocks)
