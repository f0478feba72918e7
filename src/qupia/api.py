"""qupia as a library: lint documents from Python and get typed results.

    >>> import qupia
    >>> for result in qupia.check(["docs/order-12.pdf"]):
    ...     print(result.path, result.status, [f.code for f in result.findings])

:func:`check` reads each file in a worker process with the time and memory limits of
:class:`~qupia.model.Limits` (a hostile file costs that file, not the caller), as ``qupia check``
does; :func:`check_file` reads one file in the calling process, without them. Both return
:class:`~qupia.model.FileResult`: its ``findings`` (:class:`~qupia.model.Finding`), marking facts
and category matches, finished as the command line finishes them (:mod:`qupia.finish`:
severities, the document's own suppressions, evidence removal). A finding's ``message`` is a
:class:`~qupia.model.Message`, made text by ``qupia.i18n.render(message, lang)``; reports in the
formats of the command line come from :mod:`qupia.report` (``EMITTERS["json"](results,
settings, stream)``, in the language of ``settings.lang``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path

from qupia.model import FileResult
from qupia.settings import Settings

__all__ = ["FileResult", "Settings", "check", "check_file"]


def check(paths: Iterable[str | PathLike[str]], settings: Settings | None = None
          ) -> Iterator[FileResult]:
    """Lint files (not folders) in worker processes, in the order given; a .zip gives one
    result per member. Unreadable files come back with ``status`` ``error`` or ``no-text``."""
    from qupia.finish import finish
    from qupia.runner import run_files

    settings = settings or Settings()
    for result in run_files([str(p) for p in paths], settings):
        yield finish(result, settings)


def check_file(path: str | PathLike[str], settings: Settings | None = None) -> list[FileResult]:
    """Lint one file in this process: one result, or one per member of a .zip archive."""
    from qupia.engine import check_path
    from qupia.finish import finish

    settings = settings or Settings()
    return [finish(result, settings) for result in check_path(Path(path), settings)]
