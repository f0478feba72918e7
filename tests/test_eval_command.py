"""``qupia eval`` on a labelled folder of one's own, outside the repository's corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qupia.cli import main
from tests.conftest import ROOT


def test_a_folder_of_sources_anywhere_is_rendered_and_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources in a folder of their own (no build/ yet, not under corpus/), run from another
    folder: the checkout qupia runs from renders them, and the figures come out."""
    folder = tmp_path / "mine"
    (folder / "src").mkdir(parents=True)
    for name in ("h2-kk-01.yaml", "h2-ru-01.yaml"):
        shutil.copy(ROOT / "corpus" / "hidden-2" / "src" / name, folder / "src")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(main, ["eval", str(folder), "--split", "all", "-j", "1",
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 2 and report["unreadable"] == 0
    assert (folder / "build" / "labels.jsonl").is_file()


def test_a_folder_without_labels_or_sources_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "neither labels.jsonl nor a src/ folder" in result.output
    assert "Traceback" not in result.output
