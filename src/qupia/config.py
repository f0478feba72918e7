"""Read a configuration file, validating each key, and build :class:`~qupia.settings.Settings`
from it and the command line's options (:func:`build_settings`).

The file is TOML: a ``.qupia.toml`` with top-level keys, or a ``pyproject.toml`` with a
``[tool.qupia]`` table. A bad key or value is a :class:`ConfigError` naming the key and file.

The keys are a pydantic model (:mod:`qupia.config_schema`). Importing pydantic costs about a
tenth of a second, so it is imported only for a file whose validated values are not in qupia's
user cache (:mod:`qupia.cache`, keyed by the file's bytes, its place, the rule codes and
qupia's version): a run without a configuration file, or with one already seen, never imports
it. Whether a file it names exists is checked on every run.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from qupia import __version__, i18n
from qupia.fsio import read_regular
from qupia.settings import Settings


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


#: What reading a TOML settings file can raise besides a ConfigError: unreadable, not UTF-8,
#: not TOML, or nested so deep that the parser runs out of stack ([[[[…]]]] 100,000 deep).
TOML_ERRORS = (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError,
               MemoryError)


def load_toml(path: Path) -> dict[str, Any]:
    """Parse the TOML file *path* (a regular file of bounded size); raises one of TOML_ERRORS."""
    return parse_toml(read_regular(path))


def parse_toml(raw: bytes) -> dict[str, Any]:
    """Parse TOML given as bytes (UTF-8); raises one of TOML_ERRORS."""
    return tomllib.loads(raw.decode("utf-8"))


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
    """The validated settings of *path* by their keys; paths in it are resolved against its
    folder."""
    try:
        raw = read_regular(path)
    except OSError as exc:
        raise ConfigError(f"{path}: {toml_problem(exc)}") from None
    from qupia.cache import cached

    schema = Path(__file__).with_name("config_schema.py")  # an edited model: a new entry
    key = (hashlib.sha256(raw).hexdigest(), str(path.resolve()), __version__,
           ",".join(sorted(known_codes)))
    values: dict[str, Any] = cached("config", [schema], lambda: _validated(path, raw,
                                                                            known_codes), *key)
    listed = values.get("departmental-list")
    if listed is not None and not listed.is_file():
        raise ConfigError(f"{path}: key 'departmental-list': no such file {str(listed)!r}")
    return values


def _validated(path: Path, raw: bytes, known_codes: set[str]) -> dict[str, Any]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except TOML_ERRORS as exc:
        raise ConfigError(f"{path}: {toml_problem(exc)}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("qupia", {}) if isinstance(tool, dict) else None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.qupia] must be a table")
    from qupia.config_schema import validate

    try:
        return validate(data, str(path), known_codes, path.parent)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def select(known: set[str], enable: list[str] | None, disable: list[str] | None) -> frozenset[str]:
    """Rule codes enabled by prefix lists (an empty enable list means every rule)."""
    chosen = {c for c in known if not enable or any(c.startswith(p) for p in enable)}
    return frozenset(c for c in chosen if not any(c.startswith(p) for p in disable or []))


@dataclass(frozen=True)
class Options:
    """What the command line says; each one given wins over the configuration's key."""

    reference_date: date | None = None
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    jobs: int | None = None
    no_evidence: bool = False
    lang: str | None = None
    content_threshold: float | None = None
    timeout: float | None = None
    memory_limit: int | None = None  # MiB; 0: no limit
    ocr: str | None = None


def build_settings(conf: dict[str, Any], known: set[str], options: Options, cpus: int
                   ) -> Settings:
    """The settings of a run: *options* over the validated configuration *conf*
    (:func:`read_config`), then the defaults; *cpus*: the processors this machine gives."""
    settings = Settings(
        reference_date=options.reference_date or conf.get("reference-date", date.today()),
        enabled=select(known, [e.upper() for e in options.enable] or conf.get("enable"),
                       [*conf.get("disable", []), *(d.upper() for d in options.disable)]),
        severity=conf.get("severity", {}),
        evidence=not options.no_evidence and conf.get("evidence", True),
        # The configuration is shared between machines: its jobs is capped at this one's CPUs.
        # An explicit --jobs is taken as asked (up to the command line's bound).
        jobs=options.jobs or min(conf.get("jobs", 1), cpus),
        lang=options.lang or conf.get("lang") or i18n.system_language() or "en",
        departmental_list=conf.get("departmental-list"),
        content_threshold=options.content_threshold or conf.get("content-threshold"),
        metadata_marks=conf.get("metadata-marks", "compare-only"),
        ocr=options.ocr or conf.get("ocr", "auto"),
    )
    if options.timeout:
        settings = replace(settings, limits=replace(settings.limits,
                                                    timeout_seconds=options.timeout))
    memory = options.memory_limit if options.memory_limit is not None else conf.get(
        "memory-limit")
    if memory is not None:
        settings = replace(settings, limits=replace(settings.limits,
                                                    memory_bytes=memory * 1024 * 1024))
    return settings
