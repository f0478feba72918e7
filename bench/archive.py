"""Archive review speed: ``qupia scan`` over an archive of mixed documents, in one run, with one
and two local workers and with a two-worker local Dask cluster.

The archive (default 2,000 files: 40% text PDF, 30% DOCX, 30% TXT) is rendered from the corpus
sources (corpus/src, through corpus/build.py's renderers); each copy gets its own archive
number on its last page, so every file is a different content (no file is skipped as a known
copy). It is cached under bench/out/archive-N (git-ignored) and made again only when missing.

Each configuration is the real command (``qupia scan ARCHIVE --db fresh.sqlite``); the figures
are wall time, files/s, pages/s (pages as the store counts them) and the CPU time (user+sys) of
the command and of every process it waited for; for Dask, of the scheduler and workers too,
which the bench starts on loopback (``dask scheduler`` and ``dask worker`` processes, one thread
each) and stops after the scan. On a machine shared with other work the wall-time figures are
noisy; CPU time says how much work each configuration needed.

Run: ``make bench-archive`` (or ``python bench/archive.py [--files N] [--runs N]``).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
QUPIA = str(Path(sys.executable).with_name("qupia"))
DASK = str(Path(sys.executable).with_name("dask"))
MIX = ("pdf", "docx", "txt", "pdf", "docx", "txt", "pdf", "docx", "txt", "pdf")


def make_archive(folder: Path, n: int) -> list[Path]:
    """*n* documents rendered from the corpus sources under *folder* (500 a sub-folder)."""
    done = folder / ".complete"
    if done.exists() and int(done.read_text()) == n:
        return sorted(p for p in folder.rglob("*") if p.suffix in (".pdf", ".docx", ".txt"))
    sys.path.insert(0, str(ROOT / "corpus"))
    from build import SourceError, load_sources, render  # corpus/build.py

    sources = load_sources(ROOT / "corpus" / "src")
    paths = []
    for i in range(n):
        source = copy.deepcopy(sources[i % len(sources)])
        source["id"] = f"{i:05d}-{source['id']}"
        source["pages"][-1].setdefault("blocks", []).append(f"Архив № {i} / Архивтік № {i}")
        original = source["format"]
        source["format"] = MIX[i % len(MIX)]
        if source["format"] != "docx":
            source.pop("properties", None)  # rendered in DOCX only
        try:
            paths.append(render(source, folder / f"{i // 500:02d}"))
        except SourceError:  # a feature of its own format (comments, hidden text, …)
            source = copy.deepcopy(sources[i % len(sources)])
            source["id"] = f"{i:05d}-{source['id']}"
            source["pages"][-1].setdefault("blocks", []).append(f"Архив № {i}")
            assert source["format"] == original
            paths.append(render(source, folder / f"{i // 500:02d}"))
    done.write_text(str(n))
    return paths


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scan(archive: Path, db: Path, *args: str) -> dict[str, float]:
    started, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run([QUPIA, "scan", str(archive), "--db", str(db),
                           "--reference-date", "2026-11-26", *args],
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"qupia scan {' '.join(args)} failed:\n{proc.stderr}")
    with sqlite3.connect(db) as con:
        files, pages = con.execute("SELECT count(*), coalesce(sum(c.pages), 0) FROM files f "
                                   "JOIN contents c ON c.sha256 = f.sha256").fetchone()
        errors = con.execute("SELECT count(*) FROM files WHERE status != 'ok'").fetchone()[0]
    return {"files": files, "pages": pages, "unreadable": errors, "wall_s": round(wall, 1),
            "files_per_s": round(files / wall, 1), "pages_per_s": round(pages / wall, 1),
            "cpu_s": round(_cpu() - cpu, 1)}


class Cluster:
    """``dask scheduler`` and *n* ``dask worker`` processes (one thread each) on loopback."""

    def __init__(self, n: int, workdir: Path) -> None:
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        self.procs = [subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=workdir, env=env)]
        self.procs += [subprocess.Popen(
            [DASK, "worker", self.address, "--nthreads", "1", "--nworkers", "1",
             "--no-dashboard", "--local-directory", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir, env=env)
            for _ in range(n)]
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(n, timeout=120)

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1, help="rounds of the three runs")
    args = parser.parse_args()
    archive = OUT / f"archive-{args.files}"
    started = time.perf_counter()
    paths = make_archive(archive, args.files)
    kinds = {s: sum(1 for p in paths if p.suffix == s) for s in (".pdf", ".docx", ".txt")}
    print(f"archive: {len(paths)} files {kinds} in {archive} "
          f"(made or found in {time.perf_counter() - started:.0f} s)", flush=True)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for r in range(args.runs):
            row: dict[str, dict[str, float]] = {}
            for name, extra in (("local, 1 worker", ["--jobs", "1"]),
                                ("local, 2 workers", ["--jobs", "2"])):
                row[name] = scan(archive, work / f"{r}-{extra[1]}.sqlite", *extra)
                print(f"{name}: {json.dumps(row[name])}", flush=True)
            cpu = _cpu()
            cluster = Cluster(2, work)
            try:
                row["dask, 2 workers"] = scan(archive, work / f"{r}-dask.sqlite", "--executor",
                                              "dask", "--scheduler", cluster.address)
            finally:
                cluster.stop()
            row["dask, 2 workers"]["cpu_s_with_cluster"] = round(_cpu() - cpu, 1)
            print(f"dask, 2 workers: {json.dumps(row['dask, 2 workers'])}", flush=True)
            rounds.append(row)
    one, two = rounds[-1]["local, 1 worker"], rounds[-1]["local, 2 workers"]
    print(json.dumps({
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}"
                   " (shared with other work: wall times are noisy)",
        "rounds": rounds,
        "speed_up_1_to_2_local": round(two["files_per_s"] / one["files_per_s"], 2),
        "cpu_ratio_2_to_1_local": round(two["cpu_s"] / one["cpu_s"], 2),
    }, indent=1))


if __name__ == "__main__":
    main()
