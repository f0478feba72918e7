"""Document facts → findings. One module per rule; this registry lists and validates them.

A rule module defines CODE, NAME, FAMILY, SEVERITY, ARTICLE, ``check(facts)`` and a docstring
with the sections *What it checks*, *Why*, *Example*, *How to fix*: ``qupia explain`` and the
rule listings are made from exactly these.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

from qupia.model import FAMILIES, SEVERITIES
from qupia.rules.base import Facts, RuleModule

__all__ = ["RULES", "Facts", "RuleModule", "by_code", "run", "validate"]

_SECTIONS = ("What it checks", "Why", "Example", "How to fix")
_CODE = re.compile(r"^QP[1-4]\d\d$")


def _discover() -> tuple[ModuleType, ...]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if re.match(r"^qp\d{3}_", info.name):  # content_facts.py and base.py are helpers
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    return validate(modules)


def validate(modules: list[ModuleType]) -> tuple[ModuleType, ...]:
    """The rule modules in code order, or RuntimeError naming the first one that breaks the
    conventions above (attributes, code format, module name, family, severity, docstring)."""
    seen: set[str] = set()
    for mod in modules:
        where = mod.__name__
        for attr in ("CODE", "NAME", "FAMILY", "SEVERITY", "ARTICLE", "check"):
            if not hasattr(mod, attr):
                raise RuntimeError(f"rule module {where} lacks {attr}")
        if not _CODE.match(mod.CODE) or not where.endswith(mod.CODE.lower() + "_" +
                                                           mod.NAME.replace("-", "_")):
            raise RuntimeError(f"rule module {where}: code/name {mod.CODE} {mod.NAME} mismatch")
        if mod.CODE in seen:
            raise RuntimeError(f"rule code {mod.CODE} registered twice")
        seen.add(mod.CODE)
        if mod.FAMILY not in FAMILIES or mod.SEVERITY not in SEVERITIES:
            raise RuntimeError(f"rule {mod.CODE}: bad family or severity")
        doc = mod.__doc__ or ""
        for section in _SECTIONS:
            if f"\n{section}\n" not in doc:
                raise RuntimeError(f"rule {mod.CODE}: docstring lacks section {section!r}")
    return tuple(sorted(modules, key=lambda m: m.CODE))


RULES: tuple[ModuleType, ...] = _discover()


def by_code(code: str) -> ModuleType | None:
    return next((r for r in RULES if r.CODE == code.upper()), None)


def run(facts: Facts, enabled: set[str] | None = None) -> list:
    """Every enabled rule's findings, in code order."""
    out = []
    for rule in RULES:
        if enabled is None or rule.CODE in enabled:
            out.extend(rule.check(facts))
    return out
