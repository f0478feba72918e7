"""Run :func:`qupia.engine.check_path` over many files with a time limit per file.

A .zip archive is one task: its worker returns one result per member, and they are reported
in the archive's order where the archive stands in the list.

Each file is read in a worker process. A file that takes longer than the limit (a parser caught
in a hostile file) has its worker killed and gets ``status: "error"`` with the reason; a worker
that dies (a crash in a native parser) likewise. The scan goes on with a fresh worker.
Workers are forked after the pattern pack is compiled, so they start warm.

Nothing in the main process opens a document: hashing, sniffing and reading all happen in the
worker, so a FIFO or a device that blocks costs a worker (killed at the limit), never the scan.
A file whose worker was killed has ``sha256: null``. The results are unfinished
(:mod:`qupia.engine`): the caller finishes each one (:func:`qupia.finish.finish`); workers hold
no language and no report settings.

Workers die with their parent: each asks the kernel for SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``, Linux), leads its own process group (a reader's helper programs
die with it when the worker is killed; Ctrl-C at the terminal reaches only the main process),
and ignores SIGINT, so Ctrl-C prints one line, not a traceback per worker. Each worker's
address space is limited (``RLIMIT_AS``, :attr:`Limits.memory_bytes`): a file that needs more
is "over the memory limit", alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import math
import multiprocessing as mp
import os
import resource
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path

# One-thread BLAS, set before numpy is first imported (qupia.content imports it): a BLAS thread
# pool started before a fork is missing in the child, one-thread BLAS is all the small model
# needs, and one worker per core is the parallelism (docs/measurements.md: two processes gave
# 1.6–2.1x one). Started, OpenBLAS's pool also costs about 50 ms of CPU at import, in the
# start-up every worker waits for (docs/speed.md, issue 12).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from qupia.content import load_list, load_resources  # noqa: E402
from qupia.engine import FileResult, check_path, digests, over_memory  # noqa: E402
from qupia.markings import load  # noqa: E402
from qupia.markings.metadata import load_metadata  # noqa: E402
from qupia.members import GRACE  # noqa: E402
from qupia.settings import Settings  # noqa: E402
from qupia.startup import gc_paused  # noqa: E402

_CTX = mp.get_context("fork")
_AHEAD = 2  # files sent to a worker at a time, when they are small
_SMALL = 1 << 20  # bytes: a larger file is not queued behind, nor has a file queued behind it


def _small(path: str) -> bool:
    """Whether a file is small enough to queue (its size only: nothing here opens a file)."""
    try:
        return os.stat(path).st_size < _SMALL
    except OSError:
        return True

#: The status of a result whose content *seen* already knew: not analysed (qupia.scan).
SEEN = "seen"

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _detach(parent: int, memory_bytes: int) -> None:
    """In a new worker: die with the parent, own process group, no SIGINT, memory limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler, inherited by fork
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    if memory_bytes > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _work(conn: Connection, settings: Settings, parent: int,
          seen: Callable[[str], bool] | None = None) -> None:
    _detach(parent, settings.limits.memory_bytes)
    try:
        _serve(conn, settings, seen)
    finally:  # a forked worker skips atexit: stop the LibreOffice converter it may have started
        legacy = sys.modules.get("qupia.extract.legacy")
        if legacy is not None:
            legacy.shutdown()


def _serve(conn: Connection, settings: Settings,
           seen: Callable[[str], bool] | None = None) -> None:
    from qupia import members

    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, path = task
        hashed: tuple[str, str] | None = None
        if seen is not None:
            # `qupia scan`: a content already in the store (a renamed copy) is not analysed
            # again; the worker hashes, the parent never reads a document (qupia.scan). A new
            # content's digests go on to the engine, which does not read the file again for them.
            digest, key = digests(Path(path))
            if digest is not None and seen(digest):
                conn.send((index, [FileResult(path, digest, SEEN, None)]))
                continue
            if digest is not None and key is not None:
                hashed = (digest, key)
        # an archive's members: their results as each is done, and a time limit for each
        members.progress = functools.partial(_part, conn, index)
        try:
            results = check_path(Path(path), settings, hashed)
        except MemoryError:
            results = [FileResult(path, None, "error", over_memory(settings.limits))]
        except RecursionError:
            results = [FileResult(path, None, "error", "file too complex to read within limits")]
        except Exception as exc:  # a bug must cost one file, not the scan
            results = [FileResult(path, None, "error",
                                  f"internal error: {type(exc).__name__}: {exc}")]
        conn.send((index, results))


def _part(conn: Connection, index: int, results: list[FileResult], reading: str) -> None:
    conn.send((index, results, reading))


class _Worker:
    def __init__(self, settings: Settings, seen: Callable[[str], bool] | None = None) -> None:
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=_work, args=(child, settings, os.getpid(), seen),
                                 daemon=True)
        # What the parent holds stays out of the worker's garbage collector, whose passes
        # would touch (and so copy) every page of it in every worker; the parent collects as
        # before
        gc.freeze()
        try:
            self.proc.start()
        finally:
            gc.unfreeze()
        child.close()
        # files sent and not yet answered, the first being read; the next waits in the pipe,
        # so that the worker need not wait for this process between two small files
        self.queue: deque[tuple[int, str]] = deque()
        self.deadline = 0.0

    @property
    def task(self) -> tuple[int, str] | None:
        """The file being read."""
        return self.queue[0] if self.queue else None

    def give(self, index: int, path: str, timeout: float) -> None:
        if not self.queue:
            self.deadline = time.monotonic() + timeout
        self.queue.append((index, path))
        self.conn.send((index, path))

    def finished(self, timeout: float) -> None:
        """The first file is answered: the time limit now runs for the next."""
        self.queue.popleft()
        self.deadline = time.monotonic() + timeout

    def kill(self) -> None:
        """SIGKILL the worker and its process group (helper programs a reader started)."""
        pid = self.proc.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # the worker leads its group (_detach)
        with contextlib.suppress(OSError):
            self.proc.kill()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.kill()
            from qupia.extract.legacy import remove_leftovers

            self.proc.join(timeout=5)
            remove_leftovers(self.proc.pid)
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.kill()
            self.proc.join(timeout=5)
        self.conn.close()


class _Poller:
    """One ``poll`` set kept over the whole run, the busy workers' pipes in it (what
    ``multiprocessing.connection.wait`` does, without building a new set for every file)."""

    def __init__(self) -> None:
        self.poll = select.poll()
        self.fds: set[int] = set()

    def wait(self, busy: list[_Worker], timeout: float) -> set[int]:
        """The descriptors of the *busy* workers' pipes with something to read (a result, or
        the end of a worker that died), after at most *timeout* seconds."""
        want = {w.conn.fileno() for w in busy}
        for fd in self.fds - want:
            self.poll.unregister(fd)
        for fd in want - self.fds:
            self.poll.register(fd, select.POLLIN)
        self.fds = want
        return {fd for fd, _ in self.poll.poll(math.ceil(timeout * 1000))}


def _warm(paths: list[str], settings: Settings) -> None:
    """Load here, once, what every worker needs, so that the workers forked next share it
    (copy-on-write) instead of each building it again: compiled patterns, the model, the date
    patterns; with several workers and several files, the PDF and DOCX readers too. (The rules
    and the review step come with :mod:`qupia.engine`, imported at the top.)"""
    pack = load()  # compile patterns and load the model once, before forking
    load_metadata()
    load_resources()
    if settings.departmental_list:
        load_list(settings.departmental_list)  # a bad list stops here, before any file
    from qupia.markings.dates import find_dates, line_date

    find_dates("", pack)  # compiles the written-date patterns of the pack
    # and the expressions the date readers compile when first used (each month's stem, the
    # partial dates), which every worker would otherwise compile again on its first dated text
    find_dates(" ".join(f"1 {stem} 2000" for _, stem in pack.months), pack)
    line_date("1931", pack)
    if settings.jobs > 1 and len(paths) > 1:
        import qupia.extract.docx
        import qupia.extract.pdf  # noqa: F401


def run_files(paths: list[str], settings: Settings, ordered: bool = True,
              seen: Callable[[str], bool] | None = None) -> Iterator[FileResult]:
    """Results in the order of *paths* (an archive's members in its place), each as soon as it
    and those before it are done; with ``ordered=False``, each as soon as it is done. *seen*,
    called in the worker with a file's sha256, says the content is known already: its result is
    then ``status == SEEN``, not analysed."""
    with gc_paused():  # what is loaded lives as long as the process: no garbage meanwhile
        _warm(paths, settings)
    timeout = settings.limits.timeout_seconds
    workers = [_Worker(settings, seen) for _ in range(max(1, min(settings.jobs, len(paths))))]
    pending = list(enumerate(paths))[::-1]
    done: dict[int, list[FileResult]] = {}
    # an archive's results so far, and the member being read (qupia.members)
    parts: dict[int, list[FileResult]] = {}
    reading: dict[int, str] = {}
    emitted = 0
    waiting = _Poller()
    try:
        while emitted < len(paths):
            # one file to each idle worker first; then a second waits behind a small one, while
            # there are files enough for every worker (at the end, a file queued behind another
            # would leave an idle worker waiting for it)
            for depth in range(1, _AHEAD + 1):
                for w in workers:
                    if len(w.queue) < depth and pending and (depth == 1 or (
                            len(pending) >= len(workers) and _small(w.queue[-1][1])
                            and _small(pending[-1][1]))):
                        w.give(*pending.pop(), timeout=timeout)
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            ready = waiting.wait(busy, timeout=max(0.0, min(w.deadline for w in busy) - now))
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                index, path = w.task
                if w.conn.fileno() in ready:
                    try:
                        got, result, *member = w.conn.recv()
                        if member:  # an archive's member done or begun: its own time limit
                            parts.setdefault(got, []).extend(result)
                            reading[got] = member[0]
                            w.deadline = time.monotonic() + timeout + GRACE
                            continue
                        done[got] = result
                        parts.pop(got, None)
                        reading.pop(got, None)
                        w.finished(timeout)
                        continue
                    except (EOFError, OSError):
                        w.proc.join(timeout=1)
                        reason = _crash(w.proc.exitcode)
                elif time.monotonic() >= w.deadline:
                    reason = f"timed out after {timeout:g} s"
                else:
                    continue
                w.stop(kill=True)
                # No hash: nothing in this process reads a document (a FIFO would block it).
                done[index] = [*parts.pop(index, []),
                               FileResult(reading.pop(index, "") or path, None, "error", reason)]
                pending.extend(reversed(list(w.queue)[1:]))  # sent but not begun: read again
                workers[i] = _Worker(settings, seen)
            if not ordered:
                for index in list(done):
                    yield from done.pop(index)
                    emitted += 1
            while emitted in done:
                yield from done.pop(emitted)
                emitted += 1
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)


def _crash(exitcode: int | None) -> str:
    """The reason for a worker that died on a file, with the signal that ended it."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else ""
        return f"reader crashed on this file ({name or f'signal {-exitcode}'})"
    return "reader crashed on this file"
