"""Shared fixtures: run qupia's stages on text written to real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qupia.extract import extract
from qupia.markings import MarkingFacts, detect, load

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "corpus" / "law"


def facts_of(path: Path) -> MarkingFacts:
    return detect(extract(path), load())


@pytest.fixture
def txt(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text to a .txt file and return the marking facts qupia finds in it."""
    counter = iter(range(10_000))

    def make(text: str, encoding: str = "utf-8") -> MarkingFacts:
        path = tmp_path / f"doc{next(counter)}.txt"
        path.write_bytes(text.encode(encoding))
        return facts_of(path)

    return make
