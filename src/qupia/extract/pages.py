"""Reading one long file on two cores: a forked helper process reads a range of its pages
while the calling process reads the rest (issue 12: a 1,000-page PDF should not leave a core
idle). The helper sends its result back pickled through a pipe and exits; if it fails in any
way (an error, a crash, a result that cannot be read), the caller reads those pages itself, so
errors are reported as they would be without the helper.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")

#: a PDF of at least this many pages has its second half read by a helper process
SPLIT_PAGES = 200


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Helper:
    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    def discard(self) -> None:
        """Stop the helper when its result is no longer wanted (the caller failed)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)

    def result(self) -> Any | None:
        """What the helper computed, or None when it failed."""
        chunks = []
        with os.fdopen(self.fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return None
        if status != 0 or not chunks:
            return None
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:
            return None


def _die_with_parent() -> None:
    """Linux: the helper is killed when the process that forked it dies (a worker killed at
    its time limit takes its helper along)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def threads() -> int:
    """The threads of this process, native ones included (Linux: /proc/self/task); 1 where
    that cannot be read."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def fork_reader(work: Callable[[], Any]) -> Helper | None:
    """Run *work* in a forked process; None when the system cannot fork, or when this process
    runs other threads: a fork copies only the calling thread, and a lock another thread held
    at that moment (in pdfium, the allocator, a progress bar) would stay locked in the helper
    for ever. A qupia worker is single-threaded; an embedding program may not be."""
    if not hasattr(os, "fork") or threads() > 1:
        return None
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the helper: never returns
        code = 1
        try:
            os.close(read)
            # What it inherited is never collected here: a collection would touch, and so
            # copy, every page of it (the helper's own objects are freed by reference
            # counting, and the process soon ends).
            gc.disable()
            gc.freeze()
            _die_with_parent()
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return Helper(pid, read)


def on_two_cores(here: Callable[[], T], there: Callable[[], U],
                 again: Callable[[], U] | None = None) -> tuple[T, U]:
    """*here* in this process while a forked helper runs *there*; when the helper fails or
    cannot start, *there*'s work is done here afterwards (*again*: the same work in this
    process's terms, e.g. with a file it holds open; else *there* itself)."""
    helper = fork_reader(there)
    try:
        mine = here()
    except BaseException:
        if helper is not None:
            helper.discard()
        raise
    theirs = helper.result() if helper is not None else None
    if theirs is None:
        theirs = (again or there)()
    return mine, theirs
