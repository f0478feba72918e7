"""The ``qupia`` command group: its language, its one-line errors, the ``--lang`` option.

Help texts, rule explanations and messages are in the language of ``--lang`` (kk, ru, en), else
of the configuration's ``lang``, else of the system locale, else English (:mod:`qupia.i18n`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from qupia import __version__, i18n
from qupia.config import ConfigError, discover, peek
from qupia.fsio import WriteError
from qupia.i18n import _


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


def _printable(text: str) -> str:
    """*text* with any undecodable bytes of a file name (surrogate escapes) shown as \\xNN, so
    printing it cannot fail."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="qupia")
def main() -> None:
    """Lint documents for secrecy markings under the Law "On State Secrets" (No 349-I)."""
