"""The command line: options in, exit status out (README, "Using it").

One module per group of commands: :mod:`~qupia.cli.lint` (``check``, ``baseline``),
:mod:`~qupia.cli.archive` (``scan``, ``report``), :mod:`~qupia.cli.info` (``rules``,
``explain``, ``eval``); :mod:`~qupia.cli.group` is the group itself (language, one-line errors)
and :mod:`~qupia.cli.options` the options they share.

Start-up: ``qupia --version`` and ``--help`` import only click and the light modules these
import; the rules, the pattern packs and the pipeline (numpy, regex, pydantic …) are imported
by the commands that use them.
"""

from __future__ import annotations

from qupia.startup import gc_paused

with gc_paused(keep=True):
    from qupia.cli import archive, info, lint  # noqa: F401  (each registers its commands)
    from qupia.cli.group import _Translated, main
    from qupia.cli.options import _cpus, _resolve

__all__ = ["_Translated", "_cpus", "_resolve", "main"]
