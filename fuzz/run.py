"""Run the generated malformed inputs through the real check path and count what went wrong.

``make fuzz`` (``python -m fuzz.run``): generate inputs (fuzz/generate.py) into a temporary
folder and check them with :func:`qupia.runner.run_files` — worker processes, the time limit,
the memory limit, the document's own suppressions — then build each file's JSON report entry,
as ``qupia check`` does. Printed:

* inputs tried, and how they ended (ok, no text, a reason);
* crashes: a worker died on an input ("reader crashed");
* hangs past the limit: the main process got no result for longer than the time limit plus a
  grace period (the watchdog then stops the run);
* internal errors: a reason that is an exception's name, not ours ("internal error: …");
* timed out at the limit, and over the memory limit (limits working, counted apart);
* peak memory: the largest resident set of any worker (getrusage of the reaped children).

Exit status 1 when there is any crash, hang or internal error.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fuzz.generate import generate


@dataclass
class Tally:
    inputs: int = 0
    tried: int = 0  # results: a .zip gives one per member
    outcomes: collections.Counter[str] = field(default_factory=collections.Counter)
    crashes: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)
    over_memory: int = 0
    peak_kib: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.crashes or self.internal or self.hangs)

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {n}" for k, n in self.outcomes.most_common())
        return [
            f"inputs tried: {self.inputs} ({self.tried} results: a .zip gives one per member; "
            f"{self.seconds:.0f} s)",
            f"crashes: {len(self.crashes)}",
            f"hangs past the limit: {len(self.hangs)}",
            f"internal errors: {len(self.internal)}",
            f"timed out at the limit: {len(self.timed_out)}; over the memory limit: "
            f"{self.over_memory}",
            f"peak memory of a worker: {self.peak_kib / 1024:.0f} MiB (max RSS)",
            f"outcomes: {kinds}",
            *(f"  crash: {c}" for c in self.crashes[:20]),
            *(f"  internal: {c}" for c in self.internal[:20]),
            *(f"  hang: {c}" for c in self.hangs[:20]),
            *(f"  timed out: {c}" for c in self.timed_out[:20]),
        ]


def _kind(reason: str | None) -> str:
    """The reason with the variable parts dropped, to count outcomes by kind."""
    if reason is None:
        return "ok"
    head = reason.split(":")[0]
    return head if len(head) < 60 else head[:60] + "…"


def check(paths: list[Path], jobs: int, timeout: float, memory_mib: int,
          progress: bool = False) -> Tally:
    """Check *paths* through run_files and the JSON report; count outcomes."""
    from qupia.extract.errors import Limits
    from qupia.report.json_report import file_dict
    from qupia.runner import run_files
    from qupia.settings import Settings

    settings = Settings(jobs=jobs, limits=Limits(timeout_seconds=timeout,
                                                 memory_bytes=memory_mib * 1024 * 1024))
    tally = Tally(inputs=len(paths))
    last = [time.monotonic()]
    stop = threading.Event()
    grace = timeout + 60.0

    def watchdog() -> None:
        while not stop.wait(5.0):
            if time.monotonic() - last[0] > grace:
                tally.hangs.append(f"no result for {grace:.0f} s after input {tally.tried}")
                os._exit(3)  # the main process itself is stuck: nothing else can report it

    threading.Thread(target=watchdog, daemon=True).start()
    start = time.monotonic()
    try:
        for result in run_files([str(p) for p in paths], settings):
            last[0] = time.monotonic()
            tally.tried += 1
            if progress and tally.tried % 1000 == 0:
                print(f"  {tally.tried} checked ({last[0] - start:.0f} s)", file=sys.stderr,
                      flush=True)
            file_dict(result, settings)  # the report entry is made, as in `qupia check`
            reason = result.error if result.status == "error" else None
            tally.outcomes[_kind(reason) if result.status != "no-text" else "no-text"] += 1
            name = Path(result.path).name
            if reason and reason.startswith("reader crashed"):
                tally.crashes.append(f"{name}: {reason}")
            elif reason and reason.startswith("internal error"):
                tally.internal.append(f"{name}: {reason}")
            elif reason and reason.startswith("timed out"):
                tally.timed_out.append(name)
            elif reason and reason.startswith("over the memory limit"):
                tally.over_memory += 1
    finally:
        stop.set()
    tally.seconds = time.monotonic() - start
    tally.peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--memory-limit", type=int, default=2048, help="MiB per worker")
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qupia-fuzz-") as tmp:
        folder = args.keep or Path(tmp)
        t0 = time.monotonic()
        made = generate(folder, args.count, args.seed)
        print(f"generated {len(made)} inputs in {time.monotonic() - t0:.0f} s "
              f"({sum(p.stat().st_size for p, _ in made) / 1e6:.0f} MB)", flush=True)
        tally = check([p for p, _ in made], args.jobs, args.timeout, args.memory_limit,
                      progress=True)
    print("\n".join(tally.lines()))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
