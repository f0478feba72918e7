"""Coverage-guided fuzzing of qupia's readers with atheris (libFuzzer for Python).

Each input's first byte picks a reader from :data:`READERS`; the rest is written to a file with
that reader's suffix and read through :func:`qupia.extract.extract`, the dispatcher every scan
uses. A reader may refuse an input only with :class:`~qupia.extract.ExtractError` (a one-line
reason), or run out of the memory it is given (``MemoryError``); anything else is a bug, which
atheris reports with the input that caused it.

A reader another module adds (OCR, legacy formats, archives) is fuzzed by adding one line to
READERS: its name and the suffix it reads.

Run (atheris is the ``fuzz`` extra: ``pip install -e '.[fuzz]'``)::

    python fuzz/generate.py /tmp/seeds --count 2000 --atheris   # seeds from the generator
    python -m fuzz.harness /tmp/seeds -runs=100000 -timeout=20 -rss_limit_mb=2048

libFuzzer's ``-timeout`` and ``-rss_limit_mb`` are the hang and memory limits in this mode.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

#: Reader name → the file suffix that reaches it. One line per reader.
READERS: dict[str, str] = {
    "pdf": ".pdf",
    "docx": ".docx",
    "txt": ".txt",
    "odt": ".odt",
    "zip": ".zip",
    # .doc and .rtf go through LibreOffice (a process per worker): too slow for in-process
    # coverage fuzzing; make fuzz reaches them through the runner instead.
}

_NAMES = list(READERS)
_LIMITS = None
_FOLDER = Path(tempfile.mkdtemp(prefix="qupia-fuzz-"))


def reader_byte(suffix: str) -> bytes:
    """The first byte that sends an input to the reader of *suffix* (for seed files)."""
    for i, name in enumerate(_NAMES):
        if READERS[name] == suffix:
            return bytes([i])
    return b"\0"


def one_input(data: bytes) -> None:
    from qupia.extract import ExtractError, Limits, extract

    global _LIMITS
    if _LIMITS is None:
        _LIMITS = Limits(max_file_bytes=64 * 1024 * 1024)
    if not data:
        return
    suffix = READERS[_NAMES[data[0] % len(_NAMES)]]
    path = _FOLDER / f"input{suffix}"
    path.write_bytes(data[1:])
    try:
        extract(path, _LIMITS)
    except ExtractError:
        pass
    except MemoryError:
        pass


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["qupia"]):
        import qupia.extract
        import qupia.extract.docx
        import qupia.extract.odt
        import qupia.extract.pdf
        import qupia.extract.txt
        import qupia.extract.zipped  # noqa: F401
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
