"""``qupia scan``: an archive review into a resumable results store (:mod:`qupia.store`).

The loop, in the parent process:

1. Every path is ``os.stat``-ed (never opened: the parent reads no document, so a FIFO or a
   device among the files cannot hang it). A path the store holds with the same size,
   modification time and inode is finished: it is skipped.
2. The other paths go to the executor; a file is read only in a worker:

   * ``local``: :func:`qupia.runner.run_files` (the pool ``qupia check`` uses: one worker process
     per core, a time limit per file, a dead or killed worker costs only its file), with results
     taken as they finish. Before analysing, the worker hashes the file and asks the store (a
     read-only connection of its own) whether that content is known; a renamed or copied file
     then comes back as ``seen`` and is recorded under its new path without being analysed.
   * ``dask``: files go in batches (tasks) to a Dask distributed cluster; a task runs the same
     ``run_files`` for its batch in a worker process of its own, so the time limit, the memory
     limit and the crash isolation are the same. The hashes the store knew when the scan
     started travel to the workers once (``scatter``); only results travel back.

3. Each result is written by this process in one transaction as it arrives, so stopping the
   scan at any moment (Ctrl-C, SIGKILL, a power cut after the last commit) loses nothing that
   was written, and running the same command again goes on where it stopped.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from qupia import __version__
from qupia.finish import finish
from qupia.model import FileResult
from qupia.report.json_report import file_dict
from qupia.runner import SEEN, run_files
from qupia.settings import Settings
from qupia.store import UNREADABLE, Stat, Store, open_readonly


def settings_key(settings: Settings) -> dict[str, Any]:
    """What a store's results depend on; a store holds the results of one such set."""
    return {
        "qupia": __version__,
        "reference_date": settings.reference_date.isoformat(),
        "enabled": sorted(settings.enabled) if settings.enabled is not None else None,
        "severity": dict(sorted(settings.severity.items())),
        "content_threshold": settings.content_threshold,
        "departmental_list": str(settings.departmental_list)
        if settings.departmental_list else None,
        "evidence": settings.evidence,
        "lang": settings.lang,
    }


@dataclass
class Tally:
    """What a scan did, for the progress bar and the closing line."""

    files: int = 0  # paths given
    skipped: int = 0  # unchanged since a finished run: not opened
    read: int = 0  # analysed in this run
    copies: int = 0  # content known already (a renamed or copied file): hashed, not analysed
    pages: int = 0
    findings: int = 0
    errors: int = 0  # error or no-text
    started: float = field(default_factory=time.monotonic)

    def line(self, db: Path) -> str:
        took = time.monotonic() - self.started
        rate = (self.read + self.copies) / took if took > 0 else 0.0
        return (f"qupia scan: {self.files} files ({self.read} read, {self.copies} known "
                f"contents, {self.skipped} unchanged), {self.pages} pages, {self.findings} "
                f"findings, {self.errors} unreadable, {took:.1f} s ({rate:.1f} files/s) "
                f"→ {db}")


def _stat(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stat(st.st_size, st.st_mtime_ns, st.st_ino)


#: What separates an archive's path from a member's path inside it (archive.zip!inner.docx).
MEMBER = "!"


def plan(paths: list[str], store: Store,
         retry_errors: bool = False) -> tuple[list[tuple[str, Stat | None]], int]:
    """The files to read (absolute path, stat) and how many are finished and unchanged
    (*retry_errors*: a file that could not be read, or not all of it, is not finished)."""
    done = store.unchanged(readable_only=retry_errors)
    for path, stat in list(done.items()):
        # An archive's members: the last one recorded carries the archive's stat (scan()).
        done.setdefault(path.split(MEMBER, 1)[0], stat)
    todo: list[tuple[str, Stat | None]] = []
    skipped = 0
    for raw in dict.fromkeys(os.path.abspath(p) for p in paths):
        stat = _stat(raw)
        if stat is not None and done.get(raw) == stat:
            skipped += 1
        else:
            todo.append((raw, stat))
    return todo, skipped


class _Known:
    """Called in a local worker with a file's sha256: whether the store has that content.
    Each worker process opens its own read-only connection (never one made before the fork)."""

    def __init__(self, db: Path, readable_only: bool = False) -> None:
        self.path = db
        self.pid = -1
        self.db: sqlite3.Connection | None = None
        self.where = f" AND status NOT IN {UNREADABLE}" if readable_only else ""

    def __call__(self, digest: str) -> bool:
        if self.db is None or self.pid != os.getpid():
            self.db, self.pid = open_readonly(self.path), os.getpid()
        return self.db.execute("SELECT 1 FROM contents WHERE sha256 = ?" + self.where,
                               (digest,)).fetchone() is not None


def _local(todo: list[str], settings: Settings, db: Path,
           retry_errors: bool) -> Iterator[FileResult]:
    yield from run_files(todo, settings, ordered=False, seen=_Known(db, retry_errors))


class ExecutorError(Exception):
    """An executor that cannot run the scan (a usage error)."""


def _daemonic() -> bool:
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def dask_task(paths: list[str], settings: Settings, known: frozenset[str]) -> list[FileResult]:
    """A batch of files on a Dask worker: the local pool's worker process (time limit, memory
    limit, crash isolation) started once for the batch, a content skipped when *known* has it.
    Batches spread the cost of starting that process (a fork of the Dask worker) over several
    files; a batch lost with its Dask worker is given to another one whole."""
    return list(run_files(paths, replace(settings, jobs=1), ordered=False,
                          seen=known.__contains__))


def _dask(todo: list[str], settings: Settings, scheduler: str,
          known: frozenset[str]) -> Iterator[FileResult]:
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        threads = sum(client.nthreads().values()) or 1
        daemonic = [w for w, d in client.run(_daemonic).items() if d]
        if daemonic:
            raise ExecutorError(
                f"{len(daemonic)} Dask workers are daemonic processes and cannot start the "
                "process that reads a file: start them with "
                "DASK_DISTRIBUTED__WORKER__DAEMON=False (see the README)")
        shared: list[Any] = []

        def share() -> Any:
            # One object, not its items; Dask keeps a single copy of scattered data, which a
            # killed worker may take with it: then it is shared again (below).
            if not shared:
                shared.extend(client.scatter([known], hash=False))
            return shared[0]

        # Batches of at most 64 files, at least four per worker thread over the scan, two per
        # thread in flight: every thread stays busy and a lost batch costs little. Each batch
        # forks its reader from the Dask worker, whose memory the reader then copies as it
        # writes to it: the bench measured 16-file batches at three times the local CPU time.
        size = max(1, min(64, len(todo) // (4 * threads)))
        batches = iter([todo[i:i + size] for i in range(0, len(todo), size)])
        tasks: dict[Any, tuple[list[str], int]] = {}

        def submit(batch: list[str], attempt: int = 0) -> Any:
            future = client.submit(dask_task, batch, settings, share(), pure=False)
            tasks[future] = (batch, attempt)
            return future

        queue = as_completed([submit(b) for _, b in zip(range(2 * threads), batches,
                                                          strict=False)])
        for future in queue:
            batch, attempt = tasks.pop(future)
            try:
                results = future.result()
            except Exception as exc:
                if _lost(exc) and attempt < 3:  # the shared hashes went with a dead worker
                    shared.clear()
                    queue.add(submit(batch, attempt + 1))
                    continue
                # The task failed on every worker it was given to (allowed-failures).
                reason = f"cluster: {type(exc).__name__}: {exc}"
                results = [FileResult(path, None, "error", reason) for path in batch]
            future.release()
            yield from results
            for nxt in batches:
                queue.add(submit(nxt))
                break


def _lost(exc: Exception) -> bool:
    from distributed.client import FutureCancelledError

    return isinstance(exc, FutureCancelledError)


def _progress(total: int, out: TextIO) -> Any:
    from tqdm import tqdm

    # No monitor thread: workers are forked while the bar runs, and a fork copies only the
    # calling thread (a lock the monitor held would stay locked in the child).
    tqdm.monitor_interval = 0
    return tqdm(total=total, unit="file", file=out, disable=not out.isatty(),
                dynamic_ncols=True, smoothing=0.05)


def scan(paths: list[str], store: Store, settings: Settings, executor: str = "local",
         scheduler: str | None = None, err: TextIO | None = None,
         problems: list[FileResult] | None = None, retry_errors: bool = False) -> Tally:
    """Read every file of *paths* not finished in *store*, writing each result as it arrives.
    *problems* (paths the folder walk could not follow) are recorded as unreadable.
    *retry_errors*: files recorded unreadable (or with unread pages) are read again, and a
    content known only as unreadable is analysed again rather than taken as seen."""
    err = err or sys.stderr
    run = store.begin_run(settings_key(settings))
    tally = Tally(files=len(paths) + len(problems or ()))
    for problem in problems or ():
        store.record(os.path.abspath(problem.path), None, None, "error", problem.error, None,
                     run)
        tally.errors += 1
    todo, tally.skipped = plan(paths, store, retry_errors)
    stats = dict(todo)
    names = [p for p, _ in todo]
    if executor == "dask":
        assert scheduler is not None
        results = _dask(names, settings, scheduler, store.hashes(readable_only=retry_errors))
    else:
        results = _local(names, settings, store.path, retry_errors)
    bar = _progress(len(todo), err)

    def record(result: FileResult, stat: Stat | None) -> None:
        if result.status == SEEN:
            tally.copies += 1
            store.record(result.path, stat, result.sha256, SEEN, None, None, run)
            return
        tally.read += 1
        result = finish(result, settings)
        store.record(result.path, stat, result.sha256, result.status, result.error,
                     _entry(result, settings) if result.sha256 else None, run)
        tally.pages += result.pages or 0
        tally.findings += len(result.findings)
        tally.errors += result.status != "ok"

    # An archive's members arrive one after another. They are recorded when the archive is
    # complete, and only the last carries the archive's stat: a scan killed half-way through
    # an archive finds it unfinished and reads it again (its members' rows are replaced).
    members: list[FileResult] = []
    archive = ""  # the archive whose members are in *members*

    def flush() -> None:
        if members:
            for n, member in enumerate(members, 1):
                record(member, stats.get(archive) if n == len(members) else None)
            members.clear()
            bar.update(1)

    try:
        for result in results:
            container = result.path.split(MEMBER, 1)[0]
            if members and container != archive:
                flush()
            if container != result.path and container in stats:
                archive = container
                members.append(result)
                continue
            record(result, stats.get(result.path))
            bar.update(1)
            bar.set_postfix(pages=tally.pages, findings=tally.findings, refresh=False)
        flush()
    finally:
        bar.close()
    return tally


def _entry(result: FileResult, settings: Settings) -> dict[str, Any]:
    """The file's qupia-report/1 entry; without evidence it holds none of the document's words
    (file_dict: the stamp's own words are null too; the level and form say what a mark was)."""
    return file_dict(result, settings)

