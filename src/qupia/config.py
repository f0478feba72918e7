"""Read a configuration file into :class:`~qupia.settings.Settings` values, validating each key.

The file is TOML: a ``.qupia.toml`` with top-level keys, or a ``pyproject.toml`` with a
``[tool.qupia]`` table. A bad key or value is a :class:`ConfigError` naming the key and file.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from qupia.i18n import LANGUAGES
from qupia.model import SEVERITIES

KEYS = {"enable", "disable", "severity", "fail-on", "reference-date", "evidence", "jobs",
        "include", "exclude", "departmental-list", "lang", "baseline", "content-threshold"}



class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


def has_table(path: Path) -> bool:
    """Whether *path* (a pyproject.toml) has a ``[tool.qupia]`` table; False when unreadable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool", {}).get("qupia"), dict)


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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("qupia", {})
    return data.get(key) if isinstance(data, dict) else None


def read_config(path: Path, known_codes: set[str]) -> dict[str, Any]:
    """The validated settings of *path*; paths in it are resolved against its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("qupia", {})
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
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"{where}: must be a positive integer")
            out[key] = value
        elif key in ("include", "exclude"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: must be a list of glob patterns")
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
