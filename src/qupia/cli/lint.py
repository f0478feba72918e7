"""``qupia check`` and ``qupia baseline``: lint files, or record their findings.

Exit status: 0 when no finding reaches ``--fail-on``; 1 when one does or a file could not be
read; 2 for a usage or configuration error. It is computed here, once.
"""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qupia import baseline
from qupia.cli.group import _printable, main
from qupia.cli.options import _problems, _resolve, _scan_options, _terminate_cleanly, _walk_notes
from qupia.fsio import atomic_writer, check_writable
from qupia.i18n import _
from qupia.model import SEVERITIES
from qupia.report import EMITTERS
from qupia.startup import ending, gc_paused

if TYPE_CHECKING:
    from qupia.model import FileResult


@main.command()
@_scan_options
@click.option("--format", "fmt", type=click.Choice(sorted(EMITTERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(),
              help="Write the report to FILE instead of standard output (written whole or not "
                   "at all).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--no-evidence", is_flag=True, help="Leave the document's words out of the report.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False),
              help="Report only findings not in this baseline file (see `qupia baseline`).")
def check(paths: tuple[str, ...], fmt: str, output: str | None, reference_date: Any,
          config_path: str | None, fail_on: str | None, jobs: int | None,
          enable: tuple[str, ...], disable: tuple[str, ...], no_evidence: bool,
          timeout: float | None, lang: str | None, baseline_path: str | None,
          content_threshold: float | None, memory_limit: int | None, ocr: str | None) -> None:
    """Lint PDF, DOCX and TXT files and folders (folders are searched recursively)."""
    with gc_paused(keep=True):  # the pipeline's modules: no garbage to collect meanwhile
        from qupia.finish import finish
        from qupia.runner import run_files

    if output:
        check_writable(output)  # a bad path is a usage error now, not after the scan
    settings, conf, walk = _resolve(paths, config_path, reference_date, enable, disable, jobs,
                                    timeout, lang, no_evidence, content_threshold, memory_limit,
                                    ocr)
    threshold = SEVERITIES.index(fail_on or conf.get("fail-on", "error"))
    chosen = Path(baseline_path) if baseline_path else conf.get("baseline")
    known = baseline.read(chosen) if chosen else None
    status = {"fail": False}

    if fmt == "text":  # the JSON report has it in its summary
        _walk_notes(walk)
    _terminate_cleanly()

    def finished() -> Iterator[FileResult]:
        # Each file's findings are finished here, in this process, once (qupia.finish).
        for result in itertools.chain(_problems(walk), run_files(walk.files, settings)):
            result = finish(result, settings, known)
            if result.status in ("error", "no-text") or any(
                SEVERITIES.index(f.severity) >= threshold for f in result.findings
            ):
                status["fail"] = True
            yield result

    emit = EMITTERS[fmt]
    if fmt == "json":  # the JSON summary says what a folder scan skipped
        emit = functools.partial(emit, skipped=dict(walk.skipped))
    if output:
        with atomic_writer(output) as out:
            emit(finished(), settings, out)
    else:
        emit(finished(), settings, sys.stdout)
    if not walk.files and not walk.problems and not walk.excluded:  # excluded: on purpose
        from qupia.extract import SUFFIXES

        click.echo(_("qupia: no file to check: nothing in {paths} is of a type qupia reads "
                     "({types})").format(paths=", ".join(_printable(p) for p in paths),
                                         types=" ".join(sorted(SUFFIXES))), err=True)
        sys.exit(1)
    ending()
    sys.exit(1 if status["fail"] else 0)


@main.command("baseline")
@_scan_options
@click.option("--output", "-o", type=click.Path(),
              help="Baseline file to write (default: the configuration's baseline, else "
                   ".qupia-baseline.json).")
def baseline_command(paths: tuple[str, ...], output: str | None, reference_date: Any,
                     config_path: str | None, jobs: int | None, enable: tuple[str, ...],
                     disable: tuple[str, ...], timeout: float | None, lang: str | None,
                     content_threshold: float | None, memory_limit: int | None,
                     ocr: str | None) -> None:
    """Record the current findings, so that `qupia check --baseline` reports only new ones."""
    with gc_paused(keep=True):
        from qupia.finish import finish
        from qupia.runner import run_files

    if output:
        check_writable(output)
    settings, conf, walk = _resolve(paths, config_path, reference_date, enable, disable, jobs,
                                    timeout, lang, content_threshold=content_threshold,
                                    memory_limit=memory_limit, ocr=ocr)
    target = Path(output) if output else conf.get("baseline") or Path(baseline.DEFAULT)
    check_writable(target)
    _walk_notes(walk)
    _terminate_cleanly()
    files = walk.files
    identities: list[baseline.Identity] = []
    unreadable = len(walk.problems)
    for problem in _problems(walk):
        click.echo(f"{problem.path}: error: {problem.error}", err=True)
    for result in run_files(files, settings):
        result = finish(result, settings)  # the identities are made before evidence removal
        if result.status in ("error", "no-text"):
            unreadable += 1
            click.echo(f"{_printable(result.path)}: {result.status}: {result.error}", err=True)
        identities.extend(baseline.identity(result.sha256, f) for f in result.findings)
    baseline.write(target, identities)
    click.echo(_("{path}: {findings} findings of {files} files recorded").format(
        path=_printable(str(target)), findings=len(identities), files=len(files)))
    ending()
    sys.exit(1 if unreadable else 0)
