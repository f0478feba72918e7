"""A cache of what qupia builds from its own data files (compiled pattern packs, the content
model's weights), so that a short run loads them ready instead of building them again.

- Where: ``$XDG_CACHE_HOME/qupia`` (else ``~/.cache/qupia``), or ``$QUPIA_CACHE_DIR``;
  ``QUPIA_NO_CACHE=1`` turns it off. A folder that cannot be written only means no cache.
- What: only what is built from the pattern and model files qupia ships, and a configuration
  file's validated settings (:mod:`qupia.config`); never a document's text or anything read
  from a document.
- Keyed by the SHA-256 of those files, of the Python files that build the object, and of the
  Python version: an edited pattern file or a new qupia builds a new entry (the four newest
  entries of a name are kept, older ones removed). A Python file is named in the key by its
  place in the package (``text/fold.py``), so a module moved to another package, which the
  pickled classes of an older entry would name, makes a new key too.
- Safe: an entry is written to a temporary file and renamed into place (two processes that
  build it at once each write a whole file; the last rename wins), and starts with the
  SHA-256 of its content, checked before it is read: a truncated or corrupt entry is rebuilt.
  Entries are pickles, so the folder must be the user's own (it is created with mode 0700).
- Ready: a compiled ``re`` pattern is stored as the compiled program that ``re`` hands to its
  C engine (``_sre.compile``), not as its source, so loading it does not compile it again
  (compiling the marks matcher alone takes about 0.1 s). The key holds the Python version,
  and a program the engine refuses is compiled from its source instead.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_MAGIC = b"qupia-cache/1\n"
_KEEP = 4  # entries kept per name
_PACKAGE = Path(__file__).parent


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("QUPIA_NO_CACHE"):
        return None
    chosen = os.environ.get("QUPIA_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder: no cache
            return None
    return Path(base) / "qupia"


def key_of(files: Iterable[Path], *extra: str) -> str:
    """SHA-256 over the names and contents of *files*, the interpreter's version and *extra*."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for part in extra:
        digest.update(b"\0" + part.encode())
    for path in files:
        digest.update(b"\0" + _name(path).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _name(path: Path) -> str:
    """A file as named in a key: a module of qupia by its place in the package, any other file
    (a pattern pack, a model) by its name, wherever it lies."""
    if path.suffix == ".py" and path.parent.is_relative_to(_PACKAGE):
        return path.relative_to(_PACKAGE).as_posix()
    return path.name


def cached(name: str, files: Iterable[Path], build: Callable[[], T], *extra: str) -> T:
    """The object *build* makes from *files*: from the cache when an entry with the same key
    is there and intact, else built and stored."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        key = key_of(files, name, *extra)
    except OSError:
        return build()  # a source cannot be read: build() reports it properly
    entry = folder / f"{name}-{key[:40]}.pickle"
    loaded = _read(entry)
    if loaded is not None:
        return loaded  # type: ignore[no-any-return]
    value = build()
    _write(folder, entry, name, value)
    return value


def _compiled(pattern: re.Pattern[str]) -> tuple[object, ...]:
    """The arguments ``re`` gives ``_sre.compile`` for *pattern* (caught as it compiles it
    again): its source, flags, program, group count and names."""
    import _sre
    from re import _compiler  # type: ignore[attr-defined]

    caught: list[tuple[object, ...]] = []
    real = _sre.compile

    def spy(*args: object) -> object:
        caught.append(args)
        return real(*args)

    _sre.compile = spy
    try:
        _compiler.compile(pattern.pattern, pattern.flags)
    finally:
        _sre.compile = real
    source, flags, code, groups, groupindex, indexgroup = caught[-1]
    # the program's opcodes are int subclasses of re's own: stored as plain ints
    return (source, flags, [int(c) for c in code], groups,  # type: ignore[attr-defined]
            dict(groupindex), tuple(indexgroup))  # type: ignore[call-overload]


def ready_pattern(args: tuple[object, ...]) -> re.Pattern[str]:
    """A compiled pattern from :func:`_compiled`'s arguments (unpickling calls it)."""
    import _sre

    try:
        return _sre.compile(*args)  # type: ignore[no-any-return]
    except Exception:  # a program this engine does not take: compile the source
        return re.compile(args[0], args[1])  # type: ignore[arg-type]


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: object) -> object:
        if type(obj) is re.Pattern and isinstance(obj.pattern, str):
            return ready_pattern, (_compiled(obj),)
        return NotImplemented


def _read(entry: Path) -> object | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if not data.startswith(_MAGIC) or hashlib.sha256(data[head:]).digest() != data[
            len(_MAGIC):head]:
        return None
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of new objects: no collection is needed meanwhile
    try:
        return pickle.loads(data[head:])
    except Exception:  # an entry from an incompatible version of a library: rebuild it
        return None
    finally:
        if enabled:
            gc.enable()


def _write(folder: Path, entry: Path, name: str, value: object) -> None:
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        payload = buffer.getvalue()
    except Exception:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # the newest few entries of a name stay (two installs of qupia, say pre-commit's and a
        # virtual environment's, each keep theirs); older ones go
        entries = sorted(folder.glob(f"{name}-*.pickle"), key=_mtime, reverse=True)
        for old in entries[_KEEP:]:
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # no cache is only slower
