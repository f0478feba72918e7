"""The files a scan reads: the paths given, folders searched, and what was left out and why.

The folder walk is iterative (a tree 1,000 folders deep is walked, not a RecursionError), follows
symbolic links to folders but remembers each folder it entered by (st_dev, st_ino), so a link
back to a folder above is reported as a loop instead of walked forever, and a folder that cannot
be read is a problem reported for that folder (the run fails), never silently skipped. Hidden
folders (a name starting with ".": .git, .venv) are not searched.

Nothing here opens a document: only ``stat`` and folder listings, so a FIFO or a device among
the files cannot block the walk.

A scan fails closed: files a folder holds that qupia cannot read (their suffix is not in
:data:`qupia.extract.SUFFIXES`) are counted by suffix, and the caller says how many were skipped.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qupia.extract import SUFFIXES

#: A reviewed document's sidecar ends so (:mod:`qupia.review`); it is read with its document,
#: so it is not "skipped".
_SIDECAR = ".qupia.toml"


@dataclass
class Walk:
    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    skipped: Counter[str] = field(default_factory=Counter)  # suffix → files not readable
    excluded: int = 0  # files left out by the configuration's include/exclude globs


def _matches(path: str, globs: list[str], root: Path) -> bool:
    """Whether *path* matches a glob, tried on the path as given, on the path relative to the
    configuration's folder, and on the file name (``*`` crosses ``/``; ``**/`` may match no
    folder)."""
    candidates = {Path(path).as_posix(), Path(path).name}
    try:
        candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
    except (ValueError, OSError, RuntimeError):  # outside root; a symlink loop (3.11: Runtime)
        pass
    for glob in globs:
        tries = (glob, glob[3:]) if glob.startswith("**/") else (glob,)
        if any(fnmatch.fnmatch(c, g) for c in candidates for g in tries):
            return True
    return False


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _folder(top: Path, out: Walk) -> None:
    try:
        first = os.stat(top)
    except OSError as exc:
        out.problems.append((str(top), f"cannot read folder: {_reason(exc)}"))
        return
    seen: set[tuple[int, int]] = {(first.st_dev, first.st_ino)}
    # Each entry: a folder and the (st_dev, st_ino) of the folders above it on this path.
    stack: list[tuple[Path, frozenset[tuple[int, int]]]] = [
        (top, frozenset({(first.st_dev, first.st_ino)}))]
    while stack:
        folder, above = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            out.problems.append((str(folder), f"cannot read folder: {_reason(exc)}"))
            continue
        subfolders: list[tuple[Path, frozenset[tuple[int, int]]]] = []
        for entry in entries:
            path = folder / entry.name
            try:
                st = entry.stat()  # follows a symbolic link
            except OSError as exc:
                if entry.is_symlink():
                    out.problems.append((str(path), f"broken or looping symbolic link: "
                                                    f"{_reason(exc)}"))
                else:
                    out.problems.append((str(path), f"cannot read: {_reason(exc)}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name.startswith("."):
                    continue
                key = (st.st_dev, st.st_ino)
                if key in above:
                    out.problems.append((str(path), "symbolic link loop: this folder is "
                                                    "inside itself; not searched again"))
                elif key not in seen:  # a second link to a folder already searched: once
                    seen.add(key)
                    subfolders.append((path, above | {key}))
                continue
            suffix = Path(entry.name).suffix.lower()
            if suffix in SUFFIXES:
                out.files.append(str(path))
            elif not entry.name.endswith(_SIDECAR):
                out.skipped[suffix or "(no extension)"] += 1
        stack.extend(reversed(subfolders))  # depth first, in name order


def collect(paths: tuple[str, ...] | list[str], include: list[str], exclude: list[str],
            root: Path) -> Walk:
    """The files of *paths* (folders searched), filtered by the include and exclude globs."""
    out = Walk()
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False  # the reader gives the reason, for this file alone
        if is_dir:
            _folder(path, out)
        else:
            out.files.append(str(path))
    kept = [p for p in out.files if (not include or _matches(p, include, root))
            and not _matches(p, exclude, root)]
    out.excluded = len(out.files) - len(kept)
    out.files = kept
    return out


def skipped_line(skipped: Counter[str]) -> str | None:
    """``12 files skipped (unsupported type: .xlsx ×9, .png ×3)``, or None when none were."""
    total = sum(skipped.values())
    if not total:
        return None
    kinds = ", ".join(f"{suffix} ×{n}" for suffix, n in
                      sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    noun = "file" if total == 1 else "files"
    return f"{total} {noun} skipped (unsupported type: {kinds})"
