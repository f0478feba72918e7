"""``qupia rules``, ``qupia explain`` and ``qupia eval``: what the rules are, and how well
they do on a labelled corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qupia import i18n
from qupia.cli.group import lang_option, main
from qupia.fsio import atomic_writer, check_writable
from qupia.i18n import _
from qupia.settings import Settings


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

    from qupia.evaluate import CorpusError, below_floors, evaluate, render

    if output:
        check_writable(output)
    try:
        report = evaluate(Path(corpus), split, Settings(jobs=jobs), sample=sample)
    except CorpusError as exc:
        click.echo(f"qupia: {exc}", err=True)
        sys.exit(2)
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
