"""Findings → text, JSON, SARIF: one emitter per format behind one interface, ``emit``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from qupia.engine import FileResult
from qupia.report import json_report, sarif, text_report
from qupia.settings import Settings

Emitter = Callable[[Iterable[FileResult], Settings, TextIO], None]

EMITTERS: dict[str, Emitter] = {
    "text": text_report.emit,
    "json": json_report.emit,
    "sarif": sarif.emit,
}
