"""The repository explains itself: generated pages are up to date, and nothing it ships points
outside it."""

from __future__ import annotations

import re

from qupia.report.ruledocs import markdown
from qupia.rules import RULES
from tests.conftest import ROOT


def test_the_rules_page_is_made_from_the_rule_modules() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == markdown(RULES), "docs/rules.md is out of date: run `make docs`"
    for rule in RULES:
        assert f"\n## {rule.CODE}\n" in page


def test_every_docstring_example_becomes_a_code_block() -> None:
    page = markdown(RULES)
    assert page.count("```text\n") == len(RULES)


def test_nothing_in_the_repository_points_at_files_outside_it() -> None:
    # The README, docs, code and tests cite the law and the repository's own files only.
    outside = re.compile(r"\.\./shared|shared/SPEC|SPEC\.md|SPEC §|MEASURED\.md")
    offenders = []
    for pattern in ("README.md", "CONTRIBUTING.md", "docs/*.md", "src/**/*.py", "tests/*.py",
                    "bench/*.py", "corpus/*.md", "patterns/**/*.md", "Makefile"):
        for path in ROOT.glob(pattern):
            if path.name == "test_docs.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if outside.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)
