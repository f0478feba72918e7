"""A fixed sample of the generated malformed inputs (fuzz/generate.py) through the real check
path: worker processes, the time limit, the memory limit. Every input must end with a reason of
ours — no crash, no hang, no internal error. ``make fuzz`` runs 10,000."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fuzz.generate import generate
from fuzz.run import check

SAMPLE = 500
SEED = 2026


@pytest.mark.slow
def test_fixed_fuzz_sample_has_no_crash_hang_or_internal_error(tmp_path: Path) -> None:
    start = time.monotonic()
    made = generate(tmp_path, SAMPLE, SEED)
    assert len({kind for _, kind in made}) >= 10  # every family of malformation is in it
    tally = check([p for p, _ in made], jobs=2, timeout=30.0, memory_mib=2048)
    report = "\n".join(tally.lines())
    assert tally.inputs == SAMPLE and tally.tried >= SAMPLE, report
    assert not tally.crashes and not tally.hangs and not tally.internal, report
    assert time.monotonic() - start < 180, report
