"""Read a configuration file into :class:`~qupia.settings.Settings` values, validating each key.

The file is TOML: a ``.qupia.toml`` with top-level keys, or a ``pyproject.toml`` with a
``[tool.qupia]`` table. A bad key or value is a :class:`ConfigError` naming the key and file.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from qupia.extract.errors import OCR_MODES
from qupia.fsio import read_regular
from qupia.i18n import LANGUAGES
from qupia.model import SEVERITIES

KEYS = {"enable", "disable", "severity", "fail-on", "reference-date", "evidence", "jobs",
        "include", "exclude", "departmental-list", "lang", "baseline", "content-threshold",
        "memory-limit", "metadata-marks", "ocr"}
METADATA_MARKS = ("compare-only", "count")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


#: What reading a TOML settings file can raise besides a ConfigError: unreadable, not UTF-8,
#: not TOML, or nested so deep that the parser runs out of stack ([[[[…]]]] 100,000 deep).
TOML_ERRORS = (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError,
               MemoryError)


def load_toml(path: Path) -> dict[str, Any]:
    """Parse the TOML file *path* (a regular file of bounded size); raises one of TOML_ERRORS."""
    return tomllib.loads(read_regular(path).decode("utf-8"))


def toml_problem(exc: BaseException) -> str:
    """A one-line reason for one of TOML_ERRORS."""
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, RecursionError | MemoryError):
        return "not valid TOML: nested too deeply"
    return f"not valid TOML: {exc}"


def has_table(path: Path) -> bool:
    """Whether *path* (a pyproject.toml) has a ``[tool.qupia]`` table; False when unreadable."""
    try:
        data = load_toml(path)
    except TOML_ERRORS:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("qupia"), dict)


def discover(start: Path) -> Path | None:
    """The configuration that applies at *start*: the nearest ``.qupia.toml``, or
    ``pyproject.toml`` with ``[tool.qupia]``, in *start* or a folder above it.

    The search stops at the git root (a folder holding ``.git``) or the filesystem root. In
    one folder ``.qupia.toml`` wins over ``pyproject.toml``; a pyproject.toml without a
    ``[tool.qupia]`` table is passed over, as ruff passes over one without ``[tool.ruff]``.
    """
    folder = start.resolve()
    while True:
        dotfile = folder / ".qupia.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and has_table(pyproject):
            return pyproject
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def peek(path: Path, key: str) -> Any:
    """The raw value of *key* in *path*, or None — unvalidated, for the language of ``--help``
    before the command's own options are read; never raises."""
    try:
        data = load_toml(path)
    except TOML_ERRORS:
        return None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        data = tool.get("qupia", {}) if isinstance(tool, dict) else {}
    return data.get(key) if isinstance(data, dict) else None


def read_config(path: Path, known_codes: set[str]) -> dict[str, Any]:
    """The validated settings of *path*; paths in it are resolved against its folder."""
    try:
        data = load_toml(path)
    except TOML_ERRORS as exc:
        raise ConfigError(f"{path}: {toml_problem(exc)}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("qupia", {}) if isinstance(tool, dict) else None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.qupia] must be a table")
    out: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{path}: key {key!r}"
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown setting (known: {', '.join(sorted(KEYS))})")
        if key in ("enable", "disable"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: must be a list of rule codes or prefixes")
            out[key] = [_codes(v, known_codes, where) for v in value]
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: must be a table of CODE = severity")
            for code, sev in value.items():
                if code.upper() not in known_codes:
                    raise ConfigError(f"{where}: unknown rule code {code!r}")
                if sev not in SEVERITIES:
                    raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
            out[key] = {c.upper(): s for c, s in value.items()}
        elif key == "fail-on":
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: must be one of {', '.join(SEVERITIES)}")
            out[key] = value
        elif key == "reference-date":
            if isinstance(value, datetime):  # TOML 2026-11-26T10:00:00: a time, not a date
                raise ConfigError(f"{where}: must be a date YYYY-MM-DD, not a date and time")
            if isinstance(value, date):
                out[key] = value
            else:
                try:
                    out[key] = date.fromisoformat(str(value))
                except ValueError:
                    raise ConfigError(f"{where}: must be a date YYYY-MM-DD") from None
        elif key == "evidence":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: must be true or false")
            out[key] = value
        elif key == "jobs":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: must be a positive integer")
            out[key] = value
        elif key == "memory-limit":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{where}: must be a whole number of MiB (0: no limit)")
            out[key] = value
        elif key in ("include", "exclude"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: must be a list of glob patterns")
            out[key] = value
        elif key == "ocr":
            if value not in OCR_MODES:
                raise ConfigError(f"{where}: must be one of {', '.join(OCR_MODES)}")
            out[key] = value
        elif key == "lang":
            if value not in LANGUAGES:
                raise ConfigError(f"{where}: must be one of {', '.join(LANGUAGES)}")
            out[key] = value
        elif key == "departmental-list":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be the path of a departmental list file")
            listed = (path.parent / value).resolve()
            if not listed.is_file():
                raise ConfigError(f"{where}: no such file {str(listed)!r}")
            out[key] = listed
        elif key == "content-threshold":
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value < 1:
                raise ConfigError(f"{where}: must be a number between 0 and 1")
            out[key] = float(value)
        elif key == "metadata-marks":
            if value not in METADATA_MARKS:
                raise ConfigError(f"{where}: must be one of {', '.join(METADATA_MARKS)}")
            out[key] = value
        elif key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be the path of a baseline file")
            out[key] = (path.parent / value).resolve()
    return out


def _codes(prefix: str, known: set[str], where: str) -> str:
    p = prefix.upper()
    if not any(code.startswith(p) for code in known):
        raise ConfigError(f"{where}: {prefix!r} matches no rule code")
    return p


def select(known: set[str], enable: list[str] | None, disable: list[str] | None) -> frozenset[str]:
    """Rule codes enabled by prefix lists (an empty enable list means every rule)."""
    chosen = {c for c in known if not enable or any(c.startswith(p) for p in enable)}
    return frozenset(c for c in chosen if not any(c.startswith(p) for p in disable or []))
