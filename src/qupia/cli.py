"""The command line: options in, exit status out (README, "Using it").

Exit status: 0 when no finding reaches ``--fail-on``; 1 when one does or a file could not be
read; 2 for a usage or configuration error. It is computed here, once.

Help texts, rule explanations and messages are in the language of ``--lang`` (kk, ru, en), else
of the configuration's ``lang``, else of the system locale, else English (:mod:`qupia.i18n`).
"""

from __future__ import annotations

import fnmatch
import os
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
from qupia.extract import SUFFIXES
from qupia.i18n import _
from qupia.markings import PatternError
from qupia.model import SEVERITIES
from qupia.report import EMITTERS
from qupia.rules import RULES, by_code
from qupia.settings import Settings


def _matches(path: str, globs: list[str], root: Path) -> bool:
    """Whether *path* matches a glob, tried on the path as given, on the path relative to the
    configuration's folder, and on the file name (``*`` crosses ``/``; ``**/`` may match no
    folder)."""
    candidates = {Path(path).as_posix(), Path(path).name}
    try:
        candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        pass
    for glob in globs:
        tries = (glob, glob[3:]) if glob.startswith("**/") else (glob,)
        if any(fnmatch.fnmatch(c, g) for c in candidates for g in tries):
            return True
    return False


def _files(paths: tuple[str, ...], include: list[str], exclude: list[str],
           root: Path) -> list[str]:
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if Path(name).suffix.lower() in SUFFIXES:
                        out.append(str(Path(folder) / name))
        else:
            out.append(str(path))
    return [p for p in out if (not include or _matches(p, include, root))
            and not _matches(p, exclude, root)]


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
        except (ConfigError, PatternError) as exc:
            click.echo(f"qupia: {exc}", err=True)
            sys.exit(2)


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
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Files read in parallel (default: 1)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Seconds allowed per file (default: 120)."),
        click.option("--content-threshold", type=click.FloatRange(0, 1, min_open=True,
                                                                   max_open=True),
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
             content_threshold: float | None = None,
             ) -> tuple[Settings, dict[str, Any], list[str]]:
    """Options and configuration → settings (resolved once), the configuration, the files."""
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
        jobs=jobs or conf.get("jobs", 1),
        lang=lang or conf.get("lang") or i18n.system_language() or "en",
        departmental_list=conf.get("departmental-list"),
        content_threshold=content_threshold or conf.get("content-threshold"),
    )
    if timeout:
        settings = replace(settings, limits=replace(settings.limits, timeout_seconds=timeout))
    # Set before the worker processes are forked, so that their messages are in it too.
    i18n.set_language(settings.lang)
    root = found.parent if found else Path.cwd()
    files = _files(paths, conf.get("include", []), conf.get("exclude", []), root)
    return settings, conf, files


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="qupia")
def main() -> None:
    """Lint documents for secrecy markings under the Law "On State Secrets" (No 349-I)."""


@main.command()
@_scan_options
@click.option("--format", "fmt", type=click.Choice(sorted(EMITTERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE instead of standard output.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--no-evidence", is_flag=True, help="Leave the document's words out of the report.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False),
              help="Report only findings not in this baseline file (see `qupia baseline`).")
def check(paths: tuple[str, ...], fmt: str, output: str | None, reference_date: Any,
          config_path: str | None, fail_on: str | None, jobs: int | None,
          enable: tuple[str, ...], disable: tuple[str, ...], no_evidence: bool,
          timeout: float | None, lang: str | None, baseline_path: str | None,
          content_threshold: float | None) -> None:
    """Lint PDF, DOCX and TXT files and folders (folders are searched recursively)."""
    from qupia.runner import run_files

    settings, conf, files = _resolve(paths, config_path, reference_date, enable, disable, jobs,
                                     timeout, lang, no_evidence, content_threshold)
    threshold = SEVERITIES.index(fail_on or conf.get("fail-on", "error"))
    chosen = Path(baseline_path) if baseline_path else conf.get("baseline")
    known = baseline.read(chosen) if chosen else None
    status = {"fail": False}

    def tracked():  # type: ignore[no-untyped-def]
        # Workers keep the evidence (in memory only) so that baseline identities can hash it;
        # each emitter leaves it out of the report when settings.evidence is off.
        for result in run_files(files, replace(settings, evidence=True)):
            if known is not None and result.findings:
                fresh, hidden = baseline.new_findings(result.sha256, result.findings, known,
                                                      result.evidence_key)
                if hidden:
                    result = replace(result, findings=tuple(fresh), baselined=hidden)
            if result.status == "error" or any(
                SEVERITIES.index(f.severity) >= threshold for f in result.findings
            ):
                status["fail"] = True
            yield result

    if output:
        with open(output, "w", encoding="utf-8") as out:
            EMITTERS[fmt](tracked(), settings, out)
    else:
        EMITTERS[fmt](tracked(), settings, sys.stdout)
    sys.exit(1 if status["fail"] else 0)


@main.command("baseline")
@_scan_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Baseline file to write (default: the configuration's baseline, else "
                   ".qupia-baseline.json).")
def baseline_command(paths: tuple[str, ...], output: str | None, reference_date: Any,
                     config_path: str | None, jobs: int | None, enable: tuple[str, ...],
                     disable: tuple[str, ...], timeout: float | None, lang: str | None,
                     content_threshold: float | None) -> None:
    """Record the current findings, so that `qupia check --baseline` reports only new ones."""
    from qupia.runner import run_files

    settings, conf, files = _resolve(paths, config_path, reference_date, enable, disable, jobs,
                                     timeout, lang, content_threshold=content_threshold)
    identities: list[baseline.Identity] = []
    unreadable = 0
    for result in run_files(files, replace(settings, evidence=True)):
        if result.status == "error":
            unreadable += 1
            click.echo(f"{result.path}: error: {result.error}", err=True)
        identities.extend(baseline.identity(result.sha256, f, result.evidence_key)
                          for f in result.findings)
    target = Path(output) if output else conf.get("baseline") or Path(baseline.DEFAULT)
    baseline.write(target, identities)
    click.echo(_("{path}: {findings} findings of {files} files recorded").format(
        path=target, findings=len(identities), files=len(files)))
    sys.exit(1 if unreadable else 0)


@main.command("rules")
@lang_option
def rules_command(lang: str | None) -> None:
    """List every rule: code, name, family, default severity, article."""
    for r in RULES:
        click.echo(f"{r.CODE}  {r.NAME:<26} {r.FAMILY:<12} {r.SEVERITY:<8} "
                   f"Art. {r.ARTICLE:<6} {i18n.summary(r)}")


@main.command()
@click.argument("code")
@lang_option
def explain(code: str, lang: str | None) -> None:
    """Print a rule's documentation."""
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

    report = evaluate(Path(corpus), split, Settings(jobs=jobs), sample=sample)
    click.echo(render(report), nl=False)
    if output:
        Path(output).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    if floors:
        failed = below_floors(report, json.loads(Path(floors).read_text(encoding="utf-8")))
        for line in failed:
            click.echo(f"below floor: {line}", err=True)
        if failed:
            sys.exit(1)


main.add_command(eval_command)
