"""Archive members, each checked as a document of its own: under its own time limit, with
its own suppressions.

A .zip is one task for a worker (:mod:`qupia.runner`), but a member is a document: a slow scan
inside an archive must not use up the time of the members after it, and a reviewed DOCX keeps
its ``qupia-ignore`` property, and a sidecar keeps its decisions, when they travel in an archive
(:mod:`qupia.review`; the sidecar is the member's name plus ``.qupia.toml``, beside it in the
archive).

The time limit (``Limits.timeout_seconds``) is kept twice in a worker: in the worker itself,
by an alarm that ends a member still being read when the time is up (the member is then an
error and the walk goes on with the next), and by the parent, which a worker tells when each
member starts (:data:`progress`) and which ends the worker when a member outlasts its limit by
:data:`GRACE` seconds (a reader stuck in native code, where the alarm cannot reach it).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qupia.extract.zipped import Member
from qupia.model import FileResult
from qupia.settings import Settings

#: Set by a worker process (:mod:`qupia.runner`): called with the results of the members done
#: since the last call and the name of the member now read ("" when none is). Unset in process
#: (:func:`qupia.check_file`): no alarm is set there either.
progress: Callable[[list[FileResult], str], None] | None = None
#: Seconds the parent gives a member over its limit before it ends the worker.
GRACE = 2.0


class _TimeUp(BaseException):
    """The member's time is up (a BaseException: no reader's ``except Exception`` keeps it)."""


def _ring(signum: int, frame: Any) -> None:
    raise _TimeUp


def check_member(member: Member, settings: Settings) -> FileResult:
    """The result of one archive member, read from its bytes, with its own suppressions."""
    from qupia.engine import check_file

    if member.data is None:
        return FileResult(member.name, None, "error", member.error)
    limit = settings.limits.timeout_seconds
    alarm = (progress is not None and limit > 0
             and threading.current_thread() is threading.main_thread())
    if progress is not None:
        progress([], member.name)
    before = signal.signal(signal.SIGALRM, _ring) if alarm else None
    try:
        try:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, limit)
            result = check_file(Path(member.name), settings, data=member.data)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, before or signal.SIG_DFL)
    except _TimeUp:
        result = FileResult(member.name, None, "error", f"timed out after {limit:g} s")
    result = _suppressed(result, member, settings)
    if progress is not None:
        progress([result], "")
    return result


def _suppressed(result: FileResult, member: Member, settings: Settings) -> FileResult:
    """*result* with what the member says about its own findings (:mod:`qupia.review`),
    read here in the worker from the member's bytes (a sidecar is at most 64 KiB) and applied
    by the main process as any document's."""
    from dataclasses import replace

    from qupia.review import read_member
    from qupia.rules import RULES

    if result.status != "ok" or not result.findings or member.data is None:
        return result
    return replace(result, review=read_member(member.name, member.data, member.sidecar,
                                              member.sidecar_error, {r.CODE for r in RULES},
                                              settings.limits))
