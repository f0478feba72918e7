"""What every pattern pack shares: its error, its YAML reader, where the packs are, and how a
regex is cut into its top-level alternatives."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any


class PatternError(Exception):
    """The pattern pack is invalid; the message names the file and line."""


def load_yaml(text: str) -> Any:
    """Parse YAML with libyaml's C parser when PyYAML has it (ten times faster than the pure
    Python one on the category packs, which start-up reads), else the Python one."""
    import yaml  # only when a pack is compiled; a cached pack needs no YAML

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def patterns_dir() -> Path:
    """The pattern packs: ``$QUPIA_PATTERNS``, else the package's ``qupia/data/patterns``.

    In the repository ``src/qupia/data/patterns`` is a symlink to the top-level ``patterns/``;
    a built wheel (what pre-commit installs from a clone) holds a copy. Where the symlink is
    not there (a checkout without symlinks), the repository's ``patterns/`` is used.
    """
    env = os.environ.get("QUPIA_PATTERNS")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[1] / "data" / "patterns"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "patterns"


def literal_first(source: str) -> tuple[str, str] | None:
    """A form's own regex cut after its first character when that is a plain literal
    ("гриф\\s*…", "№\\s*\\d…") and the regex has no top-level alternative; else None."""
    if len(split_branches(source)) != 1:
        return None
    if not source or not (source[0].isalpha() or source[0] == "№") or source[1:2] in (
            "*", "+", "?", "{"):
        return None
    return re.escape(source[0]), source[1:]


def split_branches(source: str) -> list[str]:
    """The top-level alternatives of a regex (``a|b(c|d)`` → ``a``, ``b(c|d)``), so that each
    gets its own literal anchor."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, ch in enumerate(source):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return parts
