"""``qupia scan`` as an archive review runs it: killed with SIGKILL again and again, and on a
Dask cluster on loopback with a worker killed mid-scan (slow: real processes, a real cluster)."""

from __future__ import annotations

import json
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

QUPIA = str(Path(sys.executable).with_name("qupia"))
DASK = str(Path(sys.executable).with_name("dask"))
REF = ("--reference-date", "2026-11-26")


def _archive(folder: Path, n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from archive import make_archive  # bench/archive.py: documents from the corpus
    finally:
        sys.path.pop(0)
    paths = make_archive(folder, n)
    # Renamed copies: recorded under their own paths, their content analysed once.
    for p in paths[:n // 10]:
        shutil.copy(p, p.with_name(f"copy-of-{p.name}"))
    return sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.name[0] != ".")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("archive")
    # Enough files that ten kills never meet a finished scan, even on two idle cores.
    return folder, _archive(folder, 600)


def _snapshot(db: Path) -> tuple[dict[str, tuple], dict[str, float]]:  # type: ignore[type-arg]
    if not db.exists():
        return {}, {}
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        files = {r[0]: r[1:] for r in con.execute(
            "SELECT path, sha256, status, run, recorded FROM files")}
        contents = dict(con.execute("SELECT sha256, finished FROM contents"))
    except sqlite3.OperationalError:  # killed before the tables were made
        files, contents = {}, {}
    finally:
        con.close()
    return files, contents


def _procs() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, state) of every process."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(stat.parent.name)] = (int(fields[1]), fields[0])
    return out


def _children(pid: int) -> set[int]:
    return {p for p, (ppid, state) in _procs().items() if ppid == pid and state != "Z"}


def _alive(pids: set[int]) -> set[int]:
    """Those of *pids* still running (not zombies)."""
    return {p for p, (_ppid, state) in _procs().items() if p in pids and state != "Z"}


def _count(db: Path) -> int:
    return len(_snapshot(db)[0])


def _integrity(db: Path) -> str:
    con = sqlite3.connect(db, timeout=30)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def test_sigkill_at_random_moments_loses_and_redoes_nothing(
        archive: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, paths = archive
    db = tmp_path / "results.sqlite"
    command = [QUPIA, "scan", str(folder), "--db", str(db), "--jobs", "2", *REF]
    rng = random.Random(20261207)
    before: tuple[dict, dict] = ({}, {})  # type: ignore[type-arg]
    kills, moments = 0, []
    while kills < 10:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        started, had = time.monotonic(), _count(db)
        if rng.random() < 0.25:  # during start-up, planning or the first files
            time.sleep(rng.uniform(0.05, 1.0))
        else:  # after a few more files, between or inside their transactions
            target = had + rng.randint(1, 12)
            while _count(db) < target and proc.poll() is None:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.15))
        if proc.poll() is not None:
            pytest.fail(f"the scan ended before kill {kills + 1}: the archive is too small")
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        moments.append((round(time.monotonic() - started, 2), _count(db) - had, len(workers)))
        deadline = time.monotonic() + 10  # no worker outlives the scan (PR_SET_PDEATHSIG)
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(workers), f"workers outlived the scan: {_alive(workers)}"
        kills += 1
        assert _integrity(db) == "ok" if db.exists() else True
        after = _snapshot(db)
        for old, new in zip(before, after, strict=True):
            lost_or_redone = {k: (v, new.get(k)) for k, v in old.items() if new.get(k) != v}
            assert not lost_or_redone, (kills, moments)
        before = after
    assert 0 < len(before[0]) < len(paths), moments  # the kills fell inside the scan
    assert sum(1 for m in moments if m[2]) >= 5, moments  # most kills found workers running
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    files, contents = _snapshot(db)
    assert sorted(files) == paths  # every file, exactly once (the path is the key)
    for old, new in zip(before, (files, contents), strict=True):
        assert all(new[k] == v for k, v in old.items())  # nothing finished was redone
    assert {s for _sha, s, _run, _t in files.values()} == {"ok"}
    copies = [p for p in files if Path(p).name.startswith("copy-of-")]
    assert copies and all(files[p][0] == files[p.replace("copy-of-", "")][0] for p in copies)
    assert len(contents) == len(paths) - len(copies)  # each content analysed once
    assert _integrity(db) == "ok"
    assert f"{len(paths)} files" in done.stderr and f"{len(before[0])} unchanged" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _export(db: Path, out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    done = subprocess.run([QUPIA, "report", str(db), "--json", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {f["path"]: f for f in json.loads(out.read_text(encoding="utf-8"))["files"]}


def test_dask_cluster_gives_the_local_results_and_survives_a_killed_worker(
        archive: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, paths = archive
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = tmp_path / "cluster.log"
    procs: list[subprocess.Popen[bytes]] = []
    with log.open("wb") as sink:
        try:
            procs.append(subprocess.Popen(
                [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"], stdout=sink, stderr=sink, cwd=tmp_path))
            # --no-nanny: the process killed below is the worker itself.
            workers = [subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--local-directory", str(tmp_path / f"w{i}")],
                stdout=sink, stderr=sink, cwd=tmp_path) for i in range(3)]
            procs += workers
            from distributed import Client

            with Client(address, timeout="60s") as client:
                client.wait_for_workers(3, timeout=120)
            db = tmp_path / "dask.sqlite"
            scan = subprocess.Popen(
                [QUPIA, "scan", str(folder), "--db", str(db), "--executor", "dask",
                 "--scheduler", address, *REF], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True)
            while _count(db) < 20 and scan.poll() is None:
                time.sleep(0.05)
            assert scan.poll() is None, "the scan ended before a worker could be killed"
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            _out, err = scan.communicate(timeout=900)
            assert scan.returncode == 0, err
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
    local = tmp_path / "local.sqlite"
    done = subprocess.run([QUPIA, "scan", str(folder), "--db", str(local), "--jobs", "2", *REF],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    on_dask = _export(db, tmp_path / "dask.json")
    at_home = _export(local, tmp_path / "local.json")
    assert sorted(on_dask) == paths
    assert on_dask == at_home  # the same results, no file lost to the killed worker
    assert all(f["status"] == "ok" for f in on_dask.values())
    assert _integrity(db) == "ok"
