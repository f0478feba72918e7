"""A LibreOffice converter process: legacy Word files in, DOCX out, all in memory.

Run as a script by a Python that has LibreOffice's ``uno`` module (Debian: python3-uno), not by
qupia's own interpreter, and never imported by qupia: :mod:`qupia.extract.legacy` starts it
once per worker and sends it one document at a time. It starts ``soffice.bin`` headless with a
private profile in the folder given as its argument, listening on a pipe, and connects to it
over UNO.

Frames on stdin/stdout: a request is one byte naming the import filter (``d`` Word 97–2003,
``r`` RTF: LibreOffice must not fall back to reading a damaged file as plain text), a 4-byte
big-endian length and the document's bytes; the
answer is one byte (``K`` done, ``E`` failed), a 4-byte length and the DOCX bytes or a one-line
reason in UTF-8. The document goes to LibreOffice as an input stream and comes back as an output
stream: no copy of its text is written to disk. Macros are never run and links never updated
(no network). Both processes die with their parent (``PR_SET_PDEATHSIG``), so a worker killed for
taking too long takes its converter with it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import struct
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
import unohelper  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.io import XOutputStream  # type: ignore[import-not-found]

_PR_SET_PDEATHSIG = 1
# Word 97–2003, then the older binary Word formats an archive may hold; RTF.
_FILTERS = {b"d": ("MS Word 97", "MS Word 95", "MS WinWord 6.0"), b"r": ("Rich Text Format",)}


def _die_with_parent() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


class _Out(unohelper.Base, XOutputStream):  # type: ignore[misc]
    def __init__(self) -> None:
        self.data = bytearray()

    def writeBytes(self, seq: object) -> None:  # the UNO interface names it
        self.data += seq.value  # type: ignore[attr-defined]

    def flush(self) -> None:
        pass

    def closeOutput(self) -> None:
        pass


def _soffice() -> str:
    for candidate in (os.environ.get("QUPIA_SOFFICE_BIN", ""),
                      "/usr/lib/libreoffice/program/soffice.bin",
                      "/opt/libreoffice/program/soffice.bin"):
        if candidate and os.path.exists(candidate):
            return candidate
    raise SystemExit("soffice.bin not found")


def _read_exact(stream: object, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = stream.read(n - len(buf))  # type: ignore[attr-defined]
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def main() -> None:
    _die_with_parent()
    home = sys.argv[1]
    pipe = f"qupia-{os.getpid()}"
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    ctx, office = None, None
    for _start in range(3):  # a fresh profile makes soffice.bin exit 81 once: start it again
        office = subprocess.Popen(
            [_soffice(), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", f"-env:UserInstallation=file://{home}/profile",
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # its profile and its temporary files (lu*.tmp) in the private folder, in memory
            preexec_fn=_die_with_parent, env={**os.environ, "HOME": home, "TMPDIR": home},
        )
        for _ in range(600):
            try:
                ctx = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                if office.poll() is not None:
                    break
                time.sleep(0.05)
        if ctx is not None:
            break
    if ctx is None or office is None:
        raise SystemExit("LibreOffice did not start")
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")  # ready
    stdout.flush()
    while True:
        try:
            kind, size = struct.unpack(">cI", _read_exact(stdin, 5))
            data = _read_exact(stdin, size)
        except EOFError:
            break
        status = b"E"
        payload = b"LibreOffice could not open the file (damaged, encrypted or not that format)"
        doc, failure = None, None
        try:
            for name in _FILTERS.get(kind, _FILTERS[b"d"]):
                stream = smgr.createInstanceWithContext("com.sun.star.io.SequenceInputStream",
                                                        ctx)
                stream.initialize((uno.ByteSequence(data),))
                try:
                    doc = desktop.loadComponentFromURL(
                        "private:stream", "_blank", 0,
                        (_prop("InputStream", stream), _prop("Hidden", True),
                         _prop("FilterName", name), _prop("ReadOnly", True),
                         _prop("MacroExecutionMode", 0), _prop("UpdateDocMode", 0),
                         _prop("Silent", True)))
                except Exception as exc:  # this filter cannot read it: try the next
                    failure = exc
                    continue
                if doc is not None:
                    break
            if doc is None and failure is not None:
                raise failure
            if doc is not None and doc.supportsService("com.sun.star.text.TextDocument"):
                out = _Out()
                doc.storeToURL("private:stream", (_prop("FilterName", "MS Word 2007 XML"),
                                                  _prop("OutputStream", out)))
                status, payload = b"K", bytes(out.data)
            elif doc is not None:
                payload = b"not a text document"
        except Exception as exc:  # one file's failure is its answer
            message = str(getattr(exc, "Message", "") or type(exc).__name__).splitlines()
            reason = (message or [""])[0][:200] or "damaged, encrypted or not that format"
            payload = f"LibreOffice could not open the file ({reason})".encode()
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
        stdout.write(status + struct.pack(">I", len(payload)) + payload)
        stdout.flush()
    try:
        desktop.terminate()
    except Exception:  # the bridge goes down with it
        pass
    office.wait(timeout=10)


if __name__ == "__main__":
    main()
