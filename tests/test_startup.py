"""Start-up: what `qupia --version` and `--help` import (issue 12: a pre-commit hook must start
in a fraction of a second). Each runs in a fresh interpreter, which is what it measures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("spacy", "thinc", "numpy", "pydantic", "regex", "yaml", "ahocorasick", "pypdfium2",
         "lxml", "qupia.engine", "qupia.rules", "qupia.markings")


def _modules_after(*args: str) -> set[str]:
    code = (
        "import json, sys\n"
        "from qupia.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help")])
def test_version_and_help_import_nothing_heavy(args: tuple[str, ...]) -> None:
    loaded = _modules_after(*args)
    assert not [m for m in HEAVY if m in loaded]


def test_the_collector_is_paused_and_then_back_as_it_was() -> None:
    import gc

    from qupia.startup import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    frozen = gc.get_freeze_count()
    with gc_paused(keep=True):
        made = [[n] for n in range(100)]  # noqa: F841  (objects the collector tracks)
    assert gc.get_freeze_count() >= frozen + 100


def test_cues_read_lazily_from_the_cache_are_the_cues_stored() -> None:
    import io
    import pickle

    from qupia import cache
    from qupia.content.matcher import Cue, CueList

    cues = [Cue(item=f"11.{n}", weight=n / 7, label=f"стем{n}", source=f"стем{n}",
                group=f"11.{n}#0", anchors=frozenset({f"ст{n}"}), words=(f"стем{n}",))
            for n in range(50)]
    buffer = io.BytesIO()
    cache._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(CueList(cues))
    loaded = pickle.loads(buffer.getvalue())
    assert isinstance(loaded, CueList) and len(loaded) == 50
    assert loaded._cues == [None] * 50  # nothing unpickled yet
    assert loaded[7] == cues[7] and loaded[-1] == cues[-1]
    assert sum(c is not None for c in loaded._cues) == 2  # only what was read
    assert list(loaded) == cues and loaded[10:13] == tuple(cues[10:13])
    again = pickle.loads(pickle.dumps(loaded))  # a partly read list pickles whole
    assert list(again) == cues


def test_the_runner_imports_numpy_with_one_blas_thread() -> None:
    """Imported without the BLAS variables set (as `qupia check` imports it), the runner starts
    no BLAS thread pool: one missing in forked workers, and about 50 ms of CPU at start-up."""
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    code = ("import os, sys\nimport qupia.runner\n"
            "print('numpy' in sys.modules, len(os.listdir('/proc/self/task')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True, env=env)
    assert done.stdout.split() == ["True", "1"]


def test_the_fold_tables_read_from_the_cache_are_the_tables_built(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from qupia import cache
    from qupia.text import fold

    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("QUPIA_NO_CACHE", raising=False)
    files = [Path(fold.__file__)]
    built = cache.cached("fold", files, fold._tables)  # built and stored
    assert list(tmp_path.glob("fold-*.pickle"))
    read = cache.cached("fold", files, lambda: None)  # read back
    assert read is not None and read is not built
    fresh = fold._tables()
    assert read[:3] == fresh[:3] == (fold.TABLE, fold._ALWAYS, fold._RARE)
    assert (read[3].pattern, read[3].flags) == (fresh[3].pattern, fresh[3].flags)
    every = "".join(chr(c) for c in range(0x20, 0x2100))
    assert read[3].findall(every) == fresh[3].findall(every) == fold._RARE_CLASS.findall(every)
    assert fold.fold(every) == every.translate(fresh[0])
