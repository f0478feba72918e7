"""The command line: options in, exit status out (SPEC §4).

Exit status: 0 when no finding reaches ``--fail-on``; 1 when one does or a file could not be
read; 2 for a usage or configuration error. It is computed here, once.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from qupia import __version__
from qupia.config import ConfigError, read_config, select
from qupia.extract import SUFFIXES
from qupia.markings import PatternError
from qupia.model import SEVERITIES
from qupia.report import EMITTERS
from qupia.rules import RULES, by_code
from qupia.settings import Settings


def _files(paths: tuple[str, ...], exclude: list[str]) -> list[str]:
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if Path(name).suffix.lower() in SUFFIXES:
                        out.append(str(Path(root) / name))
        else:
            out.append(str(path))
    return [p for p in out if not any(fnmatch.fnmatch(p, g) for g in exclude)]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigError, PatternError) as exc:
            click.echo(f"qupia: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="qupia")
def main() -> None:
    """Lint documents for secrecy markings under the Law "On State Secrets" (No 349-I)."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(sorted(EMITTERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE instead of standard output.")
@click.option("--reference-date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date the time rules count from (default: today).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A .qupia.toml or pyproject.toml with [tool.qupia].")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files read in parallel (default: 1).")
@click.option("--select", "enable", multiple=True, help="Only these rule codes or prefixes.")
@click.option("--ignore", "disable", multiple=True, help="Skip these rule codes or prefixes.")
@click.option("--no-evidence", is_flag=True, help="Leave the document's words out of the report.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds allowed per file (default: 120).")
def check(paths: tuple[str, ...], fmt: str, output: str | None, reference_date: Any,
          config_path: str | None, fail_on: str | None, jobs: int | None,
          enable: tuple[str, ...], disable: tuple[str, ...], no_evidence: bool,
          timeout: float | None) -> None:
    """Lint PDF, DOCX and TXT files and folders (folders are searched recursively)."""
    from qupia.runner import run_files

    known = {r.CODE for r in RULES}
    conf = read_config(Path(config_path), known) if config_path else {}
    for code in (*enable, *disable):
        if not any(c.startswith(code.upper()) for c in known):
            raise click.BadParameter(f"{code!r} matches no rule code", param_hint="--select")
    settings = Settings(
        reference_date=reference_date.date() if reference_date
        else conf.get("reference-date", date.today()),
        enabled=select(known, list(enable) or conf.get("enable"),
                       [*conf.get("disable", []), *(d.upper() for d in disable)]),
        severity=conf.get("severity", {}),
        evidence=not no_evidence and conf.get("evidence", True),
        jobs=jobs or conf.get("jobs", 1),
    )
    if timeout:
        settings = replace(settings, limits=replace(settings.limits, timeout_seconds=timeout))
    threshold = SEVERITIES.index(fail_on or conf.get("fail-on", "error"))
    files = _files(paths, conf.get("exclude", []))
    status = {"fail": False}

    def tracked():  # type: ignore[no-untyped-def]
        for result in run_files(files, settings):
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


@main.command("rules")
def rules_command() -> None:
    """List every rule: code, name, family, default severity, article."""
    for r in RULES:
        summary = (r.__doc__ or "").strip().splitlines()[0].split(":", 1)[-1].strip()
        click.echo(f"{r.CODE}  {r.NAME:<26} {r.FAMILY:<12} {r.SEVERITY:<8} "
                   f"Art. {r.ARTICLE:<6} {summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print a rule's documentation."""
    rule = by_code(code)
    if rule is None:
        raise click.BadParameter(f"no rule {code!r}; see `qupia rules`", param_hint="CODE")
    click.echo(f"{rule.CODE} {rule.NAME} ({rule.FAMILY}, {rule.SEVERITY}, Art. {rule.ARTICLE})")
    click.echo()
    click.echo((rule.__doc__ or "").strip())
