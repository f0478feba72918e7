"""What ``check``, ``baseline`` and ``scan`` share: the options that choose files, rules and
settings, and their resolution (options over the configuration file, resolved once)."""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from qupia import i18n
from qupia.cli.group import _printable, lang_option
from qupia.config import Options, build_settings, discover, read_config
from qupia.extract.errors import OCR_MODES
from qupia.i18n import _
from qupia.settings import Settings
from qupia.walk import Walk, collect, skipped_line

#: Upper bounds of options: a day per file (the runner's waits take at most 2**31 ms), and a
#: number of worker processes no machine this runs on has cores for.
MAX_TIMEOUT = 86_400.0
MAX_JOBS = 256


class _Bounded(click.ParamType):
    """A finite number between *low* and *high* (nan and inf are refused: ``--timeout nan``
    would remove the time limit)."""

    name = "number"

    def __init__(self, low: float, high: float, open_ends: bool = False) -> None:
        self.low, self.high, self.open = low, high, open_ends

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(_("{value!r} is not a number").format(value=value), param, ctx)
        inside = (self.low < number < self.high) if self.open else (
            self.low <= number <= self.high)
        if not math.isfinite(number) or not inside:
            ends = "()" if self.open else "[]"
            self.fail(_("{value!r} is not a number in {low}{a}, {b}{high}").format(
                value=value, low=ends[0], a=f"{self.low:g}", b=f"{self.high:g}", high=ends[1]),
                param, ctx)
        return number


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _scan_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that choose files, rules and settings, shared by ``check`` and ``baseline``."""
    for decorator in reversed((
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True)),
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                     help="A .qupia.toml or pyproject.toml with [tool.qupia] (default: the "
                          "nearest one from the current folder up to the git root)."),
        click.option("--reference-date", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Date the time rules count from (default: today)."),
        click.option("--select", "enable", multiple=True,
                     help="Only these rule codes or prefixes."),
        click.option("--ignore", "disable", multiple=True,
                     help="Skip these rule codes or prefixes."),
        click.option("--jobs", "-j", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
                     help="Files read in parallel (default: 1, for scan every CPU; the "
                          "configuration's jobs is capped at the number of CPUs, this option "
                          "is not)."),
        click.option("--timeout", type=_Bounded(0.1, MAX_TIMEOUT), default=None,
                     help="Seconds allowed per file (default: 120, at most 86400)."),
        click.option("--ocr", type=click.Choice(OCR_MODES), default=None,
                     help="Read scans and image pages with Tesseract: off, auto (when it is "
                          "installed; pages without a usable text layer) or force (every "
                          "page). Default: auto."),
        click.option("--memory-limit", type=click.IntRange(min=0), default=None,
                     help="Memory (address space) each worker may use, in MiB; 0: no limit "
                          "(default: 2048)."),
        click.option("--content-threshold", type=_Bounded(0, 1, open_ends=True),
                     default=None,
                     help="Document score from which content counts as Article 11–14 or 17 "
                          "matter (default: the model's calibrated thresholds)."),
        lang_option,
    )):
        command = decorator(command)
    return command


def _resolve(paths: tuple[str, ...], config_path: str | None, reference_date: Any,
             enable: tuple[str, ...], disable: tuple[str, ...], jobs: int | None,
             timeout: float | None, lang: str | None, no_evidence: bool = False,
             content_threshold: float | None = None, memory_limit: int | None = None,
             ocr: str | None = None) -> tuple[Settings, dict[str, Any], Walk]:
    """Options and configuration → settings (resolved once), the configuration, the files."""
    from qupia.rules import RULES

    known = {r.CODE for r in RULES}
    found = Path(config_path) if config_path else discover(Path.cwd())
    conf = read_config(found, known) if found else {}
    for code in (*enable, *disable):
        if not any(c.startswith(code.upper()) for c in known):
            raise click.BadParameter(_("{code!r} matches no rule code").format(code=code),
                                     param_hint="--select")
    options = Options(reference_date.date() if reference_date else None, enable, disable,
                      jobs, no_evidence, lang, content_threshold, timeout, memory_limit, ocr)
    settings = build_settings(conf, known, options, _cpus())
    # The command line's own texts (help, errors, the summary) follow the resolved language.
    i18n.set_language(settings.lang)
    root = found.parent if found else Path.cwd()
    walk = collect(paths, conf.get("include", []), conf.get("exclude", []), root)
    return settings, conf, walk


def _terminate_cleanly() -> None:
    """SIGTERM ends the run as Ctrl-C does: through ``finally`` blocks, so that the workers are
    stopped and a half-written report's temporary file is removed (the target is untouched)."""
    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


def _walk_notes(walk: Walk) -> None:
    """Say on standard error what a folder scan skipped (text of :func:`skipped_line`)."""
    line = skipped_line(walk.skipped)
    if line:
        click.echo(f"qupia: {line}", err=True)


def _problems(walk: Walk) -> Iterator[Any]:
    """Paths the folder walk could not follow, as unreadable files of the report."""
    from qupia.model import FileResult

    for path, reason in walk.problems:
        yield FileResult(_printable(path), None, "error", reason)
