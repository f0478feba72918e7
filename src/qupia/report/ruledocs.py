"""The rules' reference page (``docs/rules.md``), made from the rule modules themselves.

The same source as ``qupia explain`` and SARIF's ``rules[]``: each rule's identity attributes and
its docstring. ``make docs`` writes the page; a test fails when the page is out of date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType

HEADER = """\
# Rules

Made by `make docs` from the rule modules (`src/qupia/rules/qp*.py`), the same text that
`qupia explain CODE` prints and that SARIF's `rules[]` carries. Do not edit by hand: edit the
rule's docstring.

| code | rule | family | default severity | article |
|---|---|---|---|---|
"""


def markdown(rules: Iterable[ModuleType]) -> str:
    rules = list(rules)
    out = [HEADER]
    out.extend(f"| [{r.CODE}](#{r.CODE.lower()}) | {r.NAME} | {r.FAMILY} | {r.SEVERITY} | "
               f"{r.ARTICLE} |\n" for r in rules)
    for r in rules:
        doc = (r.__doc__ or "").strip()
        title, _, body = doc.partition("\n")
        out.append(f"\n## {r.CODE}\n\n**{title.strip()}**\n\n")
        out.append(f"`{r.NAME}` · family {r.FAMILY} · default severity {r.SEVERITY} · "
                   f"Art. {r.ARTICLE}\n")
        for section in _sections(body):
            out.append(section)
    return re.sub(r"\n{3,}", "\n\n", "".join(out))


def _sections(body: str) -> Iterable[str]:
    """The docstring's sections as level-3 headings; an indented ``::`` block as a code block."""
    lines = body.strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line and not line.startswith(" "):
            yield f"\n### {line.strip()}\n\n"
            i += 1
            continue
        text = line.strip()
        if text.endswith("::"):
            yield text[:-1] + "\n\n```text\n"
            i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith("        ")):
                block.append(lines[i][8:])
                i += 1
            yield "\n".join(block).strip("\n") + "\n```\n\n"
            continue
        yield (text + "\n") if text else "\n"
        i += 1
