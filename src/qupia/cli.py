"""The command line: options in, exit status out (README, "Using it").

Exit status: 0 when no finding reaches ``--fail-on``; 1 when one does or a file could not be
read; 2 for a usage or configuration error. It is computed here, once.

Help texts, rule explanations and messages are in the language of ``--lang`` (kk, ru, en), else
of the configuration's ``lang``, else of the system locale, else English (:mod:`qupia.i18n`).
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from qupia import __version__, baseline, i18n
from qupia.config import ConfigError, discover, peek, read_config, select
from qupia.extract.errors import OCR_MODES
from qupia.fsio import WriteError, atomic_writer, check_writable
from qupia.i18n import _
from qupia.model import SEVERITIES
from qupia.report import EMITTERS
from qupia.settings import Settings
from qupia.walk import Walk, collect, skipped_line

# Start-up: `qupia --version` and `--help` import only click and the light modules above; the
# rules, the pattern packs and the pipeline (numpy, regex, pydantic …) are imported by the
# commands that use them.


@contextmanager
def _translated(*objects: Any) -> Iterator[None]:
    """Show the ``help`` of click commands and parameters in the active language while a help
    page is written. The msgids are the English texts written in the code below."""
    saved = [(o, o.help) for o in objects if getattr(o, "help", None)]
    for o, text in saved:
        o.help = _(text)
    try:
        yield
    finally:
        for o, text in saved:
            o.help = text


class _Translated:
    """Mixin for click commands whose help is looked up in the catalogues when shown."""

    help: str | None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, *self.get_params(ctx)):  # type: ignore[attr-defined]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)  # type: ignore[misc,no-any-return]


class _Command(_Translated, click.Command):
    pass


def _initial_language(args: list[str]) -> str:
    """The language before any option is read: a ``--lang`` among *args* (click handles an
    eager ``--help`` written before it first), else the configuration found from the current
    folder, else the system locale, else English."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in i18n.LANGUAGES:
            return value
    try:
        found = discover(Path.cwd())
    except OSError:  # the current folder is gone
        found = None
    lang = peek(found, "lang") if found else None
    return lang if lang in i18n.LANGUAGES else i18n.system_language() or "en"


class _Group(_Translated, click.Group):
    command_class = _Command

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        i18n.set_language(_initial_language(argv))
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigError, WriteError) as exc:
            click.echo(f"qupia: {_printable(str(exc))}", err=True)
            sys.exit(2)
        except Exception as exc:
            patterns = sys.modules.get("qupia.text.patterns")  # loaded if patterns were read
            if patterns is None or not isinstance(exc, patterns.PatternError):
                raise
            click.echo(f"qupia: {_printable(str(exc))}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            # Ctrl-C: the workers ignore SIGINT and are stopped by the runner; no traceback.
            click.echo(_("qupia: interrupted"), err=True)
            sys.exit(130)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        i18n.set_language(value)
    return value


#: ``--lang``: eager, so that ``qupia check --lang ru --help`` is already in Russian.
lang_option = click.option(
    "--lang", type=click.Choice(i18n.LANGUAGES), default=None, is_eager=True,
    callback=_set_language,
    help="Language of messages and explanations (default: the configuration's lang, else the "
         "system locale, else en).")


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


def _printable(text: str) -> str:
    """*text* with any undecodable bytes of a file name (surrogate escapes) shown as \\xNN, so
    printing it cannot fail."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
    settings = Settings(
        reference_date=reference_date.date() if reference_date
        else conf.get("reference-date", date.today()),
        enabled=select(known, [e.upper() for e in enable] or conf.get("enable"),
                       [*conf.get("disable", []), *(d.upper() for d in disable)]),
        severity=conf.get("severity", {}),
        evidence=not no_evidence and conf.get("evidence", True),
        # The configuration is shared between machines: its jobs is capped at this one's CPUs.
        # An explicit --jobs is taken as asked (up to MAX_JOBS).
        jobs=jobs or min(conf.get("jobs", 1), _cpus()),
        lang=lang or conf.get("lang") or i18n.system_language() or "en",
        departmental_list=conf.get("departmental-list"),
        content_threshold=content_threshold or conf.get("content-threshold"),
        metadata_marks=conf.get("metadata-marks", "compare-only"),
        ocr=ocr or conf.get("ocr", "auto"),
    )
    if timeout:
        settings = replace(settings, limits=replace(settings.limits, timeout_seconds=timeout))
    memory = memory_limit if memory_limit is not None else conf.get("memory-limit")
    if memory is not None:
        settings = replace(settings, limits=replace(settings.limits,
                                                    memory_bytes=memory * 1024 * 1024))
    # Set before the worker processes are forked, so that their messages are in it too.
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
    from qupia.engine import FileResult

    for path, reason in walk.problems:
        yield FileResult(_printable(path), None, "error", reason)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="qupia")
def main() -> None:
    """Lint documents for secrecy markings under the Law "On State Secrets" (No 349-I)."""


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

    def tracked():  # type: ignore[no-untyped-def]
        # Workers keep the evidence (in memory only) so that baseline identities can hash it;
        # each emitter leaves it out of the report when settings.evidence is off.
        for result in itertools.chain(
                _problems(walk), run_files(walk.files, replace(settings, keep_evidence=True))):
            if known is not None and result.findings:
                fresh, hidden = baseline.new_findings(result.sha256, result.findings, known,
                                                      result.evidence_key)
                if hidden:
                    result = replace(result, findings=tuple(fresh), baselined=hidden)
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
            emit(tracked(), settings, out)
    else:
        emit(tracked(), settings, sys.stdout)
    if not walk.files and not walk.problems and not walk.excluded:  # excluded: on purpose
        from qupia.extract import SUFFIXES

        click.echo(_("qupia: no file to check: nothing in {paths} is of a type qupia reads "
                     "({types})").format(paths=", ".join(_printable(p) for p in paths),
                                         types=" ".join(sorted(SUFFIXES))), err=True)
        sys.exit(1)
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
    for result in run_files(files, replace(settings, keep_evidence=True)):
        if result.status in ("error", "no-text"):
            unreadable += 1
            click.echo(f"{_printable(result.path)}: {result.status}: {result.error}", err=True)
        identities.extend(baseline.identity(result.sha256, f, result.evidence_key)
                          for f in result.findings)
    baseline.write(target, identities)
    click.echo(_("{path}: {findings} findings of {files} files recorded").format(
        path=_printable(str(target)), findings=len(identities), files=len(files)))
    sys.exit(1 if unreadable else 0)


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
def scan_command(paths: tuple[str, ...], db: str, executor: str, scheduler: str | None,
                 evidence: bool, reference_date: Any, config_path: str | None,
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
                         problems=list(_problems(walk)))
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
    writers = [(html_path, html.render), (csv_path, export.csv_text),
               (json_path, export.json_text)]
    for target, _render in writers:
        if target:
            check_writable(target)  # a usage error (exit 2) before anything is written
    for target, render in writers:
        if target:
            with atomic_writer(target) as out:
                out.write(render(data))
    click.echo(export.totals_line(data))


@main.command("rules")
@lang_option
def rules_command(lang: str | None) -> None:
    """List every rule: code, name, family, default severity, article."""
    from qupia.rules import RULES

    for r in RULES:
        click.echo(f"{r.CODE}  {r.NAME:<26} {r.FAMILY:<12} {r.SEVERITY:<8} "
                   f"Art. {r.ARTICLE:<6} {i18n.summary(r)}")


@main.command()
@click.argument("code")
@lang_option
def explain(code: str, lang: str | None) -> None:
    """Print a rule's documentation."""
    from qupia.rules import by_code

    rule = by_code(code)
    if rule is None:
        raise click.BadParameter(_("no rule {code!r}; see `qupia rules`").format(code=code),
                                 param_hint="CODE")
    click.echo(f"{rule.CODE} {rule.NAME} ({rule.FAMILY}, {rule.SEVERITY}, Art. {rule.ARTICLE})")
    click.echo()
    click.echo(i18n.explanation(rule))


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False), default="corpus")
@click.option("--split", type=click.Choice(["train", "dev", "test", "all"]), default="dev",
              show_default=True, help="Which split to score (test is for reporting only).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Also write the figures as JSON to FILE.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="Score an evenly spread sample of N documents of the split.")
@click.option("--floors", type=click.Path(exists=True, dir_okay=False),
              help="JSON of minimum figures; exit 1 when one is not reached.")
def eval_command(corpus: str, split: str, output: str | None, jobs: int, sample: int | None,
                 floors: str | None) -> None:
    """Score qupia against a labelled corpus: per-family, per-article and per-item figures."""
    import json

    from qupia.evaluate import below_floors, evaluate, render

    if output:
        check_writable(output)
    report = evaluate(Path(corpus), split, Settings(jobs=jobs), sample=sample)
    click.echo(render(report), nl=False)
    if output:
        with atomic_writer(output) as out:
            out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if floors:
        failed = below_floors(report, json.loads(Path(floors).read_text(encoding="utf-8")))
        for line in failed:
            click.echo(f"below floor: {line}", err=True)
        if failed:
            sys.exit(1)


main.add_command(eval_command)
