"""``qupia scan`` (an archive into a resumable results store) and ``qupia report`` (a store
into HTML, CSV or JSON)."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from qupia.cli.group import lang_option, main
from qupia.cli.options import _problems, _resolve, _scan_options, _terminate_cleanly, _walk_notes
from qupia.fsio import atomic_writer, check_writable
from qupia.i18n import _


@main.command("scan")
@_scan_options
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False),
              help="The results store (SQLite), created when missing; running the same "
                   "command again goes on where a stopped scan ended.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Worker processes on this machine, or a Dask cluster.")
@click.option("--scheduler", help="Address of the Dask scheduler (tcp://HOST:PORT), with "
                                  "--executor dask.")
@click.option("--evidence", is_flag=True,
              help="Keep the matched words in the store (default: left out).")
@click.option("--retry-errors", is_flag=True,
              help="Read again the files an earlier run could not read, or not all of "
                   "(errors, limits, pages without text): after installing a converter or "
                   "Tesseract, or with a longer --timeout.")
def scan_command(paths: tuple[str, ...], db: str, executor: str, scheduler: str | None,
                 evidence: bool, retry_errors: bool, reference_date: Any, config_path: str | None,
                 jobs: int | None, enable: tuple[str, ...], disable: tuple[str, ...],
                 timeout: float | None, lang: str | None,
                 content_threshold: float | None, memory_limit: int | None,
                 ocr: str | None) -> None:
    """Review an archive into a resumable results store (default: every core)."""
    from qupia.scan import ExecutorError, scan
    from qupia.store import Store, StoreError

    if executor == "dask" and not scheduler:
        raise click.BadParameter(_("--executor dask needs --scheduler tcp://HOST:PORT"),
                                 param_hint="--scheduler")
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise click.UsageError(
                _("the Dask executor needs: pip install 'qupia[dask]'")) from None
    settings, conf, walk = _resolve(paths, config_path, reference_date, enable, disable, jobs,
                                    timeout, lang, not evidence, content_threshold, memory_limit,
                                    ocr)
    settings = replace(settings, evidence=evidence)
    _walk_notes(walk)
    _terminate_cleanly()
    if jobs is None and "jobs" not in conf:
        settings = replace(settings, jobs=len(os.sched_getaffinity(0)) or 1)
    try:
        store = Store(db)
        stored = store.settings()
        if stored and reference_date is None and "reference-date" not in conf:
            # A resumed scan keeps the reference date it started with, even on a later day.
            settings = replace(settings,
                               reference_date=date.fromisoformat(stored["reference_date"]))
        try:
            tally = scan(walk.files, store, settings, executor, scheduler,
                         problems=list(_problems(walk)), retry_errors=retry_errors)
        finally:
            store.close()
    except (StoreError, ExecutorError) as exc:
        click.echo(f"qupia: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # the Dask scheduler cannot be reached
        click.echo(f"qupia: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo(_("qupia: stopped; run the same command again to go on"), err=True)
        sys.exit(130)
    click.echo(tally.line(Path(db)), err=True)


@main.command("report")
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Write a self-contained HTML page (no network) to FILE.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write one row per finding (and per file without one) as CSV to FILE.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the files as a qupia-report/1 JSON report to FILE.")
@lang_option
def report_command(db: str, html_path: str | None, csv_path: str | None,
                   json_path: str | None, lang: str | None) -> None:
    """Turn a results store into an HTML page, CSV or JSON (totals only without options)."""
    from qupia.report import export, html
    from qupia.store import StoreError

    try:
        data = export.load(Path(db))
    except StoreError as exc:
        click.echo(f"qupia: {exc}", err=True)
        sys.exit(2)
    # The page in --lang, else in the language the store was made in.
    writers = [(html_path, lambda d: html.render(d, lang)), (csv_path, export.csv_text),
               (json_path, export.json_text)]
    for target, _render in writers:
        if target:
            check_writable(target)  # a usage error (exit 2) before anything is written
    for target, render in writers:
        if target:
            with atomic_writer(target) as out:
                out.write(render(data))
    click.echo(export.totals_line(data))
