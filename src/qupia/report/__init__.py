"""Findings → text, JSON, SARIF: one emitter per format behind one interface, ``emit``.

The emitters are imported when one is asked for (``EMITTERS[name]``), so that ``qupia
--help`` can list the formats without importing the pipeline they report on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from qupia.engine import FileResult
    from qupia.settings import Settings

Emitter = Callable[["Iterable[FileResult]", "Settings", TextIO], None]

_MODULES = {"text": "text_report", "json": "json_report", "sarif": "sarif"}


class _Emitters(Mapping[str, Emitter]):
    """Format name → its module's ``emit``, imported on first use."""

    def __getitem__(self, name: str) -> Emitter:
        module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
        return module.emit  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


EMITTERS: Mapping[str, Emitter] = _Emitters()
