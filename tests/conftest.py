"""Shared fixtures: run qupia's stages on text written to real files."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# As the command-line tool does before numpy is first imported (qupia.runner, at its import): the
# tests fork workers and PDF helpers from this process, and a BLAS thread pool started before a
# fork is missing in the child (a helper refuses to fork beside another thread).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from qupia.extract import extract  # noqa: E402
from qupia.markings import MarkingFacts, detect, load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "corpus" / "law"


def facts_of(path: Path) -> MarkingFacts:
    return detect(extract(path), load())


def cue_items(text: str, exceptions: bool = True) -> set[str]:
    """The items of ``patterns/categories`` whose cues match *text* folded; without
    *exceptions*, the items of exception cues (which weigh against their item) left out."""
    from qupia.content.packs import load_packs
    from qupia.text.fold import fold

    packs = load_packs()
    return {packs.cues[i].item for i in packs.hits(fold(text))
            if exceptions or not packs.cues[i].exception}


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A .zip archive of *members* (name: content), built in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


#: the header line of Tesseract's TSV output (``image_to_data``)
TSV_HEAD = "\t".join(["level", "page_num", "block_num", "par_num", "line_num", "word_num",
                      "left", "top", "width", "height", "conf", "text"])


@pytest.fixture
def txt(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text to a .txt file and return the marking facts qupia finds in it."""
    counter = iter(range(10_000))

    def make(text: str, encoding: str = "utf-8") -> MarkingFacts:
        path = tmp_path / f"doc{next(counter)}.txt"
        path.write_bytes(text.encode(encoding))
        return facts_of(path)

    return make


@dataclass
class Ran:
    """What a run of the command line gave: as subprocess.CompletedProcess, for the tests."""

    returncode: int
    stdout: str
    stderr: str


def qupia_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Ran:
    """Run ``qupia ARGS`` in this process through click's CliRunner (a new process costs
    start-up each time; the tests marked slow keep a few real ones). *env*, as for a process,
    is the whole environment; *cwd* the folder it runs in. An exception that would have
    reached the user as a traceback fails the test."""
    from click.testing import CliRunner

    from qupia.cli import main

    overrides: dict[str, str | None] | None = None
    if env is not None:
        overrides = {k: None for k in os.environ if k not in env}
        overrides.update(env)
    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), env=overrides)
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
