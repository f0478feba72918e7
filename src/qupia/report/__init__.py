"""Findings → text, JSON, SARIF: one emitter per format behind one interface, ``emit``.

An emitter only formats: it is given finished results (:func:`qupia.finish.finish` has applied
the severities, suppressions, baseline and evidence removal) and a :class:`Run` (the reference
date, the report's language), and translates each message as it writes it.

The emitters are imported when one is asked for (``EMITTERS[name]``), so that ``qupia
--help`` can list the formats without importing the pipeline they report on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from qupia.model import FileResult


class Run(Protocol):
    """What a report says about the run as a whole: the date the time rules counted from, and
    the language the report is written in (:class:`qupia.Settings` has both)."""

    @property
    def reference_date(self) -> date: ...

    @property
    def lang(self) -> str: ...


Emitter = Callable[["Iterable[FileResult]", Run, TextIO], None]

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
