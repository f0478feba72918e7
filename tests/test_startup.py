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
